"""Rules about ids and the references between records."""

from __future__ import annotations

from array import array
from collections.abc import Iterable

from citynet_exchange.findings import Hit, RecordRef, Severity
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.rules import Checker, Record, Scope, checker_rule


@checker_rule(
    "duplicate-id", Severity.ERROR, "An id is used by two records of one kind",
    {"duplicate": "the {kind} id '{id}' is already used by another {kind}"},
)
class DuplicateId(Checker):
    """Partnerships and memberships refer to towns and networks by id, so an id must name one
    record of its kind; with two, references are ambiguous. Give the later record another id,
    or merge the two records if they describe the same thing."""

    kinds = frozenset()  # the index notes every id, of sound records and others

    def end(self) -> Iterable[Hit]:
        for kind, index, record_id, first in self.scope.index.duplicates:
            key = RECORD_KEYS[kind]
            yield Hit(message="duplicate", params={"kind": kind, "id": record_id, "first": f"/{key}/{first}"},
                      pointer=f"/{key}/{index}/id", related=(f"/{key}/{first}",),
                      record=RecordRef(kind=kind, id=record_id))


@checker_rule(
    "unknown-reference", Severity.ERROR, "A reference names a record the dataset does not define",
    {"unknown": "there is no {kind} with id '{id}' in this dataset"},
)
class UnknownReference(Checker):
    """Partnership members and the town and network of a membership must be ids of towns and
    networks defined in the same dataset. Fix the id's spelling, or add the missing record."""

    kinds = frozenset({"partnership", "membership"})

    def __init__(self, scope: Scope):
        super().__init__(scope)
        # References to ids not defined yet (the records defining them may come later), four
        # numbers each: whether a membership refers, the record's index, the member's place
        # (-1: the membership's town, -2: its network), and the number of the id. A big flat
        # table, whose towns come after every partnership, refers ahead on every row.
        self.pending = array("q")

    def see(self, record: Record) -> None:
        index = self.scope.index
        if record.kind == "partnership":
            for position, member in enumerate(record.data["members"]):
                if not index.defines("town", member):
                    self.pending.extend((0, record.index, position, index.number("town", member)))
        else:
            for position, kind in _MEMBERSHIP_REFERENCES:
                if not index.defines(kind, record.data[kind]):
                    self.pending.extend((1, record.index, position, index.number(kind, record.data[kind])))

    def end(self) -> Iterable[Hit]:
        index, pending = self.scope.index, self.pending
        for at in range(0, len(pending), 4):
            membership, record_index, position, number = pending[at:at + 4]
            kind = "network" if position == -2 else "town"
            if index.defined(kind, number):
                continue
            record = self.scope.fetch("membership" if membership else "partnership", record_index)
            if record is not None:
                field = kind if membership else f"members/{position}"
                record_id = record.data[kind] if membership else record.data["members"][position]
                yield record.hit("unknown", field=field, kind=kind, id=record_id)


_MEMBERSHIP_REFERENCES = ((-1, "town"), (-2, "network"))


@checker_rule(
    "orphan-town", Severity.INFO, "A town takes part in nothing",
    {"orphan": "town '{id}' is in no partnership and no membership"},
)
class OrphanTown(Checker):
    """A town that no partnership and no membership refers to adds nothing to the dataset; it
    may be left over, or the record that should refer to it may misspell its id."""

    kinds = frozenset({"town"})

    def __init__(self, scope: Scope):
        super().__init__(scope)
        self.towns = array("q")  # (number of its id, index) of each sound town, side by side

    def see(self, town: Record) -> None:
        self.towns.extend((self.scope.index.number("town", town.id), town.index))

    def end(self) -> Iterable[Hit]:
        index = self.scope.index
        for at in range(0, len(self.towns), 2):
            if not index.referenced("town", self.towns[at]):
                town = self.scope.fetch("town", self.towns[at + 1])
                if town is not None:
                    yield town.hit("orphan", id=town.id)


RULES = (DuplicateId, UnknownReference, OrphanTown)
