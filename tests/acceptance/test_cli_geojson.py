"""`citynet convert --to geojson`: a map layer, and on standard error what it could not hold."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

FIXTURES = Path(__file__).parents[2] / "fixtures"
SCHEMA = json.loads((FIXTURES / "geojson" / "feature-collection.schema.json").read_text(encoding="utf-8"))


def test_citynet_convert_to_geojson(citynet, tmp_path: Path):
    source, target = FIXTURES / "examples" / "raunheim-network-2015.yaml", tmp_path / "raunheim.geojson"
    result = citynet("convert", str(source), "--to", "geojson", "-o", str(target), "--today", "2025-06-30")
    assert result.code == 1 and result.out == ""  # the losses are errors, and nothing is written
    assert f"{source}:62:5: error conversion-loss the town 'ozyorsk' (it has no coordinates a map can place)" \
        in result.err
    assert result.err.count("error conversion-loss") == 12  # Ozyorsk, the network, its ten memberships
    assert not target.exists()
    lossy = citynet("convert", str(source), "--to", "geojson", "-o", str(target), "--today", "2025-06-30",
                    "--allow-lossy")
    assert lossy.code == 0 and lossy.err.count("warning conversion-loss") == 12
    collection = json.loads(target.read_text(encoding="utf-8"))
    jsonschema.validate(collection, SCHEMA)
    kinds = [(f["geometry"]["type"], f["properties"]["@record"]) for f in collection["features"]]
    assert kinds == [("Point", "town")] * 11 + [("LineString", "partnership")] * 2
    points = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in collection["features"][:11]}
    assert points["evreux"] == [1.151, 49.024]  # longitude first
    twinning = collection["features"][-1]
    assert twinning["id"] == "partnership/ruesselsheim-evreux"
    assert twinning["geometry"]["coordinates"] == [points["ruesselsheim"], points["evreux"]]
