"""Reading a flat partnership table (CSV, TSV or a workbook's sheet) into a dataset document.

Each row gives a partnership and describes its two towns inline; the towns are gathered
into Town records by `TownRegistry`. The rows are never merged: a pair given twice (in any
order) stays two partnerships, for rule `duplicate-partnership` to report at their rows.
"""

from __future__ import annotations

import re
from typing import Any

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.country_names import country_code, country_suggestion, subdivision_code
from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.formats import Document, Input, ReadOptions
from citynet_exchange.model import SUBDIVISION_PATTERN
from citynet_exchange.tables.columns import get_path, put
from citynet_exchange.tables.from_rows import bind, header_hits, read_record, value_of
from citynet_exchange.tables.reading import is_workbook, read_csv
from citynet_exchange.tables.table import Row, Table, TableLocator, normal_name
from citynet_exchange.tables.towns import TownRegistry, claim, slug
from citynet_exchange.tables.workbook import first_row, read_sheet
from citynet_exchange_flat import NAME
from citynet_exchange_flat.layout import (
    COLUMNS, REQUIRED, REQUIRED_TOWN_FIELDS, SIDES, canonical_name, column_named,
)
from citynet_exchange_flat.mapping import MappingFile, load_mapping

# A problem of a town's cell, placed once the town's pointer is known: (column index,
# field path, message key, message parameters).
_Problem = tuple[int | None, tuple[str, ...], str, dict[str, Any]]


def sniff(source: Input) -> bool:
    """A table whose header names both towns; any table when a mapping is given."""
    if source.options.mapping is not None:
        return True
    if _workbook(source):
        header = first_row(source.data, source.options.sheet)
    else:
        header = read_csv(source.name, source.head, ReadOptions(source.options.encoding,
                                                                source.options.delimiter)).header
    return {"town_a.name", "town_b.name"} <= {normal_name(h) for h in header}


def load(source: Input) -> Document:
    mapping = load_mapping(source.options.mapping) if source.options.mapping else MappingFile()
    table = _read_table(source, mapping)
    locator = TableLocator(source.name)
    if not table.header and table.problems:
        return Document(source.name, NAME, None, locator, table.problems)
    return _Reader(table, mapping, locator).document(source.name)


def _workbook(source: Input) -> bool:
    return is_workbook(source.data) or source.name.lower().endswith(".xlsx")


def _read_table(source: Input, mapping: MappingFile) -> Table:
    """The table, read with the options given, else those of the mapping file."""
    options = source.options
    if _workbook(source):
        return read_sheet(source.name, source.data, options.sheet or mapping.sheet)
    if options.sheet is not None:
        raise UsageError(f"{source.name}: is not a workbook; --sheet names a sheet of an XLSX workbook")
    return read_csv(source.name, source.data, ReadOptions(encoding=options.encoding or mapping.encoding,
                                                          delimiter=options.delimiter or mapping.delimiter))


def _suffix(path: tuple[str, ...]) -> str:
    return "".join("/" + pointer_token(p) for p in path)


class _Reader:
    """The rows of one table read into towns and partnerships."""

    def __init__(self, table: Table, mapping: MappingFile, locator: TableLocator):
        self.table, self.mapping, self.locator = table, mapping, locator
        self.bindings = bind(table, COLUMNS, mapping.columns)
        self.header_hits = header_hits(table, self.bindings, NAME)
        self.registry = TownRegistry(locator)
        self.town_index: dict[str, int] = {}
        self.partnerships: list[dict[str, Any]] = []
        self.own = [b for b in self.bindings if b.path is None or b.path[0] not in SIDES]
        self.sides = {side: [b for b in self.bindings if b.path and b.path[0] == side] for side in SIDES}
        self.names = [canonical_name(b) for b in self.bindings]
        bound = {name for name in self.names if name}
        defaults = dict(mapping.defaults)
        if "kind" not in bound:  # a table that does not say which kind of link it lists
            defaults.setdefault("kind", "unspecified")
        self.defaults = {b.path: (text, b.form) for name, text in defaults.items()
                         if (b := column_named(name)) is not None and b.path is not None}
        self.missing = [name for name in REQUIRED if name not in bound and name not in defaults]
        self.used_ids = {row.get(b.index).strip() for b in self.own if b.path == ("id",) for row in table.rows}
        self.kind_index = next((b.index for b in self.own if b.path == ("kind",)), None)

    def document(self, name: str) -> Document:
        hits = list(self.table.problems)
        if self.missing:  # no row is read, so nothing is said of the other columns
            hits += [self.table.hit("missing-column", "missing", None, None, column=column,
                                    accepted=self._accepted(column)) for column in self.missing]
            return Document(name, NAME, None, self.locator, hits)
        hits += self.header_hits
        for row in self.table.rows:
            hits += self._row(row)
        data = {"standard": STANDARD_VERSION, "towns": self.registry.records, "partnerships": self.partnerships}
        return Document(name, NAME, data, self.locator, hits)

    def _accepted(self, column: str) -> str:
        sources = [source for source, target in self.mapping.columns.items() if normal_name(target) == column]
        if sources:
            return f"the mapping reads it from {' or '.join(sources)}"
        return "or a column a mapping file maps to it, with --mapping"

    def _row(self, row: Row) -> list[Hit]:
        translated = Row(row.number, [self._translated(i, cell) for i, cell in enumerate(row.cells)], row.line)
        pointer = f"/partnerships/{len(self.partnerships)}"
        record, hits = read_record(self.table, translated, self.own, pointer, NAME, self.locator)
        for path, (text, form) in self.defaults.items():
            if path[0] not in SIDES and get_path(record, path) is None:
                put(record, path, value_of(text, form)[0])
        members = []
        for position, side in enumerate(SIDES):
            town_id, column, town_hits = self._town(side, translated)
            members.append(town_id)
            hits += town_hits
            self.locator.add(f"{pointer}/members/{position}", self.table, row, column)
        partnership_id = self._new_id(members) if "id" not in record else record["id"]
        if "kind" not in record and self.kind_index is not None:
            hits.append(self._missing(row, self.kind_index, pointer, "kind", f"partnership '{partnership_id}'"))
        self.partnerships.append({"id": partnership_id, "members": members, **record})
        return hits

    def _missing(self, row: Row, index: int | None, pointer: str, name: str, where: str) -> Hit:
        """A required field's empty cell, at the cell. The schema reports a missing field at
        its record, which this pointer names, so that it does not report it again (at the row)."""
        return self.table.hit("missing-field", "required", row, index, pointer, name=name, where=where)

    def _translated(self, index: int, cell: str) -> str:
        if index >= len(self.bindings) or not self.names[index]:
            return cell
        return self.mapping.translate(self.names[index], self.bindings[index].form, cell)

    def _new_id(self, members: list[str]) -> str:
        """`<town a>--<town b>`: readable, and stable when rows are sorted or added (a row
        number would not be); `-2`, `-3` ... where the pair is given again."""
        return claim("--".join(slug(member) or "town" for member in members), self.used_ids)

    def _town(self, side: str, row: Row) -> tuple[str, int | None, list[Hit]]:
        """The id of the town a side of the row describes, the column that names it, and the
        problems of its cells."""
        cells: dict[tuple[str, ...], tuple[str, int | None, str]] = {}
        columns: dict[tuple[str, ...], int] = {}
        for binding in self.sides[side]:
            assert binding.path is not None
            path, cell = binding.path[1:], row.get(binding.index)
            columns[path] = binding.index
            if cell and (binding.form == "text" or cell.strip()):  # as read_record: a text of spaces is a value
                cells[path] = (cell, binding.index, binding.form)
        for path, (text, form) in self.defaults.items():
            if path[0] == side:
                cells.setdefault(path[1:], (text, None, form))
        description, places, problems = _describe(cells)
        for name in REQUIRED_TOWN_FIELDS:  # an empty cell is still where the missing value belongs
            if (name,) in columns:
                places.setdefault((name,), columns[name,])
        town_id, hits = self.registry.town(description, self.table, row, places)
        index = self.town_index.setdefault(town_id, len(self.town_index))
        pointer = f"/towns/{index}"
        hits += [self.table.hit("unknown-value", message, row, column, pointer + _suffix(path), **params)
                 for column, path, message, params in problems]
        for name in REQUIRED_TOWN_FIELDS:
            if name not in description and name not in self.registry.records[index]:
                hits.append(self._missing(row, places.get((name,)), pointer, name, f"town '{town_id}'"))
        return town_id, places.get(("id",), places.get(("name",))), hits


def _describe(cells: dict[tuple[str, ...], tuple[str, int | None, str]]
              ) -> tuple[dict[str, Any], dict[tuple[str, ...], int], list[_Problem]]:
    """A town's description from its cells (path -> text, column, form), the column of each
    of its fields, and the problems of the cells."""
    description: dict[str, Any] = {}
    places: dict[tuple[str, ...], int] = {}
    problems: list[_Problem] = []
    for path in sorted(cells, key=lambda p: p == ("subdivision",)):  # the subdivision needs the country
        text, index, form = cells[path]
        value, problem = _town_value(path, text, form, description)
        put(description, path, value)
        if index is not None:
            places[path] = index
        if problem is not None:
            problems.append((index, path, *problem))
    return description, places, problems


def _town_value(path: tuple[str, ...], text: str, form: str,
                town: dict[str, Any]) -> tuple[Any, tuple[str, dict[str, Any]] | None]:
    """A town's cell as its value, and the problem (message key, parameters) if it has none:
    countries and subdivisions by code or name, other cells in their column's form. A value
    that cannot be translated is kept as it is written."""
    if path in (("country",), ("subdivision",)):
        text = text.strip()
    if path == ("country",):
        code = country_code(text)
        if code is not None:
            return code, None
        suggestion = country_suggestion(text)
        if suggestion is not None:  # by its code: the suggestion is a name's normal form
            return text, ("unknown-suggest", {"value": repr(text), "what": "country",
                                              "suggestion": country_code(suggestion)})
        return text, ("unknown", {"value": repr(text), "what": "country"})
    if path == ("subdivision",):
        country = town.get("country")
        known = country_code(country) == country if isinstance(country, str) else False
        code = subdivision_code(country, text) if known else None
        if code is not None or not known or re.match(SUBDIVISION_PATTERN, text):
            return code or text, None
        return text, ("unknown", {"value": repr(text), "what": f"first-level subdivision of {country}"})
    value, problem = value_of(text, form)
    if problem is None:
        return value, None
    return value, ("unreadable", {"value": repr(text), "what": f"{form} text", "problem": problem})

