"""Rules about partnership records: members, duplicates, status and time limits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Record, RuleContext, rule
from citynet_exchange_rules.record_dates import known_date

# Kinds concluded for a limited time (position paper "Cities in the World", note 11).
TIME_LIMITED_KINDS = frozenset({"friendship", "project"})
# Statuses that say the partnership still exists.
LIVING_STATUSES = frozenset({"active", "dormant"})


@rule(
    "self-partnership", Severity.ERROR, "A partnership lists a town twice",
    {"repeated": "town '{town}' is already a member at members/{first}"},
)
def self_partnership(ctx: RuleContext) -> Iterator[Hit]:
    """A town is not its own partner: each member of a partnership must be a different town.
    Remove the repeated member, or correct it to the partner town meant."""
    for partnership in ctx.of("partnership"):
        first_index: dict[str, int] = {}
        for index, member in enumerate(partnership.model.members):
            if member in first_index:
                yield partnership.hit("repeated", field=f"members/{index}", town=member, first=first_index[member])
            else:
                first_index[member] = index


def overlap(a: Any, b: Any) -> bool:
    """Two partnerships overlap in time unless one certainly ended before the other began;
    a date that is missing (or not in the calendar) overlaps everything."""
    for earlier, later in ((a, b), (b, a)):
        ended, established = known_date(earlier.ended), known_date(later.established)
        if ended is not None and established is not None and ended.before(established):
            return False
    return True


@rule(
    "duplicate-partnership", Severity.ERROR, "A partnership is given twice",
    {"duplicate": "partnership '{id}' joins the same towns as partnership '{first}', "
                  "as {kind}, at an overlapping time"},
)
def duplicate_partnership(ctx: RuleContext) -> Iterator[Hit]:
    """Two partnerships of the same kind between the same towns (in any order) that overlap in
    time are one partnership given twice, which counts it twice. Merge them; a partnership
    renewed after it ended needs dates that show the gap."""
    seen: dict[tuple[str, frozenset[str]], list[Record[Any]]] = defaultdict(list)
    for partnership in ctx.of("partnership"):
        model = partnership.model
        earlier = seen[(model.kind, frozenset(model.members))]
        first = next((e for e in earlier if overlap(e.model, model)), None)
        if first is not None:
            yield partnership.hit("duplicate", related=[first.pointer], id=model.id, first=first.model.id,
                                  first_at=first.pointer, kind=model.kind)
        earlier.append(partnership)


@rule(
    "status-conflict", Severity.WARNING, "A partnership's status contradicts its dates",
    {
        "ended": "status is '{status}', but the partnership ended {ended}",
        "no-end": "status is 'ended', but no ended date is given",
    },
)
def status_conflict(ctx: RuleContext) -> Iterator[Hit]:
    """A partnership whose end date has passed no longer exists, so its status is 'ended', not
    'active' or 'dormant' (dormant means suspended, not terminated); and an ended partnership
    should give when it ended. Correct the status, or the date; add the end date if known."""
    for partnership in ctx.of("partnership"):
        model = partnership.model
        ended = known_date(model.ended)
        if model.status in LIVING_STATUSES and ended is not None and ended.latest <= ctx.today:
            yield partnership.hit("ended", field="status", related=[f"{partnership.pointer}/ended"],
                                  status=model.status, ended=str(ended))
        elif model.status == "ended" and model.ended is None:
            yield partnership.hit("no-end", field="status")


@rule(
    "open-ended-friendship", Severity.WARNING, "A time-limited partnership has no end date",
    {"open": "kind '{kind}' is limited in time, but no ended date is given"},
)
def open_ended_friendship(ctx: RuleContext) -> Iterator[Hit]:
    """Friendships and project partnerships are concluded for a limited time, unlike an
    open-ended town twinning. Give the agreed end date, or use kind 'twinning' if the
    partnership rests on an open-ended agreement."""
    for partnership in ctx.of("partnership"):
        model = partnership.model
        if model.kind in TIME_LIMITED_KINDS and model.ended is None:
            yield partnership.hit("open", field="kind", kind=model.kind)


RULES = (self_partnership, duplicate_partnership, status_conflict, open_ended_friendship)
