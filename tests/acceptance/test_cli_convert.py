"""`citynet convert`: JSON and YAML round trips, findings on standard error, atomic output that never
replaces the input, and nothing written that would lose values unless --allow-lossy."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import BinaryIO

import pytest
import yaml

from citynet_exchange.api import differences, load

EXAMPLES = Path(__file__).parent / "examples"
TODAY = "--today=2025-06-30"


def test_yaml_to_json_to_yaml_gives_an_equal_dataset(citynet, tmp_path: Path):
    as_json, back = tmp_path / "bremen.json", tmp_path / "back.yaml"
    assert citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", "json", "-o", str(as_json), TODAY).code == 0
    assert citynet("convert", str(as_json), "--to", "yaml", "-o", str(back), TODAY).code == 0
    original = load(EXAMPLES / "bremen.yaml").whole()
    assert json.loads(as_json.read_text(encoding="utf-8"))["towns"][1]["name"] == "Gdańsk"
    assert differences(original, load(back).whole()) == []
    assert yaml.safe_load(back.read_text(encoding="utf-8")) == original


def test_convert_to_stdout(citynet):
    result = citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", "json", TODAY)
    assert result.code == 0
    assert json.loads(result.out)["partnerships"][0]["members"] == ["bremen", "gdansk"]
    assert result.err == ""


def test_findings_go_to_stderr_and_exit_1_but_output_is_written(citynet, tmp_path: Path):
    target = tmp_path / "broken.json"
    result = citynet("convert", str(EXAMPLES / "broken.yaml"), "--to", "json", "-o", str(target), TODAY)
    assert result.code == 1
    assert result.out == ""
    assert "broken.yaml:19:23: error unknown-reference" in result.err
    assert result.err.rstrip().endswith("invalid: 4 errors, 0 warnings, 0 info in 1 file (4 records)")
    assert json.loads(target.read_text(encoding="utf-8"))["towns"][1]["popullation"] == 470000


def test_unreadable_input_writes_nothing_and_keeps_an_old_output(citynet, tmp_path: Path):
    bad, target = tmp_path / "bad.yaml", tmp_path / "out.json"
    bad.write_text("towns: [\n", encoding="utf-8")
    target.write_text("old", encoding="utf-8")
    result = citynet("convert", str(bad), "--to", "json", "-o", str(target))
    assert result.code == 1
    assert "syntax-error" in result.err and "nothing was written" in result.err
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml", "out.json"]


def test_unknown_output_format_is_a_usage_error(citynet):
    result = citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", "pdf")
    assert result.code == 2
    assert "unknown output format 'pdf'; known: cemr, csv, flat, geojson, json, json-ld, jsonl, nquads, nt, rdf-xml, trig, turtle, yaml" in result.err


def test_from_names_the_input_format(citynet, tmp_path: Path):
    doc = tmp_path / "bremen.data"
    doc.write_bytes((EXAMPLES / "bremen.yaml").read_bytes())
    result = citynet("convert", str(doc), "--from", "yaml", "--to", "json", TODAY)
    assert result.code == 0
    assert json.loads(result.out)["standard"] == "1.0"


class _CtrlC:
    """A file that is interrupted (Ctrl-C) half-way through being written."""

    def __init__(self, file: BinaryIO):
        self.file = file

    def __enter__(self) -> _CtrlC:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.file.close()

    def write(self, data: bytes) -> int:
        self.file.write(data[:len(data) // 2])
        raise KeyboardInterrupt


@pytest.mark.parametrize(("to", "name", "interrupted"), [("json", "out.json", 0), ("csv", "package", 2)])
def test_an_interrupt_while_writing_leaves_the_old_output_and_no_temporary_file(
        citynet, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to: str, name: str, interrupted: int) -> None:
    """A file, or the third table of a CSV package written to a folder: all tables or none."""
    target = tmp_path / name
    if to == "csv":
        target.mkdir()
    assert citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", to, "-o", str(target), TODAY).code == 0
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    opened = iter(range(100))
    real = os.fdopen
    monkeypatch.setattr("citynet_exchange.outputs.os.fdopen",
                        lambda fd, mode: _CtrlC(real(fd, mode)) if next(opened) == interrupted else real(fd, mode))
    result = citynet("convert", str(EXAMPLES / "broken.yaml"), "--to", to, "-o", str(target), TODAY, "--allow-lossy")
    assert "citynet: aborted" in result.err
    assert {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
    assert len(before) == (1 if to == "json" else 3)  # metadata, towns, partnerships


def test_without_output_file_a_lossy_conversion_prints_nothing(citynet) -> None:
    result = citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", "cemr", TODAY)
    assert (result.code, result.out) == (1, "")
    assert result.err.count("error conversion-loss") == 4 and "nothing was written" in result.err


def test_allow_lossy_still_fails_on_the_data_errors(citynet, tmp_path: Path) -> None:
    target = tmp_path / "broken.csv"
    result = citynet("convert", str(EXAMPLES / "broken.yaml"), "--to", "cemr", "-o", str(target), TODAY,
                     "--allow-lossy")
    assert result.code == 1
    assert "warning conversion-loss" in result.err and "error unknown-reference" in result.err
    assert target.read_text(encoding="utf-8-sig").startswith("Kommune;")


@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_output_that_is_the_input_is_a_usage_error(citynet, tmp_path: Path, link: str) -> None:
    source = tmp_path / "bremen.yaml"
    source.write_bytes((EXAMPLES / "bremen.yaml").read_bytes())
    target = {"same": tmp_path / "." / "bremen.yaml", "symlink": tmp_path / "link.yaml",
              "hardlink": tmp_path / "hard.yaml"}[link]
    if link == "symlink":
        target.symlink_to(source)
    elif link == "hardlink":
        target.hardlink_to(source)
    result = citynet("convert", str(source), "--to", "yaml", "-o", str(target))
    assert (result.code, result.out) == (2, "")
    assert result.err == f"citynet: error: {target}: would overwrite the input {source}; name another file\n"
    assert source.read_bytes() == (EXAMPLES / "bremen.yaml").read_bytes()


def test_a_folder_output_that_is_the_input_package_is_a_usage_error(citynet, tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    assert citynet("convert", str(EXAMPLES / "bremen.yaml"), "--to", "csv", "-o", str(package), TODAY).code == 0
    tables = {p.name: p.read_bytes() for p in package.iterdir()}
    result = citynet("convert", str(package), "--to", "csv", "-o", str(package))
    assert result.code == 2 and "would overwrite the input" in result.err
    assert {p.name: p.read_bytes() for p in package.iterdir()} == tables
