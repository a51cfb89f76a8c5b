"""A table as read from a CSV file or a worksheet, and the locator that points into it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from collections.abc import Iterator
from typing import TYPE_CHECKING, Protocol

from citynet_exchange.findings import Hit, Location
from citynet_exchange.formats import Locator

if TYPE_CHECKING:
    from citynet_exchange.tables.towns import TownRegistry


def column_letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def normal_name(header: str) -> str:
    """A header cell as matched against column names: any letter case, stray spaces ignored."""
    return re.sub(r"\s+", " ", header.replace("\ufeff", "")).strip().casefold()


@dataclass(slots=True)
class Row:
    """A data row: its number as a spreadsheet counts it (header = 1), the line it starts on
    in a text file, its cells, and where in the text it lies (to read it again)."""

    number: int
    cells: list[str]
    line: int | None = None
    span: tuple[int, int] | None = None

    def get(self, index: int | None) -> str:
        return self.cells[index] if index is not None and index < len(self.cells) else ""


@dataclass
class Table:
    """One table: the header cells and the data rows, with the place names for findings."""

    file: str
    header: list[str]
    rows: list[Row]
    sheet: str | None = None
    header_row: int = 1
    header_line: int = 1
    workbook: bool = False
    problems: list[Hit] = field(default_factory=list)

    def index(self, names: set[str]) -> int | None:
        """The index of the first header column whose normal name is one of `names`."""
        return next((i for i, h in enumerate(self.header) if normal_name(h) in names), None)

    def place(self, row: Row | None = None, column: int | None = None) -> Location:
        """The location of a row (or of the header), and of one of its cells."""
        number = row.number if row else self.header_row
        name = self.header[column].strip() if column is not None and column < len(self.header) else None
        cell = f"{column_letter(column)}{number}" if self.workbook and column is not None else None
        line = None if self.workbook else (row.line if row else self.header_line)
        return Location(file=self.file, line=line, row=number, field=name, sheet=self.sheet, cell=cell)

    def hit(self, code: str, message: str, row: Row | None = None, index: int | None = None,
            pointer: str | None = None, **params: object) -> Hit:
        """A hit at a row (None: the header) and the column of `index`; `params` fill the message."""
        location = replace(self.place(row, index), pointer=pointer)
        return Hit(code=code, message=message, params=params, pointer=pointer, location=location)


class RowSource(Protocol):
    """A table's rows as an importer reads them: anew on each call of `rows`, and one row
    again by its `Row.span`."""

    table: Table

    def rows(self) -> Iterator[Row]: ...

    def cells_at(self, span: tuple[int, int]) -> list[str]: ...


class HeldRows:
    """The rows of a table held whole (a worksheet), as a `RowSource`."""

    def __init__(self, table: Table):
        self.table = table

    def rows(self) -> Iterator[Row]:
        for index, row in enumerate(self.table.rows):
            yield replace(row, span=(index, index + 1))

    def cells_at(self, span: tuple[int, int]) -> list[str]:
        return self.table.rows[span[0]].cells


class TableLocator(Locator):
    """Maps pointers to the rows and cells the importer read them from.

    The importer records each record's row and each field's column; a pointer resolves to
    its nearest recorded ancestor, so a missing field points at its record's row. The towns
    gathered across rows are placed by their registry.
    """

    def __init__(self, fallback: str, towns: TownRegistry | None = None):
        self.fallback = fallback
        self.towns = towns
        self._places: dict[str, tuple[Table, Row | None, int | None]] = {}

    def add(self, pointer: str, table: Table, row: Row | None, column: int | None = None) -> None:
        self._places[pointer] = (table, row, column)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        if self.towns is not None and (place := self.towns.locate(pointer)) is not None:
            return place
        probe = pointer
        while probe not in self._places and probe:
            probe = probe.rsplit("/", 1)[0]
        if probe not in self._places:
            return Location(file=self.fallback, pointer=pointer)
        table, row, column = self._places[probe]
        return replace(table.place(row, column), pointer=pointer)
