"""Submission templates: empty tables for municipalities to fill in and send back.

A workbook template has the columns with a comment on each header, drop-down lists for
coded columns (from the code lists), and a `notes` sheet explaining every column; a CSV
template has the header and a notes row starting with `#`, which the importers skip. What
comes back is read by the same importer as any other table of the format.
"""

from __future__ import annotations

from collections.abc import Sequence

from citynet_exchange.tables.workbook import Sheet, write_workbook
from citynet_exchange.tables.writing import write_csv, write_zip

NOTES_SHEET = "notes"
LISTS_SHEET = "lists"
TEMPLATE_SHEETS = frozenset({NOTES_SHEET, LISTS_SHEET})  # not data: importers pass them over


def _notes_row(sheet: Sheet) -> list[str]:
    notes = [sheet.notes.get(name, "") for name in sheet.header]
    if sheet.choices:
        notes = [note + (f" Values: {', '.join(sheet.choices[name])}." if name in sheet.choices else "")
                 for note, name in zip(notes, sheet.header)]
    return ["# " + notes[0], *notes[1:]] if notes else []


def _notes_sheet(sheets: Sequence[Sheet]) -> Sheet:
    rows = [[s.name, name, s.notes.get(name, ""), ", ".join(s.choices.get(name, []))]
            for s in sheets for name in s.header]
    return Sheet(NOTES_SHEET, ["table", "column", "explanation", "values"], rows)


def write_template(sheets: Sequence[Sheet], *, workbook: bool) -> bytes:
    """The template as a workbook, one CSV (one table) or a zip of CSV files (several)."""
    if workbook:
        return write_workbook([*sheets, _notes_sheet(sheets)])
    files = {f"{s.name}.csv": write_csv(s.header, [_notes_row(s), *s.rows], delimiter=s.delimiter, bom=s.bom)
             for s in sheets}
    return next(iter(files.values())) if len(files) == 1 else write_zip(files)
