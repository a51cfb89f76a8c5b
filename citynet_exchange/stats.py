"""Figures about a dataset, as associations publish them ("some 1,400 partnerships, more than
200 with countries of the Global South"): for `citynet stats`, its JSON, and the HTML report.

`count` reads each record once, as `Document.records()` gives it, and keeps counters and,
for each town, its country (all a partnership needs of it), so a streamed file of millions of
records is counted in memory that grows with its towns, not its size. The records are counted
as they are, unvalidated: validate a dataset before publishing its figures.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from citynet_exchange.codelists import codelist
from citynet_exchange.geography import lon_lat, members

GLOBAL_SOUTH = "oda-recipients"  # the code list of the countries that count as the Global South
UNREADABLE = ("syntax-error", "unsafe-input", "limit-exceeded")  # codes of data not read whole: no figures
UNKNOWN = "unknown"  # the key of a partnership whose kind or founding decade is not given
_YEAR = re.compile(r"(\d{3})\d(?:-|$)")  # the year of a date, partial ones too: 1985, 1985-06

Counts = tuple[tuple[str, int], ...]  # (key, count), the largest count first


@dataclass(frozen=True)
class NetworkCount:
    """The memberships of one network; `name` is None when the dataset does not define it."""

    network: str
    name: str | None
    memberships: int


@dataclass(frozen=True)
class Figures:
    """The figures of a dataset.

    A partnership counts once for each country it joins (Bremen–Gdańsk counts once for DE and
    once for PL; a partnership of two German towns once for DE), and once for the Global South
    when one of its towns lies in a country of the `oda-recipients` code list. Countries of
    towns the dataset does not define are not known, so not counted.
    """

    towns: int
    towns_with_coordinates: int
    networks: int
    partnerships: int
    memberships: int
    partnerships_by_kind: Counts
    partnerships_by_country: Counts
    partnerships_by_decade: Counts  # "1970s" ... in time order, then "unknown"
    global_south_partnerships: int
    memberships_by_network: tuple[NetworkCount, ...]

    @property
    def global_south_share(self) -> float | None:
        """The share of partnerships with the Global South, 0 to 1; None without partnerships."""
        return self.global_south_partnerships / self.partnerships if self.partnerships else None

    def to_json(self) -> dict[str, Any]:
        """The figures as JSON-ready data; the keys are stable (`citynet stats --json`):

        - `totals`: `towns`, `towns_with_coordinates`, `networks`, `partnerships`, `memberships`
        - `partnerships_by_kind`, `partnerships_by_country` (ISO 3166-1 alpha-2),
          `partnerships_by_decade` (`"1970s"` ..., `"unknown"`): key → count
        - `global_south`: `partnerships`, `share` (0 to 1, four decimals; null without
          partnerships) and `list`, the code list it was counted with: `code_list`, `title`,
          `edition`, `valid_from`, `valid_to`, `status`
        - `memberships_by_network`: a list of `{network, name, memberships}`, `network` the id
        """
        about = codelist(GLOBAL_SOUTH).about
        share = self.global_south_share
        return {
            "totals": {"towns": self.towns, "towns_with_coordinates": self.towns_with_coordinates,
                       "networks": self.networks, "partnerships": self.partnerships,
                       "memberships": self.memberships},
            "partnerships_by_kind": dict(self.partnerships_by_kind),
            "partnerships_by_country": dict(self.partnerships_by_country),
            "partnerships_by_decade": dict(self.partnerships_by_decade),
            "global_south": {
                "partnerships": self.global_south_partnerships,
                "share": None if share is None else round(share, 4),
                "list": {"code_list": GLOBAL_SOUTH,
                         **{key: about[key] for key in ("title", "edition", "valid_from", "valid_to", "status")}},
            },
            "memberships_by_network": [vars(n) for n in self.memberships_by_network],
        }


def count(records: Iterable[tuple[str, int, Any]]) -> Figures:
    """The figures of the records, as `Document.records()` gives them (of several documents:
    chain them); one pass, in any order of the records."""
    tally = _Tally(frozenset(codelist(GLOBAL_SOUTH).values))
    for kind, _index, raw in records:
        if isinstance(raw, Mapping):
            tally.see(kind, raw)
    return tally.figures()


class _Tally:
    """What counting keeps between records: counters, the country of each town, the name of
    each network, and the towns of the partnerships met before one of their towns."""

    def __init__(self, global_south: frozenset[str]):
        self.global_south = global_south
        self.records: Counter[str] = Counter()
        self.located = 0
        self.country: dict[str, str | None] = {}  # town id -> its country
        self.network_name: dict[str, str | None] = {}
        self.kinds: Counter[str] = Counter()
        self.decades: Counter[str] = Counter()
        self.countries: Counter[str] = Counter()
        self.south = 0
        self.networks: Counter[str] = Counter()  # network id -> memberships
        self.waiting: list[list[str]] = []  # towns of partnerships seen before a town of theirs

    def see(self, kind: str, raw: Mapping[str, Any]) -> None:
        self.records[kind] += 1
        if kind == "town":
            self.located += lon_lat(raw) is not None
            if isinstance(raw.get("id"), str):
                self.country[raw["id"]] = _text(raw.get("country"))
        elif kind == "network":
            if isinstance(raw.get("id"), str):
                self.network_name[raw["id"]] = _text(raw.get("name"))
        elif kind == "partnership":
            self.kinds[_text(raw.get("kind")) or UNKNOWN] += 1
            self.decades[_decade(raw.get("established"))] += 1
            towns = members(raw)
            if all(town in self.country for town in towns):
                self._join(towns)
            else:
                self.waiting.append(towns)
        elif kind == "membership":
            network = raw.get("network")
            if isinstance(network, str):
                self.networks[network] += 1

    def _join(self, towns: list[str]) -> None:
        countries = {c for c in (self.country.get(town) for town in towns) if c is not None}
        self.countries.update(countries)
        self.south += bool(countries & self.global_south)

    def figures(self) -> Figures:
        for towns in self.waiting:  # their towns are all known now, or never will be
            self._join(towns)
        decades = sorted(self.decades.items(), key=lambda item: (item[0] == UNKNOWN, item[0]))
        networks = sorted(self.networks.items(), key=lambda item: (-item[1], item[0]))
        return Figures(
            towns=self.records["town"], towns_with_coordinates=self.located, networks=self.records["network"],
            partnerships=self.records["partnership"], memberships=self.records["membership"],
            partnerships_by_kind=_largest_first(self.kinds), partnerships_by_country=_largest_first(self.countries),
            partnerships_by_decade=tuple(decades), global_south_partnerships=self.south,
            memberships_by_network=tuple(NetworkCount(network, self.network_name.get(network), memberships)
                                         for network, memberships in networks),
        )


def _decade(established: Any) -> str:
    match = _YEAR.match(established) if isinstance(established, str) else None
    return f"{match[1]}0s" if match else UNKNOWN


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _largest_first(counter: Counter[str]) -> Counts:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))
