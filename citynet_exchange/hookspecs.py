"""The hooks a citynet-exchange plugin can implement.

Every hook is a `citynet_register_*(register)` hook: the plugin calls `register(obj)` for
each thing it offers, and the host checks and de-duplicates what it receives, so a bad
registration is reported against the plugin that made it. Hooks only ever gain
arguments; an implementation may take fewer than the spec names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from citynet_exchange.formats import Exporter, Importer
    from citynet_exchange.publications import Publication
    from citynet_exchange.rules import ExtensionSchema, Rule

PROJECT = "citynet_exchange"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@hookspec
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    """Register importers: each reads one data format into a dataset document."""


@hookspec
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    """Register exporters: each writes a dataset document in one data format."""


@hookspec
def citynet_register_rules(register: Callable[[Rule], None]) -> None:
    """Register validation rules, each with a stable code, severity and explanation."""


@hookspec
def citynet_register_extension_schemas(register: Callable[[ExtensionSchema], None]) -> None:
    """Register JSON Schemas for the fields a plugin adds under `extensions.<name>`."""


@hookspec
def citynet_register_publications(register: Callable[[Publication], None]) -> None:
    """Register files of the published standard that the plugin builds (`schema/<name>`)."""
