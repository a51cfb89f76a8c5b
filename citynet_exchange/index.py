"""The ids a dataset defines and the ids its records refer to, kept compact.

The engine streams the records through the rules, so it cannot look back at them; what
the reference rules need (which ids are defined, by which record first, which are
referred to) is kept here instead. Memory grows with the number of distinct ids, not with
the size of the data. Towns and networks, which records refer to, have each id held once,
as the key of a number, and what is known of it in arrays indexed by that number; the ids of
partnerships and memberships, which nothing refers to, are needed only to find one given
twice, and are kept as hashes (`HashGroups`), compared on the ids themselves at the end.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Hashable, Iterator, Mapping
from typing import Any

from citynet_exchange.kinds import RECORD_KEYS

_UNDEFINED = -1
# HashGroups keeps its hashes in this many parts (a power of two), by their low bits, and looks
# for shared hashes in one part at a time: a set of every hash would take some 64 bytes a hash.
_PARTS = 8
REFERENCED_KINDS = ("town", "network")  # the kinds whose ids other records name
_MEMBERSHIP_REFERENCES = ((-1, "town"), (-2, "network"))  # a membership's references, by place


class _Ids:
    """The ids of one record kind: a number for each, the index of the record that defines
    it first (or -1, only referred to), and whether anything refers to it."""

    __slots__ = ("numbers", "first", "referenced")

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.first = array("q")
        self.referenced = bytearray()

    def number(self, record_id: str) -> int:
        """The id's number, a new one for an id not seen before (one lookup either way: in a
        big dictionary each waits for memory)."""
        count = len(self.first)
        number = self.numbers.setdefault(record_id, count)
        if number == count:
            self.first.append(_UNDEFINED)
            self.referenced.append(0)
        return number


class HashGroups:
    """Records noted under the hash of a key, 16 bytes each, where a dictionary of keys takes
    ten times that: `groups()` gives, at the end, the records whose keys' hashes agree, which
    the caller compares on the keys themselves (two keys may share a hash)."""

    def __init__(self) -> None:
        self._hashes = [array("q") for _ in range(_PARTS)]
        self._indexes = [array("q") for _ in range(_PARTS)]

    def add(self, key: Hashable, index: int) -> None:
        hashed = hash(key)
        part = hashed & (_PARTS - 1)  # parted as they come: looking through them once at the end costs more
        self._hashes[part].append(hashed)
        self._indexes[part].append(index)

    def groups(self) -> list[list[int]]:
        """The indexes, in order, of each set of two or more records whose keys' hashes agree,
        in the order of their first records."""
        groups: list[list[int]] = []
        for hashes, indexes in zip(self._hashes, self._indexes):
            seen: set[int] = set()
            see = seen.add
            shared = {hashed for hashed in hashes if hashed in seen or see(hashed)}
            if shared:
                found: dict[int, list[int]] = {}
                for hashed, index in zip(hashes, indexes):
                    if hashed in shared:
                        found.setdefault(hashed, []).append(index)
                groups += [sorted(group) for group in found.values()]
        return sorted(groups)


class Index:
    """Ids and references over every record of a dataset, sound or not: a structural error in
    a record must not turn into findings about the records that refer to it."""

    def __init__(self) -> None:
        self._kinds = {kind: _Ids() for kind in REFERENCED_KINDS}
        self._hashed = {kind: HashGroups() for kind in RECORD_KEYS if kind not in REFERENCED_KINDS}
        self.duplicates: list[tuple[str, int, str, int]] = []  # (kind, index, id, index of the first)
        # References made before a record defines their id, four numbers each: whether a
        # membership refers, the record's index, the member's place (-1: the membership's
        # town, -2: its network), and the number of the id. Most are to records further on.
        self._early = array("q")

    def define(self, kind: str, record_id: str, index: int) -> None:
        """Note that record `index` of `kind` has this id (a later record with an id already
        defined is noted in `duplicates`, complete once `settle` is called)."""
        ids = self._kinds.get(kind)
        if ids is None:
            self._hashed[kind].add(record_id, index)
            return
        number = ids.number(record_id)
        first = ids.first[number]
        if first == _UNDEFINED:
            ids.first[number] = index
        else:
            self.duplicates.append((kind, index, record_id, first))

    def settle(self, id_of: Callable[[str, int], str | None]) -> None:
        """After the last record: the ids given twice among the hashed kinds, compared on the
        ids themselves (`id_of` reads a record's id again)."""
        for kind, hashed in self._hashed.items():
            for indexes in hashed.groups():
                first: dict[str, int] = {}
                for index in indexes:
                    record_id = id_of(kind, index)
                    if record_id is None:
                        continue
                    if record_id in first:
                        self.duplicates.append((kind, index, record_id, first[record_id]))
                    else:
                        first[record_id] = index

    def refer_all(self, kind: str, index: int, raw: Mapping[str, Any]) -> None:
        """Note the towns and networks record `index` of `kind` refers to (partnership
        members, the town and network of a membership), whatever else is wrong with it."""
        if kind == "partnership":
            members = raw.get("members")
            if type(members) is list:
                towns = self._kinds["town"]
                numbers, referenced, first = towns.numbers, towns.referenced, towns.first
                for position, member in enumerate(members):
                    if type(member) is str:
                        number = numbers.get(member)
                        if number is None:
                            number = towns.number(member)
                        referenced[number] = 1
                        if first[number] == _UNDEFINED:
                            self._early.extend((0, index, position, number))
        elif kind == "membership":
            for position, target in _MEMBERSHIP_REFERENCES:
                record_id = raw.get(target)
                if type(record_id) is str:
                    ids = self._kinds[target]
                    number = ids.number(record_id)
                    ids.referenced[number] = 1
                    if ids.first[number] == _UNDEFINED:
                        self._early.extend((1, index, position, number))

    def unknown_references(self) -> Iterator[tuple[str, int, int, str]]:
        """(record kind, record index, place, kind referred to) of each reference to an id
        no record defines: of the references made before their id was defined, those still
        undefined once every record is read. The place is the member's position in a
        partnership, -1 for a membership's town and -2 for its network."""
        towns, networks = self._kinds["town"].first, self._kinds["network"].first
        if _UNDEFINED not in towns and _UNDEFINED not in networks:
            return  # every id is defined (a flat table refers to each town before it defines it)
        numbers = iter(self._early)
        for membership, index, place, number in zip(numbers, numbers, numbers, numbers):
            if (networks if place == -2 else towns)[number] == _UNDEFINED:
                yield ("membership" if membership else "partnership", index, place,
                       "network" if place == -2 else "town")

    def unreferenced(self, kind: str) -> list[int]:
        """The indexes, in order, of the records of `kind` that define an id nothing refers
        to (each of them, where an id is defined twice); complete once `settle` is called."""
        ids = self._kinds[kind]
        referenced = ids.referenced
        indexes = [first for first, seen in zip(ids.first, referenced) if not seen and first != _UNDEFINED]
        indexes += [index for of, index, record_id, _first in self.duplicates
                    if of == kind and not referenced[ids.numbers[record_id]]]
        return sorted(indexes)

    def defined_ids(self) -> dict[str, frozenset[str]]:
        """Every defined town and network id (for whole-dataset rules)."""
        return {kind: frozenset(self._defined(kind)) for kind in REFERENCED_KINDS}

    def referenced_ids(self, kind: str) -> frozenset[str]:
        ids = self._kinds[kind]
        return frozenset(i for i, n in ids.numbers.items() if ids.referenced[n])

    def _defined(self, kind: str) -> Iterator[str]:
        ids = self._kinds[kind]
        return (i for i, n in ids.numbers.items() if ids.first[n] != _UNDEFINED)
