"""Records as table rows: typed cells for a workbook, text for CSV, and what a row cannot
give back as it is (`unwritable`), for an exporter's `conversion-loss` findings."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citynet_exchange.findings import pointer_of
from citynet_exchange.structure_words import type_words
from citynet_exchange.tables.cells import escape, join_list
from citynet_exchange.tables.columns import Column, get_path
from citynet_exchange.tables.workbook import UNKEEPABLE


def _cell(value: Any, form: str, workbook: bool, safe: bool) -> Any:
    """A field value as a cell: typed for a workbook, text for CSV. A list that `;` cannot
    carry exactly, and a value of the wrong shape, is written as JSON text."""
    if value is None:
        return None
    if form == "list" and isinstance(value, list) and all(
        isinstance(v, str) and v.strip() == v and v and ";" not in v and not v.startswith("[") for v in value
    ):
        text = join_list(value)
    elif isinstance(value, (list, dict)) or form == "json":
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        return value if workbook else ("true" if value else "false")
    elif isinstance(value, (int, float)):
        return value if workbook else repr(value)
    else:
        text = str(value)
    return text if workbook else escape(text, safe)


def header_for(records: Sequence[Any], columns: Sequence[Column]) -> list[str]:
    """The header for these records: the model's columns, with a names column for each
    language the records use."""
    header: list[str] = []
    for column in columns:
        if column.form != "names":
            header.append(column.name)
            continue
        values = [get_path(r, column.path) for r in records]
        header.extend(f"{column.name}.{tag}" for tag in sorted({t for v in values if isinstance(v, dict) for t in v}))
    return header


def row_for(record: Mapping[str, Any], header: Sequence[str], columns: Sequence[Column], *,
            workbook: bool = False, safe: bool = False) -> list[Any]:
    """The cells of a record under `header` (from `header_for`)."""
    by_name = {c.name: c for c in columns}
    cells: list[Any] = []
    for name in header:
        column = by_name.get(name)
        if column is not None:
            cells.append(_cell(get_path(record, column.path), column.form, workbook, safe))
            continue
        prefix, _, tag = name.rpartition(".")
        names = get_path(record, by_name[prefix].path)
        cells.append(_cell(names.get(tag) if isinstance(names, dict) else None, "text", workbook, safe))
    return cells


_EXPECTED: dict[str, tuple[type, ...]] = {
    "text": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "list": (list,), "names": (dict,),
}
_FORM_NAMES = {"text": "text", "int": "whole numbers", "float": "numbers", "bool": "true or false",
               "list": "lists", "names": "names by language"}


@dataclass(frozen=True)
class Unwritable:
    """A value a table row cannot give back as it is: `lost` (absent from the output) or
    `changed` (read back in another form), with the words for the `conversion-loss` message."""

    pointer: str
    message: str
    what: str
    how: str = ""


def _mismatch(value: Any, form: str) -> str | None:
    """Why a value would not read back from its column as it is, if it would not."""
    if form == "json":
        return None
    if isinstance(value, bool) != (form == "bool") or not isinstance(value, _EXPECTED[form]):
        return f"it is {type_words(value)}, and the column holds {_FORM_NAMES[form]}"
    if isinstance(value, float) and not math.isfinite(value):
        return "it is not a finite number, which a cell cannot hold as a number"
    if form == "names" and not all(isinstance(v, str) and v for v in value.values()):
        return "a name in it is not a text"
    return None


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, dict)):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


def unwritable(record: Mapping[str, Any], pointer: str, columns: Sequence[Column], *,
               workbook: bool = False) -> list[Unwritable]:
    """Each value of a record that its table row cannot give back as it is: a field the
    standard lacks, an empty text (a table cannot tell it from no value), a value of another
    type than its column's (a number in a text column reads back as text), and in a
    workbook text with control characters or carriage returns."""
    by_path = {c.path: c for c in columns}
    nested = {c.path[:i] for c in columns for i in range(1, len(c.path))}
    found: list[Unwritable] = []

    def walk(value: Any, path: tuple[str, ...]) -> None:
        at = pointer + pointer_of(path)
        name = ".".join(path)
        if value is None:
            return
        if path in nested:
            if not isinstance(value, Mapping):
                found.append(Unwritable(at, "changed", f"the value of {name}", "it is not an object"))
                return
            for key, item in value.items():
                walk(item, (*path, key))
        elif path not in by_path:
            found.append(Unwritable(at, "lost", f"the field {name}, which the standard lacks,"))
        elif value == "":
            found.append(Unwritable(at, "lost", f"the empty text of {name}"))
        elif problem := _mismatch(value, by_path[path].form):
            found.append(Unwritable(at, "changed", f"the value of {name}", problem))
        elif workbook and by_path[path].form != "json" and any(UNKEEPABLE.search(t) for t in _texts(value)):
            found.append(Unwritable(at, "changed", f"the value of {name}",
                                    "a workbook cannot hold its control characters or carriage returns"))
        elif workbook and isinstance(value, float) and float(f"{value:.16g}") != value:
            found.append(Unwritable(at, "changed", f"the value of {name}",
                                    f"a workbook keeps 16 significant digits, {value:.16g}"))

    for key, value in record.items():
        walk(value, (key,))
    return found
