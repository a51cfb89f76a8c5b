"""Reading a flat partnership table (CSV, TSV or a workbook's sheet) into a dataset document.

Each row gives a partnership and describes its two towns inline; the towns are gathered
into Town records by `TownRegistry`. The rows are never merged: a pair given twice (in any
order) stays two partnerships, for rule `duplicate-partnership` to report at their rows.

A CSV file is streamed: the partnerships pass to the engine row by row, and the towns,
which later rows may still complete, after the last row. What is kept per partnership is
where its row lies (to read it again, or to place a finding in it) and its towns' numbers.
"""

from __future__ import annotations

import io
import re
from array import array
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.country_names import country_code, country_suggestion, subdivision_code
from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit, Location, pointer_of, pointer_path
from citynet_exchange.formats import Document, Input, Locator, ReadOptions
from citynet_exchange.model import SUBDIVISION_PATTERN
from citynet_exchange.tables.columns import get_path, parent_and_key, put
from citynet_exchange.tables.from_rows import Binding, RowFields, bind, header_hits, read_record, value_of
from citynet_exchange.tables.places import RowPlaces
from citynet_exchange.tables.reading import CsvStream, reads_as_workbook
from citynet_exchange.tables.table import HeldRows, Row, RowSource, normal_name
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
_SEPARATOR = "\x1f"  # joins a side's cells into the key of its description
# What a side's cells say: its town's number and id, whether the town's id cell named it,
# and the registry's generation this held for.
_Known = tuple[int, str, bool, int]


def sniff(source: Input) -> bool:
    """A table whose header names both towns; any table when a mapping is given."""
    if source.options.mapping is not None:
        return True
    if reads_as_workbook(source):
        header = first_row(source.data, source.options.sheet)
    else:
        header = CsvStream(source.name, lambda: io.BytesIO(source.head),
                           ReadOptions(source.options.encoding, source.options.delimiter)).table.header
    return {"town_a.name", "town_b.name"} <= {normal_name(h) for h in header}


def load(source: Input) -> Document:
    mapping = load_mapping(source.options.mapping) if source.options.mapping else MappingFile()
    rows = _rows(source, mapping)
    reader = _Reader(rows, mapping)
    if not rows.table.header and rows.table.problems:
        return Document(source.name, NAME, None, reader.locator, rows.table.problems)
    return reader.document(source.name)


def _rows(source: Input, mapping: MappingFile) -> RowSource:
    """The table's rows, read with the options given, else those of the mapping file."""
    options = source.options
    if reads_as_workbook(source):
        return HeldRows(read_sheet(source.name, source.data, options.sheet or mapping.sheet,
                                   source.limits.unpacked_bytes))
    if options.sheet is not None:
        raise UsageError(f"{source.name}: is not a workbook; --sheet names a sheet of an XLSX workbook")
    return CsvStream(source.name, source.open, ReadOptions(encoding=options.encoding or mapping.encoding,
                                                           delimiter=options.delimiter or mapping.delimiter),
                     source.limits)


class _Reader:
    """The rows of one table read into towns and partnerships: the columns bound once, the
    rows streamed (`records`), any partnership read again (`fetch`) and placed (`locate`)."""

    def __init__(self, rows: RowSource, mapping: MappingFile):
        self.rows, self.table, self.mapping = rows, rows.table, mapping
        self.locator = _Locator(self)
        table = self.table
        self.bindings = bind(table, COLUMNS, mapping.columns)
        self.header_hits = header_hits(table, self.bindings, NAME)
        self.own = [b for b in self.bindings if b.path is None or b.path[0] not in SIDES]
        self.own_fields = RowFields.of(table, self.own)
        self.sides = [[b for b in self.bindings if b.path and b.path[0] == side] for side in SIDES]
        names = [canonical_name(b) for b in self.bindings]
        self.translated = [(b.index, names[b.index], b.form) for b in self.bindings if mapping.values.get(names[b.index])]
        bound = set(filter(None, names))
        defaults = dict(mapping.defaults)
        if "kind" not in bound:  # a table that does not say which kind of link it lists
            defaults.setdefault("kind", "unspecified")
        by_path = {b.path: (text, b.form) for name, text in defaults.items()
                   if (b := column_named(name)) is not None and b.path is not None}
        self.own_defaults = [(path, text, form) for path, (text, form) in by_path.items() if path[0] not in SIDES]
        self.plans = [_plan(side, {path[1:]: value for path, value in by_path.items() if path[0] == name})
                      for name, side in zip(SIDES, self.sides)]
        self.missing = [name for name in REQUIRED if name not in bound and name not in defaults]
        self.id_index = next((b.index for b in self.own if b.path == ("id",)), None)
        self.kind_index = next((b.index for b in self.own if b.path == ("kind",)), None)
        self.town_columns = [(_column(side, ("id",)), _column(side, ("name",))) for side in self.sides]
        self.side_indexes = [[b.index for b in side] for side in self.sides]
        # A side's cells as one slice of the row where its columns lie side by side (as in
        # the layout), which is quicker to take than cell by cell.
        self.side_slices = [slice(ix[0], ix[-1] + 1) if ix and ix == list(range(ix[0], ix[-1] + 1)) else None
                            for ix in self.side_indexes]
        self.widest = max((b.index for b in self.bindings), default=0)
        self.document_read: Document | None = None
        self._start()

    def _start(self) -> None:
        """Forget what a pass read. What the first pass keeps of each partnership: where its
        row lies, its towns' numbers, whether each town was named by its id cell, and the id
        made for it if it had none."""
        self.registry = TownRegistry()
        self.placed = RowPlaces(self.rows, self.own, NAME)
        self.towns = array("L")
        self.named_by_id = bytearray()
        self.made_ids: dict[int, str] = {}
        self.used_ids: set[str] | None = None
        self.reached: dict[str, int] = {}  # for `claim`
        self.known: dict[str, _Known] = {}  # by a side's cells
        self.complete = False

    def document(self, name: str) -> Document:
        if self.missing:  # no row is read, so nothing is said of the other columns
            hits = [*self.table.problems, *(self.table.hit(
                "missing-column", "missing", None, None, column=column, accepted=self._accepted(column))
                for column in self.missing)]
            return Document(name, NAME, None, self.locator, hits)
        self.document_read = Document(name, NAME, {"standard": STANDARD_VERSION}, self.locator,
                                      stream=self.records, fetch=self.fetch)
        return self.document_read

    def records(self) -> Iterator[tuple[str, int, Any]]:
        """The partnerships row by row, then the towns. The first pass reads the towns and
        notes its problems; a later one reads the rows again as that one did."""
        if self.complete:
            for index, row in enumerate(self.rows.rows()):
                yield "partnership", index, self._again(index, row)
        else:
            self._start()
            assert self.document_read is not None
            problems = self.document_read.problems
            problems[:] = self.header_hits
            for index, row in enumerate(self.rows.rows()):
                record, hits = self._first(index, row)
                problems += hits
                yield "partnership", index, record
            problems += self.table.problems  # of decoding and syntax, met as the rows were read
            self.complete = True
        yield from (("town", index, town) for index, town in enumerate(self.registry.records))

    def fetch(self, kind: str, index: int) -> Any:
        if kind == "town":
            return self.registry.record(index)
        return self._again(index, self.placed.row(index, cells=True))

    def _accepted(self, column: str) -> str:
        sources = [source for source, target in self.mapping.columns.items() if normal_name(target) == column]
        if sources:
            return f"the mapping reads it from {' or '.join(sources)}"
        return "or a column a mapping file maps to it, with --mapping"

    def _first(self, index: int, row: Row) -> tuple[dict[str, Any], list[Hit]]:
        """A row's partnership, its towns registered, and the problems of its cells."""
        row = self._mapped(row)
        pointer = f"/partnerships/{index}"
        record, hits = self._own(row, pointer)
        members, named_by_id = [], 0
        for position in range(len(SIDES)):
            (number, town_id, by_id, _generation), town_hits = self._town(position, row)
            members.append(town_id)
            self.towns.append(number)
            named_by_id |= by_id << position
            if town_hits:
                hits += town_hits
        self.named_by_id.append(named_by_id)
        self.placed.add(row)
        if "id" not in record:
            record["id"] = self.made_ids[index] = self._new_id(members)
        if "kind" not in record and self.kind_index is not None:
            hits.append(self._missing(row, self.kind_index, pointer, "kind", f"partnership '{record['id']}'"))
        return {"id": record.pop("id"), "members": members, **record}, hits

    def _again(self, index: int, row: Row) -> dict[str, Any]:
        """A row's partnership as the first pass read it."""
        record, _hits = self._own(self._mapped(row), f"/partnerships/{index}")
        record_id = record.pop("id", None) or self.made_ids[index]
        members = [self.registry.record(self.towns[2 * index + side])["id"] for side in range(len(SIDES))]
        return {"id": record_id, "members": members, **record}

    def _own(self, row: Row, pointer: str) -> tuple[dict[str, Any], list[Hit]]:
        """The partnership's own fields of a row, with the defaults it lacks."""
        record, hits = read_record(self.table, row, self.own_fields, pointer, NAME)
        for path, text, form in self.own_defaults:
            if get_path(record, path) is None:
                put(record, path, value_of(text, form)[0])
        return record, hits

    def _mapped(self, row: Row) -> Row:
        """The row with the mapping's value maps applied."""
        if not self.translated:
            return row
        cells = list(row.cells)
        for index, name, form in self.translated:
            if index < len(cells):
                cells[index] = self.mapping.translate(name, form, cells[index])
        return Row(row.number, cells, row.line, row.span)

    def _missing(self, row: Row, index: int | None, pointer: str, name: str, where: str) -> Hit:
        """A required field's empty cell, at the cell. The schema reports a missing field at
        its record, which this pointer names, so that it does not report it again (at the row)."""
        return self.table.hit("missing-field", "required", row, index, pointer, name=name, where=where)

    def _new_id(self, members: list[str]) -> str:
        """`<town a>--<town b>`: readable, and stable when rows are sorted or added (a row
        number would not be); `-2`, `-3` ... where the pair is given again or the id is given
        to another row. The ids given are gathered when the first id is made."""
        if self.used_ids is None:
            self.used_ids = set() if self.id_index is None else {
                row.get(self.id_index).strip() for row in self.rows.rows()}
        return claim("--".join(slug(member) or "town" for member in members), self.used_ids, self.reached)

    def _town(self, position: int, row: Row) -> tuple[_Known, list[Hit]]:
        """The town a side of the row describes, and the problems of its cells. A side
        described as an earlier row described it is that row's town, unless a town has been
        completed since."""
        cells, part = row.cells, self.side_slices[position]
        if part and len(cells) > self.widest:
            key = _SEPARATOR.join(cells[part])
        else:
            key = _SEPARATOR.join([row.get(index) for index in self.side_indexes[position]])
        known = self.known.get(key)
        if known is not None and known[3] == self.registry.generation:
            return known, []
        number, town_id, hits = self._described(position, row)
        known = (number, town_id, bool(row.get(self.town_columns[position][0]).strip()), self.registry.generation)
        if not hits and key.count(_SEPARATOR) == len(self.side_indexes[position]) - 1:  # no cell holds the separator
            self.known[key] = known
        return known, hits

    def _described(self, position: int, row: Row) -> tuple[int, str, list[Hit]]:
        """The number and id of the town a side of the row describes, and the problems of its
        cells."""
        cells, width = row.cells, len(row.cells)
        description: dict[str, Any] = {}
        problems: list[_Problem] = []
        plan = self.plans[position]
        given = 0  # the fields read from cells, a bit each
        for path, parent, key, index, form, default, read, bit in plan.fields:
            cell = cells[index] if index is not None and index < width else ""
            if cell == "" or (form != "text" and not cell.strip()):  # is_blank, inline: once a cell
                if default is None:
                    continue
                cell, index = default[0], None
            else:
                given |= bit
            if read is None:
                value = cell
            else:
                value, problem = read(cell, description)
                if problem is not None:
                    problems.append((index, path, *problem))
            if parent is None:
                description[key] = value
            else:
                description.setdefault(parent, {})[key] = value
        columns = plan.columns(given)
        town_id, hits = self.registry.town(description, self.table, row, columns)
        number = self.registry.number(town_id)
        pointer = f"/towns/{number}"
        if problems:
            hits += [self.table.hit("unknown-value", message, row, column, pointer + pointer_of(path), **params)
                     for column, path, message, params in problems]
        record = self.registry.record(number)
        for name in REQUIRED_TOWN_FIELDS:
            if name not in description and name not in record:
                hits.append(self._missing(row, columns.get((name,)), pointer, name, f"town '{town_id}'"))
        return number, town_id, hits

    def column(self, index: int, path: tuple[str, ...]) -> int | None:
        """The column of a field of a partnership; for a member town, the cell naming it: its
        id where the row gave one, else its name."""
        if path[:1] == ("members",) and len(path) > 1 and path[1].isdigit() and int(path[1]) < len(SIDES):
            side = int(path[1])
            by_id, by_name = self.town_columns[side]
            return by_id if self.named_by_id[index] >> side & 1 else by_name
        return self.placed.column(path)


def _column(side: list[Binding], path: tuple[str, ...]) -> int | None:
    return next((b.index for b in side if b.path is not None and b.path[1:] == path), None)


class _Locator(Locator):
    """Places pointers into a flat table's partnerships (by their rows) and towns (by the
    registry), worked out only when a finding asks."""

    def __init__(self, reader: _Reader):
        self.reader = reader

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        reader = self.reader
        place = reader.registry.locate(pointer)
        if place is not None:
            return place
        path = pointer_path(pointer)
        if len(path) >= 2 and path[0] == "partnerships" and path[1].isdigit() and int(path[1]) < len(reader.placed):
            index = int(path[1])
            return reader.placed.locate(index, reader.column(index, path[2:]), pointer)
        return Location(file=reader.table.file, pointer=pointer)


# A town's cell read: its value, and the problem (message key, parameters) if it has none;
# a value that cannot be translated is kept as it is written. A reader has the town read so
# far at hand, for a subdivision to be read in its country.
_CellRead = tuple[Any, tuple[str, dict[str, Any]] | None]
_CellReader = Callable[[str, dict[str, Any]], _CellRead]


@dataclass(frozen=True)
class _Plan:
    """How the cells of one side of a table describe its town, worked out once: each field's
    path (as its parent and key), column (None: the table has none, only a default), form,
    default (text and form) for a blank cell, reader (None: the text as it is) and bit, the
    subdivision last, as reading it needs the country; and the columns of the required
    fields."""

    fields: tuple[tuple[tuple[str, ...], str | None, str, int | None, str, tuple[str, str] | None,
                        _CellReader | None, int], ...]
    required: tuple[tuple[str, int], ...]
    _maps: dict[int, Mapping[tuple[str, ...], int]] = field(default_factory=dict)

    def columns(self, given: int) -> Mapping[tuple[str, ...], int]:
        """The columns the fields of `given` (their bits) were read from, and those of the
        required fields, empty or not: where a missing value belongs. One map for each set
        of fields, shared by the towns described in it."""
        columns = self._maps.get(given)
        if columns is None:
            columns = {path: index for path, _p, _k, index, _f, _d, _r, bit in self.fields if given & bit}
            for name, index in self.required:
                columns.setdefault((name,), index)
            self._maps[given] = columns
        return columns


def _plan(side: list[Binding], defaults: dict[tuple[str, ...], tuple[str, str]]) -> _Plan:
    bound: dict[tuple[str, ...], tuple[int | None, str]] = {b.path[1:]: (b.index, b.form) for b in side if b.path}
    bound.update((path, (None, form)) for path, (_text, form) in defaults.items() if path not in bound)
    ordered = sorted(bound.items(), key=lambda item: item[0] == ("subdivision",))
    fields = tuple((path, *parent_and_key(path), index, form, defaults.get(path), _cell_reader(path, form),
                    1 << number)
                   for number, (path, (index, form)) in enumerate(ordered))
    required = tuple((name, index) for name in REQUIRED_TOWN_FIELDS
                     if (index := bound.get((name,), (None, ""))[0]) is not None)
    return _Plan(fields, required)


def _cell_reader(path: tuple[str, ...], form: str) -> _CellReader | None:
    """Countries and subdivisions by code or name, other cells in their column's form."""
    if path == ("country",):
        return _country
    if path == ("subdivision",):
        return _subdivision
    return None if form == "text" else partial(_in_form, form)


def _country(text: str, town: dict[str, Any]) -> _CellRead:
    text = text.strip()
    code = country_code(text)
    if code is not None:
        return code, None
    suggestion = country_suggestion(text)
    if suggestion is not None:  # by its code: the suggestion is a name's normal form
        return text, ("unknown-suggest", {"value": repr(text), "what": "country",
                                          "suggestion": country_code(suggestion)})
    return text, ("unknown", {"value": repr(text), "what": "country"})


def _subdivision(text: str, town: dict[str, Any]) -> _CellRead:
    text = text.strip()
    country = town.get("country")
    known = country_code(country) == country if isinstance(country, str) else False
    code = subdivision_code(country, text) if known else None
    if code is not None or not known or re.match(SUBDIVISION_PATTERN, text):
        return code or text, None
    return text, ("unknown", {"value": repr(text), "what": f"first-level subdivision of {country}"})


def _in_form(form: str, text: str, town: dict[str, Any]) -> _CellRead:
    value, problem = value_of(text, form)
    if problem is None:
        return value, None
    return value, ("unreadable", {"value": repr(text), "what": f"{form} text", "problem": problem})
