"""Reading CSV packages (see the package docstring for the layout).

The metadata table is read whole (it is a few rows); the record tables are streamed, row
by row, each kind's after the other's, and a record is read again from its row's span.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from citynet_exchange.findings import Hit, Location, pointer_path
from citynet_exchange.formats import Document, FileLocator, Input, Locator, syntax_hit
from citynet_exchange.limits import exceeded
from citynet_exchange.model import KINDS
from citynet_exchange.tables.columns import columns_of, put, required_columns
from citynet_exchange.tables.from_rows import RowFields, bind, header_hits, is_blank, read_record, value_of
from citynet_exchange.tables.places import RowPlaces
from citynet_exchange.tables.reading import CsvStream, is_workbook_input
from citynet_exchange.tables.table import HeldRows, Row, RowSource, Table, TableLocator, normal_name
from citynet_exchange.tables.template import TEMPLATE_SHEETS
from citynet_exchange.tables.workbook import read_sheets, sheet_names
from citynet_exchange_csv import NAME
from citynet_exchange_csv.layout import DATASET_COLUMNS, METADATA, STANDARD, TABLES, TEXT_SUFFIXES


def sniff(source: Input) -> bool:
    if source.members is not None:
        return any(_table_name(name) for name in source.members)
    if is_workbook_input(source):
        return any(name.lower() in TABLES for name in sheet_names(source.data))
    return source.head.startswith(b"PK\x03\x04")


def load(source: Input) -> Document:
    tables, problems = _tables(source)
    if problems and not tables:
        return Document(source.name, NAME, None, FileLocator(source.name), problems)
    return _Package(source.name, tables, problems).document


def _tables(source: Input) -> tuple[dict[str, RowSource], list[Hit]]:
    """The package's tables by kind, and hits for what is not a table of it."""
    if source.members is None and is_workbook_input(source):
        sheets, problems = read_sheets(source.name, source.data, source.limits.unpacked_bytes)
        tables: dict[str, RowSource] = {name.lower(): HeldRows(t) for name, t in sheets.items()
                                        if name.lower() in TABLES}
        problems += [_unknown_table(source.name, name, None) for name in sheets
                     if name.lower() not in {*TABLES, *TEMPLATE_SHEETS}]
        return tables, problems
    members = source.members
    if members is None and not source.head.startswith(b"PK\x03\x04"):  # one table of a package, alone
        table = _table_name(PurePosixPath(source.name).name)
        if table is None:
            known = ", ".join(f"{t}.csv" for t in TABLES)
            return {}, [syntax_hit(source.name, None, None, f"not a CSV package: a package is a folder, a zip or "
                                   f"a workbook of the tables {known}, or one of those tables alone")]
        return {table: CsvStream(source.name, source.open, source.options, source.limits)}, []
    if members is None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(source.data))
            # Only tables are read: any other member (a `../` path, a zip bomb) is named, never unpacked.
            wanted = [info for info in archive.infolist() if not info.is_dir() and _table_name(info.filename)]
            unpacked = sum(info.file_size for info in wanted)
            if unpacked > source.limits.unpacked_bytes:
                return {}, [exceeded("unpacked_bytes", source.limits.unpacked_bytes, f"the tables of the zip, "
                                     f"{unpacked:,} bytes unpacked (they were not read)",
                                     location=Location(file=source.name))]
            members = {info.filename: archive.read(info) if info in wanted else b""
                       for info in archive.infolist() if not info.is_dir()}
        # A broken zip fails in many ways: a bad header, an offset before the start (ValueError),
        # damaged compressed data (zlib.error), a method zipfile lacks, an encrypted member (RuntimeError).
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error, NotImplementedError,
                RuntimeError) as exc:
            return {}, [syntax_hit(source.name, None, None, f"not a readable zip file ({exc})")]
    tables = {}
    problems = []
    for member, payload in members.items():
        name = _table_name(member)
        if name is None or name in tables:
            problems.append(_unknown_table(source.name, member, name))
            continue
        tables[name] = CsvStream(f"{source.name}/{member}", lambda payload=payload: io.BytesIO(payload),
                                 source.options, source.limits)
    return tables, problems


def _table_name(member: str) -> str | None:
    path = PurePosixPath(member)
    name = path.stem.lower()
    return name if path.suffix.lower() in TEXT_SUFFIXES and name in TABLES and len(path.parts) == 1 else None


def _unknown_table(file: str, member: str, repeated: str | None) -> Hit:
    known = "a table named twice" if repeated else ", ".join(f"{t}.csv" for t in TABLES)
    return Hit(code="unknown-column", message="unknown-table", location=Location(file=f"{file}/{member}"),
               params={"table": member, "format": NAME, "known": known})


@dataclass(frozen=True)
class _RecordTable:
    kind: str
    fields: RowFields
    places: RowPlaces


class _Package(Locator):
    """A package read: its dataset fields at once, its records streamed (`records`), read
    again (`fetch`) and placed (`locate`) by the rows they came from."""

    def __init__(self, name: str, tables: dict[str, RowSource], problems: list[Hit]):
        self.fields = TableLocator(name)  # the dataset's own fields, by their metadata rows
        self.file = name
        self.problems = problems  # of the header and the tables' headers; a pass adds the rows'
        self.tables: dict[str, _RecordTable] = {}  # by record key
        metadata = tables.pop(METADATA, None)
        # A package of record tables alone (made by hand) follows the standard this reads.
        data: dict[str, Any] = {} if metadata else {"standard": STANDARD}
        if metadata is not None:
            metadata.table.rows = list(metadata.rows())
            problems += [*metadata.table.problems, *_read_metadata(metadata.table, data, self.fields)]
        for kind, (key, model) in KINDS.items():
            rows = tables.get(key)
            if rows is not None:
                self._bind(kind, key, rows, model)
        self.document = Document(name, NAME, data, self, list(problems), stream=self.records, fetch=self.fetch)
        self._complete = False

    def _bind(self, kind: str, key: str, rows: RowSource, model: Any) -> None:
        """Bind a record table's columns; one that lacks a required column is not read."""
        table = rows.table
        if not table.header:
            self.problems += table.problems
            return
        bindings = bind(table, columns_of(model))
        self.problems += header_hits(table, bindings, NAME)
        bound = {b.path[0] for b in bindings if b.path}
        missing = [name for name in required_columns(model) if name not in bound]
        if missing:
            self.problems += [table.hit("missing-column", "missing", column=name, accepted="a required field")
                              for name in missing]
            for _row in rows.rows():  # for the problems of its bytes
                pass
            self.problems += table.problems
            return
        self.tables[key] = _RecordTable(kind, RowFields.of(table, bindings), RowPlaces(rows, bindings, NAME))

    def records(self) -> Iterator[tuple[str, int, Any]]:
        """Each record table's records in turn; the first pass notes where each came from and
        the problems of its rows."""
        complete, problems = self._complete, self.document.problems
        if not complete:
            problems[:] = self.problems
        for key, table in self.tables.items():
            places = table.places
            if not complete:
                places.clear()
            for index, row in enumerate(places.rows.rows()):
                record, hits = read_record(places.table, row, table.fields, f"/{key}/{index}", NAME)
                if not complete:
                    places.add(row)
                    problems += hits
                yield table.kind, index, record
            if not complete:
                problems += places.table.problems
        self._complete = True

    def fetch(self, kind: str, index: int) -> Any:
        key = KINDS[kind][0]
        table = self.tables[key]
        row = table.places.row(index, cells=True)
        return read_record(table.places.table, row, table.fields, f"/{key}/{index}", NAME)[0]

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        path = pointer_path(pointer)
        if len(path) >= 2 and path[0] in self.tables and path[1].isdigit():
            places = self.tables[path[0]].places
            if int(path[1]) < len(places):
                return places.locate(int(path[1]), places.column(path[2:]), pointer)
        return self.fields.locate(pointer, key=key)


def _read_metadata(table: Table, data: dict[str, Any], locator: TableLocator) -> list[Hit]:
    """`field,value` rows: the header is `field,value`, each row one field of the dataset."""
    by_name = {normal_name(c.name): c for c in DATASET_COLUMNS}
    hits: list[Hit] = []
    if not table.header:  # empty, or blank lines only: it gives no field (the schema says which are missing)
        return hits
    for row in [Row(table.header_row, table.header, 1), *table.rows] if normal_name(table.header[0]) != "field" \
            else table.rows:
        name, cell = row.get(0), row.get(1)
        column = by_name.get(normal_name(name))
        if column is None:
            hits.append(table.hit("unknown-column", "unknown", row, 0, column=name.strip(), format=NAME))
            put(data, ("extensions", NAME, name.strip()), cell)
            continue
        if is_blank(cell, column.form):
            continue
        value, problem = value_of(cell, column.form)
        pointer = "/" + "/".join(column.path)
        if problem:
            hits.append(table.hit("unknown-value", "unreadable", row, 1, pointer, value=repr(cell),
                                  what=f"{column.form} text", problem=problem))
        put(data, column.path, value)
        locator.add(pointer, table, row, 1)
    return hits
