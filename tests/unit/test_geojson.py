"""GeoJSON: towns as points, partnerships as lines between them, and every record a map
cannot hold a conversion-loss finding."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema

from citynet_exchange import api

DATASET: dict[str, Any] = {
    "standard": "1.0",
    "metadata": {"publisher": "Freie Hansestadt Bremen"},
    "towns": [
        {"id": "bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB", "population": 569352,
         "identifiers": {"ags": "04011000"}, "location": {"lat": 53.0758, "lon": 8.8072}},
        {"id": "gdansk", "name": "Gdańsk", "country": "PL", "location": {"lat": 54.352, "lon": 18.646}},
        {"id": "riga", "name": "Rīga", "country": "LV", "location": {"lat": 56.9496, "lon": 24.1052}},
        {"id": "kiel", "name": "Kiel", "country": "DE"},
    ],
    "networks": [{"id": "eurocities", "name": "Eurocities"}],
    "partnerships": [
        {"id": "bremen-gdansk", "kind": "twinning", "members": ["bremen", "gdansk"], "established": "1976"},
        {"id": "baltic", "kind": "project", "members": ["bremen", "gdansk", "riga"]},
        {"id": "bremen-kiel", "kind": "contact", "members": ["bremen", "kiel"]},
    ],
    "memberships": [{"id": "m1", "town": "bremen", "network": "eurocities"}],
}

BREMEN, GDANSK, RIGA = [8.8072, 53.0758], [18.646, 54.352], [24.1052, 56.9496]

# The structure RFC 7946 gives a FeatureCollection of points and lines, as far as this exporter writes it.
GEOJSON_SCHEMA = json.loads((Path(__file__).parents[2] / "fixtures" / "geojson" / "feature-collection.schema.json")
                            .read_text(encoding="utf-8"))


def _convert(data: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str | None, str]]]:
    result = api.convert(io.BytesIO(json.dumps(data).encode()), "geojson", format="json", allow_lossy=True)
    assert result.output is not None
    losses = [(f.location.pointer, f.params["what"]) for f in result.report.findings if f.code == "conversion-loss"]
    return json.loads(result.output), losses


def test_towns_are_points_and_partnerships_lines_between_them() -> None:
    collection, _losses = _convert(DATASET)
    jsonschema.validate(collection, GEOJSON_SCHEMA)
    assert collection["standard"] == "1.0" and collection["metadata"] == {"publisher": "Freie Hansestadt Bremen"}
    assert collection["features"] == [
        {"type": "Feature", "id": "town/bremen", "geometry": {"type": "Point", "coordinates": BREMEN},
         "properties": {"@record": "town", "id": "bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB",
                        "population": 569352, "identifiers": {"ags": "04011000"}}},
        {"type": "Feature", "id": "town/gdansk", "geometry": {"type": "Point", "coordinates": GDANSK},
         "properties": {"@record": "town", "id": "gdansk", "name": "Gdańsk", "country": "PL"}},
        {"type": "Feature", "id": "town/riga", "geometry": {"type": "Point", "coordinates": RIGA},
         "properties": {"@record": "town", "id": "riga", "name": "Rīga", "country": "LV"}},
        {"type": "Feature", "id": "partnership/bremen-gdansk",
         "geometry": {"type": "LineString", "coordinates": [BREMEN, GDANSK]},
         "properties": {"@record": "partnership", "id": "bremen-gdansk", "kind": "twinning",
                        "members": ["bremen", "gdansk"], "established": "1976"}},
        {"type": "Feature", "id": "partnership/baltic",
         "geometry": {"type": "MultiLineString", "coordinates": [[BREMEN, GDANSK], [BREMEN, RIGA], [GDANSK, RIGA]]},
         "properties": {"@record": "partnership", "id": "baltic", "kind": "project",
                        "members": ["bremen", "gdansk", "riga"]}},
    ]


def test_what_a_map_cannot_hold_is_a_loss_each() -> None:
    _collection, losses = _convert(DATASET)
    assert sorted(losses) == [
        ("/memberships/0", "the membership 'm1' (a map layer holds towns and partnerships)"),
        ("/networks/0", "the network 'eurocities' (a map layer holds towns and partnerships)"),
        ("/partnerships/2", "the partnership 'bremen-kiel' (its town 'kiel' has no coordinates a map can place)"),
        ("/towns/3", "the town 'kiel' (it has no coordinates a map can place)"),
    ]


def test_a_field_that_clashes_with_geojson_is_a_loss() -> None:
    data = {"standard": "1.0", "type": "dataset",
            "towns": [{"id": "a", "name": "A", "country": "DE", "@record": "x", "location": {"lat": 1, "lon": 2}}]}
    collection, losses = _convert(data)
    assert collection["type"] == "FeatureCollection"
    assert collection["features"][0]["properties"] == {"@record": "town", "id": "a", "name": "A", "country": "DE"}
    assert [pointer for pointer, _what in losses] == ["/type", "/towns/0/@record"]
