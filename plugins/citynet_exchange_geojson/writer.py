"""Writing a dataset as a GeoJSON FeatureCollection, one feature a line."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, BinaryIO

from citynet_exchange.findings import Hit, pointer_token
from citynet_exchange.formats import WriteOptions
from citynet_exchange.geography import LonLat, lon_lat, members, pairs
from citynet_exchange.kinds import RECORD_KEYS

FORMAT = "GeoJSON"
KIND_KEY = "@record"
_OWN = ("type", "features", "bbox")  # the collection's own members, which a dataset field cannot be


def dump(data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
    """Write the towns and partnerships as features; a hit for every record or field left out."""
    if not isinstance(data, Mapping):
        return [_lost("", "the document (GeoJSON holds a dataset that is an object)")]
    lost: list[Hit] = []
    lists = {key: data.get(key) if isinstance(data.get(key), list) else [] for key in RECORD_KEYS.values()}
    header = {k: v for k, v in data.items() if not (k in RECORD_KEYS.values() and isinstance(v, list))}
    for key in [k for k in header if k in _OWN]:
        lost.append(_lost(f"/{pointer_token(key)}", f"the field '{key}' of the dataset (a member GeoJSON reserves)"))
        del header[key]
    places: dict[str, LonLat] = {}
    features = []
    for index, town in enumerate(lists["towns"]):
        point = lon_lat(town)
        if point is None:
            lost.append(_lost(f"/towns/{index}", f"the town {_name(town, index)} (it has no coordinates a map can "
                                                 "place)"))
            continue
        if isinstance(town.get("id"), str):
            places[town["id"]] = point
        features.append(_feature("town", index, town, {"type": "Point", "coordinates": list(point)}, lost))
    for index, partnership in enumerate(lists["partnerships"]):
        towns = members(partnership)
        unplaced = [town for town in towns if town not in places]
        if unplaced or len(towns) < 2:
            why = (f"its town '{unplaced[0]}' has no coordinates a map can place" if unplaced
                   else "it has not two towns to draw a line between")
            lost.append(_lost(f"/partnerships/{index}", f"the partnership {_name(partnership, index)} ({why})"))
            continue
        lines = [[list(places[a]), list(places[b])] for a, b in pairs(towns)]
        geometry = {"type": "LineString", "coordinates": lines[0]} if len(lines) == 1 else \
            {"type": "MultiLineString", "coordinates": lines}
        features.append(_feature("partnership", index, partnership, geometry, lost))
    for kind, key in (("network", "networks"), ("membership", "memberships")):
        lost += [_lost(f"/{key}/{index}", f"the {kind} {_name(raw, index)} (a map layer holds towns and "
                                          "partnerships)") for index, raw in enumerate(lists[key])]
    _write(header, features, out)
    return lost


def _feature(kind: str, index: int, record: Mapping[str, Any], geometry: dict[str, Any],
             lost: list[Hit]) -> dict[str, Any]:
    """A record as a feature: its fields the properties, but a town's location, now its geometry."""
    if KIND_KEY in record:
        lost.append(_lost(f"/{RECORD_KEYS[kind]}/{index}/{pointer_token(KIND_KEY)}",
                          f"the field '{KIND_KEY}' of the {kind} {_name(record, index)} (the property names the "
                          "kind of a feature's record)"))
    fields = {k: v for k, v in record.items() if k != KIND_KEY and not (kind == "town" and k == "location")}
    feature: dict[str, Any] = {"type": "Feature", "geometry": geometry, "properties": {KIND_KEY: kind, **fields}}
    if isinstance(record.get("id"), str):
        feature["id"] = f"{kind}/{record['id']}"
    return feature


def _write(header: Mapping[str, Any], features: list[dict[str, Any]], out: BinaryIO) -> None:
    """The collection with one feature a line: compact, and still readable in a diff."""
    head = json.dumps({"type": "FeatureCollection", **header}, ensure_ascii=False)[:-1]
    body = ",\n".join(json.dumps(feature, ensure_ascii=False) for feature in features)
    out.write(f"{head}, \"features\": [\n{body}\n]}}\n".encode("utf-8"))


def _name(record: Any, index: int) -> str:
    identifier = record.get("id") if isinstance(record, Mapping) else None
    return f"'{identifier}'" if isinstance(identifier, str) else f"#{index + 1}"


def _lost(pointer: str, what: str) -> Hit:
    return Hit(code="conversion-loss", message="lost", pointer=pointer, params={"what": what, "format": FORMAT})
