"""The JSON and SARIF reports as text: what the standard library's writer would write, fast."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path

from citynet_exchange.findings import Finding, Location, RecordRef, Severity
from citynet_exchange.outputs import write_atomically
from citynet_exchange.report import Report, ToolProblem, json_bytes, json_text, plain
from citynet_exchange.report_sarif import render_sarif


def _report(**params: object) -> Report:
    findings = [Finding(code="duplicate-town", severity=Severity.WARNING, message="town 'Zürich\u2028' twice",
                        message_id="duplicate-town.duplicate", params=params,
                        location=Location(file="a b.jsonl", line=3, column=1, pointer="/towns/2"),
                        record=RecordRef(kind="town", id="ch-zurich"),
                        related=[Location(file="a b.jsonl", line=2, pointer="/towns/1")])]
    return Report.build(findings, Counter(town=3), 1, [ToolProblem(source="rule x", message="boom")], ["a b.jsonl"])


def test_the_json_report_is_the_text_the_standard_library_writes() -> None:
    report = _report(lat=91.5, big=1e16, nan=float("nan"), inf=float("-inf"), pair=(1, "b"), nested={"k": [None]})
    text = report.to_json()
    assert text == json.dumps(plain(report), indent=2, ensure_ascii=False, allow_nan=False)
    data = json.loads(text)
    finding = data["findings"][0]
    assert finding["severity"] == "warning" and finding["record"] == {"kind": "town", "id": "ch-zurich"}
    assert finding["params"] == {"lat": 91.5, "big": 1e16, "nan": None, "inf": None, "pair": [1, "b"],
                                 "nested": {"k": [None]}}
    assert finding["related"][0]["line"] == 2 and data["tool_problems"] == [{"source": "rule x", "message": "boom"}]


def test_an_integer_past_64_bits_is_written_whole_by_the_standard_library() -> None:
    text = _report(population=2**70).to_json()
    assert json.loads(text)["findings"][0]["params"]["population"] == 2**70
    assert text == json.dumps(plain(_report(population=2**70)), indent=2, ensure_ascii=False)
    assert json_bytes(_report(population=2**70), newline=True) == (text + "\n").encode()


def test_the_report_file_is_the_texts_bytes_in_utf_8_as_bytes_or_as_text(tmp_path: Path) -> None:
    """A report is written as orjson's bytes (JSON, SARIF), or a text encoded a piece at a time."""
    report = _report(names=["Zürich\u2028", "Łódź", "東京", "\U0001f3d9"] * 150_000)  # some MB of text
    assert json_bytes(report, newline=True) == (report.to_json() + "\n").encode()
    text = report.to_json()
    write_atomically(tmp_path / "as-text.json", text)
    write_atomically(tmp_path / "as-bytes.json", json_bytes(report))
    assert len(text) > 2**21 and (tmp_path / "as-text.json").read_bytes() == text.encode("utf-8")
    assert (tmp_path / "as-bytes.json").read_bytes() == text.encode("utf-8")


def test_plain_data_of_values_json_has_no_type_for() -> None:
    class Share(float):
        pass

    assert plain({1: Severity.ERROR, "d": date(2024, 2, 29), "p": Path("x.csv"), "s": Share(0.5)}) == \
        {"1": "error", "d": "2024-02-29", "p": "x.csv", "s": 0.5}
    assert json_text(plain({"s": Share(float("nan"))})) == '{\n  "s": null\n}'


def test_sarif_keeps_the_record_as_a_property() -> None:
    result = json.loads(render_sarif(_report(), []))["runs"][0]["results"][0]
    assert result["properties"] == {"pointer": "/towns/2", "record": {"kind": "town", "id": "ch-zurich"}}
    assert result["message"]["text"] == "town 'Zürich\u2028' twice"
