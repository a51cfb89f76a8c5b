"""Table rows as records: header cells bound to columns, cells read in their column's
form, unknown columns and extra cells kept under the record's extensions."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from citynet_exchange.findings import Hit, pointer_of
from citynet_exchange.tables.cells import split_list
from citynet_exchange.tables.columns import Column, parent_and_key
from citynet_exchange.tables.table import Row, Table, normal_name

_FLOAT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@dataclass
class Binding:
    """A header column bound to a field path (or to the importer's extensions)."""

    index: int
    path: tuple[str, ...] | None  # None: an unknown column, kept under extensions
    form: str


def bind(table: Table, columns: Sequence[Column], aliases: Mapping[str, str] | None = None) -> list[Binding]:
    """Bind each header cell to a column (by name in any letter case, or an alias)."""
    by_name = {normal_name(c.name): c for c in columns}
    names_columns = {normal_name(c.name): c for c in columns if c.form == "names"}
    aliases = {normal_name(k): normal_name(v) for k, v in (aliases or {}).items()}
    bindings: list[Binding] = []
    for index, header in enumerate(table.header):
        key = aliases.get(normal_name(header), normal_name(header))
        prefix, _, tag = key.rpartition(".")
        if key in by_name and by_name[key].form != "names":
            column = by_name[key]
            bindings.append(Binding(index, column.path, column.form))
        elif prefix in names_columns and tag:
            bindings.append(Binding(index, (*names_columns[prefix].path, header.strip().rpartition(".")[2]), "text"))
        else:
            bindings.append(Binding(index, None, "text"))
    return bindings


def value_of(cell: str, form: str) -> tuple[Any, str | None]:
    """A cell's value in its column's form, and the problem if it cannot have that form (the
    value is then kept as text, for the structural checks to report with its place)."""
    if form == "text":
        return cell, None
    read = _READERS.get(form)
    text = cell.strip()
    return (text, None) if read is None else read(text)


def _int(text: str) -> tuple[Any, str | None]:
    """Digits with a sign, as Python's `int` reads them but for its underscores (1_000)."""
    try:
        value = int(text)
    except ValueError:
        return text, None
    return (text, None) if "_" in text else (value, None)


def _float(text: str) -> tuple[Any, str | None]:
    """A decimal point or comma (53,08), an exponent. Python's `float` reads the common cell
    at once; what it reads that the form does not mean (nan, inf, 1_000) ends in a letter or
    holds an underscore, and is looked at by the pattern."""
    try:
        value = float(text)
    except ValueError:
        pass
    else:
        if "_" not in text and (text[-1].isdigit() or text[-1] == "."):
            return value, None
    return (float(text.replace(",", ".")), None) if _FLOAT.fullmatch(text) else (text, None)


def _bool(text: str) -> tuple[Any, str | None]:
    lower = text.lower()
    return (lower == "true", None) if lower in ("true", "false") else (text, None)


def _list(text: str) -> tuple[Any, str | None]:
    return _json(text) if text.startswith("[") else (split_list(text), None)


def _json(text: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return text, f"not valid JSON ({exc.msg} at character {exc.pos + 1})"


_READERS = {"int": _int, "float": _float, "bool": _bool, "list": _list, "json": _json}


def header_hits(table: Table, bindings: Sequence[Binding], format_name: str) -> list[Hit]:
    """An info for each column the format does not know, an error for each column that holds
    a field an earlier column holds already; both kinds of column are then read as unknown,
    their values kept under the record's extensions."""
    hits: list[Hit] = []
    first: dict[tuple[str, ...], int] = {}
    for binding in bindings:
        name = table.header[binding.index].strip()
        if binding.path is None:
            hits.append(table.hit("unknown-column", "unknown", None, binding.index, column=name, format=format_name))
        elif first.setdefault(binding.path, binding.index) != binding.index:
            hits.append(table.hit("duplicate-column", "duplicate", None, binding.index, column=name,
                                  first=table.header[first[binding.path]].strip()))
            binding.path = None
    return hits


def is_blank(cell: str, form: str) -> bool:
    """Whether a cell holds no value: empty, or only spaces where the column is not text (a
    text of spaces is a value)."""
    return cell == "" or (form != "text" and cell.strip() == "")


@dataclass(frozen=True)
class RowFields:
    """How a table's rows are read into records, worked out once from its bindings: each
    bound field's column, path (its parent, if it has one, and key) and form; the columns
    the format does not know, by their names; and the `extensions` column, if any."""

    bound: tuple[tuple[int, tuple[str, ...], str | None, str, str], ...]
    unknown: tuple[tuple[int, str], ...]
    extensions: int | None

    @classmethod
    def of(cls, table: Table, bindings: Sequence[Binding]) -> RowFields:
        return cls(tuple((b.index, b.path, *parent_and_key(b.path), b.form)
                         for b in bindings if b.path is not None and b.path != ("extensions",)),
                   tuple((b.index, table.header[b.index].strip()) for b in bindings if b.path is None),
                   next((b.index for b in bindings if b.path == ("extensions",)), None))


def read_record(table: Table, row: Row, fields: RowFields, pointer: str, importer: str
                ) -> tuple[dict[str, Any], list[Hit]]:
    """A record from a row: bound cells as fields; the cells of unknown columns and past the
    header under `extensions.<importer>`, merged with what an `extensions` column holds."""
    record: dict[str, Any] = {}
    hits: list[Hit] = []
    cells, width = row.cells, len(row.cells)
    for index, path, parent, key, form in fields.bound:
        cell = cells[index] if index < width else ""
        if cell == "" or (form != "text" and not cell.strip()):  # is_blank, inline: the hot loop
            continue
        if form == "text":
            value = cell
        else:
            value, problem = value_of(cell, form)
            if problem:
                hits.append(table.hit("unknown-value", "unreadable", row, index, pointer + pointer_of(path),
                                      value=repr(cell), what=f"{form} text", problem=problem))
        if parent is None:
            record[key] = value
        else:
            record.setdefault(parent, {})[key] = value
    kept = {name: cells[index] for index, name in fields.unknown if index < width and cells[index] != ""
            } if fields.unknown else {}
    columns = len(table.header)
    if width > columns and any(c.strip() for c in cells[columns:]):
        kept["extra-cells"] = cells[columns:]
        hits.append(table.hit("extra-cell", "extra", row, columns, pointer, count=width, columns=columns))
    extensions_at = fields.extensions
    if extensions_at is not None and is_blank(row.get(extensions_at), "json"):
        extensions_at = None
    if kept or extensions_at is not None:
        hits += _extensions(record, kept, table, row, extensions_at, pointer, importer)
    return record, hits


def _extensions(record: dict[str, Any], kept: dict[str, Any], table: Table, row: Row, index: int | None,
                pointer: str, importer: str) -> list[Hit]:
    """Set the record's extensions: the `extensions` cell (JSON) with the kept cells added
    under the importer's name. A cell that cannot take them (not JSON, not an object, or its
    member of that name not an object) is kept as written among them, and reported."""
    value: Any = {}
    problem = None
    if index is not None:
        value, problem = value_of(row.get(index), "json")
        if problem is None and not (isinstance(value, dict) and isinstance(value.get(importer, {}), dict)):
            problem = f"it is not a JSON object whose member {importer} is an object"
    if problem is not None:
        assert index is not None
        header = table.header[index].strip()
        record["extensions"] = {importer: {**kept, header: row.get(index)}}
        return [table.hit("unknown-value", "unreadable", row, index, f"{pointer}/extensions",
                          value=repr(row.get(index)), what="extensions",
                          problem=f"{problem}; it is kept under extensions.{importer}")]
    if kept:
        value = {**value, importer: {**value.get(importer, {}), **kept}}
    if value:
        record["extensions"] = value
    return []
