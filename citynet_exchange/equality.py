"""Equality of datasets, for round trips and tests.

Two documents are the same dataset when they hold the same records: records compare by
kind and id, the order of records carries no meaning, and an absent field, `null` and an
empty list or object mean the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from citynet_exchange.model import KINDS


def _clean(value: Any) -> Any:
    """The value without null members and empty lists or objects, recursively."""
    if isinstance(value, Mapping):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, [], {})}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def canonical(data: Mapping[str, Any]) -> dict[str, Any]:
    """The dataset with each record list turned into a map by id (records without an id are
    keyed by their position, so that they still compare)."""
    result = _clean(data)
    if not isinstance(result, dict):
        return {"": result}  # not a dataset document; compared as it is
    for key, _model in KINDS.values():
        records = result.get(key)
        if isinstance(records, list):
            result[key] = {
                (r.get("id") if isinstance(r, Mapping) and isinstance(r.get("id"), str) else f"#{i}"): r
                for i, r in enumerate(records)
            }
    return result


def differences(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[str]:
    """What differs between two datasets, as `kind id: field` lines; empty when they are equal."""
    ca, cb = canonical(a), canonical(b)
    out: list[str] = []
    for key in sorted(set(ca) | set(cb)):
        va, vb = ca.get(key), cb.get(key)
        if va == vb:
            continue
        if isinstance(va, dict) and isinstance(vb, dict) and key in {k for k, _ in KINDS.values()}:
            for record_id in sorted(set(va) | set(vb)):
                ra, rb = va.get(record_id), vb.get(record_id)
                if ra != rb:
                    fields = sorted(f for f in set(ra or {}) | set(rb or {})
                                    if (ra or {}).get(f) != (rb or {}).get(f))
                    out.append(f"{key} {record_id}: " + (", ".join(fields) if ra and rb else
                                                          "only in the first" if ra else "only in the second"))
        else:
            out.append(key)
    return out


def same_dataset(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    return canonical(a) == canonical(b)
