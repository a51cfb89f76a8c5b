"""The plugin host: loading, containment of broken plugins, checks on registrations."""

from __future__ import annotations

import importlib
import sys
from datetime import date
from pathlib import Path
from importlib.metadata import EntryPoint
from types import ModuleType

import pytest

from citynet_exchange import hookimpl
from citynet_exchange.api import validate_data
from citynet_exchange.engine import Options
from citynet_exchange.findings import Severity
from citynet_exchange.plugins import GROUP, builtin_host, load_host
from citynet_exchange.rules import ExtensionSchema, rule

sys.path.insert(0, str(Path(__file__).parents[2] / "fixtures" / "plugins"))
example = importlib.import_module("citynet_exchange_example")

OPTIONS = Options(today=date(2025, 6, 30))
DATA = {
    "standard": "1.0",
    "towns": [
        {"id": "a", "name": "A", "country": "DE", "extensions": {"example": {"office_email": "not an address"}}},
        {"id": "b", "name": "B", "country": "FR", "website": "https://b.fr",
         "extensions": {"other": {"anything": [1, 2]}}},
    ],
    "partnerships": [{"id": "ab", "kind": "twinning", "members": ["a", "b"]}],
}


def _builtin(name: str) -> ModuleType:
    return importlib.import_module(f"citynet_exchange_{name}")


def _codes(report) -> list[tuple[str, str | None]]:
    return [(f.code, f.location.pointer) for f in report.findings]


def test_example_plugin_adds_its_rule_and_validates_its_extension():
    host = load_host({"example": example})
    assert host.plugins[0].registered == {"rules": ["example-no-website"], "extension-schemas": ["example"]}
    report = validate_data(DATA, options=OPTIONS, host=host)
    assert _codes(report) == [
        ("example-no-website", "/towns/0"),
        ("invalid-format", "/towns/0/extensions/example/office_email"),
    ]
    assert report.findings[0].severity == "info"
    assert "example-no-website" in [r.code for r in host.catalogue()]


def test_extension_is_kept_unchecked_without_its_plugin():
    report = validate_data(DATA, options=OPTIONS, host=load_host({}))
    assert _codes(report) == []


def test_plugin_failing_at_import_is_reported_and_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Through real entry points, as an installed third-party plugin comes in."""
    (tmp_path / "citynet_exchange_needs_shapely.py").write_text("import shapely_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    points = [EntryPoint("json", "citynet_exchange_json", GROUP),
              EntryPoint("maps", "citynet_exchange_needs_shapely", GROUP)]
    monkeypatch.setattr("citynet_exchange.plugins.entry_points", lambda group: points)
    host = load_host()
    info = {p.name: p for p in host.plugins}
    assert info["json"].status == "loaded"
    assert info["maps"].status == "failed"
    assert info["maps"].error == (
        "cannot import plugin 'maps' (citynet_exchange_needs_shapely): "
        "ModuleNotFoundError: No module named 'shapely_is_not_installed'")
    assert [p.source for p in host.problems] == ["plugin maps (citynet_exchange_needs_shapely)"]
    assert "json" in host.importers


class UnknownHook:
    @staticmethod
    @hookimpl
    def citynet_register_importer(register):  # a typo of citynet_register_importers
        pass


class RaisingRegister:
    @staticmethod
    @hookimpl
    def citynet_register_rules(register):
        raise RuntimeError("cannot read my rule table")


class WrongType:
    @staticmethod
    @hookimpl
    def citynet_register_importers(register):
        register("json")


@rule("BadCode", Severity.ERROR, "Bad", {"m": "x"})
def _bad_code(ctx):
    """Not kebab-case."""
    return []


class BadCode:
    @staticmethod
    @hookimpl
    def citynet_register_rules(register):
        register(_bad_code)


class TakesStructuralCode:
    @staticmethod
    @hookimpl
    def citynet_register_rules(register):
        register(rule("missing-field", Severity.INFO, "Mine", {"m": "x"})(lambda ctx: []))


class TakesJsonName:
    @staticmethod
    @hookimpl
    def citynet_register_importers(register):
        register(_builtin("json").JsonImporter())


class BadExtensionSchema:
    @staticmethod
    @hookimpl
    def citynet_register_extension_schemas(register):
        register(ExtensionSchema(name="bad", schema={"type": "no-such-type"}))


@pytest.mark.parametrize(
    ("plugin", "error"),
    [
        (UnknownHook, "has a bad hook: unknown hook 'citynet_register_importer'"),
        (RaisingRegister, "failed to register: RuntimeError: cannot read my rule table"),
        (WrongType, "registered str where importers take a Importer"),
        (BadCode, "rule name 'BadCode' is not lower-case kebab-case"),
        (TakesStructuralCode, "rule code 'missing-field' is a code of the core"),
        (TakesJsonName, "importer 'json' is registered already"),
        (BadExtensionSchema, "extension schema 'bad' is not a valid JSON Schema"),
    ],
)
def test_bad_registration_fails_only_that_plugin(plugin, error):
    host = load_host({"json": _builtin("json"), "bad": plugin})
    info = {p.name: p for p in host.plugins}
    assert info["bad"].status == "failed"
    assert error in (info["bad"].error or "")
    assert info["bad"].registered == {}
    assert info["json"].status == "loaded" and host.importers["json"].name == "json"


def test_allowlist_loads_only_the_named_plugins(monkeypatch: pytest.MonkeyPatch):
    host = load_host({"json": _builtin("json"), "yaml": _builtin("yaml")}, allow=["yaml"])
    assert {p.name: p.status for p in host.plugins} == {"json": "disabled", "yaml": "loaded"}
    assert list(host.importers) == ["yaml"]
    monkeypatch.setenv("CITYNET_PLUGINS", "")
    assert load_host({"json": _builtin("json")}).importers == {}


def test_builtin_host_ignores_the_allowlist_and_loads_every_builtin(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CITYNET_PLUGINS", "json")
    host = builtin_host()
    assert {"json", "yaml", "rules"} <= {p.name for p in host.plugins if p.status == "loaded"}
    assert all(p.distribution == "citynet-exchange" for p in host.plugins)
