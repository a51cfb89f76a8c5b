"""Make `citynet_exchange/world-110m.json`, the country outlines of the world map, from
Natural Earth's 1:110m Admin 0 countries as the npm package world-atlas 2.0.2 ships them
(`countries-110m.json`, TopoJSON of Natural Earth 4.1.0; `npm pack world-atlas@2.0.2`).

Run once when the outlines should change; nothing is downloaded at run time:

    python tools/make_world_outlines.py package/countries-110m.json citynet_exchange/world-110m.json

The outlines are simplified (Douglas-Peucker, 0.3 degrees) and rounded to tenths of a
degree, so the whole map stays a few tens of kilobytes of SVG; Antarctica is left out, and
rings across the antimeridian are drawn east of it.
Countries are keyed by their ISO 3166-1 alpha-2 code (from the numeric code, via pycountry).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pycountry

TOLERANCE = 0.3  # degrees
NO_NUMERIC_CODE = {"Kosovo": "XK"}  # Natural Earth names for places ISO 3166 gives no numeric code
LEFT_OUT = {"Antarctica"}

Point = tuple[float, float]


def _arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs in degrees: quantized, delta-encoded positions decoded."""
    (kx, ky), (dx, dy) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for qx, qy in arc:
            x, y = x + qx, y + qy
            points.append((x * kx + dx, y * ky + dy))
        decoded.append(points)
    return decoded


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)
    return ring


def _unwrapped(ring: list[Point]) -> list[Point]:
    """A ring that crosses the antimeridian (Fiji, the east of Russia) made continuous, east of
    180 degrees: the map's frame cuts off what lies beyond, instead of a line across the map."""
    if all(abs(b[0] - a[0]) <= 180 for a, b in zip(ring, ring[1:])):
        return ring
    return [(x + 360 if x < 0 else x, y) for x, y in ring]


def _simplify(points: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker: keep the points that lie farther than `tolerance` from the chord."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
    def distance(p: Point) -> float:
        if length == 0:
            return ((p[0] - x1) ** 2 + (p[1] - y1) ** 2) ** 0.5
        return abs((x2 - x1) * (y1 - p[1]) - (x1 - p[0]) * (y2 - y1)) / length
    far, index = max((distance(p), i) for i, p in enumerate(points[1:-1], 1))
    if far <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def _code(geometry: dict[str, Any]) -> str | None:
    name = geometry["properties"]["name"]
    country = pycountry.countries.get(numeric=geometry.get("id", "")) if geometry.get("id") else None
    return country.alpha_2 if country else NO_NUMERIC_CODE.get(name)


def main(source: Path, target: Path) -> None:
    topology = json.loads(source.read_text(encoding="utf-8"))
    arcs = _arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        if name in LEFT_OUT or geometry.get("type") is None:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = []
        for polygon in polygons:
            for indexes in polygon:
                ring = _simplify(_unwrapped(_ring(indexes, arcs)), TOLERANCE)
                tenths = [value for x, y in ring for value in (round(x * 10), round(y * 10))]
                if len(tenths) >= 8:  # a triangle at least, closing point included
                    rings.append(tenths)
        if rings:
            countries.append({"code": _code(geometry), "name": name, "rings": rings})
    document = {
        "source": "Natural Earth 1:110m Admin 0 countries, version 4.1.0, via world-atlas 2.0.2 "
                  "(countries-110m.json); simplified by tools/make_world_outlines.py",
        "licence": "Natural Earth: public domain; world-atlas: ISC",
        "unit": "tenths of a degree; each ring is lon, lat, lon, lat ...",
        "countries": sorted(countries, key=lambda c: (c["code"] or "~", c["name"])),
    }
    target.write_text(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
