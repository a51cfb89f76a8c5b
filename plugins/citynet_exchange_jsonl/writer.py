"""Writing JSON Lines: the header line, then each record on a line of its own."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, BinaryIO

import orjson

from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.formats import WriteOptions
from citynet_exchange.json_writing import finite
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange_jsonl.reader import HEADER, KIND_KEY

FORMAT = "JSON Lines"


def dump(data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
    """Write a dataset document; a hit for each value JSON Lines cannot hold."""
    if not isinstance(data, Mapping):
        return [_lost("", "the document (JSON Lines holds a dataset that is an object)")]
    records = {key for key in RECORD_KEYS.values() if isinstance(data.get(key), list)}
    header = {k: v for k, v in data.items() if k not in records}
    return dump_records(header, ((kind, index, raw) for kind, key in RECORD_KEYS.items() if key in records
                                 for index, raw in enumerate(data[key])), out, options)


def dump_records(header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]], out: BinaryIO,
                 options: WriteOptions) -> list[Hit]:
    """Write the header line, then each record on its line as it comes: a dataset read as a
    stream is written as one, never held whole."""
    lost: list[Hit] = []
    out.write(_line({KIND_KEY: HEADER, **header}, "", lost))
    for kind, index, raw in records:
        pointer = f"/{RECORD_KEYS[kind]}/{index}"
        if not isinstance(raw, Mapping):
            lost.append(_lost(pointer, f"the {kind} at {pointer} (a line holds an object)"))
            continue
        if KIND_KEY in raw:
            lost.append(_lost(f"{pointer}/{pointer_token(KIND_KEY)}", f"the field '{KIND_KEY}' of the {kind} "
                              f"at {pointer} (the key names the kind of a line's record)"))
            raw = {k: v for k, v in raw.items() if k != KIND_KEY}
        out.write(_line({KIND_KEY: kind, **raw}, pointer, lost))
    return lost


def _line(value: dict[str, Any], pointer: str, lost: list[Hit]) -> bytes:
    """One line; NaN and infinities, which JSON has no number for, are written as null."""
    value, hits = finite(value, pointer, FORMAT)
    lost += hits
    try:
        return orjson.dumps(value) + b"\n"
    except orjson.JSONEncodeError:  # an integer beyond 64 bits: Python's writer takes it
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def _lost(pointer: str, what: str) -> Hit:
    return Hit(code="conversion-loss", message="lost", pointer=pointer, params={"what": what, "format": FORMAT})
