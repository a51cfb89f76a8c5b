"""Writing CSV packages (see the package docstring for the layout)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, BinaryIO

from citynet_exchange.findings import Hit
from citynet_exchange.formats import WriteOptions
from citynet_exchange.model import KINDS
from citynet_exchange.tables.columns import column_choices, column_note, columns_of
from citynet_exchange.tables.to_rows import Unwritable, header_for, row_for, unwritable
from citynet_exchange.tables.workbook import Sheet, write_workbook
from citynet_exchange.tables.writing import write_csv, write_zip
from citynet_exchange_csv.layout import DATASET_COLUMNS, METADATA, STANDARD

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
    metadata = Sheet(METADATA, ["field", "value"], [[c.name, STANDARD if c.name == "standard" else None]
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
