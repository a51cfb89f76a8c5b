"""Where records hold dates: one walk shared by every rule about dates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from citynet_exchange.dates import PartialDate, try_parse
from citynet_exchange.rules import Record

# Top-level date fields of the record kinds (partnership, membership).
_TOP_LEVEL = ("established", "ended", "since", "until")


def date_fields(record: Record[Any]) -> Iterator[tuple[str, str]]:
    """(pointer suffix, text) for every date the record holds, nested ones included."""
    model = record.model
    for name in _TOP_LEVEL:
        value = getattr(model, name, None)
        if value is not None:
            yield name, value
    agreement = getattr(model, "agreement", None)
    if agreement is not None and agreement.date is not None:
        yield "agreement/date", agreement.date
    for index, source in enumerate(model.sources or ()):
        if source.accessed is not None:
            yield f"sources/{index}/accessed", source.accessed


def known_date(text: str | None) -> PartialDate | None:
    """The date, or None when absent or not in the calendar (rule `invalid-date` reports that)."""
    return None if text is None else try_parse(text)
