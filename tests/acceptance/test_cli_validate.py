"""`citynet validate`: reports, exit codes and option handling, on example files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from citynet_exchange.resources import REPORT_SCHEMA, load_json

EXAMPLES = Path(__file__).parent / "examples"

BROKEN = str(EXAMPLES / "broken.yaml")
VALID = str(EXAMPLES / "bremen.yaml")
TODAY = "--today=2025-06-30"

BROKEN_TEXT = f"""\
{BROKEN}:11:5: error unknown-field 'popullation' is not a field of town 'gdansk'; did you mean 'population'?
{BROKEN}:14:11: error invalid-code 'twining' is not a code of 'kind'; did you mean 'twinning'?
{BROKEN}:16:18: error wrong-type 'established' must be text, not a whole number; write it in quotes: "1976"
{BROKEN}:19:23: error unknown-reference there is no town with id 'riga' in this dataset
invalid: 4 errors, 0 warnings, 0 info in 1 file (4 records)
"""


def test_valid_file_exits_0(citynet):
    result = citynet("validate", VALID, TODAY)
    assert result.code == 0
    assert result.out == "valid: 0 errors, 0 warnings, 0 info in 1 file (3 records)\n"


def test_text_report_gives_place_code_and_message(citynet):
    result = citynet("validate", BROKEN, TODAY)
    assert result.code == 1
    assert result.out == BROKEN_TEXT


def test_json_report_alone_on_stdout_and_valid_against_report_schema(citynet):
    result = citynet("validate", BROKEN, TODAY, "--report", "json")
    assert result.code == 1
    report = json.loads(result.out)
    Draft202012Validator(load_json(REPORT_SCHEMA)).validate(report)
    assert report["valid"] is False
    assert report["summary"]["severities"] == {"error": 4, "warning": 0, "info": 0}
    assert report["summary"]["records"] == {"town": 2, "network": 0, "partnership": 2, "membership": 0}
    first = report["findings"][0]
    assert first["code"] == "unknown-field"
    assert first["message_id"] == "unknown-field.unknown-suggest"
    assert first["params"] == {"name": "popullation", "where": "town 'gdansk'", "suggestion": "population"}
    assert first["location"] == {"file": BROKEN, "line": 11, "column": 5, "pointer": "/towns/1/popullation",
                                 "row": None, "field": None, "sheet": None, "cell": None, "subject": None}
    assert first["record"] == {"kind": "town", "id": "gdansk"}
    assert [(f["code"], f["location"]["line"]) for f in report["findings"]] == [
        ("unknown-field", 11), ("invalid-code", 14), ("wrong-type", 16), ("unknown-reference", 19)]


def test_output_file_holds_the_report(citynet, tmp_path: Path):
    target = tmp_path / "report.txt"
    result = citynet("validate", BROKEN, TODAY, "-o", str(target))
    assert result.code == 1
    assert result.out == ""
    assert target.read_text(encoding="utf-8") == BROKEN_TEXT


def test_select_and_ignore(citynet):
    only = citynet("validate", BROKEN, TODAY, "--select", "unknown-reference,wrong-type")
    assert [line.split()[2] for line in only.out.splitlines()[:-1]] == ["wrong-type", "unknown-reference"]
    rest = citynet("validate", BROKEN, TODAY, "--ignore", "unknown-field", "--ignore", "invalid-code")
    assert [line.split()[2] for line in rest.out.splitlines()[:-1]] == ["wrong-type", "unknown-reference"]
    none = citynet("validate", BROKEN, TODAY, "--select", "duplicate-id")
    assert none.code == 0


def test_fail_on_warning_turns_warnings_into_failure(citynet, tmp_path: Path):
    future = tmp_path / "future.yaml"
    future.write_text((EXAMPLES / "bremen.yaml").read_text(encoding="utf-8").replace('"1976"', '"2031"'),
                      encoding="utf-8")
    assert citynet("validate", str(future), TODAY).code == 0
    strict = citynet("validate", str(future), TODAY, "--fail-on", "warning")
    assert strict.code == 1
    assert "warning future-date" in strict.out


def test_syntax_error_is_a_finding_with_its_place(citynet, tmp_path: Path):
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "standard": "1.0",\n  "towns": [\n}\n', encoding="utf-8")
    result = citynet("validate", str(bad))
    assert result.code == 1
    assert result.out.splitlines()[0] == f"{bad}:4:1: error syntax-error cannot read the file: Expecting value"


def test_json_duplicate_key_is_a_finding_at_the_second_key(citynet, tmp_path: Path):
    doc = tmp_path / "dup.json"
    doc.write_text('{"standard": "1.0",\n "towns": [{"id": "a", "name": "A",\n   "name": "B", "country": "DE"}]}\n',
                   encoding="utf-8")
    result = citynet("validate", str(doc), "--select", "duplicate-key")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        f"{doc}:3:4: error duplicate-key the key 'name' is given twice in this object; only one value can be kept")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["validate", "missing.yaml"], "citynet: error: missing.yaml: no such file"),
        (["validate", VALID, "--format", "xml"], "citynet: error: unknown input format 'xml'; known: cemr, csv, flat, json, json-ld, jsonl, nquads, nt, rdf, rdf-xml, trig, turtle, yaml"),
        (["validate", VALID, "--select", "no-such-code"], "citynet: error: unknown finding code(s) no-such-code"),
        (["validate", VALID, "--today", "2025-02-30"], "'2025-02-30' is not a date of the form YYYY-MM-DD"),
        (["validate", VALID, "--report", "pdf"], "Invalid value for '--report'"),
        (["validate"], "Missing argument 'PATHS...'"),
    ],
)
def test_usage_errors_exit_2(citynet, args: list[str], message: str):
    result = citynet(*args)
    assert result.code == 2
    assert message in result.err
    assert "Traceback" not in result.err


def test_undetectable_format_is_a_usage_error(citynet, tmp_path: Path):
    odd = tmp_path / "data.txt"
    odd.write_bytes(b"\x00\x01 not a dataset")
    result = citynet("validate", str(odd))
    assert result.code == 2
    assert "cannot tell the format" in result.err and "--format" in result.err


def test_format_detected_from_content_without_extension(citynet, tmp_path: Path):
    doc = tmp_path / "dataset"
    doc.write_bytes((EXAMPLES / "bremen.yaml").read_bytes())
    assert citynet("validate", str(doc), TODAY).code == 0


def test_installed_command_exit_code_and_no_traceback(tmp_path: Path):
    """The console script itself, as CI calls it."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("standard: '1.0'\ntowns: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "citynet_exchange", "validate", str(bad)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1
    assert "syntax-error" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_json_report_of_the_whole_invalid_corpus_is_valid_against_report_schema(citynet):
    corpus = Path(__file__).parents[2] / "fixtures" / "conformance" / "invalid"
    paths = sorted(str(p) for p in corpus.iterdir() if not p.name.endswith(".expected.json"))
    result = citynet("validate", *paths, TODAY, "--report", "json")
    assert result.code == 1
    report = json.loads(result.out)
    Draft202012Validator(load_json(REPORT_SCHEMA)).validate(report)
    assert report["summary"]["files"] == len(paths)
    assert {f["code"] for f in report["findings"]} >= {"syntax-error", "duplicate-key", "orphan-town"}


@pytest.mark.parametrize("how", [["-o", "{input}"], ["--report", "json:{input}"],
                                 ["--report", "text", "--report", "sarif:{link}"]])
def test_a_report_that_would_overwrite_an_input_is_a_usage_error_and_nothing_is_written(
        citynet, tmp_path: Path, how: list[str]) -> None:
    """Also a file found in a folder, named through a symbolic link."""
    folder = tmp_path / "data"
    folder.mkdir()
    source = folder / "bremen.yaml"
    source.write_bytes((EXAMPLES / "bremen.yaml").read_bytes())
    (tmp_path / "link.yaml").symlink_to(source)
    args = [a.format(input=source, link=tmp_path / "link.yaml") for a in how]
    result = citynet("validate", str(folder), TODAY, *args)
    assert (result.code, result.out) == (2, "")
    assert f": would overwrite the input {source}; name another file" in result.err
    assert source.read_bytes() == (EXAMPLES / "bremen.yaml").read_bytes()
