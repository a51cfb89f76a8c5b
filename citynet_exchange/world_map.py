"""A world map of towns and partnerships as inline SVG, for the HTML report.

Country outlines come with the package (`world-110m.json`: Natural Earth's 1:110m Admin 0
countries, public domain, simplified by `tools/make_world_outlines.py`), so nothing is fetched;
the SVG has no scripts, links or external resources, and styles by presentation attributes on
its groups, which a page's CSS can override. The projection is equirectangular: one unit of
the viewBox is a tenth of a degree, from 180° W to 180° E and from 84° N to 57° S (Antarctica
is left out; a town beyond lies outside the frame). A partnership is a straight line in
longitude and latitude, so one across the Pacific crosses the whole map.

The elements a page or test may look for: `<path data-country="FR">` for each country,
`<line class="partnership" data-partnership="ID">` for each link, `<circle class="town"
data-town="ID">` for each town, each with a `<title>` of its name.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from citynet_exchange.geography import LonLat, lon_lat, members, pairs

OUTLINES = Path(__file__).with_name("world-110m.json")
NORTH, SOUTH = 84, -57  # degrees: the frame, the inhabited latitudes
WIDTH, HEIGHT = 3600, (NORTH - SOUTH) * 10  # the viewBox, in tenths of a degree


@dataclass(frozen=True)
class Place:
    """A town on the map."""

    town: str  # its id
    name: str
    at: LonLat


@dataclass(frozen=True)
class Link:
    """A line between two towns of a partnership (a partnership of n towns has n(n-1)/2)."""

    partnership: str  # its id
    ends: tuple[LonLat, LonLat]


def map_layers(records: Iterable[tuple[str, int, Any]]) -> tuple[list[Place], list[Link]]:
    """The towns with coordinates and the links between them, from records as
    `Document.records()` gives them; a partnership with a town that has no coordinates is
    left out (the GeoJSON exporter reports such a partnership as a loss)."""
    places: dict[str, Place] = {}
    partnerships: list[tuple[str, list[str]]] = []
    for kind, _index, raw in records:
        identifier = raw.get("id") if isinstance(raw, Mapping) else None
        if not isinstance(identifier, str):
            continue
        if kind == "town" and (at := lon_lat(raw)) is not None:
            name = raw.get("name")
            places[identifier] = Place(identifier, name if isinstance(name, str) else identifier, at)
        elif kind == "partnership":
            partnerships.append((identifier, members(raw)))
    links = [Link(partnership, (places[a].at, places[b].at))
             for partnership, towns in partnerships if all(town in places for town in towns)
             for a, b in pairs(towns)]
    return list(places.values()), links


def world_map_svg(places: Sequence[Place], links: Sequence[Link], *, width: int = 960,
                  title: str = "Towns and their partnerships") -> str:
    """The map as an SVG element `width` pixels wide (its height follows the frame)."""
    height = round(width * HEIGHT / WIDTH)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{width}" '
             f'height="{height}" role="img" aria-label="{escape(title)}">',
             f"<title>{escape(title)}</title>",
             '<g class="countries" fill="#e3e6e8" stroke="#ffffff" stroke-width="2" fill-rule="evenodd">']
    for country in _outlines():
        code = f' data-country="{escape(country["code"])}"' if country["code"] else ""
        parts.append(f'<path{code} d="{_path(country["rings"])}"/>')
    parts.append('</g><g class="partnerships" stroke="#b03a2e" stroke-width="4" stroke-opacity="0.6" '
                 'stroke-linecap="round">')
    for link in links:
        (x1, y1), (x2, y2) = (_xy(end) for end in link.ends)
        parts.append(f'<line class="partnership" data-partnership="{escape(link.partnership)}" '
                     f'x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}"/>')
    parts.append('</g><g class="towns" fill="#1f4e79" stroke="#ffffff" stroke-width="2">')
    for place in places:
        x, y = _xy(place.at)
        parts.append(f'<circle class="town" data-town="{escape(place.town)}" cx="{x}" cy="{y}" r="12">'
                     f"<title>{escape(place.name)}</title></circle>")
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def _xy(at: LonLat) -> tuple[float, float]:
    """Equirectangular: a tenth of a degree a unit, rounded to a hundredth of a degree."""
    lon, lat = at
    return round((lon + 180) * 10, 1), round((NORTH - lat) * 10, 1)


def _path(rings: list[list[int]]) -> str:
    """Rings of tenths of degrees as path data: each ring's first point absolute, the others
    relative (`l`), which keeps the numbers short."""
    data = []
    for ring in rings:
        points = [(x + 1800, NORTH * 10 - y) for x, y in zip(ring[::2], ring[1::2])][:-1]  # closed by `z`
        (x0, y0), steps = points[0], zip(points[1:], points)
        data.append(f"M{x0} {y0}l" + " ".join(f"{x - px} {y - py}" for (x, y), (px, py) in steps) + "z")
    return "".join(data)


@cache
def _outlines() -> list[dict[str, Any]]:
    return json.loads(OUTLINES.read_text(encoding="utf-8"))["countries"]  # type: ignore[no-any-return]
