"""Rules about partnership records: members, duplicates, status and time limits."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule
from citynet_exchange_rules.record_dates import known_date

# Kinds concluded for a limited time (position paper "Cities in the World", note 11).
TIME_LIMITED_KINDS = frozenset({"friendship", "project"})
# Statuses that say the partnership still exists.
LIVING_STATUSES = frozenset({"active", "dormant"})


@record_rule(
    "self-partnership", Severity.ERROR, "A partnership lists a town twice",
    {"repeated": "town '{town}' is already a member at members/{first}"},
    kinds={"partnership"},
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


def overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two partnerships overlap in time unless one certainly ended before the other began;
    a date that is missing (or not in the calendar) overlaps everything."""
    for earlier, later in ((a, b), (b, a)):
        ended, established = known_date(earlier.get("ended")), known_date(later.get("established"))
        if ended is not None and established is not None and ended.before(established):
            return False
    return True


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
        # (kind, member set) as a few integers -> the index of each partnership with it; the
        # earlier ones are read again only when a later one has the same key.
        self.seen: dict[Any, int | list[int]] = {}
        self.kind_numbers: dict[str, int] = {}

    def see(self, partnership: Record) -> list[Hit] | None:
        data = partnership.data
        key = self._key(data)
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = partnership.index
            return None
        indexes = [earlier] if isinstance(earlier, int) else earlier
        self.seen[key] = [*indexes, partnership.index]
        for index in indexes:
            first = self.scope.fetch("partnership", index)
            if first is not None and overlap(first.data, data):
                return [partnership.hit("duplicate", related=[first.pointer], id=partnership.id, first=first.id,
                                        first_at=first.pointer, kind=data["kind"])]
        return None

    def _key(self, data: Mapping[str, Any]) -> Any:
        """The partnership's kind and member set as integers: one integer for a bilateral one."""
        kind = self.kind_numbers.setdefault(data["kind"], len(self.kind_numbers))
        number = self.scope.index.number
        members = sorted({number("town", member) for member in data["members"]})
        if len(members) == 2:
            return (members[0] << 40 | members[1]) << 8 | kind
        return (kind, *members)


@record_rule(
    "status-conflict", Severity.WARNING, "A partnership's status contradicts its dates",
    {
        "ended": "status is '{status}', but the partnership ended {ended}",
        "no-end": "status is 'ended', but no ended date is given",
    },
    kinds={"partnership"},
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


@record_rule(
    "open-ended-friendship", Severity.WARNING, "A time-limited partnership has no end date",
    {"open": "kind '{kind}' is limited in time, but no ended date is given"},
    kinds={"partnership"},
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
