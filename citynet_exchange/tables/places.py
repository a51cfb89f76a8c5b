"""Where the records of a streamed table came from, kept in a few numbers a record.

A table importer that streams its rows keeps, for each record, the span of its row (to
read it again) and the row's number and line (to place a finding in it); the column of a
field follows from the header's bindings, so it is worked out only when a finding asks.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from dataclasses import replace

from citynet_exchange.findings import Location
from citynet_exchange.tables.from_rows import Binding
from citynet_exchange.tables.table import Row, RowSource


class RowPlaces:
    """The rows the records of one table were read from, in record order."""

    def __init__(self, rows: RowSource, bindings: Sequence[Binding], importer: str):
        self.rows, self.table, self.importer = rows, rows.table, importer
        self.columns = {b.path: b.index for b in bindings if b.path is not None}
        self.kept = {self.table.header[b.index].strip(): b.index for b in bindings if b.path is None}
        self._spans = array("Q")  # start and end of each record's row
        self._numbers = array("L")  # its number and line (0: none, in a workbook)

    def __len__(self) -> int:
        return len(self._numbers) // 2

    def clear(self) -> None:
        del self._spans[:], self._numbers[:]

    def add(self, row: Row) -> None:
        assert row.span is not None
        self._spans.extend(row.span)
        self._numbers.extend((row.number, row.line or 0))

    def row(self, index: int, *, cells: bool = False) -> Row:
        """A record's row, its cells read again if asked for."""
        span = (self._spans[2 * index], self._spans[2 * index + 1])
        return Row(self._numbers[2 * index], self.rows.cells_at(span) if cells else [],
                   self._numbers[2 * index + 1] or None, span)

    def column(self, path: tuple[str, ...]) -> int | None:
        """The column a field path was read from: its own, an unknown column's (kept under
        `extensions.<importer>`), else the nearest enclosing field's."""
        if path[:2] == ("extensions", self.importer) and len(path) > 2 and path[2] in self.kept:
            return self.kept[path[2]]
        while path and path not in self.columns:
            path = path[:-1]
        return self.columns.get(path)

    def locate(self, index: int, column: int | None, pointer: str) -> Location:
        return replace(self.table.place(self.row(index), column), pointer=pointer)
