"""`citynet plugins`, `rules`, `schema`, `--version`, and exit code 3 for internal errors."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from citynet_exchange import __version__, hookimpl
from citynet_exchange.findings import Severity
from citynet_exchange.plugins import default_host, load_host
from citynet_exchange.resources import DATASET_SCHEMA, schema_dir
from citynet_exchange.rules import rule

EXAMPLES = Path(__file__).parent / "examples"
BUILTIN_RULES = {
    "duplicate-id", "unknown-reference", "self-partnership", "duplicate-partnership", "date-order",
    "future-date", "status-conflict", "open-ended-friendship", "unknown-country", "subdivision-mismatch",
    "identifier-format", "duplicate-town", "coordinates", "orphan-town",
}


def test_version(citynet):
    result = citynet("--version")
    assert result.code == 0
    assert result.out == f"citynet {__version__} (standard 1.0)\n"


def test_plugins_json_lists_builtins_with_their_distribution(citynet):
    result = citynet("plugins", "--json")
    assert result.code == 0
    rows = {row["name"]: row for row in json.loads(result.out)}
    assert {"json", "yaml", "rules"} <= set(rows)
    for name in ("json", "yaml", "rules"):
        assert rows[name]["distribution"] == "citynet-exchange"
        assert rows[name]["version"] == __version__
        assert rows[name]["status"] == "loaded"
    assert rows["json"]["registered"] == {"importers": ["json"], "exporters": ["json"]}
    assert BUILTIN_RULES <= set(rows["rules"]["registered"]["rules"])


def test_plugins_text(citynet):
    result = citynet("plugins")
    assert "yaml (citynet-exchange " in result.out
    assert "    importers: yaml" in result.out


def test_rules_catalogue(citynet):
    result = citynet("rules", "--json")
    catalogue = {r["code"]: r for r in json.loads(result.out)}
    assert BUILTIN_RULES | {"syntax-error", "missing-field", "unknown-field"} <= set(catalogue)
    assert catalogue["orphan-town"]["severity"] == "info"
    assert catalogue["future-date"]["severity"] == "warning"
    assert catalogue["duplicate-id"]["severity"] == "error"
    assert all(r["explanation"] and r["title"] for r in catalogue.values())
    text = citynet("rules").out
    assert any(line.split()[:2] == ["duplicate-partnership", "error"] for line in text.splitlines())


def test_schema_prints_the_published_schema(citynet, tmp_path: Path):
    assert json.loads(citynet("schema").out) == json.loads((schema_dir() / DATASET_SCHEMA).read_text("utf-8"))
    assert json.loads(citynet("schema", "report").out)["title"] == "citynet-exchange validation report 1.0"
    target = tmp_path / "s.json"
    assert citynet("schema", "-o", str(target)).code == 0
    assert json.loads(target.read_text("utf-8"))["$id"].endswith(DATASET_SCHEMA)


@rule("example-broken", Severity.ERROR, "Always fails", {"m": "never"})
def _broken(ctx):
    """A rule with a bug."""
    raise ZeroDivisionError("division by zero")


class BrokenRules:
    """A plugin whose rule raises."""

    @staticmethod
    @hookimpl
    def citynet_register_rules(register):
        register(_broken)


@pytest.fixture
def broken_rule_host(monkeypatch: pytest.MonkeyPatch):
    host = load_host({"yaml": importlib.import_module("citynet_exchange_yaml"), "broken": BrokenRules})
    monkeypatch.setattr("citynet_exchange.plugins.default_host", lambda: host)
    monkeypatch.setattr("citynet_exchange.api.default_host", lambda: host)


def test_failing_rule_exits_3_and_names_the_rule(citynet, broken_rule_host):
    result = citynet("validate", str(EXAMPLES / "bremen.yaml"))
    assert result.code == 3
    assert ("tool problem: rule example-broken of plugin broken (BrokenRules): ZeroDivisionError: division by zero "
            "(rerun with --debug)") in result.out
    assert "the verdict is incomplete, these failed: rule example-broken of plugin broken (BrokenRules)" in result.err
    assert "Traceback" not in result.err


def test_debug_shows_the_traceback_of_a_failing_rule(citynet, broken_rule_host):
    result = citynet("--debug", "validate", str(EXAMPLES / "bremen.yaml"))
    assert result.code == 3
    assert "Traceback" in result.err and "ZeroDivisionError" in result.err


def test_internal_error_exits_3_without_traceback(citynet, monkeypatch: pytest.MonkeyPatch):
    def boom(*args, **kwargs):
        raise RuntimeError("unexpected state")

    monkeypatch.setattr("citynet_exchange.api.validate", boom)
    result = citynet("validate", str(EXAMPLES / "bremen.yaml"))
    assert result.code == 3
    assert result.err == ("citynet: internal error: RuntimeError: unexpected state "
                          "(this is a bug; rerun with --debug for the traceback)\n")


def test_allowlist_variable_restricts_plugins(citynet, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CITYNET_PLUGINS", "json")
    default_host.cache_clear()
    try:
        rows = {row["name"]: row["status"] for row in json.loads(citynet("plugins", "--json").out)}
        assert rows["json"] == "loaded" and rows["yaml"] == "disabled" and rows["rules"] == "disabled"
        result = citynet("validate", str(EXAMPLES / "bremen.yaml"))
        assert result.code == 2
        assert "known: json" in result.err or "cannot tell the format" in result.err
    finally:
        default_host.cache_clear()


def test_rules_prints_one_rules_documentation(citynet):
    result = citynet("rules", "duplicate-partnership")
    assert result.code == 0
    assert result.out.startswith("duplicate-partnership (error): A partnership is given twice\n\n")
    assert "Messages:\n  - partnership '{id}' joins the same towns" in result.out
    unknown = citynet("rules", "nope")
    assert unknown.code == 2 and "unknown finding code 'nope'" in unknown.err


def test_the_cli_names_every_report_format_and_severity_there_is():
    from citynet_exchange.cli.commands import REPORT_NAMES, SEVERITY_NAMES
    from citynet_exchange.findings import Severity
    from citynet_exchange.report_formats import REPORT_FORMATS

    assert REPORT_NAMES == tuple(REPORT_FORMATS)
    assert SEVERITY_NAMES == tuple(s.value for s in Severity)


def test_version_and_help_import_no_more_than_click():
    """`citynet --version` and `--help` answer at once: the API, pydantic and the schema
    libraries are imported by the commands that use them."""
    import subprocess
    import sys

    code = ("import sys; from citynet_exchange.cli import main\n"
            "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
            "heavy = {'pydantic', 'jsonschema', 'jsonschema_rs', 'pluggy', 'yaml', 'citynet_exchange.api'}\n"
            "print(sorted(heavy & set(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "[]"
