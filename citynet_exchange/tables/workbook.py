"""XLSX workbooks: worksheets read into `Table`s, tables written as worksheets (openpyxl).

Cells are read as their values (a formula as the value it last computed; one the file holds
no value for is a finding at its cell) and turned into the text a CSV would hold: whole
numbers without `.0`, dates as YYYY-MM-DD. Without `--sheet`, the first sheet that is not
hidden is read. Text is written as text, never as a formula, so a workbook needs no escaping.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, Location
from citynet_exchange.formats import syntax_hit
from citynet_exchange.limits import Limits, exceeded
from citynet_exchange.tables.reading import skipped

# What a workbook cell's text cannot hold: control characters and the noncharacters U+FFFE
# and U+FFFF (XML forbids them), and carriage returns (XML readers turn them into line feeds).
UNKEEPABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\ufffe\uffff]")
from citynet_exchange.tables.table import Row, Table


def cell_text(value: Any) -> str:
    """A cell value as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _open(file: str, data: bytes, *, formulas: bool = False, unpacked: int | None = None) -> Any:
    """The workbook, its cells as their values, or (`formulas`) as what was typed into them;
    one whose parts are more than `unpacked` bytes unpacked is not opened."""
    import openpyxl  # only tabular work pays for importing it

    if unpacked is not None:
        _check_unpacked(file, data, unpacked)
    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise _Unreadable(syntax_hit(file, None, None, f"not a readable XLSX workbook ({exc})")) from exc


def _check_unpacked(file: str, data: bytes, unpacked: int) -> None:
    try:
        size = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # openpyxl says what is wrong with it
    if size > unpacked:
        raise _Unreadable(exceeded("unpacked_bytes", unpacked, f"the workbook, {size:,} bytes unpacked (it was "
                                   "not read)", location=Location(file=file)))


class _Unreadable(Exception):
    def __init__(self, hit: Hit):
        super().__init__(hit.params["problem"])
        self.hit = hit


def _table(file: str, worksheet: Any, typed: Any) -> Table:
    """A worksheet as a table; `typed` is the same sheet read as typed, for the formulas."""
    table = Table(file=file, header=[], rows=[], sheet=worksheet.title, workbook=True)
    typed_rows = typed.iter_rows(min_row=1, min_col=1, values_only=True)
    for number, values in enumerate(worksheet.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
        formulas = {i: f for i, (v, f) in enumerate(zip(values, next(typed_rows, ())))
                    if v is None and isinstance(f, str) and f.startswith("=")}
        cells = [cell_text(v) for v in values]
        while cells and cells[-1] == "" and len(cells) - 1 not in formulas:
            cells.pop()
        if skipped(cells, comments=False) and not formulas:  # a workbook's text is never escaped
            continue
        if not table.header:
            table.header, table.header_row = cells, number
            row = None
        else:
            row = Row(number=number, cells=cells)
            table.rows.append(row)
        table.problems += [table.hit("unknown-value", "unreadable", row, i, value=repr(f), what="a value",
                                     problem="the file holds no value computed for this formula (the program "
                                             "that saved it does not compute formulas); open and save it in a "
                                             "spreadsheet program, or type the value") for i, f in formulas.items()]
    return table


def _first_visible(workbook: Any) -> Any:
    """The sheet read when none is named: the first that is not hidden (notes, lists)."""
    return next((ws for ws in workbook.worksheets if ws.sheet_state == "visible"), workbook.worksheets[0])


def first_row(data: bytes, sheet: str | None = None) -> list[str]:
    """The first non-blank row of a sheet (the first, or the named one), reading nothing more:
    what detecting a format needs. Empty for a workbook that cannot be read."""
    try:
        workbook = _open("", data)
    except _Unreadable:
        return []
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            return []
        worksheet = workbook[sheet] if sheet is not None else _first_visible(workbook)
        for values in worksheet.iter_rows(min_row=1, min_col=1, values_only=True):
            cells = [cell_text(v) for v in values]
            if not skipped(cells, comments=False):
                return cells
        return []
    except Exception:  # a sheet whose XML breaks as it is read (lazily): reading it says so (`_read`)
        return []
    finally:
        workbook.close()


def sheet_names(data: bytes) -> list[str]:
    """The names of a workbook's sheets, empty for a workbook that cannot be read."""
    try:
        workbook = _open("", data)
    except _Unreadable:
        return []
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def read_sheet(file: str, data: bytes, sheet: str | None, unpacked: int = Limits().unpacked_bytes) -> Table:
    """The named worksheet, or the first visible one; an unknown name is a `UsageError`."""
    try:
        workbook, typed = _open(file, data, unpacked=unpacked), _open(file, data, formulas=True)
    except _Unreadable as exc:
        return Table(file=file, header=[], rows=[], workbook=True, problems=[exc.hit])
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise UsageError(f"{file}: has no sheet {sheet!r}; its sheets: {', '.join(workbook.sheetnames)}")
        worksheet = workbook[sheet] if sheet is not None else _first_visible(workbook)
        return _read(file, worksheet, typed[worksheet.title])
    finally:
        workbook.close()
        typed.close()


def _read(file: str, worksheet: Any, typed: Any) -> Table:
    """A worksheet as a table; a sheet whose XML breaks while it is read (the workbook is read
    lazily) is a syntax error, not a crash."""
    try:
        return _table(file, worksheet, typed)
    except Exception as exc:  # openpyxl and its XML parser raise many kinds for a broken sheet
        hit = syntax_hit(file, None, None, f"the sheet {worksheet.title!r} cannot be read ({exc})")
        return Table(file=file, header=[], rows=[], sheet=worksheet.title, workbook=True, problems=[hit])


def read_sheets(file: str, data: bytes, unpacked: int = Limits().unpacked_bytes
                ) -> tuple[dict[str, Table], list[Hit]]:
    """Every worksheet by name (a CSV package in one workbook), or the hit that it is unreadable."""
    try:
        workbook, typed = _open(file, data, unpacked=unpacked), _open(file, data, formulas=True)
    except _Unreadable as exc:
        return {}, [exc.hit]
    try:
        return {ws.title: _read(file, ws, typed[ws.title]) for ws in workbook.worksheets}, []
    finally:
        workbook.close()
        typed.close()


@dataclass
class Sheet:
    """A table to write: header, rows of typed values, and optional notes and drop-down lists."""

    name: str
    header: list[str]
    rows: Sequence[Sequence[Any]]
    notes: dict[str, str] = field(default_factory=dict)  # column -> explanation (a comment)
    choices: dict[str, list[str]] = field(default_factory=dict)  # column -> allowed values
    delimiter: str = ","  # how the table is written as CSV: the delimiter,
    bom: bool = False  # and whether a byte-order mark comes first (for spreadsheet programs)


def write_workbook(sheets: Iterable[Sheet]) -> bytes:
    """The sheets as an XLSX workbook; the values of drop-down lists go in a hidden last sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    sheets = list(sheets)
    workbook = Workbook()
    workbook.remove(workbook.active)
    lists = workbook.create_sheet("lists") if any(s.choices for s in sheets) else None
    list_column = 0
    for sheet in sheets:
        ws = workbook.create_sheet(sheet.name)
        for column, name in enumerate(sheet.header, start=1):
            cell = ws.cell(row=1, column=column, value=name)
            cell.font = Font(bold=True)
            if name in sheet.notes:
                cell.comment = Comment(sheet.notes[name], "citynet")
            ws.column_dimensions[get_column_letter(column)].width = max(12, min(40, len(name) + 4))
        for r, values in enumerate(sheet.rows, start=2):
            for column, value in enumerate(values, start=1):
                if value is None or value == "":
                    continue
                cell = ws.cell(row=r, column=column)
                cell.value = UNKEEPABLE.sub("", value.replace("\r\n", "\n")) if isinstance(value, str) else value
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text, even when it starts with "="
        ws.freeze_panes = "A2"
        for name, values in sheet.choices.items():
            assert lists is not None
            list_column += 1
            letter = get_column_letter(list_column)
            lists.cell(row=1, column=list_column, value=f"{sheet.name}.{name}")
            for i, value in enumerate(values, start=2):
                lists.cell(row=i, column=list_column, value=value).data_type = "s"
            target = get_column_letter(sheet.header.index(name) + 1)
            validation = DataValidation(
                type="list", formula1=f"{quote_sheetname('lists')}!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True, showErrorMessage=True, errorTitle=name,
                error=f"Choose a value of the list for {name}.",
            )
            validation.add(f"{target}2:{target}1000")
            ws.add_data_validation(validation)
    if lists is not None:
        lists.sheet_state = "hidden"
        workbook.move_sheet(lists, offset=len(workbook.sheetnames))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
