"""Records as table rows and back, with the columns derived from the standard's models.

A nested object becomes dotted columns (`identifiers.wikidata`, `location.lat`), names in
other languages one column per language (`names.pl`), lists of ids or codes one cell of
`;`-separated values, and what has no flat form (sources, extensions) one cell of JSON.
Because the columns come from the models, a field added to the standard gets its column
in every tabular format.
"""

from __future__ import annotations

import json
import math
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.structure import type_words
from citynet_exchange.tables.cells import escape, join_list, split_list
from citynet_exchange.tables.table import Row, Table, normal_name
from citynet_exchange.tables.workbook import UNKEEPABLE

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


def _field(model: type[BaseModel], path: Sequence[str]) -> Any:
    info = model.model_fields[path[0]]
    nested = _unwrap(info.annotation)
    if len(path) > 1 and isinstance(nested, type) and issubclass(nested, BaseModel):
        return _field(nested, path[1:])
    return info


def column_note(model: type[BaseModel], column: Column) -> str:
    """What a column holds, from the model's field description (for templates)."""
    note = _field(model, column.path).description or ""
    extra = {"list": " Several values are separated by ';'.", "json": " Written as JSON.",
             "names": " One column per language: names.<language tag>, such as names.en."}
    return note + extra.get(column.form, "")


def column_choices(model: type[BaseModel], column: Column) -> list[str]:
    """The values a single-valued column allows, if they are a fixed list (for drop-downs)."""
    annotation = _unwrap(_field(model, column.path).annotation)
    if get_origin(annotation) is Literal:
        return [str(v) for v in get_args(annotation)]
    return ["true", "false"] if column.form == "bool" else []


def required_columns(model: type[BaseModel]) -> list[str]:
    """The columns of the model's required top-level fields: a table without one is unreadable."""
    return [name for name, info in model.model_fields.items() if info.is_required()]


# ---- writing -------------------------------------------------------------------------

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
        at = pointer + "".join("/" + pointer_token(p) for p in path)
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
    text = cell.strip() if form != "text" else cell
    if form == "int" and _INT.fullmatch(text):
        return int(text), None
    if form == "float" and _FLOAT.fullmatch(text):  # a decimal comma too: 53,08
        return float(text.replace(",", ".")), None
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


def read_record(table: Table, row: Row, bindings: Sequence[Binding], pointer: str, importer: str,
                locator: Any) -> tuple[dict[str, Any], list[Hit]]:
    """A record from a row: bound cells as fields; the cells of unknown columns and past the
    header under `extensions.<importer>`, merged with what an `extensions` column holds."""
    record: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    hits: list[Hit] = []
    extensions_at: int | None = None
    locator.add(pointer, table, row)
    for binding in bindings:
        cell = row.get(binding.index)
        if is_blank(cell, binding.form):
            continue
        if binding.path is None:
            name = table.header[binding.index].strip()
            kept[name] = cell
            locator.add(f"{pointer}/extensions/{pointer_token(importer)}/{pointer_token(name)}", table, row,
                        binding.index)
            continue
        if binding.path == ("extensions",):
            extensions_at = binding.index
            continue
        value, problem = value_of(cell, binding.form)
        field_pointer = pointer + "".join("/" + pointer_token(p) for p in binding.path)
        if problem:
            hits.append(table.hit("unknown-value", "unreadable", row, binding.index, field_pointer,
                                  value=repr(cell), what=f"{binding.form} text", problem=problem))
        put(record, binding.path, value)
        locator.add(field_pointer, table, row, binding.index)
    extra = row.cells[len(table.header):]
    if any(c.strip() for c in extra):
        kept["extra-cells"] = extra
        hits.append(table.hit("extra-cell", "extra", row, len(table.header), pointer,
                              count=len(row.cells), columns=len(table.header)))
    hits += _extensions(record, kept, table, row, extensions_at, pointer, importer, locator)
    return record, hits


def _extensions(record: dict[str, Any], kept: dict[str, Any], table: Table, row: Row, index: int | None,
                pointer: str, importer: str, locator: Any) -> list[Hit]:
    """Set the record's extensions: the `extensions` cell (JSON) with the kept cells added
    under the importer's name. A cell that cannot take them (not JSON, not an object, or its
    member of that name not an object) is kept as written among them, and reported."""
    value: Any = {}
    problem = None
    if index is not None:
        value, problem = value_of(row.get(index), "json")
        locator.add(f"{pointer}/extensions", table, row, index)
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
