"""Writing a dataset as a flat partnership table: CSV, or one sheet of a workbook.

A row per bilateral partnership with both towns inline. What such a table has no place for
is a `conversion-loss` finding at its value: partnerships of more than two towns, towns in
no bilateral partnership, networks, memberships, the metadata.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, BinaryIO

from pydantic import BaseModel

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.findings import Hit
from citynet_exchange.formats import WriteOptions
from citynet_exchange.model import Partnership, Town
from citynet_exchange.tables.columns import Column, column_choices, column_note
from citynet_exchange.tables.to_rows import Unwritable, header_for, row_for, unwritable
from citynet_exchange.tables.workbook import Sheet, write_workbook
from citynet_exchange.tables.writing import write_csv
from citynet_exchange_flat.layout import (
    COLUMNS, FORMAT_WORDS, OWN_COLUMNS, REQUIRED, SHEET, SIDES, TOWN_COLUMNS,
)

# Columns written even when empty: what a reader needs to tell the rows apart.
_ALWAYS = frozenset({"id", "kind", *REQUIRED, *(f"{side}.id" for side in SIDES)})
_PARTNERSHIP_FIELDS = (*OWN_COLUMNS, Column("members", ("members",), "list"))
_TABLE_KEYS = frozenset({"towns", "partnerships"})


def dump(data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
    if not isinstance(data, Mapping):
        data, lost = {}, [Unwritable("", "lost", "the document, which is not an object,")]
    else:
        lost = _dataset_losses(data)
    records, record_losses = _rows(data, options.workbook)
    header = header_for(records, COLUMNS)
    rows = [row_for(r, header, COLUMNS, workbook=options.workbook, safe=options.spreadsheet_safe)
            for r in records]
    keep = [i for i, name in enumerate(header) if name in _ALWAYS or any(r[i] not in (None, "") for r in rows)]
    header, rows = [header[i] for i in keep], [[r[i] for i in keep] for r in rows]
    if options.workbook:
        out.write(write_workbook([Sheet(SHEET, header, rows, choices=_choices(header))]))
    else:
        out.write(write_csv(header, rows))
    return [_hit(loss) for loss in [*lost, *record_losses]]


def template() -> list[Sheet]:
    columns = [c for c in COLUMNS if c.form not in ("names", "json")]
    notes = {}
    for column in columns:
        model, own = _own_column(column)
        side = f"Town {column.path[0][-1].upper()}: " if column.path[0] in SIDES else ""
        notes[column.name] = side + column_note(model, own)
    header = [c.name for c in columns]
    return [Sheet(SHEET, header, [], notes=notes, choices=_choices(header))]


def _own_column(column: Column) -> tuple[type[BaseModel], Column]:
    """The model a column belongs to, and the column as that model's own (without `town_a.`)."""
    if column.path[0] in SIDES:
        return Town, Column(".".join(column.path[1:]), column.path[1:], column.form)
    return Partnership, column


def _choices(header: Sequence[str]) -> dict[str, list[str]]:
    """Drop-down lists for the coded columns of a header."""
    by_name = {c.name: c for c in COLUMNS}
    choices = {}
    for name in header:
        if name in by_name and (values := column_choices(*_own_column(by_name[name]))):
            choices[name] = values
    return choices


def _rows(data: Mapping[str, Any], workbook: bool) -> tuple[list[dict[str, Any]], list[Unwritable]]:
    """A record per bilateral partnership (its fields, and its towns under `town_a`, `town_b`),
    and what of the partnerships and towns the rows cannot carry."""
    towns = _list(data, "towns")
    by_id: dict[str, Mapping[str, Any]] = {}
    for town in towns:
        if isinstance(town, Mapping) and isinstance(town.get("id"), str):
            by_id.setdefault(town["id"], town)
    records: list[dict[str, Any]] = []
    lost: list[Unwritable] = []
    written: set[str] = set()
    for i, partnership in enumerate(_list(data, "partnerships")):
        pointer = f"/partnerships/{i}"
        members = partnership.get("members") if isinstance(partnership, Mapping) else None
        if not isinstance(members, list) or len(members) != 2 or not all(isinstance(m, str) for m in members):
            count = f"{len(members)} members" if isinstance(members, list) else "no list of members"
            lost.append(Unwritable(pointer, "lost", f"the partnership at {pointer}, with {count},"))
            continue
        record = {key: value for key, value in partnership.items() if key != "members"}
        for position, (side, member) in enumerate(zip(SIDES, members)):
            if member in by_id:
                record[side] = by_id[member]
                written.add(member)
            else:  # the row names it by id; the dataset has no town to write
                record[side] = {"id": member}
                lost.append(Unwritable(f"{pointer}/members/{position}", "lost",
                                       f"town '{member}', which the dataset does not define,"))
        lost += unwritable(partnership, pointer, _PARTNERSHIP_FIELDS, workbook=workbook)
        records.append(record)
    for j, town in enumerate(towns):
        town_id = town.get("id") if isinstance(town, Mapping) else None
        if isinstance(town, Mapping) and town_id in written and by_id[town_id] is town:
            lost += unwritable(town, f"/towns/{j}", TOWN_COLUMNS, workbook=workbook)
        else:
            lost.append(Unwritable(f"/towns/{j}", "lost", f"the town at /towns/{j}, which no row of bilateral "
                                                          "partnerships holds,"))
    return records, lost


def _list(data: Mapping[str, Any], key: str) -> list[Any]:
    records = data.get(key)
    return records if isinstance(records, list) else []


def _dataset_losses(data: Mapping[str, Any]) -> list[Unwritable]:
    """The dataset's own fields (the metadata, extensions) and its networks and memberships,
    which have no place in a table of partnerships."""
    lost = []
    for key, value in data.items():
        if (key in _TABLE_KEYS and isinstance(value, list)) or (key == "standard" and value == STANDARD_VERSION) \
                or value in (None, [], {}):
            continue
        if key in ("networks", "memberships") and isinstance(value, list):
            lost += [Unwritable(f"/{key}/{i}", "lost", f"the {key[:-1]} at /{key}/{i}") for i in range(len(value))]
        else:
            lost.append(Unwritable(f"/{key}", "lost", f"the dataset's {key}"))
    return lost


def _hit(loss: Unwritable) -> Hit:
    params = {"what": loss.what, "format": FORMAT_WORDS} | ({"how": loss.how} if loss.how else {})
    return Hit(code="conversion-loss", message=loss.message, pointer=loss.pointer, params=params)
