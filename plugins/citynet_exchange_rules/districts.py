"""Rule `possible-district`: a town that may be a district of a much larger town beside it."""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.geography import KM_PER_DEGREE, distance_km
from citynet_exchange.rules import Checker, Record, Scope, checker_rule

# Inhabitants per km² of a compact city (Berlin has about 4,100, Antwerp 2,600): a town's
# reach is the radius of a disc that holds its population at this density.
URBAN_DENSITY = 3000.0
# How many times a town's population the larger town has when the town may be its district:
# a city's districts share its population (Berlin has 12 Bezirke, Budapest 23 districts,
# London 32 boroughs), so a district holds about a tenth to a sixtieth of it. A town beside
# it of the same size is a town of its own (Neu-Ulm beside Ulm), and so most likely is a
# much smaller one (Unterföhring beside Munich).
RATIOS = (10, 60)
_CELL_DEGREES = 0.5  # the grid that finds the towns near a larger town
# What the larger town may be: a district or region is an area of towns, not a town with
# districts. (A town that has a type is never asked about: its publisher has said what it is.)
_PARENT_TYPES = frozenset({None, "municipality"})


def reach_km(population: int) -> float:
    """The radius of a disc that holds `population` at `URBAN_DENSITY`: 19 km for Berlin's
    3.5 million, 7 km for Antwerp's half million."""
    return math.sqrt(population / (math.pi * URBAN_DENSITY))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat / _CELL_DEGREES), math.floor(lon / _CELL_DEGREES)


@checker_rule(
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
class PossibleDistrict(Checker):
    """A city district with partnerships of its own (a Berlin Bezirk, Ekeren in Antwerp) is a
    town of type `city-district`. A town without a type is flagged when it lies within the reach
    of a town of its country with 10 to 60 times its population, a district's share of a city
    (or when its own population is not given); the reach is the radius that holds the larger
    town's population at 3,000 inhabitants per km² (19 km for Berlin). Suburbs lie there too
    (not Neu-Ulm beside Ulm, half Ulm's size): give the town its type, `city-district` or
    `municipality`, and the finding goes."""

    kinds = frozenset({"town"})

    def __init__(self, scope: Scope):
        super().__init__(scope)
        # Untyped towns by (country, cell): (index, lat, lon, population or 0).
        self.candidates: dict[tuple[str, int, int], list[tuple[int, float, float, int]]] = defaultdict(list)
        # Towns that may have districts, in columns: (index, population) and (lat, lon).
        self.parents = array("q")
        self.places = array("d")
        self.countries: list[str] = []

    def see(self, town: Record) -> None:
        data = town.data
        location = data.get("location")
        if location is None or not (abs(location["lat"]) < 89.0 and math.isfinite(location["lon"])):
            return
        lat, lon, population, kind = location["lat"], location["lon"], data.get("population") or 0, data.get("type")
        if kind is None:
            self.candidates[(data["country"], *_cell(lat, lon))].append((town.index, lat, lon, population))
        if kind in _PARENT_TYPES and population:
            self.parents.extend((population, town.index))
            self.places.extend((lat, lon))
            self.countries.append(data["country"])

    def end(self) -> Iterable[Hit]:
        if not self.candidates:
            return []
        found: dict[int, tuple[Record, Record, float]] = {}
        by_size = sorted(range(len(self.countries)), key=lambda p: -self.parents[2 * p])
        for parent in by_size:
            for index, km in self._near(parent):
                if index not in found:
                    pair = self._pair(index, self.parents[2 * parent + 1])
                    if pair is not None:
                        found[index] = (*pair, km)
        return [self._hit(town, parent, km) for _index, (town, parent, km) in sorted(found.items())]

    def _near(self, parent: int) -> Iterator[tuple[int, float]]:
        """(index, distance) of the untyped towns within the parent's reach whose population
        suits a district of it (or is not given)."""
        population = self.parents[2 * parent]
        lat, lon = self.places[2 * parent], self.places[2 * parent + 1]
        reach = reach_km(population)
        lat_span = reach / KM_PER_DEGREE
        lon_span = reach / (KM_PER_DEGREE * math.cos(math.radians(lat)))
        low, high = _cell(lat - lat_span, lon - lon_span), _cell(lat + lat_span, lon + lon_span)
        country = self.countries[parent]
        for row in range(low[0], high[0] + 1):
            for column in range(low[1], high[1] + 1):
                for index, town_lat, town_lon, town_population in self.candidates.get((country, row, column), ()):
                    if town_population and not RATIOS[0] <= population / town_population <= RATIOS[1]:
                        continue
                    km = distance_km({"lat": town_lat, "lon": town_lon}, {"lat": lat, "lon": lon})
                    if km <= reach:
                        yield index, km

    def _pair(self, town_index: int, parent_index: int) -> tuple[Record, Record] | None:
        """The town and the larger town, unless they are one town, or one given twice (rule
        duplicate-town)."""
        town, parent = self.scope.fetch("town", town_index), self.scope.fetch("town", parent_index)
        if town is None or parent is None or town.id == parent.id or \
                town.data["name"].casefold() == parent.data["name"].casefold():
            return None
        return town, parent

    @staticmethod
    def _hit(town: Record, parent: Record, km: float) -> Hit:
        population = parent.data["population"]
        params = {"id": town.id, "km": round(km, 1), "larger": parent.id, "population": population}
        if town.data.get("population"):
            return town.hit("near", field="name", related=[f"{parent.pointer}/name"],
                            ratio=population // town.data["population"], **params)
        return town.hit("near-unknown", field="name", related=[f"{parent.pointer}/name"], **params)


RULES = (PossibleDistrict,)
