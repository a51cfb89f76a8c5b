"""The plugin host: loads plugins one at a time and checks what each registers.

Built-ins and third-party plugins alike come in through the `citynet_exchange`
entry-point group. A plugin that fails to import, implements an unknown hook, raises in a
register hook or registers something malformed is reported (in `problems` and by
`citynet plugins`) and skipped; the others still load, unless the caller asks for all of
them (`Host.require_all`, `--strict-plugins`). `CITYNET_PLUGINS=json,yaml` loads only the
plugins named (an empty value loads none).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import entry_points
from typing import Any

import pluggy

from citynet_exchange import hookspecs
from citynet_exchange.errors import PluginFailure
from citynet_exchange.formats import Exporter, Importer
from citynet_exchange.report import ToolProblem
from citynet_exchange.publications import FILE_NAME, Publication
from citynet_exchange.rules import CODE_PATTERN, ExtensionSchema, Rule, RuleInfo
from citynet_exchange.structure_words import STRUCTURAL_RULES
from citynet_exchange.tables.codes import TABLE_RULES

CORE_RULES = (*STRUCTURAL_RULES, *TABLE_RULES)  # codes that the core's own checks and readers report

GROUP = "citynet_exchange"
ALLOW_ENV = "CITYNET_PLUGINS"
BUILTIN_DISTRIBUTION = "citynet-exchange"
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_-]*$")

# hook name -> (kind label, expected type, key of a registered object)
_HOOKS: dict[str, tuple[str, type, Callable[[Any], str]]] = {
    "citynet_register_importers": ("importers", Importer, lambda o: o.name),
    "citynet_register_exporters": ("exporters", Exporter, lambda o: o.name),
    "citynet_register_rules": ("rules", Rule, lambda o: o.code),
    "citynet_register_extension_schemas": ("extension-schemas", ExtensionSchema, lambda o: o.name),
    "citynet_register_publications": ("publications", Publication, lambda o: o.name),
}


class PluginError(Exception):
    """A registration the host refuses."""


@dataclass
class PluginInfo:
    """One plugin as `citynet plugins` lists it."""

    name: str
    module: str
    distribution: str | None = None
    version: str | None = None
    status: str = "loaded"  # loaded | failed | disabled
    error: str | None = None
    registered: dict[str, list[str]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The plugin and where it comes from, for messages: `maps (citynet-maps 0.3)`."""
        return f"{self.name} ({self.origin})"

    @property
    def origin(self) -> str:
        """Its distribution and version, or its module where it has no distribution."""
        return f"{self.distribution} {self.version}" if self.distribution else self.module


@dataclass
class Host:
    """The loaded plugins and everything they registered, checked and de-duplicated."""

    plugins: list[PluginInfo] = field(default_factory=list)
    importers: dict[str, Importer] = field(default_factory=dict)
    exporters: dict[str, Exporter] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    extension_schemas: dict[str, ExtensionSchema] = field(default_factory=dict)
    publications: dict[str, Publication] = field(default_factory=dict)

    @property
    def problems(self) -> list[ToolProblem]:
        return [
            ToolProblem(source=f"plugin {p.label}", message=p.error or "")
            for p in self.plugins
            if p.status == "failed"
        ]

    def require_all(self) -> None:
        """Raise `PluginFailure` if a plugin failed to load: for callers that would rather
        stop than go on without it."""
        failed = self.problems
        if failed:
            raise PluginFailure("a plugin failed to load, so nothing was done: "
                                + "; ".join(f"{p.source}: {p.message}" for p in failed))

    def owner(self, kind: str, name: str) -> str:
        """Who registered an importer, exporter, rule ... (`kind` as in `PluginInfo.registered`),
        for naming it where it fails."""
        for info in self.plugins:
            if name in info.registered.get(kind, ()):
                return f"plugin {info.label}"
        return "no loaded plugin"

    def catalogue(self) -> list[RuleInfo]:
        """Every finding code: the core's own, then the registered rules."""
        return [*CORE_RULES, *sorted(self.rules.values(), key=lambda r: r.code)]

    def rule_info(self, code: str) -> RuleInfo:
        for info in CORE_RULES:
            if info.code == code:
                return info
        return self.rules[code]

    def _table(self, kind: str) -> dict[str, Any]:
        return {
            "importers": self.importers,
            "exporters": self.exporters,
            "rules": self.rules,
            "extension-schemas": self.extension_schemas,
            "publications": self.publications,
        }[kind]


def load_host(plugins: Mapping[str, object] | None = None, allow: Iterable[str] | None = None) -> Host:
    """Load the plugins of the entry-point group, or the given name -> module objects (tests).

    `allow` (default: the CITYNET_PLUGINS variable) names the plugins to load.
    """
    if allow is None and ALLOW_ENV in os.environ:
        allow = [n.strip() for n in os.environ[ALLOW_ENV].split(",") if n.strip()]
    allowed = None if allow is None else set(allow)
    host = Host()
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    for info, load in _candidates(plugins):
        host.plugins.append(info)
        if allowed is not None and info.name not in allowed:
            info.status = "disabled"
            continue
        try:
            module = load()
        except Exception as exc:  # any import-time failure of a plugin is that plugin's
            _fail(info, f"cannot import plugin {info.name!r} ({info.module}): {type(exc).__name__}: {exc}")
            continue
        _register(pm, host, info, module)
    return host


@cache
def default_host() -> Host:
    return load_host()


def builtin_host() -> Host:
    """Only the plugins this distribution ships: the standard's own rule catalogue, unaffected
    by whatever else is installed."""
    return load_host(allow=[ep.name for ep in entry_points(group=GROUP)
                            if ep.dist is not None and ep.dist.name == BUILTIN_DISTRIBUTION])


def _candidates(plugins: Mapping[str, object] | None) -> list[tuple[PluginInfo, Callable[[], object]]]:
    if plugins is not None:
        return [
            (PluginInfo(name=name, module=getattr(mod, "__name__", repr(mod))), lambda mod=mod: mod)
            for name, mod in plugins.items()
        ]
    found = []
    named: dict[int, tuple[str, str]] = {}  # a distribution's metadata, parsed once for all its plugins
    for ep in entry_points(group=GROUP):
        dist = ep.dist
        if dist is not None and id(dist) not in named:
            metadata = dist.metadata  # each access parses the file again
            named[id(dist)] = (metadata["Name"], metadata["Version"])
        distribution, version = named[id(dist)] if dist is not None else (None, None)
        found.append((PluginInfo(name=ep.name, module=ep.value, distribution=distribution, version=version),
                      ep.load))
    # Built-ins first, so a third-party plugin cannot take over a built-in name.
    found.sort(key=lambda c: (c[0].distribution != BUILTIN_DISTRIBUTION, c[0].name))
    return found


def _fail(info: PluginInfo, error: str) -> None:
    info.status = "failed"
    info.error = error
    info.registered = {}


def _register(pm: pluggy.PluginManager, host: Host, info: PluginInfo, module: object) -> None:
    try:
        pm.register(module, name=info.name)
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        if pm.is_registered(module):
            pm.unregister(module)
        _fail(info, f"plugin {info.name!r} has a bad hook: {exc}")
        return
    staged: dict[str, dict[str, Any]] = {}
    try:
        for hook_name, (kind, expected, key) in _HOOKS.items():
            caller = getattr(pm.hook, hook_name)
            for impl in caller.get_hookimpls():
                if impl.plugin is not module:
                    continue
                table = staged.setdefault(kind, {})

                def register(obj: Any, kind: str = kind, expected: type = expected, key: Any = key,
                             table: dict[str, Any] = table) -> None:
                    name = _check(obj, kind, expected, key)
                    if name in table or name in host._table(kind):
                        raise PluginError(f"{kind[:-1]} {name!r} is registered already")
                    table[name] = obj

                impl.function(**{arg: register for arg in impl.argnames})
    except Exception as exc:  # a plugin's own code failed: skip the whole plugin
        pm.unregister(module)
        _fail(info, f"plugin {info.name!r} failed to register: {type(exc).__name__}: {exc}")
        return
    for kind, table in staged.items():
        host._table(kind).update(table)
        info.registered[kind] = sorted(table)


def _check(obj: Any, kind: str, expected: type, key: Callable[[Any], str]) -> str:
    if not isinstance(obj, expected):
        raise PluginError(f"registered {type(obj).__name__} where {kind} take a {expected.__name__}")
    name = key(obj)
    pattern = {"rules": CODE_PATTERN, "publications": FILE_NAME}.get(kind, NAME_PATTERN)
    if not isinstance(name, str) or not pattern.match(name):
        raise PluginError(f"{kind[:-1]} name {name!r} is not lower-case kebab-case")
    if isinstance(obj, Rule):
        if any(info.code == name for info in CORE_RULES):
            raise PluginError(f"rule code {name!r} is a code of the core")
        if not obj.messages:
            raise PluginError(f"rule {name!r} has no message templates")
    if isinstance(obj, ExtensionSchema):
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import SchemaError

        try:
            Draft202012Validator.check_schema(dict(obj.schema))
        except SchemaError as exc:
            raise PluginError(f"extension schema {name!r} is not a valid JSON Schema: {exc.message}") from exc
    return name
