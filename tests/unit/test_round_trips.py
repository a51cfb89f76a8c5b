"""Round trips between the formats: any valid dataset comes back as it was."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citynet_exchange import api
from citynet_exchange.equality import differences
from dataset_strategies import datasets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_json_to_yaml_to_json(data: dict[str, Any]) -> None:
    result = api.convert(io.BytesIO(json.dumps(data).encode()), "yaml", format="json")
    assert result.output is not None
    assert differences(data, api.load(result.output, "yaml").whole()) == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_json_to_json_lines_to_json(data: dict[str, Any]) -> None:
    result = api.convert(io.BytesIO(json.dumps(data).encode()), "jsonl", format="json")
    assert result.output is not None
    assert [f for f in result.report.findings if f.code == "conversion-loss"] == []
    assert differences(data, api.load(result.output, "jsonl").whole()) == []


def test_text_that_yaml_1_2_reads_as_a_number_is_quoted() -> None:
    data = {"standard": "1.0", "towns": [{"id": "a", "name": "0x1F", "country": "DE",
                                          "identifiers": {"ags": "06433008"}}]}
    result = api.convert(io.BytesIO(json.dumps(data).encode()), "yaml", format="json")
    assert b"ags: '06433008'" in result.output
    assert api.load(result.output, "yaml").whole() == data


# The formats that hold every value of a dataset (RDF/XML too, but for control characters,
# which XML lacks and says so), and that a chain of conversions may pass through.
WHOLE = ("json", "yaml", "jsonl", "csv", "turtle", "nt", "nquads", "trig", "json-ld")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(), st.lists(st.sampled_from(WHOLE), min_size=2, max_size=4))
def test_any_valid_dataset_survives_any_chain_of_conversions(data: dict[str, Any], chain: list[str]) -> None:
    """Every pair of these formats, in either order: each step reads what the last wrote."""
    payload, current = json.dumps(data).encode(), "json"
    for target in [*chain, "json"]:
        result = api.convert(io.BytesIO(payload), target, format=current, allow_lossy=False)
        assert result.output is not None, (current, target, [f.message for f in result.report.findings])
        payload, current = result.output, target
    assert differences(data, api.load(payload, "json").whole()) == [], chain


def test_datasets_compare_numbers_as_json_does() -> None:
    """A negative zero is zero (a workbook cell keeps no sign of it); NaN is NaN; 1 is not true."""
    town = {"id": "t", "name": "T", "country": "DE", "location": {"lat": 0.0, "lon": -0.0}}
    assert differences({"towns": [town]}, {"towns": [{**town, "location": {"lat": -0.0, "lon": 0.0}}]}) == []
    assert differences({"towns": [{**town, "population": float("nan")}]},
                       {"towns": [{**town, "population": float("nan")}]}) == []
    assert differences({"towns": [{**town, "population": 1}]}, {"towns": [{**town, "population": True}]}) == \
        ["towns t: population"]
