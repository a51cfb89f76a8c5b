"""Rules about ids and the references between records."""

from __future__ import annotations

from collections.abc import Iterator

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import RuleContext, rule


@rule(
    "duplicate-id", Severity.ERROR, "An id is used by two records of one kind",
    {"duplicate": "the {kind} id '{id}' is already used by another {kind}"},
)
def duplicate_id(ctx: RuleContext) -> Iterator[Hit]:
    """Partnerships and memberships refer to towns and networks by id, so an id must name one
    record of its kind; with two, references are ambiguous. Give the later record another id,
    or merge the two records if they describe the same thing."""
    for kind, ids in ctx.ids.items():
        for record_id, pointers in ids.items():
            first, *later = pointers
            for pointer in later:
                yield Hit(
                    message="duplicate", params={"kind": kind, "id": record_id, "first": first},
                    pointer=f"{pointer}/id", related=(first,),
                )


@rule(
    "unknown-reference", Severity.ERROR, "A reference names a record the dataset does not define",
    {"unknown": "there is no {kind} with id '{id}' in this dataset"},
)
def unknown_reference(ctx: RuleContext) -> Iterator[Hit]:
    """Partnership members and the town and network of a membership must be ids of towns and
    networks defined in the same dataset. Fix the id's spelling, or add the missing record."""
    for partnership in ctx.of("partnership"):
        for index, member in enumerate(partnership.model.members):
            if not ctx.defines("town", member):
                yield partnership.hit("unknown", field=f"members/{index}", kind="town", id=member)
    for membership in ctx.of("membership"):
        for kind, record_id in (("town", membership.model.town), ("network", membership.model.network)):
            if not ctx.defines(kind, record_id):
                yield membership.hit("unknown", field=kind, kind=kind, id=record_id)


@rule(
    "orphan-town", Severity.INFO, "A town takes part in nothing",
    {"orphan": "town '{id}' is in no partnership and no membership"},
)
def orphan_town(ctx: RuleContext) -> Iterator[Hit]:
    """A town that no partnership and no membership refers to adds nothing to the dataset; it
    may be left over, or the record that should refer to it may misspell its id."""
    referenced = ctx.referenced.get("town", frozenset())
    for town in ctx.of("town"):
        if town.model.id not in referenced:
            yield town.hit("orphan", id=town.model.id)


RULES = (duplicate_id, unknown_reference, orphan_town)
