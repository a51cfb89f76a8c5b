"""Reading CSV text and XLSX worksheets into `Table`s.

Text: UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
recognised; other bytes are read as Windows-1252 and say so (`encoding-guessed`), unless
`--encoding` names the encoding, or unless they hold UTF-8 letters all the same (text
pasted together from two encodings): that is read as UTF-8. Bytes the encoding cannot
decode become U+FFFD, and a cell holding them, or a NUL character, is a finding. The delimiter (`,` `;` or tab) is taken from the header line unless
given. Rows are numbered as a spreadsheet numbers them: the header is row 1. A row whose
first cell starts with `#` is a comment (the notes row of a CSV template) and is skipped,
like a blank row. Data cells come out with the escaping of `cells.escape` undone.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, Location
from citynet_exchange.formats import Input, ReadOptions, syntax_hit
from citynet_exchange.limits import Limits, exceeded
from citynet_exchange.tables.cells import unescaped
from citynet_exchange.tables.table import Row, Table

_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_CANDIDATES = (",", ";", "\t")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_UTF8_LETTER = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_MAX_REPORTED = 100  # undecodable places reported per file; the rest are counted in the last


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are an XLSX workbook (a zip holding `xl/workbook.xml`)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


def is_workbook_input(source: Input) -> bool:
    """Whether an input is an XLSX workbook, its bytes read whole only when they begin as a zip."""
    return source.head.startswith(b"PK\x03\x04") and is_workbook(source.data)


def reads_as_workbook(source: Input) -> bool:
    """Whether a table importer reads an input as a workbook: one named `.xlsx` (so that a
    broken one is said to be a broken workbook, not read as text), or a zip holding one."""
    return source.name.lower().endswith(".xlsx") or is_workbook_input(source)


def delimiter_of(option: str | None) -> str | None:
    """The delimiter an option names: a single character, or tab/comma/semicolon/pipe."""
    if option is None:
        return None
    value = _DELIMITER_NAMES.get(option.lower(), option)
    if len(value) != 1 or value in "\"\r\n":
        raise UsageError(f"--delimiter {option!r} is not one character (or tab, comma, semicolon, pipe)")
    return value


def check_encoding(name: str | None) -> str | None:
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise UsageError(f"--encoding {name!r} is not an encoding Python knows (utf-8, cp1252, latin-1 ...)") from None


def _decode_replacing(data: bytes, encoding: str) -> tuple[str, list[int]]:
    """Decode, putting U+FFFD for bytes the encoding lacks; the offsets of the replacements."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    parts: list[str] = []
    bad: list[int] = []
    position, length = 0, 0
    while True:
        try:
            part = decoder.decode(data[position:], final=True)
            parts.append(part)
            return "".join(parts), bad
        except UnicodeDecodeError as exc:
            good = decoder.decode(data[position:position + exc.start], final=False) if exc.start else ""
            parts.append(good)
            length += len(good)
            bad.append(length)
            parts.append("\ufffd")
            length += 1
            position += exc.end
            decoder.reset()


def _label(encoding: str) -> str:
    return {"cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO 8859-1)"}.get(encoding, encoding)


def skipped(cells: list[str], comments: bool = True) -> bool:
    """Blank rows (and in CSV comment rows) carry no data; they still count in row numbers."""
    first = cells[0].lstrip() if cells else ""
    if first:  # the common row, told by its first cell
        return comments and first[0] == "#"
    return not any(c.strip() for c in cells)


def sniff_delimiter(text: str) -> str:
    """The candidate delimiter that splits the first line into the most cells (`,` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: _cell_count(first, d) for d in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def _cell_count(line: str, delimiter: str) -> int:
    """The cells a delimiter splits a line into; 0 where it cannot (a cell beyond the csv
    module's field limit: reading the table reports that at its line)."""
    try:
        return len(next(csv.reader([line], delimiter=delimiter), []))
    except csv.Error:
        return 0


def read_csv(file: str, data: bytes, options: ReadOptions = ReadOptions()) -> Table:
    """Read CSV (or TSV) bytes into a table; problems go to `Table.problems`, never raise
    (but an unusable option is a `UsageError`)."""
    stream = CsvStream(file, lambda: io.BytesIO(data), options)
    stream.table.rows = list(stream.rows())
    return stream.table


class CsvStream:
    """CSV (or TSV) read as a stream: the header at once, the data rows each time `rows` is
    asked, and a row again by the span it came from (`Row.span`), so that a big file is
    never held whole. Problems of decoding and syntax go to `table.problems` on the first
    pass over the rows.

    Lines are split on bytes and decoded one by one where the encoding's line break is the
    byte `\\n` (UTF-8, the single-byte encodings); UTF-16, and text whose lines end in a bare
    `\\r`, are decoded whole first, and spans then count characters of that text.
    """

    def __init__(self, file: str, open_bytes: Callable[[], BinaryIO], options: ReadOptions = ReadOptions(),
                 limits: Limits = Limits()):
        encoding = check_encoding(options.encoding)
        delimiter = delimiter_of(options.delimiter)
        self._open = open_bytes
        self._text_chars = limits.text_chars
        self.table = Table(file=file, header=[], rows=[])
        self._encoding, self._skip = self._detect(encoding)
        self._text: str | None = None
        self._text_replaced = False
        with open_bytes() as stream:
            head = stream.read(1 << 16)
        if not _splits_on_bytes(self._encoding) or (b"\r" in head and b"\n" not in head):
            self._text, self._text_replaced = self._decode_whole()
        self._replaced = 0  # lines whose bytes were replaced by U+FFFD so far
        self._nul = 0  # lines holding a NUL character so far
        self._apostrophes = 0  # lines holding an apostrophe so far: only their rows can hold escaped cells
        self._reported = 0  # cells reported for holding such bytes or NUL characters
        self._passes = 0  # passes over the rows begun: the first reports their problems
        self.delimiter = delimiter or sniff_delimiter(self._first_line())
        self._data: tuple[int, int, int] | None = None  # where the data rows begin: offset, lines, rows
        for number, line, span, cells, lines in self._read((self._skip, 0, 0), report=True):
            self.table.header, self.table.header_row, self.table.header_line = cells, number, line
            self._data = (span[1], lines, number)
            break

    def rows(self) -> Iterator[Row]:
        """The data rows, read anew from the bytes; their cells unescaped (`cells.unescape`)."""
        self._passes += 1
        if self._data is not None:
            apostrophes = self._apostrophes
            for number, line, span, cells, _lines in self._read(self._data, report=self._passes == 1):
                if self._apostrophes != apostrophes:
                    apostrophes = self._apostrophes
                    cells = unescaped(cells)
                yield Row(number=number, cells=cells, line=line, span=span)

    def cells_at(self, span: tuple[int, int]) -> list[str]:
        """The cells of the row read from `span`, as `rows` gave them."""
        if self._text is not None:
            text = self._text[span[0]:span[1]]
        else:
            with self._open() as stream:
                stream.seek(span[0])
                text = stream.read(span[1] - span[0]).decode(self._encoding, "replace")
        with _field_limit(self._text_chars):
            cells = next(csv.reader(io.StringIO(text, newline=""), delimiter=self.delimiter), [])
        return unescaped(cells)

    def _detect(self, encoding: str | None) -> tuple[str, int]:
        """The encoding, and the length of its byte-order mark; an encoding guessed (the bytes
        are not UTF-8) is the file's `encoding-guessed` problem."""
        with self._open() as stream:
            head = stream.read(4)
        if encoding is not None:
            return encoding, len(codecs.BOM_UTF8) if encoding == "utf-8" and head.startswith(codecs.BOM_UTF8) else 0
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name, len(bom)
        if self._decodes("utf-8") or self._holds_utf8():  # UTF-8 with some other bytes: those are said cell by cell
            return "utf-8", 0
        guess = "cp1252" if self._decodes("cp1252") else "latin-1"  # cp1252 leaves five bytes undefined
        self.table.problems.append(Hit(code="encoding-guessed", message="guessed",
                                       params={"encoding": _label(guess)}, location=Location(file=self.table.file)))
        return guess, 0

    def _decodes(self, encoding: str) -> bool:
        """Whether all the bytes decode, read a chunk at a time."""
        decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
        try:
            with self._open() as stream:
                while chunk := stream.read(1 << 20):
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
        return True

    def _holds_utf8(self) -> bool:
        """Whether bytes that are not all UTF-8 hold UTF-8 letters (`ö` as C3 B6) all the same:
        text pasted together from files of two encodings, which Windows-1252 would garble."""
        with self._open() as stream:
            while chunk := stream.read(1 << 20):
                if _UTF8_LETTER.search(chunk):
                    return True
        return False

    def _decode_whole(self) -> tuple[str, bool]:
        with self._open() as stream:
            data = stream.read()[self._skip:]
        text, bad = _decode_replacing(data, self._encoding)
        self._skip = 0  # spans now count characters of the text
        return text, bool(bad)

    def _first_line(self) -> str:
        """The first line that is not blank, for detecting the delimiter."""
        position = [self._skip, 0]
        line = next((line for line in self._lines(position) if line.strip()), "")
        self._replaced = 0
        return line

    def _lines(self, position: list[int]) -> Iterator[str]:
        """The lines from `position` (offset, lines read before), which follows the reading."""
        if self._text is not None:
            text = io.StringIO(self._text, newline="")
            text.seek(position[0])
            for line in text:
                position[0] += len(line)
                position[1] += 1
                if self._text_replaced and "\ufffd" in line:
                    self._replaced += 1
                if "\0" in line:
                    self._nul += 1
                if "'" in line:
                    self._apostrophes += 1
                yield line
            return
        encoding = self._encoding
        with self._open() as stream:
            stream.seek(position[0])
            for raw in stream:
                position[0] += len(raw)
                position[1] += 1
                try:
                    line = raw.decode(encoding)
                except UnicodeDecodeError:
                    line = raw.decode(encoding, "replace")
                    self._replaced += 1
                if b"\0" in raw:
                    self._nul += 1
                if "'" in line:
                    self._apostrophes += 1
                yield line

    def _read(self, start: tuple[int, int, int], report: bool
              ) -> Iterator[tuple[int, int, tuple[int, int], list[str], int]]:
        """(row number, line it starts on, span, cells, lines read) of the rows that are not
        skipped, from `start` (offset, lines read before, rows read before); `report`: their
        problems go to the table's."""
        offset, lines, number = start
        position = [offset, lines]
        with _field_limit(self._text_chars):
            reader = csv.reader(self._lines(position), delimiter=self.delimiter, strict=True)
            while True:
                begin, line, replaced, nul = position[0], position[1] + 1, self._replaced, self._nul
                try:
                    cells = next(reader)
                except StopIteration:
                    return
                except csv.Error as exc:  # an unclosed quote, mostly: the place is where its row starts
                    if report:
                        self.table.problems.append(self._problem(line, exc))
                    return
                number += 1
                if skipped(cells):
                    continue
                if report and (self._replaced != replaced or self._nul != nul):
                    row = Row(number, cells, line) if self.table.header else None
                    if self._replaced != replaced:
                        self._report(row, cells, "\ufffd", f"bytes that are not {self._encoding} were replaced by "
                                                           "\ufffd in this cell")
                    if self._nul != nul:
                        self._report(row, cells, "\0", "the cell holds a NUL character (byte 0), which no text has; "
                                                       "it is kept")
                yield number, line, (begin, position[0]), cells, position[1]

    def _problem(self, line: int, exc: csv.Error) -> Hit:
        """What stopped the reading at the row that starts on `line`."""
        file = self.table.file
        if "field larger than field limit" in str(exc):
            return exceeded("text_chars", self._text_chars, f"a cell of the row that starts on line {line} (the "
                            "rows from here on are not read)", location=Location(file=file, line=line))
        problem = str(exc).replace("new-line", "line break")
        return syntax_hit(file, line, None, f"{problem} in the row that starts on line {line} (a quote not closed?); "
                                            "the rows from here on cannot be read")

    def _report(self, row: Row | None, cells: list[str], character: str, problem: str) -> None:
        """A `syntax-error` at each cell of a row (None: of the header) holding the character."""
        for column, cell in enumerate(cells):
            if character in cell and self._reported < _MAX_REPORTED:
                self._reported += 1
                self.table.problems.append(self.table.hit("syntax-error", "syntax", row, column, problem=problem))


@contextmanager
def _field_limit(chars: int) -> Iterator[None]:
    """The csv module's cap on a cell (its own is 128 KiB) set to `chars` while a table is read:
    the cap is the module's, for every reader at once, so it is set back after."""
    previous = csv.field_size_limit(chars)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def _splits_on_bytes(encoding: str) -> bool:
    """Whether the encoding's lines can be split on the byte `\\n` and decoded one by one."""
    return not codecs.lookup(encoding).name.startswith(("utf-16", "utf-32", "utf-7"))



