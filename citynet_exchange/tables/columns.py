"""Records as table rows and back, with the columns derived from the standard's models.

A nested object becomes dotted columns (`identifiers.wikidata`, `location.lat`), names in
other languages one column per language (`names.pl`), lists of ids or codes one cell of
`;`-separated values, and what has no flat form (sources, extensions) one cell of JSON.
Because the columns come from the models, a field added to the standard gets its column
in every tabular format.
"""

from __future__ import annotations

import json
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.tables.cells import escape, join_list, split_list, unescape
from citynet_exchange.tables.table import Row, Table, normal_name

_INT = re.compile(r"[+-]?\d+")
_FLOAT = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")


@dataclass(frozen=True)
class Column:
    """A column of a record table: its header name, the path of its field, and the form of
    its cells: text, int, float, bool, list (`;`-separated), json, or names (one column
    per language, `names.<tag>`)."""

    name: str
    path: tuple[str, ...]
    form: str


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _form(name: str, annotation: Any) -> str:
    origin = get_origin(annotation)
    if origin is list:
        item = _unwrap(get_args(annotation)[0])
        return "json" if isinstance(item, type) and issubclass(item, BaseModel) else "list"
    if origin is dict:
        return "json" if name == "extensions" else "names"
    return {int: "int", float: "float", bool: "bool"}.get(annotation, "text")


_LAST = ("description", "sources", "extensions")  # fields every record has, after its own


@cache
def columns_of(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """The columns of a model's fields, nested models flattened: the id and the record's
    own fields first, the fields every record has last."""
    result: list[Column] = []
    for name, info in model.model_fields.items():
        annotation = _unwrap(info.annotation)
        path = (*prefix, name)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            result.extend(columns_of(annotation, path))
        else:
            result.append(Column(".".join(path), path, _form(name, annotation)))
    return tuple(sorted(result, key=lambda c: c.path[0] in _LAST))


def required_columns(model: type[BaseModel]) -> list[str]:
    """The columns of the model's required top-level fields: a table without one is unreadable."""
    return [name for name, info in model.model_fields.items() if info.is_required()]


# ---- writing -------------------------------------------------------------------------

def _cell(value: Any, form: str, workbook: bool, safe: bool) -> Any:
    """A field value as a cell: typed for a workbook, text for CSV; a value of the wrong
    shape (invalid data) is written as JSON text, so that nothing is lost."""
    if value is None:
        return None
    if form == "list" and isinstance(value, list) and all(
        isinstance(v, str) and ";" not in v and not v.startswith("[") for v in value
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
    """The header for these records: the model's columns (a names column per language seen)
    and a column for every field the standard lacks, so that it is kept."""
    known = {c.path[0] for c in columns}
    header: list[str] = []
    for column in columns:
        if column.form != "names":
            header.append(column.name)
            continue
        tags = sorted({t for r in records for t in get_path(r, column.path) or {} if isinstance(get_path(r, column.path), dict)})
        header.extend(f"{column.name}.{t}" for t in tags)
    extra = {k for r in records if isinstance(r, Mapping) for k in r if k not in known}
    return header + sorted(extra)


def row_for(record: Mapping[str, Any], header: Sequence[str], columns: Sequence[Column], *,
            workbook: bool = False, safe: bool = False) -> list[Any]:
    """The cells of a record under `header` (from `header_for`)."""
    by_name = {c.name: c for c in columns}
    cells: list[Any] = []
    for name in header:
        column = by_name.get(name)
        if column is not None:
            cells.append(_cell(get_path(record, column.path), column.form, workbook, safe))
        elif name.rsplit(".", 1)[0] in by_name:  # names.<tag>
            names = get_path(record, by_name[name.rsplit(".", 1)[0]].path)
            tag = name.rsplit(".", 1)[1]
            cells.append(_cell(names.get(tag) if isinstance(names, dict) else None, "text", workbook, safe))
        else:
            cells.append(_cell(record.get(name), "json" if isinstance(record.get(name), (list, dict)) else "text",
                               workbook, safe))
    return cells


def get_path(record: Any, path: Sequence[str]) -> Any:
    """The value at a field path of a record, None where any step is missing."""
    for key in path:
        if not isinstance(record, Mapping):
            return None
        record = record.get(key)
    return record


# ---- reading -------------------------------------------------------------------------

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
    text = unescape(cell.strip()) if form != "text" else unescape(cell)
    if form == "int" and _INT.fullmatch(text):
        return int(text), None
    if form in ("int", "float") and _FLOAT.fullmatch(text):
        number = float(text.replace(",", "."))
        return (int(number) if form == "int" and number.is_integer() and "." not in text else number), None
    if form == "bool" and text.lower() in ("true", "false"):
        return text.lower() == "true", None
    if form == "list":
        if text.startswith("["):
            return _json(text)
        return split_list(text), None
    if form == "json":
        return _json(text)
    return text, None


def _json(text: str) -> tuple[Any, str | None]:
    try:
        return json.loads(text), None
    except json.JSONDecodeError as exc:
        return text, f"not valid JSON ({exc.msg} at character {exc.pos + 1})"


def put(record: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value


def read_record(table: Table, row: Row, bindings: Sequence[Binding], pointer: str, importer: str,
                locator: Any) -> tuple[dict[str, Any], list[Hit]]:
    """A record from a row: bound cells as fields, unknown cells under `extensions.<importer>`."""
    record: dict[str, Any] = {}
    hits: list[Hit] = []
    locator.add(pointer, table, row)
    for binding in bindings:
        cell = row.get(binding.index)
        if cell.strip() == "":
            continue
        if binding.path is None:
            path = ("extensions", importer, table.header[binding.index].strip())
            value: Any = cell
        else:
            path = binding.path
            value, problem = value_of(cell, binding.form)
            if problem:
                field_pointer = pointer + "".join("/" + pointer_token(p) for p in path)
                hits.append(table.hit("unknown-value", "unreadable", row, binding.index, field_pointer,
                                      value=repr(cell), what=f"{binding.form} text", problem=problem))
        put(record, path, value)
        locator.add(pointer + "".join("/" + pointer_token(p) for p in path), table, row, binding.index)
    extra = row.cells[len(table.header):]
    if any(c.strip() for c in extra):
        record.setdefault("extensions", {}).setdefault(importer, {})["extra-cells"] = extra
        hits.append(table.hit("extra-cell", "extra", row, len(table.header), pointer,
                              count=len(row.cells), columns=len(table.header)))
    return record, hits


def iter_values(record: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) of a record's scalar leaves (to compare two descriptions of a town)."""
    for key, value in record.items():
        if isinstance(value, Mapping) and key != "extensions":
            for sub, leaf in iter_values(value):
                yield f"{key}.{sub}", leaf
        else:
            yield key, value
