"""The world map: one line a link, one circle a town, country outlines from the package, and
nothing that loads or runs anything."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from citynet_exchange import api
from citynet_exchange.world_map import Link, Place, map_layers, world_map_svg

SVG = "{http://www.w3.org/2000/svg}"
RAUNHEIM = Path(__file__).parents[2] / "fixtures" / "examples" / "raunheim-network-2015.yaml"


def _elements(svg: str, tag: str, cls: str) -> list[ET.Element]:
    return [e for e in ET.fromstring(svg).iter(f"{SVG}{tag}") if e.get("class") == cls]


def test_a_fixture_gives_a_circle_a_located_town_and_a_line_a_partnership() -> None:
    places, links = map_layers(api.load(RAUNHEIM).records())
    assert len(places) == 11  # Ozyorsk has no coordinates
    assert [link.partnership for link in links] == ["kelsterbach-bauge", "ruesselsheim-evreux"]
    svg = world_map_svg(places, links)
    assert len(_elements(svg, "circle", "town")) == 11
    assert [e.get("data-partnership") for e in _elements(svg, "line", "partnership")] == \
        ["kelsterbach-bauge", "ruesselsheim-evreux"]


def test_a_partnership_of_three_towns_is_three_lines_and_one_with_an_unplaced_town_none() -> None:
    records = [
        ("town", 0, {"id": "a", "name": "A", "country": "DE", "location": {"lat": 0, "lon": 0}}),
        ("town", 1, {"id": "b", "name": "B & C", "country": "DE", "location": {"lat": 10, "lon": 20}}),
        ("town", 2, {"id": "c", "name": "C", "country": "DE", "location": {"lat": -10, "lon": -20}}),
        ("town", 3, {"id": "d", "name": "D", "country": "DE"}),
        ("partnership", 0, {"id": "abc", "kind": "twinning", "members": ["a", "b", "c"]}),
        ("partnership", 1, {"id": "ad", "kind": "twinning", "members": ["a", "d"]}),
    ]
    places, links = map_layers(records)
    assert links == [Link("abc", ((0.0, 0.0), (20.0, 10.0))), Link("abc", ((0.0, 0.0), (-20.0, -10.0))),
                     Link("abc", ((20.0, 10.0), (-20.0, -10.0)))]
    svg = world_map_svg(places, links)
    lines = _elements(svg, "line", "partnership")
    assert len(lines) == 3
    assert {k: lines[0].get(k) for k in ("x1", "y1", "x2", "y2")} == {"x1": "1800.0", "y1": "840.0",
                                                                       "x2": "2000.0", "y2": "740.0"}
    circles = _elements(svg, "circle", "town")
    assert [c.get("data-town") for c in circles] == ["a", "b", "c"]
    assert circles[1].find(f"{SVG}title").text == "B & C"  # type: ignore[union-attr]


def test_the_svg_is_small_and_self_contained() -> None:
    svg = world_map_svg([Place("a", "A", (8.8, 53.1))], [])
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 3600 1410" and root.get("width") == "960" and root.get("height") == "376"
    countries = {e.get("data-country") for e in root.iter(f"{SVG}path")}
    assert {"DE", "FR", "BR", "XK"} <= countries and "AQ" not in countries
    assert len(svg.encode()) < 40_000
    assert not any(word in svg for word in ("<script", "href", "url(", "<image", "<foreignObject", "onload"))
