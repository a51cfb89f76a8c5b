"""Towns described inline in the rows of a partnership table, gathered into Town records.

Rows name the same town again and again. Two descriptions are one town when they give
the same id, share an identifier (Wikidata, GeoNames, AGS ...), or have the same name and
country (and subdivision, where both give one) and lie within `SAME_TOWN_KM` of each other
where both give coordinates: there are many Neustadts. The first row's values are kept,
values a later row adds are merged in, and a later row that disagrees is a
`conflicting-value` finding at its cell, so nothing changes silently.
"""

from __future__ import annotations

import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from anyascii import anyascii

from citynet_exchange.country_names import normal
from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.tables.columns import get_path, put
from citynet_exchange.tables.table import Row, Table, TableLocator

SAME_TOWN_KM = 25.0
_IDENTIFIERS = ("wikidata", "geonames", "ags", "ars", "lau")


def distance_km(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Great-circle distance between two {lat, lon} points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def slug(text: str) -> str:
    """An id-safe form of a name, transliterated: `Rotenburg an der Wümme` ->
    `rotenburg-an-der-wumme`, `Gießen` -> `giessen`, `Озёрск` -> `ozersk`."""
    return re.sub(r"[^a-z0-9]+", "-", anyascii(text).lower()).strip("-")


def unique_id(base: str, taken: Container[str]) -> str:
    """`base`, or `base-2`, `base-3` ... whichever is not taken yet."""
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def claim(base: str, taken: set[str]) -> str:
    """A unique id from `base` (see `unique_id`), now taken."""
    chosen = unique_id(base, taken)
    taken.add(chosen)
    return chosen


def _point(town: Mapping[str, Any]) -> Mapping[str, Any] | None:
    location = town.get("location")
    if isinstance(location, Mapping) and all(isinstance(location.get(k), (int, float)) and
                                             not isinstance(location.get(k), bool) for k in ("lat", "lon")):
        return location
    return None


@dataclass
class _Entry:
    record: dict[str, Any]
    pointer: str
    row: Row
    table: Table
    columns: dict[tuple[str, ...], int] = field(default_factory=dict)


class TownRegistry:
    """The towns of a table, by the descriptions rows give of them."""

    def __init__(self, locator: TableLocator):
        self.locator = locator
        self._entries: list[_Entry] = []
        self._by_id: dict[str, _Entry] = {}
        self._by_identifier: dict[tuple[str, str], _Entry] = {}
        self._by_name: dict[tuple[str, str], list[_Entry]] = {}

    @property
    def records(self) -> list[dict[str, Any]]:
        return [entry.record for entry in self._entries]

    def town(self, description: dict[str, Any], table: Table, row: Row,
             columns: Mapping[tuple[str, ...], int]) -> tuple[str, list[Hit]]:
        """The id of the town a row describes (a new Town, or one seen before), and the
        conflicts of this description with the one kept. `columns` maps field paths of the
        description to the columns they came from."""
        entry = self._match(description)
        if entry is None:
            return self._add(description, table, row, columns), []
        return entry.record["id"], self._merge(entry, description, table, row, columns)

    def _match(self, town: Mapping[str, Any]) -> _Entry | None:
        if isinstance(town.get("id"), str):
            return self._by_id.get(town["id"])
        identifiers = town.get("identifiers")
        if isinstance(identifiers, Mapping):
            for scheme in _IDENTIFIERS:
                entry = self._by_identifier.get((scheme, str(identifiers.get(scheme))))
                if entry is not None:
                    return entry
        point = _point(town)
        for entry in self._by_name.get(self._name_key(town), []):
            subdivisions = (town.get("subdivision"), entry.record.get("subdivision"))
            if None not in subdivisions and subdivisions[0] != subdivisions[1]:
                continue
            other = _point(entry.record)
            if point is None or other is None or distance_km(point, other) <= SAME_TOWN_KM:
                return entry
        return None

    @staticmethod
    def _name_key(town: Mapping[str, Any]) -> tuple[str, str]:
        return normal(str(town.get("name", ""))), str(town.get("country", ""))

    def _add(self, town: dict[str, Any], table: Table, row: Row, columns: Mapping[tuple[str, ...], int]) -> str:
        if not isinstance(town.get("id"), str):
            base = "-".join(filter(None, (slug(str(town.get("country", ""))), slug(str(town.get("name", "")))))) \
                or "town"
            town = {"id": unique_id(base, self._by_id), **town}
        pointer = f"/towns/{len(self._entries)}"
        entry = _Entry(town, pointer, row, table, dict(columns))
        self._entries.append(entry)
        self._by_id[town["id"]] = entry
        identifiers = town.get("identifiers")
        for scheme in _IDENTIFIERS:
            if isinstance(identifiers, Mapping) and identifiers.get(scheme) is not None:
                self._by_identifier.setdefault((scheme, str(identifiers[scheme])), entry)
        self._by_name.setdefault(self._name_key(town), []).append(entry)
        self.locator.add(pointer, table, row)
        for path, column in columns.items():
            self.locator.add(pointer + "".join("/" + pointer_token(p) for p in path), table, row, column)
        return town["id"]

    def _merge(self, entry: _Entry, town: Mapping[str, Any], table: Table, row: Row,
               columns: Mapping[tuple[str, ...], int]) -> list[Hit]:
        hits = []
        for path, column in columns.items():
            value = get_path(town, path)
            kept = get_path(entry.record, path)
            if value is None or value == kept:
                continue
            field_pointer = entry.pointer + "".join("/" + pointer_token(p) for p in path)
            if kept is None:
                put(entry.record, path, value)
                entry.columns[path] = column
                self.locator.add(field_pointer, table, row, column)
                continue
            hit = table.hit("conflicting-value", "conflict", row, column, field_pointer,
                            field=".".join(path), town=entry.record["id"], value=repr(value), kept=repr(kept),
                            first_row=entry.row.number)
            hits.append(replace(hit, related=(field_pointer,)))
        return hits

