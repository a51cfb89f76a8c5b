"""The columns of record tables, derived from the standard's models.

A nested object becomes dotted columns (`identifiers.wikidata`, `location.lat`), names in
other languages one column per language (`names.pl`), lists of ids or codes one cell of
`;`-separated values, and what has no flat form (sources, extensions) one cell of JSON.
Because the columns come from the models, a field added to the standard gets its column
in every tabular format. `to_rows` writes records as rows, `from_rows` reads them back.
"""

from __future__ import annotations

import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel


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


def get_path(record: Any, path: Sequence[str]) -> Any:
    """The value at a field path of a record, None where any step is missing."""
    for key in path:
        if not isinstance(record, Mapping):
            return None
        record = record.get(key)
    return record


def parent_and_key(path: tuple[str, ...]) -> tuple[str | None, str]:
    """A column's field path as its parent field (None: at the record's top) and key, for
    the importers' hot loops to set it without `put`: the models nest one level at most."""
    assert 1 <= len(path) <= 2, path
    return (path[0] if len(path) == 2 else None), path[-1]


def put(record: dict[str, Any], path: Sequence[str], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value
