"""Rules about partnership records: members, duplicates, status and time limits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from itertools import islice
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.index import HashGroups
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule
from citynet_exchange_rules.record_dates import digits_between, known_date

# Kinds concluded for a limited time (position paper "Cities in the World", note 11).
TIME_LIMITED_KINDS = frozenset({"friendship", "project"})
# Statuses that say the partnership still exists.
LIVING_STATUSES = frozenset({"active", "dormant"})
_NEVER, _ALWAYS = -1, 2**31 - 1  # day numbers before and after any date


@record_rule(
    "self-partnership", Severity.ERROR, "A partnership lists a town twice",
    {"repeated": "town '{town}' is already a member at members/{first}"},
    kinds={"partnership"},
    quiet=lambda _scope: {"partnership": {"properties": {"members": {"uniqueItems": True}}}},
)
def self_partnership(partnership: Record, scope: Scope) -> list[Hit] | None:
    """A town is not its own partner: each member of a partnership must be a different town.
    Remove the repeated member, or correct it to the partner town meant."""
    members = partnership.data["members"]
    if len(set(members)) == len(members):
        return None
    first_index: dict[str, int] = {}
    hits = []
    for index, member in enumerate(members):
        if member in first_index:
            hits.append(partnership.hit("repeated", field=f"members/{index}", town=member, first=first_index[member]))
        else:
            first_index[member] = index
    return hits


@checker_rule(
    "duplicate-partnership", Severity.ERROR, "A partnership is given twice",
    {"duplicate": "partnership '{id}' joins the same towns as partnership '{first}', "
                  "as {kind}, at an overlapping time"},
)
class DuplicatePartnership(Checker):
    """Two partnerships of the same kind between the same towns (in any order) that overlap in
    time are one partnership given twice, which counts it twice. Merge them; a partnership
    renewed after it ended needs dates that show the gap."""

    kinds = frozenset({"partnership"})

    def __init__(self, scope: Scope):
        super().__init__(scope)
        # The partnerships by the hash of their kind and member set, to be compared at the end
        # on the records read again; their dates are read only then, for the few that agree.
        self.keys = HashGroups()

    def see(self, partnership: Record) -> None:
        self.keys.add(_key(partnership.data), partnership.index)

    def end(self) -> Iterable[Hit]:
        groups = self.keys.groups()
        fetched = self.scope.fetch_all("partnership", (index for indexes in groups for index in indexes))
        for indexes in groups:
            same: dict[Any, list[Record]] = defaultdict(list)
            for record in filter(None, islice(fetched, len(indexes))):
                same[_key(record.data)].append(record)
            for records in same.values():
                periods = [_period(record.data) for record in records]
                for position, partnership in enumerate(records):
                    first = next((r for r, period in zip(records[:position], periods)
                                  if _overlap(period, periods[position])), None)
                    if first is not None:
                        yield partnership.hit("duplicate", related=[first.pointer], id=partnership.id, first=first.id,
                                              first_at=first.pointer, kind=partnership.data["kind"])


def _period(data: Mapping[str, Any]) -> tuple[int, int]:
    """A partnership's earliest beginning and latest end, as day numbers (unknown: any time)."""
    established, ended = known_date(data.get("established")), known_date(data.get("ended"))
    return (established.earliest.toordinal() if established else _NEVER,
            ended.latest.toordinal() if ended else _ALWAYS)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    """Two partnerships overlap in time unless one certainly ended before the other began;
    a date that is missing (or not in the calendar) overlaps everything."""
    return not (a[1] < b[0] or b[1] < a[0])


def _key(data: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    """What makes two partnerships the same: their kind and their towns, in any order."""
    return data["kind"], frozenset(data["members"])


@record_rule(
    "status-conflict", Severity.WARNING, "A partnership's status contradicts its dates",
    {
        "ended": "status is '{status}', but the partnership ended {ended}",
        "no-end": "status is 'ended', but no ended date is given",
    },
    kinds={"partnership"},
    quiet=lambda scope: {"partnership": _status_quiet(scope.today)},
)
def status_conflict(partnership: Record, scope: Scope) -> list[Hit] | None:
    """A partnership whose end date has passed no longer exists, so its status is 'ended', not
    'active' or 'dormant' (dormant means suspended, not terminated); and an ended partnership
    should give when it ended. Correct the status, or the date; add the end date if known."""
    data = partnership.data
    status = data.get("status")
    if status is None:
        return None
    ended = known_date(data.get("ended"))
    if status in LIVING_STATUSES and ended is not None and ended.latest <= scope.today:
        return [partnership.hit("ended", field="status", related=[f"{partnership.pointer}/ended"],
                                status=status, ended=str(ended))]
    if status == "ended" and data.get("ended") is None:
        return [partnership.hit("no-end", field="status")]
    return None


def _status_quiet(today: date) -> dict[str, Any]:
    """Partnerships whose status says nothing against their dates: no status, 'ended' with an
    end date, or a living one without an end date or ending in a year after today's."""
    later = f"^{digits_between(today.year + 1, 9999)}(?:-|$)" if today.year < 9999 else "^$"
    return {"anyOf": [
        {"properties": {"status": {"type": "null"}}},
        {"properties": {"status": {"const": "ended"}, "ended": {"type": "string"}}, "required": ["ended"]},
        {"properties": {"status": {"enum": sorted(LIVING_STATUSES)},
                        "ended": {"anyOf": [{"type": "null"}, {"pattern": later}]}}},
    ]}


@record_rule(
    "open-ended-friendship", Severity.WARNING, "A time-limited partnership has no end date",
    {"open": "kind '{kind}' is limited in time, but no ended date is given"},
    kinds={"partnership"},
    quiet=lambda _scope: {"partnership": {"anyOf": [
        {"properties": {"kind": {"not": {"enum": sorted(TIME_LIMITED_KINDS)}}}},
        {"properties": {"ended": {"type": "string"}}, "required": ["ended"]},
    ]}},
)
def open_ended_friendship(partnership: Record, scope: Scope) -> list[Hit] | None:
    """Friendships and project partnerships are concluded for a limited time, unlike an
    open-ended town twinning. Give the agreed end date, or use kind 'twinning' if the
    partnership rests on an open-ended agreement."""
    kind = partnership.data["kind"]
    if kind in TIME_LIMITED_KINDS and partnership.data.get("ended") is None:
        return [partnership.hit("open", field="kind", kind=kind)]
    return None


RULES = (self_partnership, DuplicatePartnership, status_conflict, open_ended_friendship)
