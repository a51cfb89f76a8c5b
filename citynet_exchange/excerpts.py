"""The offending values in context, read from the input files after validation.

A finding carries only its place; a page for people shows the place in the file: a text
file's line with the line before and after it, a table's header and the finding's row. Each
file is read once more, as a stream, keeping only the lines and rows that findings name,
so a report on a big input never holds the input.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Finding, Location
from citynet_exchange.formats import ReadOptions

LIMIT = 1000  # findings shown with an excerpt; the rest are listed without one
WIDTH = 240  # characters of a line shown around a finding's column

Opener = Callable[[str], Callable[[], BinaryIO] | None]
"""A file name as findings give it -> how to open its bytes (None: not to be found)."""


@dataclass(frozen=True)
class Lines:
    """Lines of a text file around a finding's line: (number, text), the text clipped to
    `WIDTH` characters around the column."""

    lines: tuple[tuple[int, str], ...]
    line: int
    column: int | None


@dataclass(frozen=True)
class TableRow:
    """A table's header and the cells of a finding's row."""

    header: tuple[str, ...]
    cells: tuple[str, ...]
    row: int
    field: str | None


Excerpt = Lines | TableRow


@dataclass(frozen=True)
class Sources:
    """Where the files of a report are and how tables are read (the options given for
    validating), for reading excerpts."""

    opener: Opener
    read: ReadOptions = field(default_factory=ReadOptions)


def open_path(name: str) -> Callable[[], BinaryIO] | None:
    """A file by its name, or a member of a zip that the name passes through
    (`package.zip/towns.csv`, as a zipped CSV package's findings name its tables)."""
    path = Path(name)
    if path.is_file():
        return lambda: path.open("rb")
    for parent in path.parents:
        if parent.is_file():
            if not zipfile.is_zipfile(parent):
                return None
            member = path.relative_to(parent).as_posix()
            return lambda: _member(parent, member)
    return None


def _member(archive: Path, member: str) -> BinaryIO:
    with zipfile.ZipFile(archive) as opened:  # the member stays readable after the archive closes
        return opened.open(member)  # type: ignore[return-value]


def excerpts(findings: Sequence[Finding], sources: Sources, limit: int = LIMIT) -> dict[int, Excerpt]:
    """Excerpts of the first `limit` findings that have a place in a file, by their index in
    `findings`. A file that cannot be read again gives none."""
    by_file: dict[str, list[int]] = {}
    for index, finding in enumerate(findings):
        loc = finding.location
        if loc.file and (loc.row is not None or loc.line is not None):
            by_file.setdefault(loc.file, []).append(index)
            if sum(map(len, by_file.values())) == limit:
                break
    found: dict[int, Excerpt] = {}
    for name, indexes in by_file.items():
        opener = sources.opener(name)
        if opener is None:
            continue
        locations = {i: findings[i].location for i in indexes}
        try:
            found.update(_excerpts_of(name, opener, locations, sources.read))
        except (OSError, UnicodeError, csv.Error, UsageError, zipfile.BadZipFile):
            continue  # the file changed or went away since it was validated: no excerpt
    return found


def _excerpts_of(name: str, opener: Callable[[], BinaryIO], locations: dict[int, Location],
                 read: ReadOptions) -> dict[int, Excerpt]:
    rows = {i: loc for i, loc in locations.items() if loc.row is not None}
    lines = {i: loc for i, loc in locations.items() if loc.row is None}
    found: dict[int, Excerpt] = {}
    if rows:
        found.update(_rows(name, opener, rows, read))
    if lines:
        found.update(_lines(opener, lines))
    return found


def _lines(opener: Callable[[], BinaryIO], locations: dict[int, Location]) -> dict[int, Excerpt]:
    wanted = {n for loc in locations.values() for n in (loc.line - 1, loc.line, loc.line + 1)}  # type: ignore[operator]
    kept: dict[int, str] = {}
    last = max(wanted)
    with opener() as raw:
        for number, text in enumerate(_text_lines(raw), start=1):
            if number in wanted:
                kept[number] = text
            if number >= last:
                break
    found: dict[int, Excerpt] = {}
    for index, loc in locations.items():
        line = loc.line or 0
        if line not in kept:
            continue
        start = _clip_start(kept[line], loc.column)
        shown = tuple((n, _clip(kept[n], start)) for n in (line - 1, line, line + 1) if n in kept)
        column = None if loc.column is None else loc.column - start + (1 if start else 0)
        found[index] = Lines(shown, line, column)
    return found


def _text_lines(raw: BinaryIO) -> Iterator[str]:
    """The lines of a text file, decoded as the readers decode it: UTF-16 with a byte-order
    mark, else UTF-8 (a byte-order mark dropped, undecodable bytes replaced)."""
    head = raw.read(4)
    raw.seek(0)
    encoding = "utf-16" if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8-sig"
    for text in io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline=None):
        yield text.rstrip("\n")


def _clip_start(text: str, column: int | None) -> int:
    """Where the shown part of a long line starts: so that the column is in it."""
    if len(text) <= WIDTH or column is None:
        return 0
    return max(0, min(column - 1 - WIDTH // 2, len(text) - WIDTH))


def _clip(text: str, start: int) -> str:
    shown = text[start:start + WIDTH]
    return ("…" if start else "") + shown + ("…" if start + WIDTH < len(text) else "")


def _rows(name: str, opener: Callable[[], BinaryIO], locations: dict[int, Location],
          read: ReadOptions) -> dict[int, Excerpt]:
    wanted = {(loc.sheet, loc.row) for loc in locations.values()}
    with opener() as raw:
        workbook = raw.read(4) == b"PK\x03\x04"
    found_rows: dict[tuple[str | None, int | None], tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for sheet in {s for s, _row in wanted}:
        numbers = {row for s, row in wanted if s == sheet and row is not None}
        table = _sheet_rows(opener, sheet, numbers) if workbook else _csv_rows(name, opener, numbers, read)
        header = tuple(table.pop(0, ()))
        found_rows.update({(sheet, n): (header, tuple(cells)) for n, cells in table.items()})
    return {i: TableRow(*found_rows[(loc.sheet, loc.row)], row=loc.row, field=loc.field)  # type: ignore[arg-type]
            for i, loc in locations.items() if (loc.sheet, loc.row) in found_rows}


def _csv_rows(name: str, opener: Callable[[], BinaryIO], numbers: set[int], read: ReadOptions) -> dict[int, list[str]]:
    """The header (as row 0) and the rows numbered, of a CSV table read as the importers read it."""
    from citynet_exchange.tables.reading import CsvStream

    stream = CsvStream(name, opener, ReadOptions(encoding=read.encoding, delimiter=read.delimiter))
    found = {0: stream.table.header}
    last = max(numbers, default=0)
    for row in stream.rows():
        if row.number in numbers:
            found[row.number] = row.cells
        if row.number >= last:
            break
    return found


def _sheet_rows(opener: Callable[[], BinaryIO], sheet: str | None, numbers: set[int]) -> dict[int, list[str]]:
    """The header (as row 0: the first row that is not blank) and the rows numbered, of a worksheet."""
    import openpyxl

    from citynet_exchange.tables.reading import skipped
    from citynet_exchange.tables.workbook import cell_text

    with opener() as raw:
        try:
            book = openpyxl.load_workbook(raw, read_only=True, data_only=True)
        except Exception:  # openpyxl raises many kinds for a broken file  # noqa: BLE001
            return {}
        try:
            worksheet = book[sheet] if sheet in book.sheetnames else book.worksheets[0]
            header: list[str] = []
            found: dict[int, list[str]] = {}
            last = max(numbers, default=0)
            for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
                cells = [cell_text(v) for v in values]
                while cells and cells[-1] == "":
                    cells.pop()
                if not header and not skipped(cells, comments=False):
                    header = cells
                elif number in numbers:
                    found[number] = cells
                if number >= last and header:
                    break
            return {0: header, **found}
        finally:
            book.close()

