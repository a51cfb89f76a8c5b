"""Where a dataset holds dates: one walk shared by every rule about dates."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from citynet_exchange.dates import PartialDate, try_parse
from citynet_exchange.findings import Hit
from citynet_exchange.rules import RuleContext

# Top-level date fields of the record kinds (partnership, membership).
_TOP_LEVEL = ("established", "ended", "since", "until")


def _date_fields(model: Any) -> Iterator[tuple[str, str]]:
    """(pointer suffix, text) for every date a record or the metadata holds, nested ones included."""
    for name in (*_TOP_LEVEL, "created"):
        value = getattr(model, name, None)
        if value is not None:
            yield name, value
    agreement = getattr(model, "agreement", None)
    if agreement is not None and agreement.date is not None:
        yield "agreement/date", agreement.date
    for index, source in enumerate(model.sources or ()):
        if source.accessed is not None:
            yield f"sources/{index}/accessed", source.accessed


def dataset_dates(ctx: RuleContext) -> Iterator[tuple[str, str, Callable[..., Hit]]]:
    """(field name, text, hit maker) for every date of the sound records and the metadata;
    the hit maker takes a message key and parameters and points at the date."""
    for records in ctx.records.values():
        for record in records:
            for suffix, text in _date_fields(record.model):
                yield suffix.rsplit("/", 1)[-1], text, partial(record.hit, field=suffix)
    if ctx.metadata is not None:
        for suffix, text in _date_fields(ctx.metadata):
            yield suffix.rsplit("/", 1)[-1], text, partial(_metadata_hit, f"/metadata/{suffix}")


def _metadata_hit(pointer: str, message: str, **params: Any) -> Hit:
    return Hit(message=message, params=params, pointer=pointer)


def known_date(text: str | None) -> PartialDate | None:
    """The date, or None when absent or not in the calendar (rule `invalid-date` reports that)."""
    return None if text is None else try_parse(text)
