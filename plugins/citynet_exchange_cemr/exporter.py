"""Writing a dataset as a CEMR table, and naming everything the table cannot hold as it is."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.formats import WriteOptions
from citynet_exchange.structure_words import type_words
from citynet_exchange.tables.cells import escape
from citynet_exchange.tables.columns import get_path
from citynet_exchange.tables.workbook import UNKEEPABLE, Sheet, write_workbook
from citynet_exchange.tables.writing import write_csv
from citynet_exchange_cemr import NAME
from citynet_exchange_cemr.columns import BY_KEY, COLUMNS, EXTRA_CELLS, THEMES_KEPT
from citynet_exchange_cemr.values import (
    country_cell, date_cell, kind_cell, kind_names, state_cell, state_names, themes_cell,
)

DELIMITER = ";"  # what German spreadsheet programs expect
FORMAT = "a CEMR table"
SHEET = "Partnerschaften"
# What a row holds of the German town (the Kommune), of its partner, and of the partnership.
KOMMUNE_FIELDS = ("name", "country", "subdivision", "identifiers.ags")
PARTNER_FIELDS = ("name", "country")
PARTNERSHIP_FIELDS = frozenset({"id", "kind", "members", "established", "ended", "themes", "description",
                                "extensions"})
_WRITTEN = frozenset({"standard", "towns", "partnerships"})


def dump(data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
    table = _Table(options.workbook)
    table.add_dataset(data)
    header, rows = table.header(), table.rows()
    if options.workbook:
        out.write(write_workbook([Sheet(SHEET, header, rows, choices=_choices())]))
    else:
        out.write(write_csv([escape(name, True) for name in header],
                            [[escape(c, True) if c else c for c in row] for row in rows], delimiter=DELIMITER,
                            bom=True))
    return table.lost


def template() -> list[Sheet]:
    header = [column.header for column in COLUMNS]
    return [Sheet(SHEET, header, [], notes={c.header: c.note for c in COLUMNS}, choices=_choices(),
                  delimiter=DELIMITER, bom=True)]


def _choices() -> dict[str, list[str]]:
    return {BY_KEY["kind"].header: kind_names(), BY_KEY["state"].header: state_names()}


def _present(value: Any) -> bool:
    """Absent, null and an empty list or object mean the same (see `citynet_exchange.equality`)."""
    return value not in (None, [], {})


def _text(value: Any, write: Callable[[str], str] = str) -> str | None:
    """A value as cell text: a text through `write`, anything else (invalid data) as JSON."""
    if value is None:
        return None
    return write(value) if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _unkept(value: Any, workbook: bool) -> str | None:
    """Why a value would not read back from its cell as it is, if it would not."""
    if not isinstance(value, str):
        return f"it is {type_words(value)}, and the cell holds text"
    if not value.strip():
        return "a table cannot tell an empty text from no value"
    if value != value.strip():
        return "the spaces around it are not kept"
    if workbook and UNKEEPABLE.search(value):
        return "a workbook cannot hold its control characters or carriage returns"
    return None


def _label(kind: str, record: Mapping[str, Any], pointer: str) -> str:
    return f"{kind} '{record['id']}'" if isinstance(record.get("id"), str) else f"the {kind} at {pointer}"


def _lost(pointer: str, what: str) -> Hit:
    return Hit(code="conversion-loss", message="lost", pointer=pointer, params={"what": what, "format": FORMAT})


def _whole(key: str, value: Any) -> str:
    """A top-level member the table has no place for, as a message names it."""
    if isinstance(value, list):
        return f"the list of {key} ({len(value)} record{'' if len(value) == 1 else 's'})"
    return "the metadata" if key == "metadata" else f"the field '{key}'"


@dataclass


class _Row:
    cells: list[str | None]
    kept: dict[str, str | None]
    extra: list[str]


@dataclass


class _Table:
    """The rows a dataset gives, the town fields the rows carry, and what they cannot carry."""

    workbook: bool
    rows_: list[_Row] = field(default_factory=list)
    lost: list[Hit] = field(default_factory=list)
    towns: dict[str, tuple[int, Mapping[str, Any]]] = field(default_factory=dict)
    carried: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def header(self) -> list[str]:
        kept = dict.fromkeys(name for row in self.rows_ for name in row.kept)
        return [column.header for column in COLUMNS] + list(kept)

    def rows(self) -> list[list[str | None]]:
        kept = self.header()[len(COLUMNS):]
        return [row.cells + [row.kept.get(name) for name in kept] + row.extra for row in self.rows_]

    def add_dataset(self, data: Mapping[str, Any]) -> None:
        towns = data.get("towns") if isinstance(data.get("towns"), list) else []
        for index, town in enumerate(towns):
            if isinstance(town, Mapping) and isinstance(town.get("id"), str):
                self.towns.setdefault(town["id"], (index, town))
        partnerships = data.get("partnerships")
        for index, partnership in enumerate(partnerships if isinstance(partnerships, list) else []):
            self._add_partnership(f"/partnerships/{index}", partnership)
        for index, town in enumerate(towns):
            self._check_town(f"/towns/{index}", index, town)
        self.lost += [_lost(f"/{key}", _whole(key, value)) for key, value in data.items()
                      if key not in _WRITTEN and _present(value)]

    def _add_partnership(self, pointer: str, partnership: Any) -> None:
        if not isinstance(partnership, Mapping):
            self.lost.append(_lost(pointer, f"the partnership at {pointer} (not an object)"))
            return
        label = _label("partnership", partnership, pointer)
        pair = self._pair(partnership)
        if isinstance(pair, str):
            self.lost.append(_lost(pointer, f"{label} ({pair})"))
            return
        (german_id, german), (partner_id, partner) = pair
        self.carried[german_id].update(KOMMUNE_FIELDS)
        self.carried[partner_id].update(PARTNER_FIELDS)
        extensions = partnership.get("extensions")
        cemr = extensions.get(NAME) if isinstance(extensions, Mapping) else None
        cemr = cemr if isinstance(cemr, Mapping) else {}
        themes = partnership.get("themes")
        themes = themes if isinstance(themes, list) else [] if themes is None else [themes]
        cells = [
            _text(german.get("name")), _text(german.get("subdivision"), state_cell),
            _text(get_path(german, ("identifiers", "ags"))), _text(partner.get("name")),
            _text(partner.get("country"), country_cell), _text(partnership.get("kind"), kind_cell),
            _text(partnership.get("established"), date_cell), _text(partnership.get("ended"), date_cell),
            themes_cell([_text(t) or "" for t in themes], _text(cemr.get(THEMES_KEPT))) or None,
            _text(partnership.get("description")),
        ]
        kept = {name: _text(value) for name, value in cemr.items() if name not in (THEMES_KEPT, EXTRA_CELLS)}
        extra = cemr.get(EXTRA_CELLS)
        lost = _lost_fields(partnership)
        if not (isinstance(extra, list) and all(isinstance(cell, str) for cell in extra)):
            lost += [] if extra is None else [f"extensions.{NAME}.{EXTRA_CELLS}"]
            extra = []
        self.rows_.append(_Row(cells, kept, extra))
        if lost:
            self.lost.append(_lost(pointer, f"part of {label} ({', '.join(lost)})"))
        written = {"kind": partnership.get("kind"), "established": partnership.get("established"),
                   "ended": partnership.get("ended"), "description": partnership.get("description"),
                   **{f"themes/{i}": theme for i, theme in enumerate(themes)},
                   **{f"extensions/{NAME}/{pointer_token(k)}": v for k, v in cemr.items() if k != EXTRA_CELLS}}
        self._check_values(pointer, label, written)

    def _pair(self, partnership: Mapping[str, Any]) -> tuple[tuple[str, Mapping[str, Any]], ...] | str:
        """The German member and its partner, or why the partnership has no row."""
        members = partnership.get("members")
        if not isinstance(members, list) or len(members) != 2:
            count = len(members) if isinstance(members, list) else "no list of"
            return f"{count} members; a row holds two towns"
        unknown = [m for m in members if not isinstance(m, str) or m not in self.towns]
        if unknown:
            return f"its member {unknown[0]!r} is not a town of the dataset"
        towns = [(m, self.towns[m][1]) for m in members]
        german = next((i for i, (_id, town) in enumerate(towns) if town.get("country") == "DE"), None)
        if german is None:
            return "no member is a German town, and the table's Kommune is German"
        if str(towns[german][1].get("name", "")).lstrip().startswith("#"):
            return "the Kommune's name starts with '#', and a row starting with '#' is read as a comment"
        return towns[german], towns[1 - german]

    def _check_town(self, pointer: str, index: int, town: Any) -> None:
        town_id = town.get("id") if isinstance(town, Mapping) else None
        if not isinstance(town_id, str) or self.towns[town_id][0] != index:
            self.lost.append(_lost(pointer, f"the town at {pointer} (no object with an id of its own)"))
            return
        if town_id not in self.carried:
            self.lost.append(_lost(pointer, f"town '{town_id}' (in no partnership the table holds)"))
            return
        carried = self.carried[town_id]
        lost = [name for name in _town_fields(town) if name not in carried]
        if lost:
            self.lost.append(_lost(pointer, f"part of town '{town_id}' ({', '.join(lost)})"))
        self._check_values(pointer, f"town '{town_id}'",
                           {name.replace(".", "/"): get_path(town, name.split(".")) for name in sorted(carried)})

    def _check_values(self, pointer: str, label: str, values: Mapping[str, Any]) -> None:
        """A finding for each written value that would read back otherwise (by field pointer)."""
        for path, value in values.items():
            how = None if value is None else _unkept(value, self.workbook)
            if how is not None:
                self.lost.append(Hit(code="conversion-loss", message="changed", pointer=f"{pointer}/{path}",
                                     params={"what": f"the value of {path.replace('/', '.')} of {label}",
                                             "format": FORMAT, "how": how}))


def _town_fields(town: Mapping[str, Any]) -> list[str]:
    """The town's fields with a value, its identifiers one by one."""
    fields: list[str] = []
    for name, value in town.items():
        if name == "id" or not _present(value):
            continue
        if name == "identifiers" and isinstance(value, Mapping):
            fields += [f"identifiers.{scheme}" for scheme, v in value.items() if _present(v)]
        else:
            fields.append(name)
    return fields


def _lost_fields(partnership: Mapping[str, Any]) -> list[str]:
    """The partnership's fields the table has no column for, extensions other than cemr's among them."""
    fields = [name for name, value in partnership.items() if name not in PARTNERSHIP_FIELDS and _present(value)]
    extensions = partnership.get("extensions")
    if isinstance(extensions, Mapping):
        return fields + [f"extensions.{name}" for name, value in extensions.items()
                         if _present(value) and (name != NAME or not isinstance(value, Mapping))]
    return fields + (["extensions"] if _present(extensions) else [])
