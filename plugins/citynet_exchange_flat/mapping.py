"""Mapping files: how to read a partnership table whose columns have names of their own.

The file format is described in the package docstring. A mapping is checked strictly when
it is loaded, before any row is read: an unknown key, a target that is no column of the
format, a default its column cannot hold or a key given twice is a `UsageError` that names
the file and the key (exit code 2), since a mistake there would misread every row.
"""

from __future__ import annotations

import codecs
import difflib
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from citynet_exchange.country_names import country_code
from citynet_exchange.errors import UsageError
from citynet_exchange.tables.cells import join_list, split_list
from citynet_exchange.tables.from_rows import Binding, value_of
from citynet_exchange.tables.reading import delimiter_of
from citynet_exchange.tables.table import normal_name
from citynet_exchange_flat import NAME
from citynet_exchange_flat.layout import COLUMNS, canonical_name, column_named

Text = Annotated[str, Field(min_length=1)]
_KEYS = "columns, values, defaults, delimiter, encoding, sheet"
_TYPES: dict[str, type] = {"int": int, "float": float, "bool": bool}  # what a default of these forms must read as


class _Loader(yaml.BaseLoader):
    """Every scalar as text (a mapping holds column names and cell texts, so that `no` stays
    `no` and `01` stays `01`); a key given twice is an error, not silently the last."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} is given twice",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _column(key: str, role: str) -> Binding:
    """The canonical column a key of the mapping names, or a ValueError saying it names none."""
    binding = column_named(key)
    if binding is None:
        close = difflib.get_close_matches(normal_name(key), [c.name for c in COLUMNS], n=1)
        hint = f"; did you mean '{close[0]}'?" if close else " (`citynet template --to csv` lists them)"
        raise ValueError(f"{role} {key!r} is not a column of the {NAME} format{hint}")
    return binding


class MappingFile(BaseModel):
    """A mapping file as read: table column -> canonical column, value maps, defaults, and
    how to read the table."""

    model_config = ConfigDict(extra="forbid", strict=True)

    columns: dict[Text, Text] = {}
    values: dict[Text, dict[Text, Text]] = {}
    defaults: dict[Text, Text] = {}
    delimiter: Text | None = None
    encoding: Text | None = None
    sheet: Text | None = None

    @field_validator("columns")
    @classmethod
    def _targets(cls, columns: dict[str, str]) -> dict[str, str]:
        return {source: canonical_name(_column(target, f"the target of {source!r},"))
                for source, target in columns.items()}

    @field_validator("values")
    @classmethod
    def _value_maps(cls, values: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        """By canonical column, each map keyed by the normal form of the text it replaces."""
        return {canonical_name(_column(column, "the value map")): {normal_name(k): v for k, v in value_map.items()}
                for column, value_map in values.items()}

    @field_validator("defaults")
    @classmethod
    def _defaults(cls, defaults: dict[str, str]) -> dict[str, str]:
        checked = {}
        for column, text in defaults.items():
            binding = _column(column, "the default for")
            if binding.path and binding.path[-1] == "country" and country_code(text) is None:
                raise ValueError(f"the default for {column!r}, {text!r}, is not a country code or name")
            value, problem = value_of(text, binding.form)
            if problem is not None or not isinstance(value, _TYPES.get(binding.form, object)):
                raise ValueError(f"the default for {column!r}, {text!r}, is not {binding.form} text")
            checked[canonical_name(binding)] = text
        return checked

    @field_validator("delimiter")
    @classmethod
    def _delimiter(cls, delimiter: str | None) -> str | None:
        try:
            delimiter_of(delimiter)
        except UsageError:
            raise ValueError(f"{delimiter!r} is not one character (or tab, comma, semicolon, pipe)") from None
        return delimiter

    @field_validator("encoding")
    @classmethod
    def _encoding(cls, encoding: str | None) -> str | None:
        try:
            codecs.lookup(encoding or "utf-8")
        except LookupError:
            raise ValueError(f"{encoding!r} is not an encoding Python knows (utf-8, cp1252, latin-1 ...)") from None
        return encoding

    def translate(self, column: str, form: str, cell: str) -> str:
        """A cell's text with the value map of its canonical column applied (to each value of
        a `;` list); text the map does not name stays as it is."""
        value_map = self.values.get(column)
        if not value_map or not cell.strip():
            return cell
        if form == "list" and not cell.lstrip().startswith("["):
            return join_list([value_map.get(normal_name(v), v) for v in split_list(cell)])
        return value_map.get(normal_name(cell), cell)


def load_mapping(path: str) -> MappingFile:
    """Read and check a mapping file; every problem is a `UsageError` naming file and key."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read the mapping file: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        data = yaml.load(text, Loader=_Loader)  # noqa: S506 - BaseLoader builds only text, lists and maps
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        raise UsageError(f"{path}{where}: the mapping file is not valid YAML: "
                         f"{getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise UsageError(f"{path}: a mapping file is a YAML mapping with the keys {_KEYS}")
    try:
        return MappingFile.model_validate(data)
    except ValidationError as exc:
        raise UsageError(f"{path}: " + "; ".join(_problem(error) for error in exc.errors())) from None


def _problem(error: Any) -> str:
    """One pydantic error in the words of the mapping file: its key, then what is wrong."""
    key = ".".join(str(part) for part in error["loc"] if part != "[key]")
    if error["type"] == "extra_forbidden":
        return f"{key}: is not a key of a mapping file ({_KEYS})"
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] in ("string_type", "dict_type"):
        message = "must be " + ("a text" if error["type"] == "string_type" else "a mapping of keys to texts")
    return f"{key}: {message}"
