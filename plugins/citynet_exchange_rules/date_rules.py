"""Rules about dates: calendar validity, order and dates in the future."""

from __future__ import annotations

from collections.abc import Iterator

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import RuleContext, rule
from citynet_exchange_rules.record_dates import dataset_dates, known_date

# (kind, start field, end field) of the periods records hold.
_PERIODS = (("partnership", "established", "ended"), ("membership", "since", "until"))
# End dates may be agreed in advance: a friendship concluded until 2030 is no error.
_PLANNED = frozenset(end for _kind, _start, end in _PERIODS)


@rule(
    "invalid-date", Severity.ERROR, "A date is not in the calendar",
    {"calendar": "{value} is not a day of the calendar"},
)
def invalid_date(ctx: RuleContext) -> Iterator[Hit]:
    """A full date must be a day the calendar has: 2021-02-30 or 2023-02-29 are typing errors.
    Correct the day, or give only the year and month when the day is not known."""
    for _name, text, hit in dataset_dates(ctx):
        if known_date(text) is None:
            yield hit("calendar", value=text)


@rule(
    "date-order", Severity.ERROR, "A period ends before it begins",
    {"order": "{end_field} {end} is before {start_field} {start}"},
)
def date_order(ctx: RuleContext) -> Iterator[Hit]:
    """A partnership cannot end before it was established, nor a membership end before it
    began. Dates known only to the year or month are compared at that precision, so 1976 and
    1976-05 are in order. Check both dates against the source; one is likely mistyped."""
    for kind, start_field, end_field in _PERIODS:
        for record in ctx.of(kind):
            start = known_date(getattr(record.model, start_field))
            end = known_date(getattr(record.model, end_field))
            if start is not None and end is not None and end.before(start):
                yield record.hit(
                    "order", field=end_field, related=[f"{record.pointer}/{start_field}"],
                    end_field=end_field, end=str(end), start_field=start_field, start=str(start),
                )


@rule(
    "future-date", Severity.WARNING, "A date lies in the future",
    {"future": "{value} is in the future (today is {today})"},
)
def future_date(ctx: RuleContext) -> Iterator[Hit]:
    """Datasets record what has happened, so a beginning (an establishment, an agreement, the
    start of a membership, the access of a source, the dataset's creation) after today is most
    likely mistyped. End
    dates are exempt: a time-limited partnership or membership is agreed with its end. A date
    known only to the year or month counts as future only when its first day is after today."""
    for name, text, hit in dataset_dates(ctx):
        known = known_date(text)
        if name not in _PLANNED and known is not None and known.earliest > ctx.today:
            yield hit("future", value=text, today=ctx.today.isoformat())


RULES = (invalid_date, date_order, future_date)
