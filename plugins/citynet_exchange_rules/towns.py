"""Rules about town records: coordinates and towns given twice."""

from __future__ import annotations

import math
import re
import unicodedata
from array import array
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.geography import KM_PER_DEGREE, distance_km
from citynet_exchange.index import HashGroups
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule

# Towns of one name further apart than this are different towns (there are many Neustadts).
SAME_TOWN_KM = 50.0
_RANGES = (("lat", 90.0), ("lon", 180.0))
_NAN = math.nan
_QID = re.compile(r"Q[1-9][0-9]{0,17}")


@record_rule(
    "coordinates", Severity.ERROR, "A coordinate is out of range",
    {"range": "{axis} {value} is not a number from -{limit} to {limit}"},
    kinds={"town"},
    # Whole numbers as the limits: the compiled check compares a number with a float limit
    # several times more slowly. NaN and infinities are no "number" to it.
    quiet=lambda _scope: {"town": {"properties": {"location": {"properties": {
        axis: {"type": "number", "minimum": -int(limit), "maximum": int(limit)} for axis, limit in _RANGES}}}}},
)
def coordinates(town: Record, scope: Scope) -> list[Hit] | None:
    """A town's location is in WGS 84 decimal degrees: latitude from -90 to 90, longitude from
    -180 to 180. A value outside is often latitude and longitude swapped, or degrees and
    minutes written as one number."""
    location = town.data.get("location")
    if location is None or (-90.0 <= location["lat"] <= 90.0 and -180.0 <= location["lon"] <= 180.0):
        return None  # NaN fails both comparisons
    return [town.hit("range", field=f"location/{axis}", axis=axis, value=location[axis], limit=limit)
            for axis, limit in _RANGES
            if not (math.isfinite(location[axis]) and -limit <= location[axis] <= limit)]


def located(location: Mapping[str, float] | None) -> bool:
    return location is not None and math.isfinite(location["lat"]) and math.isfinite(location["lon"])


def _key(town: Mapping[str, Any]) -> tuple[str, str, str | None]:
    name = " ".join(unicodedata.normalize("NFC", town["name"]).casefold().split())
    return name, town["country"], town.get("subdivision")


@checker_rule(
    "duplicate-town", Severity.WARNING, "A town is given twice under two ids",
    {"duplicate": "town '{id}' has the same name, country and subdivision as town '{first}'"},
)
class DuplicateTown(Checker):
    """Towns with the same name (ignoring case and spacing), country and subdivision are likely
    one town entered twice, which splits its partnerships. Merge them, or tell them apart by
    their location or Wikidata id; towns more than 50 km apart or with different Wikidata ids
    are taken to be different."""

    kinds = frozenset({"town"})

    def __init__(self, scope: Scope):
        super().__init__(scope)
        # The towns by the hash of (name, country, subdivision), compared at the end ...
        self.keys = HashGroups()
        # ... on what tells two towns of one name apart, by index: the Wikidata number (0:
        # none), the location (NaN: none). The ids and the key itself are compared, on the
        # towns read again, only when two towns are not told apart.
        self.wikidata = array("q")  # -1: not of the form Q123, kept in `other_wikidata`
        self.other_wikidata: dict[int, str] = {}
        self.places = array("d")

    def see(self, town: Record) -> None:
        self._note(town.index, town.data)
        self.keys.add(_key(town.data), town.index)

    def end(self) -> Iterable[Hit]:
        fetch = partial(self.scope.fetch, "town")
        for indexes in self.keys.groups():
            told = [self._told(index) for index in indexes]
            for position, index in enumerate(indexes):
                for earlier_position in range(position):
                    if distinct(told[earlier_position], told[position]):
                        continue
                    earlier = indexes[earlier_position]
                    first, town = fetch(earlier), fetch(index)  # one id given twice is duplicate-id's
                    if first is not None and town is not None and first.id != town.id and \
                            _key(first.data) == _key(town.data):
                        yield town.hit("duplicate", related=[first.pointer], id=town.id, first=first.id,
                                       first_at=first.pointer)
                        break

    def _note(self, index: int, data: Mapping[str, Any]) -> None:
        while len(self.wikidata) < index:  # towns without a sound form are not seen
            self.wikidata.append(0), self.places.extend((_NAN, _NAN))
        wikidata = (data.get("identifiers") or {}).get("wikidata")
        location = data.get("location") or {"lat": _NAN, "lon": _NAN}
        if wikidata and _QID.fullmatch(wikidata):
            self.wikidata.append(int(wikidata[1:]))
        else:
            self.wikidata.append(-1 if wikidata else 0)
            if wikidata:
                self.other_wikidata[index] = wikidata
        self.places.extend((location["lat"], location["lon"]))

    def _told(self, index: int) -> Told:
        number = self.wikidata[index]
        wikidata = self.other_wikidata[index] if number == -1 else number
        return wikidata, self.places[2 * index], self.places[2 * index + 1]


# What tells towns of one name apart: the Wikidata id (0: none) and the latitude and
# longitude (NaN: none).
Told = tuple[int | str, float, float]


def distinct(a: Told, b: Told) -> bool:
    """Two towns of one name that their data tells apart."""
    if a[0] and b[0] and a[0] != b[0]:
        return True
    lat_a, lon_a, lat_b, lon_b = a[1], a[2], b[1], b[2]
    if not (math.isfinite(lat_a) and math.isfinite(lon_a) and math.isfinite(lat_b) and math.isfinite(lon_b)):
        return False
    # No great circle between two latitudes is shorter than the meridian between them, so
    # towns of one name that lie far apart north to south (most of them) need no haversine.
    if -90.0 <= lat_a <= 90.0 and -90.0 <= lat_b <= 90.0 and abs(lat_a - lat_b) * KM_PER_DEGREE > SAME_TOWN_KM + 1e-6:
        return True
    return distance_km({"lat": lat_a, "lon": lon_a}, {"lat": lat_b, "lon": lon_b}) > SAME_TOWN_KM


RULES = (coordinates, DuplicateTown)
