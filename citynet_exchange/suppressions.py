"""Silencing one rule's finding on one record, in the data itself.

A record may list rule codes under `extensions.citynet.ignore`: that rule's findings on the
record are not reported. A listed code that silences nothing, or is no rule's code (the
structure of the data cannot be silenced), is itself a finding, `unused-suppression`, so
that stale silences do not pile up.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from citynet_exchange.findings import Hit

KEY = ("extensions", "citynet", "ignore")


def of_record(pointer: str, raw: Mapping[str, Any]) -> list[tuple[str, list[tuple[int, str]]]]:
    """(record pointer, [(index, code)]) for the codes a record's `extensions.citynet.ignore`
    lists; nothing for a record that silences nothing."""
    value: Any = raw
    for key in KEY:
        value = value.get(key) if isinstance(value, Mapping) else None
    if not isinstance(value, list):
        return []
    return [(pointer, [(i, code) for i, code in enumerate(value) if isinstance(code, str)])]


def apply(hits: list[tuple[Any, Hit]], silences: Iterable[tuple[str, list[tuple[int, str]]]], rule_codes: set[str],
          ran: set[str]) -> list[tuple[Any, Hit]]:
    """The rule hits the data does not silence, and a hit for each silence that is unused
    (of the rules that `ran`: a rule left out with --select or --ignore silences nothing)."""
    silenced = dict(silences)
    if not silenced:
        return hits
    used: set[tuple[str, int]] = set()
    kept = []
    for info, hit in hits:
        record = "/".join((hit.pointer or "").split("/")[:3])
        match = next((i for i, code in silenced.get(record, []) if code == info.code and code in rule_codes), None)
        if match is None:
            kept.append((info, hit))
        else:
            used.add((record, match))
    for record, entries in silenced.items():
        for index, code in entries:
            if (record, index) not in used and (code in ran or code not in rule_codes):
                message = "unused" if code in rule_codes else "not-a-rule"
                kept.append((None, Hit(code="unused-suppression", message=message, params={"code": code},
                                       pointer=f"{record}/{'/'.join(KEY)}/{index}")))
    return kept
