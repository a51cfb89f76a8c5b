"""Plugins that misbehave, installed as third-party plugins are (a distribution on the path
declaring entry points): each failure is named with its plugin and distribution, the rest of
the work is still done and reported, and the exit code is 3."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest

from citynet_exchange.plugins import default_host

ROOT = Path(__file__).resolve().parents[2]
BROKEN = str(ROOT / "tests/acceptance/examples/broken.yaml")
VALID = str(ROOT / "tests/acceptance/examples/bremen.yaml")
TODAY = "--today=2025-06-30"
DATA_CODES = ["unknown-field", "invalid-code", "wrong-type", "unknown-reference"]  # what broken.yaml holds
DISTRIBUTION = "citynet-broken-plugins 0.1"
CANNOT_IMPORT = (f"plugin maps ({DISTRIBUTION}): cannot import plugin 'maps' (citynet_exchange_unimportable): "
                 "ModuleNotFoundError: No module named 'citynet_exchange_missing_library'")
RULE_FAILED = (f"rule broken-members of plugin broken ({DISTRIBUTION})",
               "ZeroDivisionError: integer division or modulo by zero (rerun with --debug)")


@pytest.fixture
def install(tmp_path_factory: pytest.TempPathFactory,
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """Install a distribution whose entry points name the fixture plugins, as pip would."""

    def installed(**points: str) -> None:
        info = tmp_path_factory.mktemp("site") / "citynet_broken_plugins-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: citynet-broken-plugins\nVersion: 0.1\n")
        (info / "entry_points.txt").write_text(
            "[citynet_exchange]\n" + "".join(f"{name} = {value}\n" for name, value in points.items()))
        monkeypatch.syspath_prepend(str(ROOT / "fixtures" / "plugins"))
        monkeypatch.syspath_prepend(str(info.parent))
        monkeypatch.delenv("CITYNET_PLUGINS", raising=False)
        default_host.cache_clear()

    yield installed
    default_host.cache_clear()


@pytest.mark.parametrize("command", [["validate", VALID], ["convert", VALID, "--to", "json"]])
def test_a_plugin_that_cannot_be_imported_is_named_and_skipped(citynet, install, command: list[str]) -> None:
    install(maps="citynet_exchange_unimportable")
    result = citynet(*command, TODAY)
    assert result.code == 3
    report = result.out if command[0] == "validate" else result.err
    assert f"tool problem: {CANNOT_IMPORT}\nvalid: 0 errors, 0 warnings, 0 info in 1 file (3 records)\n" in report
    assert (f"citynet: the verdict is incomplete, these failed: plugin maps ({DISTRIBUTION}) (see the report; "
            "CITYNET_PLUGINS=name,... loads only the plugins named)\n") in result.err
    if command[0] == "convert":  # and the command went on
        assert json.loads(result.out)["towns"][0]["id"] == "bremen"
    assert "Traceback" not in result.err


def test_a_plugin_whose_register_hook_raises_is_named_and_skipped(citynet, install) -> None:
    install(table="citynet_exchange_broken:Registering")
    result = citynet("validate", BROKEN, TODAY, "--report", "json")
    assert result.code == 3
    report = json.loads(result.out)
    assert [f["code"] for f in report["findings"]] == DATA_CODES
    assert report["tool_problems"] == [{
        "source": f"plugin table ({DISTRIBUTION})",
        "message": "plugin 'table' failed to register: OSError: cannot read my rule table"}]


@pytest.mark.parametrize("command", [["validate", VALID, "--report", "json:{target}"],
                                     ["convert", VALID, "--to", "json", "-o", "{target}"]])
def test_strict_plugins_stops_before_reading_and_writes_nothing(citynet, install, tmp_path: Path,
                                                                command: list[str]) -> None:
    target = tmp_path / "out.json"
    args = [a.format(target=target) for a in command]
    install(maps="citynet_exchange_unimportable")
    result = citynet(*args, "--strict-plugins")
    assert (result.code, result.out) == (3, "")
    assert result.err == f"citynet: error: a plugin failed to load, so nothing was done: {CANNOT_IMPORT}\n"
    assert not target.exists()


def test_strict_plugins_in_the_configuration(citynet, install, tmp_path: Path) -> None:
    config = tmp_path / "citynet.toml"
    config.write_text("strict-plugins = true\n", encoding="utf-8")
    assert citynet("validate", VALID, TODAY, "--config", str(config)).code == 0  # every plugin loads
    install(maps="citynet_exchange_unimportable")
    result = citynet("validate", VALID, TODAY, "--config", str(config))
    assert (result.code, result.out) == (3, "")
    assert f"nothing was done: {CANNOT_IMPORT}" in result.err


def _text(out: str) -> tuple[list[str], list[str]]:
    lines = out.splitlines()
    return [line.split()[2] for line in lines[:-2]], [lines[-2].removeprefix("tool problem: ")]


def _json(out: str) -> tuple[list[str], list[str]]:
    report = json.loads(out)
    return ([f["code"] for f in report["findings"]],
            [f"{p['source']}: {p['message']}" for p in report["tool_problems"]])


def _sarif(out: str) -> tuple[list[str], list[str]]:
    (invocation,) = json.loads(out)["runs"][0]["invocations"]
    assert invocation["executionSuccessful"] is False
    return ([r["ruleId"] for r in json.loads(out)["runs"][0]["results"]],
            [n["message"]["text"] for n in invocation["toolExecutionNotifications"]])


def _junit(out: str) -> tuple[list[str], list[str]]:
    suite = ElementTree.fromstring(out).find("testsuite")
    assert suite is not None and suite.get("errors") == "1"
    return ([f.get("type") or "" for f in suite.iter("failure")],
            [f"{case.get('name')}: {case.find('error').get('message')}"  # type: ignore[union-attr]
             for case in suite.findall("testcase") if case.find("error") is not None])


def _github(out: str) -> tuple[list[str], list[str]]:
    lines = out.splitlines()
    return ([line.split("title=", 1)[1].split("::", 1)[0] for line in lines[:-1]],
            [lines[-1].removeprefix("::error title=tool problem::")])


def _markdown(out: str) -> tuple[list[str], list[str]]:
    return ([line.split("`")[1] for line in out.splitlines() if line.startswith("| ") and "`" in line
             and line.count("|") == 5 and ":" in line.split("|")[1]],
            [line.removeprefix("- tool problem: ") for line in out.splitlines() if line.startswith("- tool problem")])


def _csv(out: str) -> tuple[list[str], list[str]]:
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    return ([r["code"] for r in rows if r["code"]],
            [r["message"].removeprefix("tool problem: ") for r in rows if not r["code"]])


@pytest.mark.parametrize("report, read", [("text", _text), ("json", _json), ("sarif", _sarif), ("junit", _junit),
                                          ("github", _github), ("markdown", _markdown), ("csv", _csv)])
def test_a_rule_that_raises_is_a_tool_problem_naming_plugin_and_rule_and_every_finding_stays(
        citynet, install, report: str, read: Callable[[str], tuple[list[str], list[str]]]) -> None:
    install(broken="citynet_exchange_broken")
    result = citynet("validate", BROKEN, TODAY, "--report", report)
    assert result.code == 3
    codes, problems = read(result.out)
    assert codes == DATA_CODES
    assert problems == [": ".join(RULE_FAILED)]
    assert f"these failed: {RULE_FAILED[0]} (see the report" in result.err
    assert "Traceback" not in result.err


def test_an_exporter_that_fails_half_way_leaves_the_old_output_and_no_temporary_file(citynet, install,
                                                                                     tmp_path: Path) -> None:
    install(broken="citynet_exchange_broken")
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    result = citynet("convert", VALID, "--to", "broken", "-o", str(target), TODAY)
    assert (result.code, result.out) == (3, "")
    assert result.err == (f"citynet: error: the broken exporter of plugin broken ({DISTRIBUTION}) failed: "
                          "RuntimeError: lost its place in the towns (rerun with --debug)\n")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    debug = citynet("--debug", "convert", VALID, "--to", "broken", "-o", str(target), TODAY)
    assert debug.code == 3 and "Traceback" in debug.err and "RuntimeError: lost its place" in debug.err


def test_an_importer_that_fails_is_named_with_its_plugin(citynet, install) -> None:
    install(broken="citynet_exchange_broken")
    result = citynet("validate", VALID, TODAY, "--format", "broken-load")
    assert (result.code, result.out) == (3, "")
    assert result.err == (f"citynet: error: the broken-load importer of plugin broken ({DISTRIBUTION}) failed on "
                          f"{VALID}: KeyError: 'header' (rerun with --debug)\n")


def test_an_importer_that_fails_in_its_stream_is_a_tool_problem_and_what_it_read_is_reported(citynet,
                                                                                              install) -> None:
    install(broken="citynet_exchange_broken")
    result = citynet("validate", VALID, TODAY, "--format", "broken-stream", "--report", "json")
    assert result.code == 3
    report = json.loads(result.out)
    assert sorted(f["code"] for f in report["findings"]) == ["orphan-town", "unknown-country"]  # of the record read
    assert [(p["source"], p["message"]) for p in report["tool_problems"]] == [(
        f"the broken-stream importer of plugin broken ({DISTRIBUTION})",
        f"ValueError: lost the second line (rerun with --debug); the records of {VALID} after it were not read")]
