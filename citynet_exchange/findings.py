"""Findings and their locations: what every check produces and every report renders.

These models are also the published report schema (`schema/report-1.0.schema.json`).
A location has room for what every format needs (line and column of a text, row and
column name of a table, sheet and cell of a workbook, subject of an RDF graph); keys that
do not apply are null.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from dataclasses import field as dataclass_field
from enum import StrEnum
from operator import attrgetter
from typing import Any, ClassVar


def pointer_token(name: object) -> str:
    """A key or index as a JSON Pointer token (RFC 6901: `~` as `~0`, `/` as `~1`)."""
    return str(name).replace("~", "~0").replace("/", "~1")


def pointer_of(path: Iterable[object]) -> str:
    """The JSON Pointer of a path of keys and indexes (the inverse of `pointer_path`)."""
    return "".join("/" + pointer_token(p) for p in path)


def pointer_path(pointer: str) -> tuple[str, ...]:
    """The keys and indexes a JSON Pointer names, unescaped."""
    return tuple(t.replace("~1", "/").replace("~0", "~") for t in pointer.split("/")[1:]) if pointer else ()


class Severity(StrEnum):
    """How grave a finding is: an error makes the dataset invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


# Pydantic builds the published report schema from these classes (`standard.py`), the
# docstring under each field being its description; validating needs no pydantic at all.
_SCHEMA = {"use_attribute_docstrings": True, "extra": "forbid"}


@dataclass(frozen=True, slots=True)
class Location:
    """Where a finding is: file plus the coordinates that apply to its format."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    file: str | None = None
    """Path of the file as given to the validator."""
    line: int | None = None
    """Line in the file, counted from 1."""
    column: int | None = None
    """Column (character) in the line, counted from 1."""
    pointer: str | None = None
    """JSON Pointer to the value in the dataset document."""
    row: int | None = None
    """Row of a table, counted as a spreadsheet does (header = 1)."""
    field: str | None = None
    """Name of the table column or field."""
    sheet: str | None = None
    """Worksheet of a workbook."""
    cell: str | None = None
    """Cell of a worksheet, such as B17."""
    subject: str | None = None
    """Subject IRI of an RDF statement."""


@dataclass(frozen=True, slots=True)
class RecordRef:
    """The record a finding is about."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    kind: str
    """town, network, partnership or membership."""
    id: str | None
    """The record's id, null when it has none."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in the data."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    code: str
    """Stable kebab-case code of the rule (see `citynet rules`)."""
    severity: Severity
    """error, warning or info."""
    message: str
    """The message in English."""
    message_id: str
    """Id of the message template, for rendering in another language."""
    params: dict[str, Any]
    """Parameters of the message template."""
    location: Location
    """Where the finding is."""
    record: RecordRef | None = None
    """The record the finding is about, if any."""
    related: list[Location] = dataclass_field(default_factory=list)
    """Other places that take part, such as the first of two duplicates."""

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.file or "", loc.line or 0, loc.row or 0, loc.column or 0, loc.pointer or "", self.code)


@dataclass(frozen=True, slots=True)
class Hit:
    """A problem as a check reports it, before the engine renders and locates it.

    Checks speak in JSON Pointers into the dataset document; the engine turns a pointer
    into file, line and column (or row and column name) through the document's locator.
    An importer that knows the place directly (a syntax error) gives `location` instead.
    """

    message: str  # key of the message template in the rule's `messages`
    params: dict[str, Any] = dataclass_field(default_factory=dict)
    pointer: str | None = None
    key: bool = False  # point at the member's key rather than its value
    location: Location | None = None
    record: RecordRef | None = None
    related: tuple[str, ...] = ()  # pointers of other places that take part
    code: str | None = None  # set by checks that report under several codes


def field_values(cls: type, leaving: str | None = None) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the values of a dataclass's fields (but `leaving`) as a tuple, in the
    order its constructor takes them: what marshal and pickle carry between processes fast,
    and what tells two places apart, without a dataclass made anew."""
    return attrgetter(*(f.name for f in fields(cls) if f.name != leaving))
