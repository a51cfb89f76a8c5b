"""Rule `possible-district`: a town that may be a district of a much larger town beside it."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Record, RuleContext, rule
from citynet_exchange_rules.towns import distance_km

# Inhabitants per km² of a compact city (Berlin has about 4,100, Antwerp 2,600): a town's
# reach is the radius of a disc that holds its population at this density.
URBAN_DENSITY = 3000.0
# How many times a town's population the larger town has when the town may be its district:
# a city's districts share its population (Berlin has 12 Bezirke, Budapest 23 districts,
# London 32 boroughs), so a district holds about a tenth to a sixtieth of it. A town beside
# it of the same size is a town of its own (Neu-Ulm beside Ulm), and so most likely is a
# much smaller one (Unterföhring beside Munich).
RATIOS = (10, 60)
_KM_PER_DEGREE = 111.2
_CELL_DEGREES = 0.5  # the grid that finds the towns near a larger town
# What the larger town may be: a district or region is an area of towns, not a town with
# districts. (A town that has a type is never asked about: its publisher has said what it is.)
_PARENT_TYPES = frozenset({None, "municipality"})


def reach_km(population: int) -> float:
    """The radius of a disc that holds `population` at `URBAN_DENSITY`: 19 km for Berlin's
    3.5 million, 7 km for Antwerp's half million."""
    return math.sqrt(population / (math.pi * URBAN_DENSITY))


def _located(town: Record[Any]) -> bool:
    location = town.model.location
    return location is not None and all(math.isfinite(v) for v in (location.lat, location.lon)) \
        and abs(location.lat) < 89.0


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES)


@rule(
    "possible-district", Severity.INFO, "A town may be a district of a larger town",
    {
        "near": "town '{id}' lies {km} km from '{larger}', which has {population} inhabitants, {ratio} times as "
                "many: if it is a district of '{larger}', give it type city-district, if a town of its own, "
                "type municipality",
        "near-unknown": "town '{id}' (its population not given) lies {km} km from '{larger}', which has "
                        "{population} inhabitants: if it is a district of '{larger}', give it type city-district, "
                        "if a town of its own, type municipality",
    },
)
def possible_district(ctx: RuleContext) -> Iterator[Hit]:
    """A city district with partnerships of its own (a Berlin Bezirk, Ekeren in Antwerp) is a
    town of type `city-district`. A town without a type is flagged when it lies within the reach
    of a town of its country with 10 to 60 times its population, a district's share of a city
    (or when its own population is not given); the reach is the radius that holds the larger
    town's population at 3,000 inhabitants per km² (19 km for Berlin). Suburbs lie there too
    (not Neu-Ulm beside Ulm, half Ulm's size): give the town its type, `city-district` or
    `municipality`, and the finding goes."""
    candidates: dict[tuple[str, int, int], list[Record[Any]]] = defaultdict(list)
    parents: list[Record[Any]] = []
    for town in ctx.of("town"):
        if not _located(town):
            continue
        if town.model.type is None:
            location = town.model.location
            candidates[(town.model.country, *_cell(location.lat, location.lon))].append(town)
        if town.model.type in _PARENT_TYPES and town.model.population:
            parents.append(town)
    found: dict[str, tuple[Record[Any], Record[Any], float]] = {}
    for parent in sorted(parents, key=lambda t: -t.model.population):
        for town, km in _near(parent, candidates):
            if town.pointer not in found:
                found[town.pointer] = (town, parent, km)
    for town, parent, km in sorted(found.values(), key=lambda f: int(f[0].pointer.rsplit("/", 1)[1])):
        params = {"id": town.model.id, "km": round(km, 1), "larger": parent.model.id,
                  "population": parent.model.population}
        if town.model.population:
            yield town.hit("near", field="name", related=[f"{parent.pointer}/name"],
                           ratio=parent.model.population // town.model.population, **params)
        else:
            yield town.hit("near-unknown", field="name", related=[f"{parent.pointer}/name"], **params)


def _near(parent: Record[Any], candidates: dict[tuple[str, int, int], list[Record[Any]]]
          ) -> Iterator[tuple[Record[Any], float]]:
    """The untyped towns within the parent's reach whose population suits a district of it
    (or is not given), with their distance."""
    model = parent.model
    reach = reach_km(model.population)
    lat_span = reach / _KM_PER_DEGREE
    lon_span = reach / (_KM_PER_DEGREE * math.cos(math.radians(model.location.lat)))
    low, high = _cell(model.location.lat - lat_span, model.location.lon - lon_span), \
        _cell(model.location.lat + lat_span, model.location.lon + lon_span)
    for row in range(low[0], high[0] + 1):
        for column in range(low[1], high[1] + 1):
            for town in candidates.get((model.country, row, column), ()):
                if town.model.id == model.id or town.model.name.casefold() == model.name.casefold():
                    continue  # the same town, or one given twice (rule duplicate-town)
                ratio = model.population / town.model.population if town.model.population else None
                if ratio is not None and not RATIOS[0] <= ratio <= RATIOS[1]:
                    continue
                km = distance_km(town.model.location, model.location)
                if km <= reach:
                    yield town, km


RULES = (possible_district,)
