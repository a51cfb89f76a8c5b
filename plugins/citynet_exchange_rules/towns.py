"""Rules about town records: coordinates and towns given twice."""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.model import Coordinates
from citynet_exchange.rules import Record, RuleContext, rule

EARTH_RADIUS_KM = 6371.0
# Towns of one name further apart than this are different towns (there are many Neustadts).
SAME_TOWN_KM = 50.0
_RANGES = (("lat", 90.0), ("lon", 180.0))


@rule(
    "coordinates", Severity.ERROR, "A coordinate is out of range",
    {"range": "{axis} {value} is not a number from -{limit} to {limit}"},
)
def coordinates(ctx: RuleContext) -> Iterator[Hit]:
    """A town's location is in WGS 84 decimal degrees: latitude from -90 to 90, longitude from
    -180 to 180. A value outside is often latitude and longitude swapped, or degrees and
    minutes written as one number."""
    for town in ctx.of("town"):
        location = town.model.location
        if location is None:
            continue
        for axis, limit in _RANGES:
            value = getattr(location, axis)
            if not (math.isfinite(value) and -limit <= value <= limit):
                yield town.hit("range", field=f"location/{axis}", axis=axis, value=value, limit=limit)


def distance_km(a: Coordinates, b: Coordinates) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _key(town: Any) -> tuple[str, str, str | None]:
    name = " ".join(unicodedata.normalize("NFC", town.name).casefold().split())
    return name, town.country, town.subdivision


def _distinct(a: Any, b: Any) -> bool:
    """Two towns of one name that their data tells apart (one id twice is `duplicate-id`'s)."""
    if a.id == b.id:
        return True
    wikidata = (a.identifiers and a.identifiers.wikidata, b.identifiers and b.identifiers.wikidata)
    if all(wikidata) and wikidata[0] != wikidata[1]:
        return True
    if a.location and b.location:
        located = all(math.isfinite(v) for v in (a.location.lat, a.location.lon, b.location.lat, b.location.lon))
        return located and distance_km(a.location, b.location) > SAME_TOWN_KM
    return False


@rule(
    "duplicate-town", Severity.WARNING, "A town is given twice under two ids",
    {"duplicate": "town '{id}' has the same name, country and subdivision as town '{first}'"},
)
def duplicate_town(ctx: RuleContext) -> Iterator[Hit]:
    """Towns with the same name (ignoring case and spacing), country and subdivision are likely
    one town entered twice, which splits its partnerships. Merge them, or tell them apart by
    their location or Wikidata id; towns more than 50 km apart or with different Wikidata ids
    are taken to be different."""
    seen: dict[tuple[str, str, str | None], list[Record[Any]]] = defaultdict(list)
    for town in ctx.of("town"):
        earlier = seen[_key(town.model)]
        first = next((e for e in earlier if not _distinct(e.model, town.model)), None)
        if first is not None:
            yield town.hit("duplicate", related=[first.pointer], id=town.model.id, first=first.model.id,
                           first_at=first.pointer)
        earlier.append(town)


RULES = (coordinates, duplicate_town)
