"""Reading and writing CSV packages (see the package docstring for the layout)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any, BinaryIO

from citynet_exchange.findings import Hit
from citynet_exchange.findings import Location
from citynet_exchange.formats import Document, FileLocator, Input, WriteOptions, syntax_hit
from citynet_exchange.model import KINDS, Dataset, Metadata
from citynet_exchange.tables.columns import Column, column_choices, column_note, columns_of, put, required_columns
from citynet_exchange.tables.from_rows import bind, header_hits, is_blank, read_record, value_of
from citynet_exchange.tables.to_rows import Unwritable, header_for, row_for, unwritable
from citynet_exchange.tables.reading import is_workbook_input, read_csv
from citynet_exchange.tables.table import Row, Table, TableLocator, normal_name
from citynet_exchange.tables.template import TEMPLATE_SHEETS
from citynet_exchange.tables.workbook import Sheet, read_sheets, sheet_names, write_workbook
from citynet_exchange.tables.writing import write_csv, write_zip
from citynet_exchange_csv import NAME

METADATA = "metadata"
TABLES = (METADATA, *(key for key, _model in KINDS.values()))
_TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# The dataset's own fields in metadata.csv: the standard version, the metadata, extensions.
DATASET_COLUMNS: tuple[Column, ...] = (
    Column("standard", ("standard",), "text"),
    *(Column(c.name, ("metadata", *c.path), c.form) for c in columns_of(Metadata)),
    Column("extensions", ("extensions",), "json"),
)
_STANDARD = Dataset.model_fields["standard"].annotation.__args__[0]  # type: ignore[union-attr]


def sniff(source: Input) -> bool:
    if source.members is not None:
        return any(_table_name(name) for name in source.members)
    if is_workbook_input(source):
        return any(name.lower() in TABLES for name in sheet_names(source.data))
    return source.head.startswith(b"PK\x03\x04")


def load(source: Input) -> Document:
    tables, problems = _tables(source)
    locator = TableLocator(source.name)
    if problems and not tables:
        return Document(source.name, NAME, None, FileLocator(source.name), problems)
    for table in tables.values():
        problems.extend(table.problems)
    metadata = tables.pop(METADATA, None)
    # A package of record tables alone (made by hand) follows the standard this reads.
    data: dict[str, Any] = {} if metadata else {"standard": _STANDARD}
    if metadata is not None:
        problems.extend(_read_metadata(metadata, data, locator))
    for kind, (key, model) in KINDS.items():
        table = tables.get(key)
        if table is None or not table.header:
            continue
        records, hits = _read_records(table, key, columns_of(model), required_columns(model), locator)
        problems.extend(hits)
        if records is not None:
            data[key] = records
    return Document(source.name, NAME, data, locator, problems)


def _tables(source: Input) -> tuple[dict[str, Table], list[Hit]]:
    """The package's tables by kind, and hits for what is not a table of it."""
    if source.members is None and is_workbook_input(source):
        sheets, problems = read_sheets(source.name, source.data)
        tables = {name.lower(): t for name, t in sheets.items() if name.lower() in TABLES}
        problems += [_unknown_table(source.name, name, None) for name in sheets
                     if name.lower() not in {*TABLES, *TEMPLATE_SHEETS}]
        return tables, problems
    members = source.members
    if members is None and not source.data.startswith(b"PK\x03\x04"):  # one table of a package, alone
        table = _table_name(PurePosixPath(source.name).name)
        if table is None:
            known = ", ".join(f"{t}.csv" for t in TABLES)
            return {}, [syntax_hit(source.name, None, None, f"not a CSV package: a package is a folder, a zip or "
                                   f"a workbook of the tables {known}, or one of those tables alone")]
        return {table: read_csv(source.name, source.data, source.options)}, []
    if members is None:
        try:
            archive = zipfile.ZipFile(io.BytesIO(source.data))
            # Only tables are read: any other member (a `../` path, a zip bomb) is named, never unpacked.
            members = {info.filename: archive.read(info) if _table_name(info.filename) else b""
                       for info in archive.infolist() if not info.is_dir()}
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            return {}, [syntax_hit(source.name, None, None, f"not a readable zip file ({exc})")]
    tables: dict[str, Table] = {}
    problems: list[Hit] = []
    for member, payload in members.items():
        name = _table_name(member)
        if name is None or name in tables:
            problems.append(_unknown_table(source.name, member, name))
            continue
        tables[name] = read_csv(f"{source.name}/{member}", payload, source.options)
    return tables, problems


def _table_name(member: str) -> str | None:
    path = PurePosixPath(member)
    name = path.stem.lower()
    return name if path.suffix.lower() in _TEXT_SUFFIXES and name in TABLES and len(path.parts) == 1 else None


def _unknown_table(file: str, member: str, repeated: str | None) -> Hit:
    known = "a table named twice" if repeated else ", ".join(f"{t}.csv" for t in TABLES)
    return Hit(code="unknown-column", message="unknown-table", location=Location(file=f"{file}/{member}"),
               params={"table": member, "format": NAME, "known": known})


def _read_records(table: Table, key: str, columns: tuple[Column, ...], required: list[str],
                  locator: TableLocator) -> tuple[list[dict[str, Any]] | None, list[Hit]]:
    bindings = bind(table, columns)
    hits = header_hits(table, bindings, NAME)
    bound = {b.path[0] for b in bindings if b.path}
    missing = [name for name in required if name not in bound]
    if missing:
        return None, hits + [table.hit("missing-column", "missing", column=name, accepted="a required field")
                             for name in missing]
    records = []
    for row in table.rows:
        record, row_hits = read_record(table, row, bindings, f"/{key}/{len(records)}", NAME, locator)
        records.append(record)
        hits.extend(row_hits)
    return records, hits


def _read_metadata(table: Table, data: dict[str, Any], locator: TableLocator) -> list[Hit]:
    """`field,value` rows: the header is `field,value`, each row one field of the dataset."""
    by_name = {normal_name(c.name): c for c in DATASET_COLUMNS}
    hits: list[Hit] = []
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


def dump(data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
    if not isinstance(data, Mapping):
        data, lost = {}, [_lost(Unwritable("", "lost", "the document, which is not an object,"))]
    else:
        lost = []
    sheets = [_metadata_sheet(data, options)]
    for key, model in KINDS.values():
        records = data.get(key)
        if not isinstance(records, list) or not records:
            continue
        columns = columns_of(model)
        header = header_for(records, columns)
        rows = [row_for(r if isinstance(r, Mapping) else {}, header, columns, workbook=options.workbook,
                        safe=options.spreadsheet_safe) for r in records]
        sheets.append(Sheet(key, header, rows))
    for key, model in KINDS.values():
        records = data.get(key)
        for i, record in enumerate(records if isinstance(records, list) else []):
            if isinstance(record, Mapping):
                lost += map(_lost, unwritable(record, f"/{key}/{i}", columns_of(model),
                                              workbook=options.workbook))
            else:
                lost.append(_lost(Unwritable(f"/{key}/{i}", "lost", f"the {key[:-1]} that is not an object")))
    own = {k: v for k, v in data.items() if k not in {key for key, _m in KINDS.values()}}
    lost += map(_lost, unwritable(own, "", DATASET_COLUMNS, workbook=options.workbook))
    if options.workbook:
        out.write(write_workbook(sheets))
    else:
        out.write(write_zip({f"{s.name}.csv": write_csv(s.header, s.rows) for s in sheets}))
    return lost


def template() -> list[Sheet]:
    metadata = Sheet(METADATA, ["field", "value"], [[c.name, _STANDARD if c.name == "standard" else None]
                                                   for c in DATASET_COLUMNS])
    metadata.notes = {"field": "A field of the dataset: standard, title, publisher (required), license ...",
                      "value": "Its value; sources and extensions are written as JSON."}
    sheets = [metadata]
    for key, model in KINDS.values():
        columns = [c for c in columns_of(model) if c.form != "names"]
        sheets.append(Sheet(key, [c.name for c in columns], [],
                            notes={c.name: column_note(model, c) for c in columns},
                            choices={c.name: v for c in columns if (v := column_choices(model, c))}))
    return sheets


def _lost(value: Unwritable) -> Hit:
    params = {"what": value.what, "format": "a CSV package"} | ({"how": value.how} if value.how else {})
    return Hit(code="conversion-loss", message=value.message, pointer=value.pointer, params=params)


def _metadata_sheet(data: Mapping[str, Any], options: WriteOptions) -> Sheet:
    row = row_for(data, [c.name for c in DATASET_COLUMNS], DATASET_COLUMNS,
                  workbook=options.workbook, safe=options.spreadsheet_safe)
    rows = [[c.name, value] for c, value in zip(DATASET_COLUMNS, row) if value not in (None, "")]
    return Sheet(METADATA, ["field", "value"], rows)
