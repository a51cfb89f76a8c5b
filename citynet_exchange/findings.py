"""Findings and their locations: what every check produces and every report renders.

These models are also the published report schema (`schema/report-1.0.schema.json`).
A location has room for what every format needs (line and column of a text, row and
column name of a table, sheet and cell of a workbook, subject of an RDF graph); keys that
do not apply are null.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def pointer_token(name: object) -> str:
    """A key or index as a JSON Pointer token (RFC 6901: `~` as `~0`, `/` as `~1`)."""
    return str(name).replace("~", "~0").replace("/", "~1")


class Severity(StrEnum):
    """How grave a finding is: an error makes the dataset invalid."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Location(_Frozen):
    """Where a finding is: file plus the coordinates that apply to its format."""

    file: str | None = Field(None, description="Path of the file as given to the validator.")
    line: int | None = Field(None, description="Line in the file, counted from 1.")
    column: int | None = Field(None, description="Column (character) in the line, counted from 1.")
    pointer: str | None = Field(None, description="JSON Pointer to the value in the dataset document.")
    row: int | None = Field(None, description="Row of a table, counted as a spreadsheet does (header = 1).")
    field: str | None = Field(None, description="Name of the table column or field.")
    sheet: str | None = Field(None, description="Worksheet of a workbook.")
    cell: str | None = Field(None, description="Cell of a worksheet, such as B17.")
    subject: str | None = Field(None, description="Subject IRI of an RDF statement.")


class RecordRef(_Frozen):
    """The record a finding is about."""

    kind: str = Field(description="town, network, partnership or membership.")
    id: str | None = Field(description="The record's id, null when it has none.")


class Finding(_Frozen):
    """One problem found in the data."""

    code: str = Field(description="Stable kebab-case code of the rule (see `citynet rules`).")
    severity: Severity = Field(description="error, warning or info.")
    message: str = Field(description="The message in English.")
    message_id: str = Field(description="Id of the message template, for rendering in another language.")
    params: dict[str, Any] = Field(description="Parameters of the message template.")
    location: Location = Field(description="Where the finding is.")
    record: RecordRef | None = Field(None, description="The record the finding is about, if any.")
    related: list[Location] = Field(
        default_factory=list, description="Other places that take part, such as the first of two duplicates."
    )

    def sort_key(self) -> tuple[Any, ...]:
        loc = self.location
        return (loc.file or "", loc.line or 0, loc.row or 0, loc.column or 0, loc.pointer or "", self.code)


class Hit(BaseModel):
    """A problem as a check reports it, before the engine renders and locates it.

    Checks speak in JSON Pointers into the dataset document; the engine turns a pointer
    into file, line and column (or row and column name) through the document's locator.
    An importer that knows the place directly (a syntax error) gives `location` instead.
    """

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    message: str = Field(description="Key of the message template in the rule's `messages`.")
    params: dict[str, Any] = Field(default_factory=dict)
    pointer: str | None = None
    key: bool = Field(False, description="Point at the member's key rather than its value.")
    location: Location | None = None
    record: RecordRef | None = None
    related: tuple[str, ...] = Field((), description="Pointers of other places that take part.")
    code: str | None = Field(None, description="Set by checks that report under several codes.")
