"""Rules about town records: coordinates and towns given twice."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Checker, Record, Scope, checker_rule, record_rule

EARTH_RADIUS_KM = 6371.0
# Towns of one name further apart than this are different towns (there are many Neustadts).
SAME_TOWN_KM = 50.0
_RANGES = (("lat", 90.0), ("lon", 180.0))


@record_rule(
    "coordinates", Severity.ERROR, "A coordinate is out of range",
    {"range": "{axis} {value} is not a number from -{limit} to {limit}"},
    kinds={"town"},
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


def _distinct(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two towns of one name that their data tells apart (one id twice is `duplicate-id`'s)."""
    if a["id"] == b["id"]:
        return True
    wikidata = ((a.get("identifiers") or {}).get("wikidata"), (b.get("identifiers") or {}).get("wikidata"))
    if all(wikidata) and wikidata[0] != wikidata[1]:
        return True
    if a.get("location") and b.get("location"):
        return located(a["location"]) and located(b["location"]) and \
            distance_km(a["location"], b["location"]) > SAME_TOWN_KM
    return False


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
        # The hash of (name, country, subdivision) -> the index of each town with it; a town
        # with the same hash is compared with the earlier ones, read again, on their key itself.
        self.seen: dict[int, int | list[int]] = {}

    def see(self, town: Record) -> list[Hit] | None:
        key = _key(town.data)
        earlier = self.seen.get(hash(key))
        if earlier is None:
            self.seen[hash(key)] = town.index
            return None
        indexes = [earlier] if isinstance(earlier, int) else earlier
        self.seen[hash(key)] = [*indexes, town.index]
        for index in indexes:
            first = self.scope.fetch("town", index)
            if first is not None and _key(first.data) == key and not _distinct(first.data, town.data):
                return [town.hit("duplicate", related=[first.pointer], id=town.id, first=first.id,
                                 first_at=first.pointer)]
        return None


RULES = (coordinates, DuplicateTown)
