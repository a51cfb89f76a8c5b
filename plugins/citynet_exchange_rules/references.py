"""Rules about ids and the references between records."""

from __future__ import annotations

from array import array
from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from citynet_exchange.findings import Hit, RecordRef, Severity
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.rules import Checker, checker_rule


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

    kinds = frozenset()  # the index notes each reference made before its id is defined

    def end(self) -> Iterable[Hit]:
        index = self.scope.index
        records = {kind: self.scope.fetch_all(kind, indexes)
                   for kind, indexes in _referring(index.unknown_references()).items()}
        for (record_kind, _index), references in groupby(index.unknown_references(), key=itemgetter(0, 1)):
            record = next(records[record_kind])  # None: no sound form, nothing to say
            if record is None:
                continue
            for _record_kind, _record_index, place, kind in references:
                if place >= 0:
                    yield record.hit("unknown", field=f"members/{place}", kind=kind, id=record.data["members"][place])
                else:
                    yield record.hit("unknown", field=kind, kind=kind, id=record.data[kind])


@checker_rule(
    "orphan-town", Severity.INFO, "A town takes part in nothing",
    {"orphan": "town '{id}' is in no partnership and no membership"},
)
class OrphanTown(Checker):
    """A town that no partnership and no membership refers to adds nothing to the dataset; it
    may be left over, or the record that should refer to it may misspell its id."""

    kinds = frozenset()  # the index knows which ids are referred to, and where each is defined

    def end(self) -> Iterable[Hit]:
        for town in self.scope.fetch_all("town", self.scope.index.unreferenced("town")):
            if town is not None:  # None: no sound form, nothing to say
                yield town.hit("orphan", id=town.id)


def _referring(references: Iterable[tuple[str, int, int, str]]) -> dict[str, array[int]]:
    """The indexes of the records that make the references, by kind, in order: a record's
    references come one after another."""
    indexes: dict[str, array[int]] = {}
    for (record_kind, record_index), _references in groupby(references, key=itemgetter(0, 1)):
        indexes.setdefault(record_kind, array("q")).append(record_index)
    return indexes


RULES = (DuplicateId, UnknownReference, OrphanTown)
