"""Where a dataset holds dates: one walk shared by every rule about dates."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from citynet_exchange.dates import PartialDate, try_parse
from citynet_exchange.findings import Hit
from citynet_exchange.rules import Record

# Top-level date fields of the record kinds (partnership, membership) and of the metadata.
_TOP_LEVEL = frozenset({"established", "ended", "since", "until", "created"})


def date_fields(data: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(pointer suffix, text) for every date a record or the metadata holds, nested ones included."""
    found = [(name, data[name]) for name in _TOP_LEVEL.intersection(data) if data[name] is not None]
    agreement = data.get("agreement")
    if agreement is not None and agreement.get("date") is not None:
        found.append(("agreement/date", agreement["date"]))
    for index, source in enumerate(data.get("sources") or ()):
        if source.get("accessed") is not None:
            found.append((f"sources/{index}/accessed", source["accessed"]))
    return found


def date_hit(record: Record | None, suffix: str, message: str, **params: Any) -> Hit:
    """A hit on a date of a record, or of the metadata (`record` None)."""
    if record is None:
        return Hit(message=message, params=params, pointer=f"/metadata/{suffix}")
    return record.hit(message, field=suffix, **params)


@lru_cache(maxsize=65536)  # a dataset repeats its dates (the same years, the same days) many times
def known_date(text: str | None) -> PartialDate | None:
    """The date, or None when absent or not in the calendar (rule `invalid-date` reports that)."""
    return None if text is None else try_parse(text)
