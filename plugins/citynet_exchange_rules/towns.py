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
from citynet_exchange.index import HashGroups
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule

EARTH_RADIUS_KM = 6371.0
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


def distance_km(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Great-circle distance (haversine) between two locations."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


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
        # ... on what tells two towns of one name apart, by index: the number of the id, the
        # Wikidata number (0: none), the location (NaN: none). The key itself is compared, on
        # the towns read again, only when two towns are not told apart.
        self.ids = array("q")
        self.wikidata = array("q")  # -1: not of the form Q123, kept in `other_wikidata`
        self.other_wikidata: dict[int, str] = {}
        self.places = array("d")

    def see(self, town: Record) -> None:
        self._note(town.index, town.data)
        self.keys.add(_key(town.data), town.index)

    def end(self) -> Iterable[Hit]:
        fetch = partial(self.scope.fetch, "town")
        for indexes in self.keys.groups():
            for position, index in enumerate(indexes):
                for earlier in indexes[:position]:
                    if self._distinct(earlier, index):
                        continue
                    first, town = fetch(earlier), fetch(index)
                    if first is not None and town is not None and _key(first.data) == _key(town.data):
                        yield town.hit("duplicate", related=[first.pointer], id=town.id, first=first.id,
                                       first_at=first.pointer)
                        break

    def _note(self, index: int, data: Mapping[str, Any]) -> None:
        while len(self.ids) < index:  # towns without a sound form are not seen
            self.ids.append(-1), self.wikidata.append(0), self.places.extend((_NAN, _NAN))
        wikidata = (data.get("identifiers") or {}).get("wikidata")
        location = data.get("location") or {"lat": _NAN, "lon": _NAN}
        self.ids.append(self.scope.index.number("town", data["id"]))
        if wikidata and _QID.fullmatch(wikidata):
            self.wikidata.append(int(wikidata[1:]))
        else:
            self.wikidata.append(-1 if wikidata else 0)
            if wikidata:
                self.other_wikidata[index] = wikidata
        self.places.extend((location["lat"], location["lon"]))

    def _wikidata(self, index: int) -> int | str:
        number = self.wikidata[index]
        return self.other_wikidata[index] if number == -1 else number

    def _distinct(self, a: int, b: int) -> bool:
        """Two towns of one name that their data tells apart (one id twice is `duplicate-id`'s)."""
        if self.ids[a] == self.ids[b]:
            return True
        wikidata = (self._wikidata(a), self._wikidata(b))
        if all(wikidata) and wikidata[0] != wikidata[1]:
            return True
        places = self.places
        lat_a, lon_a, lat_b, lon_b = places[2 * a], places[2 * a + 1], places[2 * b], places[2 * b + 1]
        if all(map(math.isfinite, (lat_a, lon_a, lat_b, lon_b))):
            return distance_km({"lat": lat_a, "lon": lon_a}, {"lat": lat_b, "lon": lon_b}) > SAME_TOWN_KM
        return False


RULES = (coordinates, DuplicateTown)
