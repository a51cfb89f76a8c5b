"""The figures of a dataset: exact counts, in one pass, whatever the order of the records."""

from __future__ import annotations

import itertools
import json
from typing import Any

from citynet_exchange import api
from citynet_exchange.stats import Figures, NetworkCount, count
from citynet_exchange.stats_text import render_figures

DATASET: dict[str, Any] = {
    "standard": "1.0",
    "partnerships": [  # before the towns, as a streamed file or a second file may give them
        {"id": "p1", "kind": "twinning", "members": ["bremen", "gdansk"], "established": "1976-04"},
        {"id": "p2", "kind": "project", "members": ["greifswald", "pomerode"], "established": "2015"},
        {"id": "p3", "kind": "twinning", "members": ["bremen", "greifswald", "dortmund"], "established": "1985"},
        {"id": "p4", "members": ["dortmund", "nowhere"], "established": 1989},
        {"id": "p5", "kind": "friendship", "members": ["pomerode", "gdansk"], "established": "2019-06-01"},
    ],
    "towns": [
        {"id": "bremen", "name": "Bremen", "country": "DE", "location": {"lat": 53.08, "lon": 8.81}},
        {"id": "gdansk", "name": "Gdańsk", "country": "PL", "location": {"lat": 54.35, "lon": 18.65}},
        {"id": "greifswald", "name": "Greifswald", "country": "DE"},
        {"id": "pomerode", "name": "Pomerode", "country": "BR", "location": {"lat": -26.74, "lon": "-49.18"}},
        {"id": "dortmund", "name": "Dortmund", "country": "DE", "location": {"lat": 51.51, "lon": 7.47}},
    ],
    "networks": [{"id": "eurocities", "name": "Eurocities"}, {"id": "climate-alliance", "name": "Climate Alliance"}],
    "memberships": [
        {"id": "m1", "town": "bremen", "network": "eurocities"},
        {"id": "m2", "town": "dortmund", "network": "eurocities"},
        {"id": "m3", "town": "greifswald", "network": "climate-alliance"},
        {"id": "m4", "town": "bremen", "network": "urbact"},
    ],
}

EXPECTED = Figures(
    towns=5, towns_with_coordinates=3, networks=2, partnerships=5, memberships=4,
    partnerships_by_kind=(("twinning", 2), ("friendship", 1), ("project", 1), ("unknown", 1)),
    partnerships_by_country=(("DE", 4), ("BR", 2), ("PL", 2)),
    partnerships_by_decade=(("1970s", 1), ("1980s", 1), ("2010s", 2), ("unknown", 1)),
    global_south_partnerships=2,
    memberships_by_network=(NetworkCount("eurocities", "Eurocities", 2),
                            NetworkCount("climate-alliance", "Climate Alliance", 1),
                            NetworkCount("urbact", None, 1)),
)


def _records(data: dict[str, Any]) -> list[tuple[str, int, Any]]:
    """The records in the document's own order, partnerships first (Document.records() would
    sort them by kind)."""
    kinds = {"towns": "town", "networks": "network", "partnerships": "partnership", "memberships": "membership"}
    return [(kinds[key], index, raw) for key, records in data.items() if key in kinds
            for index, raw in enumerate(records)]


def test_figures_count_each_country_once_a_partnership_whatever_the_order() -> None:
    assert count(_records(DATASET)) == EXPECTED
    assert count(api.load(json.dumps(DATASET).encode(), "json").records()) == EXPECTED


def test_the_global_south_share_and_the_json_keys() -> None:
    figures = count(_records(DATASET))
    assert figures.global_south_share == 0.4
    data = figures.to_json()
    assert list(data) == ["totals", "partnerships_by_kind", "partnerships_by_country", "partnerships_by_decade",
                          "global_south", "memberships_by_network"]
    assert data["totals"] == {"towns": 5, "towns_with_coordinates": 3, "networks": 2, "partnerships": 5,
                              "memberships": 4}
    assert data["partnerships_by_country"] == {"DE": 4, "BR": 2, "PL": 2}
    assert data["global_south"]["partnerships"] == 2 and data["global_south"]["share"] == 0.4
    assert data["global_south"]["list"]["valid_from"] == "2024-01-01"
    assert data["memberships_by_network"][2] == {"network": "urbact", "name": None, "memberships": 1}
    assert json.loads(json.dumps(data)) == data


def test_no_partnerships_have_no_share() -> None:
    figures = count([("town", 0, {"id": "a", "country": "DE"})])
    assert figures.global_south_share is None and figures.to_json()["global_south"]["share"] is None


def test_a_streamed_file_and_several_files_count_as_one_dataset() -> None:
    towns = {"standard": "1.0", "towns": DATASET["towns"]}
    rest = {key: value for key, value in DATASET.items() if key != "towns"}
    lines = [json.dumps({"@record": "dataset", "standard": "1.0"})]
    lines += [json.dumps({"@record": kind, **raw}) for kind, _index, raw in _records(rest)]
    streamed = api.load("\n".join(lines).encode(), "jsonl")
    assert streamed.stream is not None
    documents = [streamed, api.load(json.dumps(towns).encode(), "json")]
    assert count(itertools.chain.from_iterable(d.records() for d in documents)) == EXPECTED


def test_the_table_shows_every_figure() -> None:
    text = render_figures(count(_records(DATASET)))
    assert "  with the Global South  2 (40.0%)\n" in text
    assert "\nPartnerships by decade of founding\n  1970s    1\n  1980s    1\n  2010s    2\n  unknown  1\n" in text
    assert "  urbact            1\n" in text and "  Eurocities        2\n" in text
    assert "DAC List of ODA Recipients, effective for reporting on 2024 and 2025 flows" in text
