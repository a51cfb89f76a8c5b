"""Towns described inline in the rows of a partnership table, gathered into Town records.

Rows name the same town again and again. Two descriptions are one town when they give
the same id, share an identifier (Wikidata, GeoNames, AGS ...), or have the same name and
country (and subdivision, where both give one) and lie within `SAME_TOWN_KM` of each other
where both give coordinates: there are many Neustadts. The first row's values are kept,
values a later row adds are merged in, and a later row that disagrees is a
`conflicting-value` finding at its cell, so nothing changes silently.
"""

from __future__ import annotations

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, replace
from typing import Any

from anyascii import anyascii

from citynet_exchange.country_names import normal
from citynet_exchange.findings import Hit, Location, pointer_of, pointer_path
from citynet_exchange.geography import distance_km
from citynet_exchange.tables.columns import get_path, put
from citynet_exchange.tables.table import Row, Table

SAME_TOWN_KM = 25.0
_IDENTIFIERS = ("wikidata", "geonames", "ags", "ars", "lau")


def slug(text: str) -> str:
    """An id-safe form of a name, transliterated: `Rotenburg an der Wümme` ->
    `rotenburg-an-der-wumme`, `Gießen` -> `giessen`, `Озёрск` -> `ozersk`."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def unique_id(base: str, taken: Container[str], reached: dict[str, int]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is not taken yet. `reached` keeps the number
    each base has reached (the ids below it are taken, as ids are never given back), so that n
    ids of one base take n steps, not n² (a table repeating one row 20,000 times took 53 s)."""
    n = reached.get(base, 1)
    candidate = base if n == 1 else f"{base}-{n}"
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    reached[base] = n
    return candidate


def claim(base: str, taken: set[str], reached: dict[str, int]) -> str:
    """A unique id from `base` (see `unique_id`), now taken."""
    chosen = unique_id(base, taken, reached)
    taken.add(chosen)
    return chosen


def _point(town: Mapping[str, Any]) -> Mapping[str, Any] | None:
    location = town.get("location")
    if isinstance(location, Mapping) and all(isinstance(location.get(k), (int, float)) and
                                             not isinstance(location.get(k), bool) for k in ("lat", "lon")):
        return location
    return None


@dataclass(slots=True)
class _Entry:
    """A town, the row that first described it and the column of each field it gave (a map
    shared by the towns described in the same columns), and the row and column of each
    field a later row added. Rows are kept without their cells; the first, as its number
    and line alone."""

    record: dict[str, Any]
    number: int  # among the registry's towns
    row_number: int
    line: int | None
    table: Table
    columns: Mapping[tuple[str, ...], int]
    added: dict[tuple[str, ...], tuple[Row, int]] | None = None

    @property
    def row(self) -> Row:
        return Row(self.row_number, [], self.line)

    def place(self, path: tuple[str, ...]) -> tuple[Row, int] | None:
        if self.added and path in self.added:
            return self.added[path]
        return (self.row, self.columns[path]) if path in self.columns else None

    @property
    def pointer(self) -> str:
        return f"/towns/{self.number}"


class TownRegistry:
    """The towns of a table, by the descriptions rows give of them, and where each of their
    values was read (`locate`)."""

    def __init__(self) -> None:
        self._entries: list[_Entry] = []
        self.generation = 0  # counts the values merged into towns: a description may match otherwise now
        self._by_id: dict[str, _Entry] = {}
        self._reached: dict[str, int] = {}  # for `unique_id`
        self._by_identifier: dict[tuple[str, str], _Entry] = {}
        self._unindexed: list[_Entry] = []  # towns whose identifiers are not yet in `_by_identifier`
        self._by_name: dict[tuple[str, str], list[_Entry]] = {}
        self._unnamed: list[_Entry] = []  # towns not yet in `_by_name`, or with a name or country added since

    @property
    def records(self) -> list[dict[str, Any]]:
        return [entry.record for entry in self._entries]

    def record(self, number: int) -> dict[str, Any]:
        return self._entries[number].record

    def number(self, town_id: str) -> int:
        """A town's place among `records`, by its id."""
        return self._by_id[town_id].number

    def town(self, description: dict[str, Any], table: Table, row: Row,
             columns: Mapping[tuple[str, ...], int]) -> tuple[str, list[Hit]]:
        """The id of the town a row describes (a new Town, or one seen before), and the
        conflicts of this description with the one kept. `columns` maps field paths of the
        description to the columns they came from; a new town keeps it as it is, so that the
        towns described in the same columns can share one map."""
        entry = self._match(description)
        if entry is None:
            return self._add(description, table, row, columns), []
        return entry.record["id"], self._merge(entry, description, table, row, columns)

    def locate(self, pointer: str) -> Location | None:
        """The place of a pointer into a town: the cell of its field, or of the nearest field
        that holds it; the cell naming the town for the town itself. None: no town's pointer."""
        path = pointer_path(pointer)
        if len(path) < 2 or path[0] != "towns" or not path[1].isdigit() or int(path[1]) >= len(self._entries):
            return None
        entry, path = self._entries[int(path[1])], path[2:]
        while path and entry.place(path) is None:
            path = path[:-1]
        row, column = entry.place(path) or entry.place(("name",)) or (entry.row, None)
        return replace(entry.table.place(row, column), pointer=pointer)

    def _match(self, town: Mapping[str, Any]) -> _Entry | None:
        if isinstance(town.get("id"), str):
            return self._by_id.get(town["id"])
        identifiers = town.get("identifiers")
        if isinstance(identifiers, Mapping):
            self._index_identifiers()
            for scheme in _IDENTIFIERS:
                entry = self._by_identifier.get((scheme, str(identifiers.get(scheme))))
                if entry is not None:
                    return entry
        point = _point(town)
        for entry in self._unnamed:  # names are compared in their normal form, made when first needed
            self._by_name.setdefault(self._name_key(entry.record), []).append(entry)
        self._unnamed.clear()
        for entry in self._by_name.get(self._name_key(town), []):
            subdivisions = (town.get("subdivision"), entry.record.get("subdivision"))
            if None not in subdivisions and subdivisions[0] != subdivisions[1]:
                continue
            other = _point(entry.record)
            if point is None or other is None or distance_km(point, other) <= SAME_TOWN_KM:
                return entry
        return None

    def _index_identifiers(self) -> None:
        """Note the identifiers of the towns added or completed since, when a description
        without an id asks: a table whose rows give every town's id never needs them."""
        for entry in self._unindexed:
            identifiers = entry.record.get("identifiers")
            if isinstance(identifiers, Mapping):
                for scheme in _IDENTIFIERS:
                    if identifiers.get(scheme) is not None:
                        self._by_identifier.setdefault((scheme, str(identifiers[scheme])), entry)
        self._unindexed.clear()

    @staticmethod
    def _name_key(town: Mapping[str, Any]) -> tuple[str, str]:
        return normal(str(town.get("name", ""))), str(town.get("country", ""))

    def _add(self, town: dict[str, Any], table: Table, row: Row, columns: Mapping[tuple[str, ...], int]) -> str:
        if not isinstance(town.get("id"), str):
            base = "-".join(filter(None, (slug(str(town.get("country", ""))), slug(str(town.get("name", "")))))) \
                or "town"
            town = {"id": unique_id(base, self._by_id, self._reached), **town}
        entry = _Entry(town, len(self._entries), row.number, row.line, table, columns)
        self._entries.append(entry)
        self._by_id[town["id"]] = entry
        self._unindexed.append(entry)
        self._unnamed.append(entry)
        return town["id"]

    def _merge(self, entry: _Entry, town: Mapping[str, Any], table: Table, row: Row,
               columns: Mapping[tuple[str, ...], int]) -> list[Hit]:
        hits = []
        for path, column in columns.items():
            value = get_path(town, path)
            kept = get_path(entry.record, path)
            if value is None or value == kept:
                continue
            if kept is None:
                put(entry.record, path, value)
                if path[0] == "identifiers":  # the town is found by the identifier a later row gave too
                    self._unindexed.append(entry)
                elif path in (("name",), ("country",)):  # and by the name or country
                    self._unnamed.append(entry)
                entry.added = entry.added or {}
                entry.added[path] = (Row(row.number, [], row.line), column)
                self.generation += 1
                continue
            field_pointer = entry.pointer + pointer_of(path)
            hit = table.hit("conflicting-value", "conflict", row, column, field_pointer,
                            field=".".join(path), town=entry.record["id"], value=repr(value), kept=repr(kept),
                            first_row=entry.row.number)
            hits.append(replace(hit, related=(field_pointer,)))
        return hits

