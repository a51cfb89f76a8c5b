"""Round trips between the text formats: any valid dataset comes back as it was."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings

from citynet_exchange import api
from citynet_exchange.equality import differences
from dataset_strategies import datasets


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_json_to_yaml_to_json(data: dict[str, Any]) -> None:
    result = api.convert(io.BytesIO(json.dumps(data).encode()), "yaml", format="json")
    assert result.output is not None
    assert differences(data, api.load(result.output, "yaml").data) == []


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
    assert api.load(result.output, "yaml").data == data
