"""Reading CSV text and XLSX worksheets into `Table`s.

Text: UTF-8 (with or without a byte-order mark) and UTF-16 with a byte-order mark are
recognised; other bytes are read as Windows-1252 and say so (`encoding-guessed`), unless
`--encoding` names the encoding. Bytes the encoding cannot decode become U+FFFD and a
finding at their row. The delimiter (`,` `;` or tab) is taken from the header line unless
given. Rows are numbered as a spreadsheet numbers them: the header is row 1. A row whose
first cell starts with `#` is a comment (the notes row of a CSV template) and is skipped,
like a blank row. Data cells come out with the escaping of `cells.escape` undone.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator

from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, Location
from citynet_exchange.formats import ReadOptions, syntax_hit
from citynet_exchange.tables.cells import unescape
from citynet_exchange.tables.table import Row, Table

_DELIMITER_NAMES = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
_CANDIDATES = (",", ";", "\t")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_MAX_REPORTED = 100  # undecodable places reported per file; the rest are counted in the last


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are an XLSX workbook (a zip holding `xl/workbook.xml`)."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        return "xl/workbook.xml" in zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return False


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


def decode(file: str, data: bytes, encoding: str | None) -> tuple[str, list[Hit], bool]:
    """The text, the hits of decoding, and whether bytes had to be replaced by U+FFFD."""
    if encoding is None:
        for bom, name in _BOMS:
            if data.startswith(bom):
                text, bad = _decode_replacing(data[len(bom):], name)
                return text, [], bool(bad)
        try:
            return data.decode("utf-8"), [], False
        except UnicodeDecodeError:
            pass
        try:
            encoding, text = "cp1252", data.decode("cp1252")
        except UnicodeDecodeError:  # five bytes cp1252 leaves undefined
            encoding, text = "latin-1", data.decode("latin-1")
        guessed = Hit(code="encoding-guessed", message="guessed", params={"encoding": _label(encoding)},
                      location=Location(file=file))
        return text, [guessed], False
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    text, bad = _decode_replacing(data, encoding)
    return text, [], bool(bad)


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
    return not any(c.strip() for c in cells) or (comments and bool(cells) and cells[0].lstrip().startswith("#"))


def sniff_delimiter(text: str) -> str:
    """The candidate delimiter that splits the first line into the most cells (`,` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _CANDIDATES}
    best = max(_CANDIDATES, key=lambda d: counts[d])
    return best if counts[best] > 1 else ","


def read_csv(file: str, data: bytes, options: ReadOptions = ReadOptions()) -> Table:
    """Read CSV (or TSV) bytes into a table; problems go to `Table.problems`, never raise
    (but an unusable option is a `UsageError`)."""
    encoding = check_encoding(options.encoding)
    delimiter = delimiter_of(options.delimiter)
    text, problems, replaced = decode(file, data, encoding)
    table = Table(file=file, header=[], rows=[], problems=problems)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter or sniff_delimiter(text), strict=True)
    for number, line, cells in _records(reader, table):
        if skipped(cells):
            continue
        if not table.header:
            table.header, table.header_row, table.header_line = cells, number, line
        else:  # the apostrophe an export put before formula-like text goes here, once
            table.rows.append(Row(number=number, cells=[unescape(c) for c in cells], line=line))
    if replaced:
        table.problems.extend(_undecodable(table, encoding or "utf-8"))
    return table


def _records(reader: Iterator[list[str]], table: Table) -> Iterator[tuple[int, int, list[str]]]:
    number, line = 0, 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # an unclosed quote, mostly: the place is where its row starts
            problem = str(exc).replace("new-line", "line break")
            table.problems.append(syntax_hit(table.file, line, None, f"{problem} in the row that starts on "
                                             f"line {line} (a quote not closed?); the rows from here on cannot "
                                             "be read"))
            return
        number += 1
        yield number, line, cells
        line = reader.line_num + 1  # type: ignore[attr-defined]


def _undecodable(table: Table, encoding: str) -> Iterator[Hit]:
    places = [(row, i) for row in ([Row(table.header_row, table.header)] + table.rows)
              for i, cell in enumerate(row.cells) if "\ufffd" in cell]
    for row, column in places[:_MAX_REPORTED]:
        hit = table.hit("syntax-error", "syntax", row if row.number != table.header_row else None, column,
                        problem=f"bytes that are not {encoding} were replaced by \ufffd in this cell")
        yield hit
