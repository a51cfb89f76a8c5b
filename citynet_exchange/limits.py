"""Caps on what one run reads, so that no input can exhaust memory or time.

Associations validate files strangers send them. The defaults lie far above any registry's
file (the biggest known hold tens of thousands of partnerships); past a cap the finding
`limit-exceeded` names the cap and how to raise it: `--limit NAME=VALUE` on the command
line, or `[tool.citynet.limits]` in the configuration.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, Location, pointer_token

_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "kib": 2**10, "mib": 2**20, "gib": 2**30}


@dataclass(frozen=True)
class Limits:
    """The caps, each a count of its unit."""

    input_bytes: int = 4 * 2**30  # one input file
    unpacked_bytes: int = 2**30  # the members of a zip (a CSV package, a workbook) together, held in memory
    records: int = 50_000_000  # the records of one dataset
    depth: int = 64  # nesting of a record's values; a record of the standard nests six levels
    text_chars: int = 1_000_000  # one text: a table cell, a string of JSON or YAML

    def with_values(self, settings: dict[str, Any], where: str) -> Limits:
        """These limits with the values `settings` gives (numbers, or texts like `2GiB`, `500k`);
        a name that is no limit, or a value that is no count, is a usage error naming `where`."""
        names = {f.name.replace("_", "-"): f.name for f in fields(self)}
        changes = {}
        for name, value in settings.items():
            key = names.get(name.replace("_", "-"))
            if key is None:
                raise UsageError(f"{where}: {name!r} is not a limit; the limits: {', '.join(names)}")
            changes[key] = count(value, f"{where}: {name}")
        return replace(self, **changes)


def count(value: Any, where: str) -> int:
    """A positive count written as a number or with a unit (k, M, G, KiB, MiB, GiB)."""
    match = re.fullmatch(r"\s*(\d+)\s*([a-zA-Z]*)\s*", str(value)) if not isinstance(value, bool) else None
    unit = _UNITS.get(match[2].lower()) if match else None
    if match is None or unit is None or int(match[1]) == 0:
        raise UsageError(f"{where}: {value!r} is not a positive count (such as 5000, 500k, 2GiB)")
    return int(match[1]) * unit


def parse_options(values: tuple[str, ...], base: Limits = Limits()) -> Limits:
    """The limits that `--limit NAME=VALUE` options set."""
    settings = {}
    for value in values:
        name, equals, setting = value.partition("=")
        if not equals:
            raise UsageError(f"--limit {value!r}: write it as NAME=VALUE, such as --limit input-bytes=8GiB")
        settings[name.strip()] = setting
    return base.with_values(settings, "--limit")


def exceeded(name: str, limit: int, what: str, *, pointer: str | None = None,
             location: Location | None = None) -> Hit:
    """The finding that `what` is past the cap `name`."""
    option = name.replace("_", "-")
    return Hit(code="limit-exceeded", message="exceeded", pointer=pointer, location=location,
               params={"what": what, "limit": option, "value": f"{limit:,}", "option": option})


def oversized(value: Any, pointer: str, limits: Limits) -> list[Hit]:
    """Where a record (at `pointer`) nests deeper or holds a longer text than the caps allow:
    the first place of each, so that a flood of one problem is one finding."""
    hits: list[Hit] = []
    deep = long = False
    # (value, its container's pointer, its key there, depth): a value's own pointer is made
    # only where it is needed, for a container or a finding (most values are neither)
    stack: list[tuple[Any, str, Any, int]] = [(value, pointer, None, 0)]
    while stack and not (deep and long):
        node, at, key, depth = stack.pop()
        if isinstance(node, str):
            if not long and len(node) > limits.text_chars:
                long = True
                hits.append(exceeded("text_chars", limits.text_chars, f"a text of {len(node):,} characters",
                                     pointer=_joined(at, key)))
        elif isinstance(node, (dict, list)):
            at = _joined(at, key)
            if depth >= limits.depth:
                if not deep:
                    deep = True
                    hits.append(exceeded("depth", limits.depth, f"values nested more than {limits.depth} levels "
                                         "deep", pointer=at))
                continue
            items = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((item, at, name, depth + 1) for name, item in items)
    return hits


def _joined(pointer: str, key: Any) -> str:
    return pointer if key is None else f"{pointer}/{pointer_token(key)}"
