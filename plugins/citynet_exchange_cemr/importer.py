"""Reading a CEMR export (CSV or the first sheet of a workbook) into a dataset document."""

from __future__ import annotations

import re
from typing import Any

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.country_names import country_code
from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, pointer_of
from citynet_exchange.formats import Document, FileLocator, Input
from citynet_exchange.model import COUNTRY_PATTERN, SUBDIVISION_PATTERN
from citynet_exchange.tables.cells import join_list
from citynet_exchange.tables.columns import put
from citynet_exchange.tables.reading import read_csv, reads_as_workbook
from citynet_exchange.tables.table import Row, Table, TableLocator
from citynet_exchange.tables.towns import TownRegistry, claim
from citynet_exchange.tables.workbook import read_sheet
from citynet_exchange_cemr import NAME
from citynet_exchange_cemr.columns import EXTRA_CELLS, THEMES_KEPT
from citynet_exchange_cemr.layout import Layout, looks_like_cemr, read_layout
from citynet_exchange_cemr.values import (
    DATE_FORMS, closest, country_hint, date_value, kind_names, kind_value, state_names, state_value, theme_labels,
    theme_values,
)

# The town fields a row gives, by field path and column key.
_GERMAN_FIELDS = {("name",): "town", ("subdivision",): "state", ("identifiers", "ags"): "ags"}
_PARTNER_FIELDS = {("name",): "partner", ("country",): "country"}
# A problem of one cell, reported once the pointer of its value is known:
# (field path in its record, column key, message key, message params).
Problem = tuple[tuple[str, ...], str, str, dict[str, object]]


def sniff(source: Input) -> bool:
    return looks_like_cemr(source)


def load(source: Input) -> Document:
    table = _table(source)
    problems = list(table.problems)
    layout, hits = read_layout(table) if table.header or not problems else (None, [])
    problems += hits
    if layout is None:
        return Document(source.name, NAME, None, FileLocator(source.name), problems)
    reader = _RowReader(table, layout)
    for row in table.rows:
        problems += reader.read(row)
    data = {"standard": STANDARD_VERSION, "towns": reader.towns.records, "partnerships": reader.partnerships}
    return Document(source.name, NAME, data, reader.locator, problems)


def _table(source: Input) -> Table:
    if reads_as_workbook(source):
        return read_sheet(source.name, source.data, source.options.sheet)
    if source.options.sheet is not None:
        raise UsageError(f"{source.name}: --sheet names a worksheet, and this is not a workbook")
    return read_csv(source.name, source.data, source.options)


class _RowReader:
    """Turns rows into partnerships between towns gathered across rows."""

    def __init__(self, table: Table, layout: Layout):
        self.table = table
        self.layout = layout
        self.towns = TownRegistry()
        self.locator = TableLocator(table.file, self.towns)
        self.partnerships: list[dict[str, Any]] = []
        self._town_index: dict[str, int] = {}
        self._ids: set[str] = set()
        self._reached: dict[str, int] = {}  # for `claim`
        # The columns each side's town fields come from, one map for all its towns.
        self._german_columns, self._partner_columns = (
            {path: layout.columns[key] for path, key in fields.items() if key in layout.columns}
            for fields in (_GERMAN_FIELDS, _PARTNER_FIELDS))

    def read(self, row: Row) -> list[Hit]:
        cells = {key: row.get(index).strip() for key, index in self.layout.columns.items()}
        german, german_problems = _german_town(cells)
        partner, partner_problems = _partner_town(cells)
        german_id, hits = self._town(row, german, self._german_columns, german_problems)
        partner_id, partner_hits = self._town(row, partner, self._partner_columns, partner_problems)
        return hits + partner_hits + self._partnership(row, cells, german_id, partner_id)

    def _town(self, row: Row, description: dict[str, Any], columns: dict[tuple[str, ...], int],
              problems: list[Problem]) -> tuple[str, list[Hit]]:
        """Register a town described in the row; its cell problems as hits at its fields."""
        town_id, hits = self.towns.town(description, self.table, row, columns)
        self._town_index.setdefault(town_id, len(self._town_index))
        return town_id, hits + self._hits(row, f"/towns/{self._town_index[town_id]}", problems)

    def _hits(self, row: Row, base: str, problems: list[Problem]) -> list[Hit]:
        return [self.table.hit("unknown-value", message, row, self.layout.columns[key], base + pointer_of(path),
                               **params) for path, key, message, params in problems]

    def _partnership(self, row: Row, cells: dict[str, str], german: str, partner: str) -> list[Hit]:
        fields, problems = _partnership_fields(cells, german, partner)
        record = {"id": self._new_id(f"{german}--{partner}"), **fields}
        kept = self._kept(row)
        if kept:
            record.setdefault("extensions", {}).setdefault(NAME, {}).update(kept)
        pointer = f"/partnerships/{len(self.partnerships)}"
        self.partnerships.append(record)
        return self._locate(row, pointer, kept) + self._hits(row, pointer, problems)

    def _new_id(self, base: str) -> str:
        """The two towns' ids: stable when rows are re-sorted; `-2` ... for a pair named again."""
        return claim(base, self._ids, self._reached)

    def _kept(self, row: Row) -> dict[str, Any]:
        """The cells of columns the format does not have, and the cells past the header."""
        kept: dict[str, Any] = {name: row.get(index).strip() for index, name in self.layout.kept.items()
                                if row.get(index).strip()}
        extra = row.cells[len(self.table.header):]
        if any(cell.strip() for cell in extra):
            kept[EXTRA_CELLS] = list(extra)
        return kept

    def _locate(self, row: Row, pointer: str, kept: dict[str, Any]) -> list[Hit]:
        """Point the partnership's fields at their cells; a row longer than the header is a hit."""
        columns = self.layout.columns
        self.locator.add(pointer, self.table, row)
        fields = {("members", "0"): "town", ("members", "1"): "partner", ("kind",): "kind",
                  ("established",): "established", ("ended",): "ended", ("themes",): "themes",
                  ("description",): "description", ("extensions", NAME, THEMES_KEPT): "themes"}
        for path, key in fields.items():
            if key in columns:
                self.locator.add(pointer + pointer_of(path), self.table, row, columns[key])
        for index, name in self.layout.kept.items():
            self.locator.add(pointer + pointer_of(("extensions", NAME, name)), self.table, row, index)
        if EXTRA_CELLS not in kept:
            return []
        return [self.table.hit("extra-cell", "extra", row, len(self.table.header),
                               pointer + pointer_of(("extensions", NAME, EXTRA_CELLS)),
                               count=len(row.cells), columns=len(self.table.header))]


def _german_town(cells: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    town: dict[str, Any] = {"name": cells["town"], "country": "DE"} if cells["town"] else {"country": "DE"}
    problems: list[Problem] = []
    state = cells.get("state", "")
    if state:
        code = state_value(state)
        if code is None and not re.match(SUBDIVISION_PATTERN, state):  # a code's form: the rules say more
            problems.append(_unknown(("subdivision",), "state", state, "German state (Bundesland)",
                                     closest(state, state_names())))
        town["subdivision"] = code or state
    if cells.get("ags"):
        town["identifiers"] = {"ags": cells["ags"]}
    return town, problems


def _partner_town(cells: dict[str, str]) -> tuple[dict[str, Any], list[Problem]]:
    town: dict[str, Any] = {"name": cells["partner"]} if cells["partner"] else {}
    problems: list[Problem] = []
    text = cells["country"]
    if text:
        code = country_code(text)
        if code is None and not re.match(COUNTRY_PATTERN, text):  # a code's form: the rules say more
            problems.append(_unknown(("country",), "country", text, "country", country_hint(text)))
        town["country"] = code or text
    return town, problems


def _partnership_fields(cells: dict[str, str], german: str, partner: str) -> tuple[dict[str, Any], list[Problem]]:
    """A partnership from the row's cells; a value that cannot be translated is kept as it is."""
    problems: list[Problem] = []
    kind = kind_value(cells.get("kind", ""))
    if kind is None:
        problems.append(_unknown(("kind",), "kind", cells["kind"], f"CEMR category ({', '.join(kind_names())})",
                                 None))
    record: dict[str, Any] = {"kind": kind or cells["kind"], "members": [german, partner]}
    for key in ("established", "ended"):
        if cells.get(key):
            value = date_value(cells[key])
            if value is None:
                problems.append(((key,), key, "unreadable", {"value": repr(cells[key]), "what": "a date",
                                                             "problem": DATE_FORMS}))
            record[key] = value or cells[key]
    if cells.get("themes"):
        themes, unknown = theme_values(cells["themes"])
        if themes:
            record["themes"] = themes
        if unknown:
            put(record, ("extensions", NAME, THEMES_KEPT), join_list(unknown))
            problems += [_unknown(("extensions", NAME, THEMES_KEPT), "themes", topic,
                                  "topic (a theme of the standard, by its German label or code)",
                                  closest(topic, theme_labels())) for topic in unknown]
    if cells.get("description"):
        record["description"] = cells["description"]
    return record, problems


def _unknown(path: tuple[str, ...], key: str, value: str, what: str, suggestion: str | None) -> Problem:
    params: dict[str, object] = {"value": repr(value), "what": what}
    if suggestion:
        params["suggestion"] = suggestion
    return path, key, "unknown-suggest" if suggestion else "unknown", params
