"""Equality of datasets, for round trips and tests.

Two documents are the same dataset when they hold the same records: records compare by
kind and id, the order of records and of list items carries no meaning (the standard says
so), and an absent field, `null` and an empty list or object mean the same. Values compare
as their JSON text, so that NaN equals NaN and 1 does not equal true; a negative zero is
zero, as JSON numbers are (a workbook cell keeps no sign of zero).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from citynet_exchange.kinds import RECORD_KEYS


def _clean(value: Any) -> Any:
    """The value without null members and empty lists or objects, lists sorted, recursively."""
    if isinstance(value, Mapping):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return sorted((c for c in map(_clean, value) if c not in (None, [], {})), key=_text)
    if type(value) is float and value == 0.0:
        return 0.0
    return value


def _text(value: Any) -> str:
    """A value's JSON text, keys sorted: what two values compare by."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    """The dataset with each record list turned into a map by id (a record without an id, or
    with an id given before, gets a key of its own, so that it still compares)."""
    result = _clean(data)
    if not isinstance(result, dict):
        return {"": result}  # not a dataset document; compared as it is
    for key in RECORD_KEYS.values():
        records = result.get(key)
        if isinstance(records, list):
            keyed: dict[str, Any] = {}
            for record in records:
                record_id = record.get("id") if isinstance(record, Mapping) else None
                name = record_id if isinstance(record_id, str) else "#"
                keyed[name if name not in keyed else f"{name}#{len(keyed)}"] = record
            result[key] = keyed
    return result


def differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """What differs between two datasets, as `kind id: field` lines; empty when they are equal."""
    ca, cb = canonical(a), canonical(b)
    out: list[str] = []
    for key in sorted(set(ca) | set(cb)):
        va, vb = ca.get(key), cb.get(key)
        if _text(va) == _text(vb):
            continue
        if isinstance(va, dict) and isinstance(vb, dict) and key in RECORD_KEYS.values():
            for record_id in sorted(set(va) | set(vb)):
                ra, rb = va.get(record_id), vb.get(record_id)
                if _text(ra) != _text(rb):
                    fields = sorted(f for f in set(ra or {}) | set(rb or {})
                                    if _text((ra or {}).get(f)) != _text((rb or {}).get(f)))
                    out.append(f"{key} {record_id}: " + (", ".join(fields) if ra and rb else
                                                          "only in the first" if ra else "only in the second"))
        else:
            out.append(key)
    return out


def same_dataset(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return _text(canonical(a)) == _text(canonical(b))
