"""Rules about dates: calendar validity, order and dates in the future."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule
from citynet_exchange_rules.record_dates import calendar_pattern, date_fields, date_hit, known_date, quiet_dates

# (kind, start field, end field) of the periods records hold.
_PERIODS = {"partnership": ("established", "ended"), "membership": ("since", "until")}
# End dates may be agreed in advance: a friendship concluded until 2030 is no error.
_PLANNED = frozenset(end for _start, end in _PERIODS.values())


class _DateChecker(Checker):
    """Checks each date of each record, and those of the metadata at the end."""

    def __init__(self, scope: Scope, check: Callable[[Record | None, str, str], Hit | None]):
        super().__init__(scope)
        self.check = check

    def see(self, record: Record) -> list[Hit] | None:
        check = self.check
        return [hit for suffix, text in date_fields(record.data) if (hit := check(record, suffix, text))] or None

    def end(self) -> Iterable[Hit]:
        metadata = self.scope.metadata or {}
        return [hit for suffix, text in date_fields(metadata) if (hit := self.check(None, suffix, text))]


@checker_rule(
    "invalid-date", Severity.ERROR, "A date is not in the calendar",
    {"calendar": "{value} is not a day of the calendar"},
)
class InvalidDate(_DateChecker):
    """A full date must be a day the calendar has: 2021-02-30 or 2023-02-29 are typing errors.
    Correct the day, or give only the year and month when the day is not known."""

    def __init__(self, scope: Scope):
        super().__init__(scope, _not_in_calendar)

    def quiet_schema(self) -> dict[str, Any]:
        calendar = {"pattern": calendar_pattern()}
        return quiet_dates(calendar, calendar)


def _not_in_calendar(record: Record | None, suffix: str, text: str) -> Hit | None:
    return date_hit(record, suffix, "calendar", value=text) if known_date(text) is None else None


@checker_rule(
    "future-date", Severity.WARNING, "A date lies in the future",
    {"future": "{value} is in the future (today is {today})"},
)
class FutureDate(_DateChecker):
    """Datasets record what has happened, so a beginning (an establishment, an agreement, the
    start of a membership, the access of a source, the dataset's creation) after today is most
    likely mistyped. End
    dates are exempt: a time-limited partnership or membership is agreed with its end. A date
    known only to the year or month counts as future only when its first day is after today."""

    def __init__(self, scope: Scope):
        today = scope.today

        def future(record: Record | None, suffix: str, text: str) -> Hit | None:
            known = known_date(text)
            if suffix in _PLANNED or known is None or known.earliest <= today:
                return None
            return date_hit(record, suffix, "future", value=text, today=today.isoformat())

        super().__init__(scope, future)

    def quiet_schema(self) -> dict[str, Any]:
        """Beginnings in a year before today's (ends may lie in any year)."""
        last_year = self.scope.today.year - 1
        return quiet_dates({"pattern": calendar_pattern(1, last_year)}, {}) if last_year else {}


@record_rule(
    "date-order", Severity.ERROR, "A period ends before it begins",
    {"order": "{end_field} {end} is before {start_field} {start}"},
    kinds=_PERIODS,
    # A partnership that gives no end is in order, and most partnerships have not ended (a
    # membership is often agreed until a year, so this would spare it nothing).
    quiet=lambda _scope: {"partnership": {"not": {"required": list(_PERIODS["partnership"])}}},
)
def date_order(record: Record, scope: Scope) -> list[Hit] | None:
    """A partnership cannot end before it was established, nor a membership end before it
    began. Dates known only to the year or month are compared at that precision, so 1976 and
    1976-05 are in order. Check both dates against the source; one is likely mistyped."""
    start_field, end_field = _PERIODS[record.kind]
    data: Any = record.data
    if data.get(end_field) is None or data.get(start_field) is None:
        return None
    start, end = known_date(data[start_field]), known_date(data[end_field])
    if start is None or end is None or not end.before(start):
        return None
    return [record.hit("order", field=end_field, related=[f"{record.pointer}/{start_field}"],
                       end_field=end_field, end=str(end), start_field=start_field, start=str(start))]


RULES = (InvalidDate, date_order, FutureDate)
