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
# The dates of each record kind that begin something (the rest end a period).
_STARTS = {"partnership": ("established",), "membership": ("since",)}
_ENDS = {"partnership": ("ended",), "membership": ("until",)}
# A month and day the calendar has in every year (29 February is left to the rules).
_MONTH_DAY = r"(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|1[0-9]|2[0-8]))?|-(?:0[13-9]|1[0-2])-(?:29|30)|-(?:0[13578]|1[02])-31)?"


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


def digits_between(low: int, high: int, width: int = 4) -> str:
    """A regular expression for the numbers from `low` to `high` written with `width` digits."""
    if width == 0:
        return ""
    scale = 10 ** (width - 1)
    (first, low_rest), (last, high_rest) = divmod(low, scale), divmod(high, scale)
    if first == last:
        return f"{first}{digits_between(low_rest, high_rest, width - 1)}"
    branches = []
    if low_rest:
        branches.append(f"{first}{digits_between(low_rest, scale - 1, width - 1)}")
        first += 1
    if high_rest != scale - 1:
        branches.append(f"{last}{digits_between(0, high_rest, width - 1)}")
        last -= 1
    if first <= last:
        branches.append(f"[{first}-{last}]" + (f"[0-9]{{{width - 1}}}" if width > 1 else ""))
    return f"(?:{'|'.join(branches)})"


def calendar_pattern(first_year: int = 1, last_year: int = 9999) -> str:
    """A pattern only dates the calendar has match (YYYY, YYYY-MM, YYYY-MM-DD), in these years."""
    return f"^{digits_between(first_year, last_year)}{_MONTH_DAY}$"


def quiet_dates(start: Mapping[str, Any], end: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """A quiet schema (`Checker.quiet_schema`) for a rule about each date: by record kind, the
    dates that begin a period (or were noted, as a source's access) must satisfy `start`,
    those that end one `end`."""
    sources = {"sources": {"items": {"properties": {"accessed": start}}}}
    schemas = {kind: {"properties": sources} for kind in ("town", "network")}
    for kind, starts in _STARTS.items():
        schemas[kind] = {"properties": {**sources, **dict.fromkeys(starts, start), **dict.fromkeys(_ENDS[kind], end)}}
    schemas["partnership"]["properties"]["agreement"] = {"properties": {"date": start}}
    return schemas


def date_hit(record: Record | None, suffix: str, message: str, **params: Any) -> Hit:
    """A hit on a date of a record, or of the metadata (`record` None)."""
    if record is None:
        return Hit(message=message, params=params, pointer=f"/metadata/{suffix}")
    return record.hit(message, field=suffix, **params)


@lru_cache(maxsize=65536)  # a dataset repeats its dates (the same years, the same days) many times
def known_date(text: str | None) -> PartialDate | None:
    """The date, or None when absent or not in the calendar (rule `invalid-date` reports that)."""
    return None if text is None else try_parse(text)
