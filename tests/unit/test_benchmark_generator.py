"""The benchmark generator's data is what it claims: clean data gives no finding, and the
planted errors give exactly the findings `expected.json` lists, so that a benchmark run
that reports other counts did less (or other) work than it should. And the runner compares
tools fairly on a shared machine: it runs the rows in rounds."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from benchmark_scripts import generate, script
from citynet_exchange.api import validate
from citynet_exchange.engine import Options
from citynet_exchange.plugins import default_host

OPTIONS = Options(today=date(2026, 11, 30))


def _codes(path: Path, format: str | None = None) -> dict[str, int]:
    report = validate(path, format=format, options=OPTIONS)
    assert not report.tool_problems
    return dict(Counter(f.code for f in report.findings))


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    generate.write(generate.generate(200), out, ["json", "jsonl", "flat"])
    return out


def test_clean_data_gives_no_finding(tmp_path: Path) -> None:
    generate.write(generate.generate(200, plant=False), tmp_path, ["json", "flat"])
    assert json.loads((tmp_path / "expected.json").read_text()) == {"json": {}, "flat": {}}
    assert _codes(tmp_path / "dataset.json") == {}
    assert _codes(tmp_path / "flat.csv", "flat") == {}


def test_planted_errors_give_the_expected_findings(planted: Path) -> None:
    expected = json.loads((planted / "expected.json").read_text())
    assert set(expected["json"]) == set(generate.RATES)
    assert _codes(planted / "dataset.json") == expected["json"]
    assert _codes(planted / "flat.csv", "flat") == expected["flat"]


def test_planted_errors_in_json_lines(planted: Path) -> None:
    if "jsonl" not in default_host().importers:
        pytest.skip("no importer named jsonl is registered yet")
    expected = json.loads((planted / "expected.json").read_text())
    assert _codes(planted / "dataset.jsonl", "jsonl") == expected["jsonl"]


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        generate.write(generate.generate(120, seed=3), tmp_path / name, ["json", "flat"])
    for file in ("dataset.json", "flat.csv", "expected.json"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes()


def test_the_runner_runs_the_rows_in_rounds_and_keeps_each_rows_fastest(monkeypatch: pytest.MonkeyPatch,
                                                                         tmp_path: Path) -> None:
    """A busy spell of the shared machine must fall on citynet and its peer alike: with
    `--runs 2` the rows run once each, then again, and each keeps its fastest run."""
    run = script("run")
    times = {"citynet": iter([3.0, 2.0]), "peer": iter([5.0, 6.0]), "start-up": iter([0.3, 0.2, 0.4])}
    order: list[str] = []

    def measure(command: list[str], timeout: float, cwd: Path, work: Path) -> Any:
        order.append(command[0])
        return run.Outcome(next(times[command[0]]), 10.0, 0, "", "")

    monkeypatch.setattr(run, "measure", measure)
    table = [run.Row(key, "what", key, [key], lambda outcome: "ok", runs=runs)
             for key, runs in (("citynet", 2), ("peer", 2), ("start-up", 3))]
    run.run_rows(table, tmp_path)
    assert order == ["citynet", "peer", "start-up", "citynet", "peer", "start-up", "start-up"]
    assert [(row.outcome.seconds, row.note) for row in table] == [(2.0, "ok"), (5.0, "ok"), (0.2, "ok")]


def test_the_file_wrong_throughout_gives_a_finding_a_partnership(tmp_path: Path) -> None:
    run = script("run")
    expected = run.make_variant("wrong", tmp_path, 150, run.HERE / "generate.py")
    assert expected == {"invalid-format": 150}
    assert _codes(tmp_path / "wrong.jsonl", "jsonl") == expected
    assert run.make_variant("wrong", tmp_path, 150, run.HERE / "generate.py") == expected  # kept, not written again


def test_the_register_of_towns_alone_gives_an_orphan_a_town(tmp_path: Path) -> None:
    run = script("run")
    expected = run.make_variant("towns", tmp_path, 150, run.HERE / "generate.py")
    towns = [line for line in (tmp_path / "towns.jsonl").read_bytes().splitlines() if b'"@record":"town"' in line]
    assert expected == {"orphan-town": len(towns)} and len(towns) > 50
    assert _codes(tmp_path / "towns.jsonl", "jsonl") == expected


def test_the_floor_runs_every_stage_over_every_record(planted: Path, capsys: pytest.CaptureFixture[str]) -> None:
    floor = script("floor")
    records = sum(1 for _line in (planted / "dataset.jsonl").open("rb")) - 1  # the header
    assert [floor.run(planted / "dataset.jsonl", stages) for stages in range(1, 6)] == [records] * 5
    assert floor.main([str(planted / "dataset.jsonl")]) == 0
    rows = [line.split("|")[1].strip() for line in capsys.readouterr().out.splitlines() if line.startswith("| ")]
    assert rows == ["stage", *(f"{n}. {stage}" for n, stage in enumerate(floor.STAGES, 1))]
