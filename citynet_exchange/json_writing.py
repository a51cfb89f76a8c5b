"""Writing JSON: what Python would write that no JSON reader takes.

Python's writer puts `NaN` and `Infinity` in the text, which JSON has no number for (a YAML
document may hold them: `.nan`, `.inf`); the JSON and JSON Lines writers write `null`
instead and say so, so that the output reads back and the loss is not silent.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any

from citynet_exchange.findings import Hit, pointer_token


def finite(value: Any, pointer: str, format: str) -> tuple[Any, list[Hit]]:
    """The value with every NaN and infinity in it replaced by None, and a `conversion-loss` hit
    for each (`pointer` is the value's, `format` the output's name)."""
    broken = list(_non_finite(value, pointer))
    if not broken:
        return value, []
    hits = [Hit(code="conversion-loss", message="lost", pointer=at,
                params={"what": f"the value at {at} ({number!r}, which JSON has no number for)", "format": format})
            for at, number in broken]
    return _replaced(value), hits


def _non_finite(value: Any, pointer: str) -> Iterator[tuple[str, float]]:
    if isinstance(value, float):
        if not math.isfinite(value):
            yield pointer, value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _non_finite(item, f"{pointer}/{pointer_token(key)}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _non_finite(item, f"{pointer}/{index}")


def _replaced(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {key: _replaced(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_replaced(item) for item in value]
    return value
