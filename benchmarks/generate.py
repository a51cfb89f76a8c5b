"""Synthetic town twinning datasets for the speed benchmarks, with a fixed mix of planted errors.

    python benchmarks/generate.py --partnerships N [--towns M] [--seed 7] --out DIR
                                  [--formats jsonl,json,flat,turtle] [--clean]

The towns look like real ones (German, Polish, French ... names, ISO country and subdivision
codes, coordinates inside the country, Wikidata ids, AGS/ARS keys that agree, websites) and
the partnerships like real registers (kinds, statuses and partial dates as people record
them), so that the validator does the work real data asks of it. The clean data gives no
finding at all with `citynet validate --today 2026-11-30`; then a documented mix of errors
(`RATES`, a count per 10,000 partnerships) is planted, each giving exactly one finding of
its code. `expected.json` beside the data holds, per format, the count of findings per code
citynet must report, so that a fast run can never be one that skipped work.

The same seed gives the same bytes.
"""

from __future__ import annotations

import argparse
import calendar
import csv
import json
import math
import random
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import orjson
import pycountry
from anyascii import anyascii

ROOT = Path(__file__).resolve().parents[1]
CODELISTS = ROOT / "schema" / "codelists"
TODAY = date(2026, 11, 30)  # the --today every benchmark run validates with
FORMATS = ("jsonl", "json", "flat", "turtle")
FILES = {"jsonl": "dataset.jsonl", "json": "dataset.json", "flat": "flat.csv", "turtle": "dataset.ttl"}

# Planted errors per 10,000 partnerships (at least one of each at any size).
RATES: dict[str, int] = {
    "unknown-reference": 5,      # a member id no town has (a typo: "<id>_alt")
    "duplicate-id": 5,           # a new partnership reusing another's id
    "duplicate-partnership": 5,  # a partnership given again, members reversed, same dates
    "date-order": 5,             # ended five years before established
    "invalid-date": 5,           # established on 30 February
    "unknown-country": 3,        # a town in country "XX" (the form of a code, but no country)
    "self-partnership": 3,       # a town partnered with itself
    "invalid-code": 5,           # kind "twining"
    "wrong-type": 5,             # a population given as text, "12000"
    "missing-field": 3,          # a town without its name
    "identifier-format": 2,      # an AGS that does not agree with the town's ARS
    "future-date": 2,            # established in 2031
    "status-conflict": 2,        # status "ended" without an ended date
}


def _codes(name: str) -> list[str]:
    with open(CODELISTS / f"{name}.csv", encoding="utf-8") as f:
        return [row["code"] for row in csv.DictReader(f)]


KINDS = _codes("partnership-kind")
THEMES = _codes("theme")
KIND_WEIGHTS = {"twinning": 62, "friendship": 12, "project": 6, "contact": 10, "unspecified": 10}
TIME_LIMITED = frozenset({"friendship", "project"})  # need an ended date (rule open-ended-friendship)
assert set(KIND_WEIGHTS) == set(KINDS), "partnership-kind.csv changed: update KIND_WEIGHTS"


@dataclass(frozen=True)
class Style:
    """How a language's town names are made: prefix + root + suffix + tail."""

    prefixes: tuple[str, ...]
    roots: tuple[str, ...]
    suffixes: tuple[str, ...]
    tails: tuple[str, ...] = ("",)

    def name(self, rng: random.Random) -> str:
        prefix, root = rng.choice(self.prefixes), rng.choice(self.roots)
        if prefix and prefix[-1] not in " -'":  # one word: Neu + Münster -> Neumünster
            root = root.lower()
        return prefix + root + rng.choice(self.suffixes) + rng.choice(self.tails)


def _style(prefixes: str, roots: str, suffixes: str, tails: str = "") -> Style:
    """A Style from '|'-separated lists (an empty item is the empty string)."""
    return Style(*(tuple(part.split("|")) for part in (prefixes, roots, suffixes, tails)))


STYLES = {
    "de": _style("|||Bad |Neu|Alt|Groß |Klein |Ober|Nieder|Sankt ",
                 "Münster|Lüne|Fürsten|Königs|Rosen|Linden|Eichen|Bären|Hohen|Wolfs|Schön|Mühl|Kirch|Stein|"
                 "Sonnen|Würz|Blanken|Oster|Süder|Weiß|Roth|Rüssels|Gött|Jüter|Dörn|Hildes|Ratze|Kaufs",
                 "burg|berg|dorf|hausen|heim|feld|bach|stadt|au|hagen|rode|ingen|büttel|walde|bog|itz",
                 "||||| am Main| an der Oder| in Westfalen| im Allgäu| (Saale)| an der Ilm"),
    "pl": _style("|||Nowy |Stary |Biała |Wola ",
                 "Gdań|Sło|Brzez|Dąbr|Żyr|Łęcz|Świe|Krośn|Mił|Ostrów|Kozie|Chełm|Zielon|Grodz|Przem|Rad|Gorz|Łomż",
                 "sk|owo|ice|ów|ica|no|in|ek|yn|ogóra",
                 "|||| Wielkopolski| Mazowiecki| Śląski| Górny| Dolny"),
    "fr": _style("|||Saint-|Sainte-|Le |La |Les ",
                 "Mont|Beau|Ville|Château|Roche|Font|Clair|Val|Bois|Pont|Évr|Ang|Cham|Mar|Lons|Bré|Orl|Poi|Niè",
                 "|ville|court|mont|ac|ières|eux|y|ès|on",
                 "|||| -sur-Mer| -en-Provence| -le-Château| -sur-Loire| -lès-Bains".replace(" -", "-")),
    "it": _style("|||San |Santa |Castel|Monte|Borgo ",
                 "Ros|Vall|Fior|Bell|Cas|Mar|Pian|Torr|Lucc|Ferr|Civit|Gall|Sorr|Pesc|Ravell",
                 "ano|ello|ino|ona|ara|ese|ate|ia|ore", "|||| di Sopra| al Mare| Marittima| d'Adda"),
    "en": _style("|||Great |Little |North |Upper ",
                 "Ash|Brad|Chel|Dor|Hart|Kings|Mill|New|Stan|Wick|Wor|Ox|Ayl|Tew|Mar",
                 "ford|ham|ton|bury|chester|wick|field|ley|mouth|stead", "|||| upon Tyne|-on-Sea| St Mary"),
    "us": _style("|||Port |Lake |Mount |East |West ",
                 "Spring|Green|Oak|Maple|Cedar|Fair|River|Frank|Madi|Clin|Salem|George|Jackson|Lincoln|Bright",
                 "field|ville|ton|wood|dale|view|burg|port|land"),
    "nl": _style("|||'s-|Oud-|Nieuw-|Den ",
                 "Amster|Rotter|Eind|Gron|Zwol|Leeu|Hoog|Bred|Til|Dor|Veen|Harder|Apel|Zaan|Delf",
                 "dam|hoven|wijk|ingen|drecht|burg|veen|sum|horst"),
    "es": _style("|||San |Santa |Villa|Torre|Puerto ",
                 "Alcal|Cór|Gran|Val|Sego|Teru|Cuen|Albac|Jaé|Huel|Zamor|Lleid|Orens|Burg|Cáce",
                 "á|doba|ada|encia|via|el|ca|ete|ón|es|os", "|||| de Henares| del Río| de la Frontera"),
    "cs": _style("|||Nové |Staré |Horní |Dolní ",
                 "Brn|Plz|Liber|Olom|Pardub|Zlí|Kladn|Most|Opav|Jihl|Děč|Tepl|Chom|Kolí|Písk",
                 "o|eň|ec|ouc|ice|utov|ava|ín|ov|any", "|||| nad Labem| nad Vltavou| pod Sněžkou"),
    "ja": _style("", "Hiro|Naga|Kana|Toyo|Shizu|Okaya|Kuma|Sapo|Sen|Fuku|Niiga|Yoko|Kaga|Ichi|Taka",
                 "shima|saki|zawa|hashi|oka|moto|dai|yama|gawa|ta"),
    "zh": _style("", "Zhang|Hang|Su|Guang|Shen|Xia|Qing|Nan|Chang|Wu|Tian|Jin|Yang|Lan|Fu",
                 "zhou|jiang|men|dao|sha|yang|jin|ning|chun|an"),
    "tr": _style("", "Anka|Bur|Kon|Ada|Kay|Esk|Tra|Sam|Mal|Gazi|Dür|Çorl|İzm|Ayd|Muğ",
                 "ra|sa|ya|na|seri|işehir|sun|atya|antep|köy|pınar|lı|ır|la"),
    "uk": _style("|||Novo|Stara |Bila ",
                 "Kyi|Lvi|Khar|Odes|Dnip|Zhytom|Chernih|Polt|Vinn|Ternop|Rivn|Sum|Uzhh|Khers",
                 "v|iv|kiv|sa|ro|yr|ivka|horod|ske|opil|ne|ava"),
}


@dataclass(frozen=True)
class Country:
    """Where a country's towns lie (a box around its mainland) and how they are named."""

    code: str
    weight: int
    style: str
    lat: tuple[float, float]
    lon: tuple[float, float]
    tld: str
    subdivisions: tuple[str, ...] = ()  # first-level ISO 3166-2 codes a town is given, if any


def _top_subdivisions(country: str, *types: str) -> tuple[str, ...]:
    return tuple(sorted(s.code for s in pycountry.subdivisions.get(country_code=country)
                        if s.parent_code is None and s.type in types))


COUNTRIES = (
    Country("DE", 30, "de", (47.5, 54.8), (6.0, 14.9), "de"),  # placed by Land, see LAENDER
    Country("FR", 12, "fr", (43.3, 50.8), (-1.2, 7.4), "fr", _top_subdivisions("FR", "Metropolitan region")),
    Country("PL", 10, "pl", (49.4, 54.5), (14.6, 23.8), "pl", _top_subdivisions("PL", "Voivodship")),
    Country("IT", 8, "it", (38.2, 46.4), (7.6, 16.4), "it"),
    Country("GB", 5, "en", (50.6, 57.4), (-4.3, 1.4), "gov.uk"),
    Country("NL", 4, "nl", (51.4, 53.3), (4.0, 6.9), "nl"),
    Country("ES", 4, "es", (37.0, 43.2), (-7.9, 2.8), "es"),
    Country("CZ", 3, "cs", (48.8, 50.9), (12.6, 18.5), "cz"),
    Country("AT", 3, "de", (46.6, 48.6), (9.8, 16.8), "gv.at"),
    Country("CH", 2, "de", (46.0, 47.7), (6.2, 10.3), "ch"),
    Country("US", 3, "us", (30.5, 46.5), (-119.5, -75.5), "gov"),
    Country("JP", 2, "ja", (33.0, 43.0), (131.0, 141.5), "lg.jp"),
    Country("CN", 2, "zh", (23.0, 40.5), (104.0, 120.5), "gov.cn"),
    Country("TR", 2, "tr", (37.0, 41.0), (27.5, 43.0), "bel.tr"),
    Country("UA", 2, "uk", (46.6, 51.4), (23.5, 38.5), "gov.ua"),
    Country("IL", 1, "en", (31.0, 33.0), (34.6, 35.5), "muni.il"),
)
BY_CODE = {c.code: c for c in COUNTRIES}


@dataclass(frozen=True)
class Land:
    """A German Land: its ISO 3166-2 code, its number in the AGS, a centre and a spread."""

    iso: str
    number: int
    lat: float
    lon: float
    spread: float
    weight: int


LAENDER = (
    Land("DE-SH", 1, 54.2, 9.7, 0.5, 5), Land("DE-HH", 2, 53.55, 10.0, 0.08, 1),
    Land("DE-NI", 3, 52.7, 9.2, 0.9, 11), Land("DE-HB", 4, 53.1, 8.8, 0.05, 1),
    Land("DE-NW", 5, 51.5, 7.5, 0.6, 15), Land("DE-HE", 6, 50.6, 9.0, 0.5, 8),
    Land("DE-RP", 7, 49.9, 7.4, 0.5, 8), Land("DE-BW", 8, 48.6, 9.0, 0.6, 12),
    Land("DE-BY", 9, 48.9, 11.4, 0.9, 18), Land("DE-SL", 10, 49.4, 6.95, 0.15, 2),
    Land("DE-BE", 11, 52.52, 13.4, 0.08, 1), Land("DE-BB", 12, 52.4, 13.3, 0.7, 5),
    Land("DE-MV", 13, 53.8, 12.5, 0.7, 4), Land("DE-SN", 14, 51.05, 13.3, 0.5, 5),
    Land("DE-ST", 15, 51.9, 11.7, 0.5, 4), Land("DE-TH", 16, 50.9, 11.0, 0.4, 4),
)
for _code in (*(land.iso for land in LAENDER), *(s for c in COUNTRIES for s in c.subdivisions)):
    assert pycountry.subdivisions.get(code=_code) is not None, f"{_code} is no ISO 3166-2 code"
MUNICIPALITIES_PER_KREIS = 899  # AGS municipality numbers 001-899; 9xx is left for planted errors


def slug(text: str) -> str:
    """The ASCII form of a name for ids and web addresses: `Gdańsk` -> `gdansk`."""
    return "-".join("".join(c if c.isalnum() else " " for c in anyascii(text).lower()).split())


def _wikidata(index: int) -> str:
    """A Q-id unique to the town: multiplying by a prime is a bijection modulo 9,999,991."""
    return f"Q{1000 + (index * 7919 + 4241) % 9_999_991}"


def _german_keys(land: Land, number: int) -> tuple[str, str]:
    """The AGS and ARS of a Land's `number`th town: ARS = Land, Regierungsbezirk, Kreis,
    Gemeindeverband, Gemeinde; the AGS is ARS digits 1-5 and 10-12."""
    kreis, gemeinde = divmod(number, MUNICIPALITIES_PER_KREIS)
    district, kreis = divmod(kreis, 99)
    ars = f"{land.number:02d}{district % 10}{kreis + 1:02d}{gemeinde // 40 + 1:04d}{gemeinde + 1:03d}"
    return ars[:5] + ars[9:], ars


@dataclass
class _TownMaker:
    """Makes the towns one by one; keeps the per-Land counters the AGS numbers come from."""

    rng: random.Random
    land_counts: Counter[str] = field(default_factory=Counter)

    def town(self, index: int) -> dict[str, Any]:
        rng = self.rng
        country = rng.choices(COUNTRIES, weights=[c.weight for c in COUNTRIES])[0]
        name = STYLES[country.style].name(rng)
        town: dict[str, Any] = {"id": "", "name": name, "country": country.code}
        identifiers: dict[str, str] = {"wikidata": _wikidata(index)}
        if country.code == "DE":
            land = rng.choices(LAENDER, weights=[land.weight for land in LAENDER])[0]
            identifiers["ags"], identifiers["ars"] = _german_keys(land, self.land_counts[land.iso])
            self.land_counts[land.iso] += 1
            town["id"], town["subdivision"] = f"de-{identifiers['ags']}", land.iso
            lat = land.lat + rng.uniform(-land.spread, land.spread)
            lon = land.lon + rng.uniform(-1.5 * land.spread, 1.5 * land.spread)
        else:
            town["id"] = f"{country.code.lower()}-{slug(name)}-{index}"
            if country.subdivisions:
                town["subdivision"] = rng.choice(country.subdivisions)
            lat, lon = rng.uniform(*country.lat), rng.uniform(*country.lon)
        if rng.random() < 0.5:
            identifiers["geonames"] = str(2_000_000 + (index * 104_729) % 7_999_993)
        town["type"] = "municipality"  # a town without a type may be a district (rule possible-district)
        town["identifiers"] = identifiers
        town["location"] = {"lat": round(lat, 4), "lon": round(lon, 4)}
        town["population"] = min(3_800_000, max(150, int(math.exp(rng.gauss(9.2, 1.25)))))
        if rng.random() < 0.8:
            town["website"] = f"https://www.{slug(name).replace('-', '')}.{country.tld}"
        return town


def _some_date(rng: random.Random, year: int) -> str:
    """A date of the year as registers give it: the year alone, the month, or the day."""
    precision = rng.random()
    if precision < 0.5:
        return str(year)
    month = rng.randint(1, 12)
    if precision < 0.7:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, calendar.monthrange(year, month)[1]):02d}"


def latest_day(text: str) -> date:
    """The last day a partial date may mean (2026 -> 2026-12-31)."""
    parts = [int(p) for p in text.split("-")]
    year, month = parts[0], parts[1] if len(parts) > 1 else 12
    return date(year, month, parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1])


def _partnership(rng: random.Random, a: str, b: str) -> dict[str, Any]:
    """A clean partnership between towns `a` and `b`: time-limited kinds end, a status never
    contradicts the dates, nothing begins after `TODAY`."""
    kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
    mode = {"twinning": 1975, "friendship": 2012, "project": 2016}.get(kind, 1992)
    year = int(rng.triangular(1950 if kind not in TIME_LIMITED else 1985, 2025.99, mode))
    record: dict[str, Any] = {"id": f"{a}--{b}", "kind": kind, "members": [a, b], "established": _some_date(rng, year)}
    ended = None
    if kind in TIME_LIMITED:
        end_year = year + rng.randint(2, 8)
        ended = str(end_year) if rng.random() < 0.6 else f"{end_year}-12-31"
    elif year < 2025 and rng.random() < 0.07:
        ended = _some_date(rng, rng.randint(year + 1, 2025))
    if ended is not None:
        record["ended"] = ended
        if latest_day(ended) <= TODAY:
            status = "ended" if rng.random() < 0.8 else None
        else:
            status = "active" if rng.random() < 0.7 else None
    else:
        status = rng.choices(("active", "dormant", None), weights=(70, 10, 20))[0]
    if status is not None:
        record["status"] = status
    if rng.random() < 0.6:
        record["themes"] = rng.sample(THEMES[:16], rng.randint(1, 3))
    if kind == "twinning" and len(record["established"]) == 10 and rng.random() < 0.6:
        record["agreement"] = {"date": record["established"], "council_resolution": True}
    return record


def _pairs(rng: random.Random, towns: list[dict[str, Any]], count: int) -> Iterator[tuple[int, int]]:
    """`count` distinct pairs of town indices, every town in one at least; most pairs join
    towns of two countries, as twinnings do."""
    order = list(range(len(towns)))
    rng.shuffle(order)
    if len(order) % 2:
        order.append(order[0])
    seen: set[tuple[int, int]] = set()
    for i in range(0, len(order), 2):
        seen.add((min(order[i:i + 2]), max(order[i:i + 2])))
        yield order[i], order[i + 1]
    while len(seen) < count:
        a, b = rng.randrange(len(towns)), rng.randrange(len(towns))
        if towns[a]["country"] == towns[b]["country"] and rng.random() < 0.85:
            continue
        key = (min(a, b), max(a, b))
        if a != b and key not in seen:
            seen.add(key)
            yield a, b


@dataclass
class Dataset:
    """A generated dataset and the findings each format of it must give."""

    metadata: dict[str, Any]
    towns: list[dict[str, Any]]
    partnerships: list[dict[str, Any]]
    expected: dict[str, Counter[str]]
    not_in_flat: set[int] = field(default_factory=set)  # id() of partnerships a flat row cannot hold


def generate(partnerships: int, towns: int | None = None, seed: int = 7, plant: bool = True) -> Dataset:
    """The dataset: `partnerships` partnerships (planted ones included) between `towns` towns
    (default half as many), the errors of `RATES` planted unless `plant` is false."""
    towns = partnerships // 2 if towns is None else towns
    if not 2 <= towns <= 2 * partnerships:
        raise ValueError("towns must be from 2 to twice the number of partnerships")
    rng = random.Random(seed)
    maker = _TownMaker(rng)
    town_list = [maker.town(i) for i in range(towns)]
    planted = _plant_counts(partnerships) if plant else {}
    new_records = sum(planted.get(code, 0) for code in Planter.NEW_RECORDS)
    clean = [_partnership(rng, town_list[a]["id"], town_list[b]["id"])
             for a, b in _pairs(rng, town_list, partnerships - new_records)]
    metadata = {"title": f"Synthetic town twinnings ({partnerships} partnerships, seed {seed})",
                "publisher": "citynet-exchange benchmarks", "license": "CC0-1.0", "created": "2026-11-01",
                "description": "Generated by benchmarks/generate.py; not real data."}
    dataset = Dataset(metadata, town_list, clean, {fmt: Counter() for fmt in FORMATS})
    Planter(rng, dataset).plant(planted)
    return dataset


TRIES = 100_000  # random picks before a dataset is taken to be too small for the errors


def _plant_counts(partnerships: int) -> dict[str, int]:
    return {code: max(1, round(rate * partnerships / 10_000)) for code, rate in RATES.items()}


class Planter:
    """Plants errors that give exactly one finding each: no cascade into other codes.

    Towns with planted errors are the least connected ones, and no planted partnership
    touches them, so that a flat table (which repeats a town in each of its rows) repeats
    their problem as seldom as can be. Partnerships with planted errors are distinct, and
    new ones join pairs of towns not joined yet."""

    NEW_RECORDS = ("unknown-reference", "duplicate-id", "duplicate-partnership", "self-partnership", "invalid-code")

    def __init__(self, rng: random.Random, dataset: Dataset):
        self.rng, self.data = rng, dataset
        self.index = {t["id"]: i for i, t in enumerate(dataset.towns)}
        self.degree = Counter(m for p in dataset.partnerships for m in p["members"])
        self.pairs = {frozenset(p["members"]) for p in dataset.partnerships}
        self.reserved: set[str] = set()  # towns with planted errors
        self.touched: set[int] = set()  # indices of partnerships with planted errors
        self.new: list[dict[str, Any]] = []
        keys = [rng.random() for _ in dataset.towns]
        self.town_order = sorted(range(len(dataset.towns)), key=lambda i: (self.degree[dataset.towns[i]["id"]], keys[i]))

    def plant(self, counts: dict[str, int]) -> None:
        plants: dict[str, Callable[[], None]] = {
            "wrong-type": self.wrong_type, "unknown-country": self.unknown_country,
            "missing-field": self.missing_field, "identifier-format": self.identifier_format,
            "unknown-reference": self.unknown_reference, "duplicate-id": self.duplicate_id,
            "duplicate-partnership": self.duplicate_partnership, "self-partnership": self.self_partnership,
            "invalid-code": self.invalid_code, "date-order": self.date_order, "invalid-date": self.invalid_date,
            "future-date": self.future_date, "status-conflict": self.status_conflict,
        }
        assert set(plants) == set(RATES)
        for code in plants:  # towns first: the partnerships planted next keep away from them
            for _ in range(counts.get(code, 0)):
                plants[code]()
        self.data.partnerships = _interleave(self.rng, self.data.partnerships, self.new)

    def _expect(self, code: str, flat: int = 1, turtle: str | None = None) -> None:
        """One finding of `code` in the JSON formats, `flat` of it in the flat table, and one
        in Turtle, of code `turtle` where RDF says it another way."""
        expected = self.data.expected
        expected["json"][code] += 1
        expected["jsonl"][code] += 1
        expected["turtle"][turtle or code] += 1
        expected["flat"][code] += flat

    # Towns

    def _quiet_town(self, fits: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
        """The least connected town that fits and has no planted error yet."""
        for i in self.town_order:
            town = self.data.towns[i]
            if town["id"] not in self.reserved and fits(town):
                self.reserved.add(town["id"])
                return town
        raise ValueError("too few towns to plant the errors in")

    def wrong_type(self) -> None:
        """A population as text; a CSV cell has no type, so the flat table has no error."""
        town = self._quiet_town(lambda t: True)
        town["population"] = str(town["population"])
        self._expect("wrong-type", flat=0)

    def unknown_country(self) -> None:
        """Country "XX" for a town without subdivision or German keys, which would be findings
        of their own; the flat reader also says that each of its cells names no country."""
        town = self._quiet_town(lambda t: "subdivision" not in t)
        town["country"] = "XX"
        self._expect("unknown-country")
        self.data.expected["flat"]["unknown-value"] += self.degree[town["id"]]

    def missing_field(self) -> None:
        """A town without a name: its id still stands, so references to it hold; the flat
        reader reports the empty cell in each row of the town."""
        town = self._quiet_town(lambda t: True)
        del town["name"]
        self._expect("missing-field", flat=self.degree[town["id"]])

    def identifier_format(self) -> None:
        """An AGS whose municipality number (9xx) no ARS of the generator gives."""
        town = self._quiet_town(lambda t: t["country"] == "DE")
        ars = town["identifiers"]["ars"]
        town["identifiers"]["ags"] = ars[:5] + "9" + ars[10:]
        self._expect("identifier-format")

    # Partnerships

    def _free_town(self) -> str:
        for _ in range(TRIES):
            town = self.rng.choice(self.data.towns)["id"]
            if town not in self.reserved:
                return town
        raise ValueError("too few towns to plant the errors in")

    def _new_pair(self) -> tuple[str, str]:
        for _ in range(TRIES):
            a, b = self._free_town(), self._free_town()
            if a != b and frozenset((a, b)) not in self.pairs:
                self.pairs.add(frozenset((a, b)))
                return a, b
        raise ValueError("too few towns to plant the errors in")

    def _add(self, record: dict[str, Any]) -> dict[str, Any]:
        self.new.append(record)
        return record

    def _clean_partnership(self, fits: Callable[[dict[str, Any]], bool] = lambda p: True) -> dict[str, Any]:
        """A partnership without planted errors, not touching a town with one."""
        partnerships = self.data.partnerships
        for _ in range(TRIES):
            i = self.rng.randrange(len(partnerships))
            record = partnerships[i]
            if i not in self.touched and not self.reserved.intersection(record["members"]) and fits(record):
                self.touched.add(i)
                return record
        raise ValueError("too few partnerships to plant the errors in")

    def unknown_reference(self) -> None:
        """A member that no town has: a typo of a town's id. A flat row names its towns by
        describing them, so it cannot refer to a missing one: the row is left out there."""
        a, b = self._new_pair()
        record = self._add({"id": f"{a}--{b}_alt", "kind": "twinning", "members": [a, f"{b}_alt"],
                            "established": "1989"})
        self.data.not_in_flat.add(id(record))
        self._expect("unknown-reference", flat=0)

    def duplicate_id(self) -> None:
        a, b = self._new_pair()
        taken = self._clean_partnership()["id"]
        self._add({"id": taken, "kind": "contact", "members": [a, b], "established": "2004"})
        self._expect("duplicate-id")

    def duplicate_partnership(self) -> None:
        """The same partnership again, as a second source gives it: members reversed, a new id."""
        original = self._clean_partnership()
        copy = {**original, "id": f"{original['id']}-2", "members": original["members"][::-1]}
        self._add(copy)
        self._expect("duplicate-partnership")

    def self_partnership(self) -> None:
        """A town twice among the members; RDF holds a member once (citynet convert says so),
        so in Turtle the partnership has one member too few (invalid-value)."""
        town = self._free_town()
        self._add({"id": f"{town}--{town}", "kind": "twinning", "members": [town, town], "established": "1999"})
        self._expect("self-partnership", turtle="invalid-value")

    def invalid_code(self) -> None:
        a, b = self._new_pair()
        self._add({"id": f"{a}--{b}", "kind": "twining", "members": [a, b], "established": "1972"})
        self._expect("invalid-code")

    def date_order(self) -> None:
        record = self._clean_partnership()
        record["ended"], record["status"] = str(int(record["established"][:4]) - 5), "ended"
        self._expect("date-order")

    def invalid_date(self) -> None:
        record = self._clean_partnership()
        record["established"] = f"{record['established'][:4]}-02-30"
        self._expect("invalid-date")

    def future_date(self) -> None:
        record = self._clean_partnership(lambda p: "ended" not in p and "agreement" not in p
                                         and p["kind"] not in TIME_LIMITED)
        record["established"] = "2031"
        self._expect("future-date")

    def status_conflict(self) -> None:
        record = self._clean_partnership(lambda p: "ended" not in p and p["kind"] not in TIME_LIMITED)
        record["status"] = "ended"
        self._expect("status-conflict")


def _interleave(rng: random.Random, records: list[Any], extra: list[Any]) -> list[Any]:
    """`records` with `extra` put in at random places, in one pass."""
    places = sorted((rng.randrange(len(records) + 1), i) for i in range(len(extra)))
    out: list[Any] = []
    start = 0
    for place, i in places:
        out.extend(records[start:place])
        out.append(extra[i])
        start = place
    out.extend(records[start:])
    return out


# Writing


def write(dataset: Dataset, out: Path, formats: Iterable[str] = FORMATS) -> None:
    """The dataset in each format asked for, and `expected.json` for those formats."""
    formats = list(formats)
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    out.mkdir(parents=True, exist_ok=True)
    if "jsonl" in formats:
        with open(out / FILES["jsonl"], "wb") as f:
            write_jsonl(dataset, f)
    if "json" in formats or "turtle" in formats:
        with open(out / FILES["json"], "wb") as f:
            write_json(dataset, f)
    if "flat" in formats:
        with open(out / FILES["flat"], "w", encoding="utf-8", newline="") as f:
            write_flat(dataset, f)
        (out / "tableschema.json").write_text(json.dumps(table_schema(), indent=2) + "\n", encoding="utf-8")
    if "turtle" in formats:
        write_turtle(out / FILES["json"], out / FILES["turtle"])
    expected = {fmt: {code: n for code, n in sorted(dataset.expected[fmt].items()) if n} for fmt in formats}
    (out / "expected.json").write_text(json.dumps(expected, indent=2) + "\n", encoding="utf-8")


def write_jsonl(dataset: Dataset, f: IO[bytes]) -> None:
    """JSON Lines: the dataset header, then a record a line marked with its kind."""
    f.write(orjson.dumps({"@record": "dataset", "standard": "1.0", "metadata": dataset.metadata}) + b"\n")
    for kind, records in (("town", dataset.towns), ("partnership", dataset.partnerships)):
        for record in records:
            f.write(orjson.dumps({"@record": kind, **record}) + b"\n")


def write_json(dataset: Dataset, f: IO[bytes]) -> None:
    """The native JSON document, a record a line (so that findings' line numbers mean something)."""
    f.write(b'{"standard": "1.0", "metadata": ' + orjson.dumps(dataset.metadata))
    for key, records in (("towns", dataset.towns), ("partnerships", dataset.partnerships)):
        f.write(b',\n"' + key.encode() + b'": [')
        for i, record in enumerate(records):
            f.write((b",\n" if i else b"\n") + orjson.dumps(record))
        f.write(b"\n]")
    f.write(b"}\n")


TOWN_FIELDS = ("id", "name", "country", "subdivision", "type", "identifiers.wikidata", "identifiers.geonames",
               "identifiers.ags", "identifiers.ars", "location.lat", "location.lon", "population", "website")
OWN_FIELDS = ("kind", "established", "ended", "status", "themes", "agreement.date", "agreement.council_resolution")
FLAT_HEADER = ("id", *(f"{side}.{name}" for side in ("town_a", "town_b") for name in TOWN_FIELDS), *OWN_FIELDS)


def _cell(record: dict[str, Any], dotted: str) -> str:
    value: Any = record
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def write_flat(dataset: Dataset, f: IO[str]) -> None:
    """The flat table: a row per partnership, both towns described inline in every row."""
    towns = {t["id"]: [_cell(t, name) for name in TOWN_FIELDS] for t in dataset.towns}
    writer = csv.writer(f, lineterminator="\n")
    writer.writerow(FLAT_HEADER)
    for p in dataset.partnerships:
        if id(p) in dataset.not_in_flat:
            continue
        a, b = p["members"]
        writer.writerow([_cell(p, "id"), *towns[a], *towns[b], *(_cell(p, name) for name in OWN_FIELDS)])


def write_turtle(json_path: Path, ttl_path: Path) -> None:
    """Turtle as citynet writes it (the findings of the planted errors go to standard error)."""
    command = [sys.executable, "-m", "citynet_exchange", "convert", str(json_path), "--to", "turtle",
               "-o", str(ttl_path), "--today", TODAY.isoformat()]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode not in (0, 1) or not ttl_path.exists():
        raise RuntimeError(f"citynet convert failed ({result.returncode}): {result.stderr[-2000:]}")


DATE_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.~-]*$"


def table_schema() -> dict[str, Any]:
    """A Frictionless Table Schema for flat.csv with the standard's structural rules for it:
    types, required cells, code lists as enums, the forms of ids, codes and dates, ranges."""
    town = {
        "id": {"type": "string", "constraints": {"required": True, "pattern": ID_PATTERN}},
        "name": {"type": "string", "constraints": {"required": True, "minLength": 1}},
        "country": {"type": "string", "constraints": {"required": True, "pattern": "^[A-Z]{2}$"}},
        "subdivision": {"type": "string", "constraints": {"pattern": "^[A-Z]{2}-[A-Z0-9]{1,3}$"}},
        "type": {"type": "string", "constraints": {"enum": _codes("town-type")}},
        "identifiers.wikidata": {"type": "string", "constraints": {"pattern": r"^Q[1-9][0-9]*$"}},
        "identifiers.geonames": {"type": "string", "constraints": {"pattern": r"^[1-9][0-9]*$"}},
        "identifiers.ags": {"type": "string", "constraints": {"pattern": r"^(0[1-9]|1[0-6])[0-9]{6}$"}},
        "identifiers.ars": {"type": "string", "constraints": {"pattern": r"^(0[1-9]|1[0-6])[0-9]{10}$"}},
        "location.lat": {"type": "number", "constraints": {"minimum": -90, "maximum": 90}},
        "location.lon": {"type": "number", "constraints": {"minimum": -180, "maximum": 180}},
        "population": {"type": "integer", "constraints": {"minimum": 0}},
        "website": {"type": "string", "constraints": {"pattern": r"^https?://\S+$"}},
    }
    theme = "|".join(THEMES)
    own = {
        "id": {"type": "string", "constraints": {"required": True, "unique": True, "pattern": ID_PATTERN}},
        "kind": {"type": "string", "constraints": {"required": True, "enum": KINDS}},
        "established": {"type": "string", "constraints": {"pattern": DATE_PATTERN}},
        "ended": {"type": "string", "constraints": {"pattern": DATE_PATTERN}},
        "status": {"type": "string", "constraints": {"enum": _codes("partnership-status")}},
        "themes": {"type": "string", "constraints": {"pattern": f"^({theme})(;({theme}))*$"}},
        "agreement.date": {"type": "string", "constraints": {"pattern": DATE_PATTERN}},
        "agreement.council_resolution": {"type": "boolean"},
    }
    fields = []
    for name in FLAT_HEADER:
        side, _, rest = name.partition(".")
        spec = town[rest] if side in ("town_a", "town_b") else own[name]
        fields.append({"name": name, **spec})
    return {"fields": fields, "missingValues": [""]}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, required=True)
    parser.add_argument("--towns", type=int, help="default: half the partnerships")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: " + ",".join(FORMATS))
    parser.add_argument("--clean", action="store_true", help="plant no errors")
    args = parser.parse_args(argv)
    dataset = generate(args.partnerships, args.towns, args.seed, plant=not args.clean)
    write(dataset, args.out, [f.strip() for f in args.formats.split(",") if f.strip()])


if __name__ == "__main__":
    main()
