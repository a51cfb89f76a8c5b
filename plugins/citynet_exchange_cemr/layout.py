"""The header of a CEMR table: which column holds what, and what the header lacks or repeats."""

from __future__ import annotations

from dataclasses import dataclass, field

from citynet_exchange.findings import Hit
from citynet_exchange.formats import Input
from citynet_exchange.tables.reading import is_workbook_input, read_csv
from citynet_exchange.tables.table import Table, column_letter
from citynet_exchange.tables.workbook import first_row
from citynet_exchange_cemr import NAME
from citynet_exchange_cemr.columns import BY_KEY, EXTRA_CELLS, REQUIRED, SIGNATURE, THEMES_KEPT, column_of


@dataclass
class Layout:
    """The column index of each key, and the columns the format does not have (or has
    already), by the name their values are kept under in `extensions.cemr`."""

    columns: dict[str, int] = field(default_factory=dict)
    kept: dict[int, str] = field(default_factory=dict)


def read_layout(table: Table) -> tuple[Layout | None, list[Hit]]:
    """The header's layout and its findings; no layout when a required column is missing,
    as then no row can be read."""
    layout = Layout()
    hits: list[Hit] = []
    for index, header in enumerate(table.header):
        column = column_of(header)
        if column is not None and column.key not in layout.columns:
            layout.columns[column.key] = index
            continue
        if not header.strip() and not any(row.get(index).strip() for row in table.rows):
            continue  # an unnamed, empty column: a trailing delimiter
        name = header.strip() or f"Spalte {column_letter(index)}"
        if name in (THEMES_KEPT, EXTRA_CELLS, *layout.kept.values()):
            name = f"{name} ({column_letter(index)})"
        layout.kept[index] = name
        if column is not None:
            first = table.header[layout.columns[column.key]].strip()
            hits.append(table.hit("duplicate-column", "duplicate", None, index, column=header.strip(), first=first))
        else:
            hits.append(table.hit("unknown-column", "unknown", None, index, column=name, format=NAME))
    missing = [BY_KEY[key] for key in REQUIRED if key not in layout.columns]
    hits += [table.hit("missing-column", "missing", column=c.header, accepted=c.accepted) for c in missing]
    return (None if missing else layout), hits


def looks_like_cemr(source: Input) -> bool:
    """Whether the header names a German town and a partner town; reads only the first row."""
    header = first_row(source.data, source.options.sheet) if is_workbook_input(source) else _text_header(source)
    return SIGNATURE <= {column.key for column in map(column_of, header) if column is not None}


def _text_header(source: Input) -> list[str]:
    head = source.head
    end = head.rfind(b"\n") + 1  # whole lines only: a character cut in two would look like another encoding
    if head[end:end + 1] == b"\x00":  # the second byte of a UTF-16 (little-endian) line break
        end += 1
    return read_csv(source.name, head[:end] if end > 0 else head, source.options).header
