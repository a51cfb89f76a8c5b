"""`citynet stats`: the figures of a dataset as a table or JSON; exit 1 where data cannot be read."""

from __future__ import annotations

import json
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "fixtures" / "examples"
GERMAN = str(EXAMPLES / "german-partnerships.yaml")


def test_the_figures_of_a_dataset_as_a_table(citynet):
    result = citynet("stats", GERMAN)
    assert result.code == 0 and result.err == ""
    assert result.out.startswith("Towns                    28\n  with coordinates       28\nPartnerships             16\n"
                                 "  with the Global South  7 (43.8%)\nNetworks                 1\nMemberships              7\n")
    assert "\nPartnerships by kind\n  twinning     10\n  project      4\n  friendship   1\n  unspecified  1\n" in result.out


def test_several_files_are_one_dataset_and_json_has_the_figures(citynet):
    result = citynet("stats", GERMAN, str(EXAMPLES / "raunheim-network-2015.yaml"), "--json")
    assert result.code == 0
    figures = json.loads(result.out)
    assert figures["totals"] == {"towns": 40, "towns_with_coordinates": 39, "networks": 2, "partnerships": 18,
                                 "memberships": 17}
    assert figures["global_south"]["partnerships"] == 7 and figures["global_south"]["share"] == 0.3889
    assert figures["partnerships_by_country"]["DE"] == 18
    assert figures["memberships_by_network"][0] == {"network": "raunheim-city-network",
                                                    "name": "International City Network", "memberships": 10}


def test_a_file_that_cannot_be_read_is_exit_1_with_its_place(citynet, tmp_path: Path):
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"@record": "dataset", "standard": "1.0"}\n'
                      '{"@record": "town", "id": "a", "name": "A", "country": "DE"}\n{"@record": "town", oops\n',
                      encoding="utf-8")
    result = citynet("stats", str(broken), "--json")
    assert result.code == 1 and result.out == ""
    assert f"{broken}:3:21: error syntax-error cannot read this line" in result.err
    assert result.err.endswith(f"citynet: {broken}: not all of the data could be read; no figures\n")


def test_usage_errors_are_exit_2(citynet, tmp_path: Path):
    assert citynet("stats").code == 2
    assert citynet("stats", str(tmp_path / "missing.yaml")).code == 2
    result = citynet("stats", GERMAN, "--sheet", "Partnerschaften")
    assert result.code == 2 and "the yaml format takes no --sheet" in result.err
