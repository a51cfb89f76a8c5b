"""Where towns lie and which links a partnership draws, read from records as importers give
them (not validated): the figures, the world map and the GeoJSON exporter agree on both."""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import combinations
from typing import Any

LonLat = tuple[float, float]  # GeoJSON's order (RFC 7946): longitude, then latitude
EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180  # of latitude, and of longitude at the equator


def distance_km(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Great-circle distance (haversine) between two {lat, lon} points. `h` is kept within
    0 and 1, which rounding can leave by a hair (at latitudes out of range, 91 and 89 at
    opposite longitudes gave a negative one and a failing square root)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, max(0.0, h))))


def lon_lat(town: Any) -> LonLat | None:
    """A town's location as (lon, lat); None when it has none, or none a map can place (a
    value that is no number, or out of range: the `coordinates` rule reports those)."""
    location = town.get("location") if isinstance(town, Mapping) else None
    if not isinstance(location, Mapping):
        return None
    lat, lon = location.get("lat"), location.get("lon")
    if not (_number(lat) and _number(lon)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return float(lon), float(lat)


def members(partnership: Any) -> list[str]:
    """The town ids a partnership names, each once, in order (anything else is skipped)."""
    listed = partnership.get("members") if isinstance(partnership, Mapping) else None
    if not isinstance(listed, list):
        return []
    return list(dict.fromkeys(m for m in listed if isinstance(m, str)))


def pairs(towns: list[str]) -> list[tuple[str, str]]:
    """The links of a partnership: one between every two of its towns, so a trilateral
    partnership draws a triangle and no member is shown as the hub of the others."""
    return list(combinations(towns, 2))


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
