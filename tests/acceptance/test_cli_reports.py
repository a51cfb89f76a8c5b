"""Reports CI understands: SARIF (checked against the official schema), JUnit XML, GitHub
workflow commands, Markdown and CSV, several at once."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from jsonschema import Draft4Validator

ROOT = Path(__file__).resolve().parents[2]
BROKEN = "tests/acceptance/examples/broken.yaml"
PACKAGE = "tests/acceptance/examples/broken-package"
TODAY = "--today=2025-06-30"
SARIF_SCHEMA = json.loads((ROOT / "fixtures/sarif/sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("source", [BROKEN, PACKAGE, "fixtures/rdf/shacl-example.ttl",
                                    "fixtures/conformance/valid/minimal.yaml"])
def test_sarif_is_valid_sarif_2_1_0_with_the_rule_catalogue(citynet, source: str) -> None:
    result = citynet("validate", source, TODAY, "--report", "sarif")
    sarif = json.loads(result.out)
    Draft4Validator(SARIF_SCHEMA).validate(sarif)
    run = sarif["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert "unknown-reference" in rules and "missing-column" in rules
    for found in run["results"]:
        assert rules[found["ruleIndex"]] == found["ruleId"]


def test_sarif_places_a_finding_at_its_line_and_keeps_table_places_as_properties(citynet) -> None:
    yaml_run = json.loads(citynet("validate", BROKEN, TODAY, "--report", "sarif").out)["runs"][0]
    first = yaml_run["results"][0]
    assert first["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": BROKEN}, "region": {"startLine": 11, "startColumn": 5}}
    assert (first["ruleId"], first["level"]) == ("unknown-field", "error")
    table_run = json.loads(citynet("validate", PACKAGE, TODAY, "--report", "sarif").out)["runs"][0]
    wrong = next(r for r in table_run["results"] if r["ruleId"] == "wrong-type")
    assert wrong["properties"]["row"] == 3 and wrong["properties"]["field"] == "population"


def test_junit_has_a_test_case_per_file_and_a_failure_per_finding(citynet) -> None:
    result = citynet("validate", BROKEN, "fixtures/conformance/valid/minimal.yaml", TODAY, "--report", "junit")
    suite = ElementTree.fromstring(result.out).find("testsuite")
    cases = {case.get("name"): case for case in suite.findall("testcase")}
    assert set(cases) == {BROKEN, "fixtures/conformance/valid/minimal.yaml"}
    assert [f.get("type") for f in cases[BROKEN].findall("failure")] == [
        "unknown-field", "invalid-code", "wrong-type", "unknown-reference"]
    assert cases["fixtures/conformance/valid/minimal.yaml"].findall("failure") == []
    assert suite.get("failures") == "4" and suite.get("tests") == "2"


def test_github_commands_annotate_file_line_and_column(citynet) -> None:
    lines = citynet("validate", BROKEN, TODAY, "--report", "github").out.splitlines()
    assert lines[0] == (f"::error file={BROKEN},line=11,col=5,title=unknown-field::'popullation' is not a field "
                        "of town 'gdansk'; did you mean 'population'?")
    package = citynet("validate", PACKAGE, TODAY, "--report", "github").out
    assert "::notice file=tests/acceptance/examples/broken-package/towns.csv,line=1,title=unknown-column::" in package


def test_several_reports_at_once_and_the_csv_table(citynet, tmp_path: Path) -> None:
    result = citynet("validate", BROKEN, TODAY, "--report", "text", "--report", f"csv:{tmp_path / 'f.csv'}",
                     "--report", f"markdown:{tmp_path / 'f.md'}", "--report", f"sarif:{tmp_path / 'f.sarif'}")
    assert result.code == 1 and result.out.endswith("invalid: 4 errors, 0 warnings, 0 info in 1 file (4 records)\n")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "f.csv").read_text(encoding="utf-8-sig"))))
    assert [(r["line"], r["code"], r["record_id"]) for r in rows] == [
        ("11", "unknown-field", "gdansk"), ("14", "invalid-code", "bremen-gdansk"),
        ("16", "wrong-type", "bremen-gdansk"), ("19", "unknown-reference", "bremen-riga")]
    assert (tmp_path / "f.md").read_text(encoding="utf-8").startswith("## citynet: invalid\n")
    assert json.loads((tmp_path / "f.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_bad_report_options_are_usage_errors(citynet) -> None:
    assert citynet("validate", BROKEN, "--report", "pdf").code == 2
    two = citynet("validate", BROKEN, "--report", "json", "--report", "text")
    assert two.code == 2 and "only one report can go to standard output" in two.err


SAMPLE = ROOT / "fixtures/ci-sample"


@pytest.mark.parametrize(("report", "expected"), [("sarif", "report.sarif"), ("junit", "report.xml"),
                                                  ("github", "report.github.txt")])
def test_the_sample_repository_gives_the_expected_ci_reports(citynet, monkeypatch: pytest.MonkeyPatch,
                                                             report: str, expected: str) -> None:
    from citynet_exchange import __version__

    monkeypatch.chdir(SAMPLE / "repository")
    result = citynet("validate", ".", TODAY, "--report", report)
    assert result.code == 1

    def normal(text: str) -> str:
        return text.replace(f'"version": "{__version__}"', '"version": "<version>"')

    assert normal(result.out) == normal((SAMPLE / "expected" / expected).read_text(encoding="utf-8"))


def test_a_dash_for_the_output_is_standard_output_not_a_file_named_dash(citynet, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    broken = str(ROOT / BROKEN)
    assert json.loads(citynet("validate", broken, TODAY, "--report", "json", "-o", "-").out)["valid"] is False
    report = citynet("validate", broken, TODAY, "--report", "json:-", "--report", "sarif:out.sarif")
    assert (report.code, json.loads(report.out)["valid"]) == (1, False)
    converted = citynet("convert", str(ROOT / "fixtures/conformance/valid/minimal.yaml"), "--to", "json", "-o", "-")
    assert (converted.code, json.loads(converted.out)["standard"]) == (0, "1.0")
    assert citynet("template", "--to", "csv", "-o", "-").out.startswith("id,town_a.id,town_a.name,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.sarif"]
