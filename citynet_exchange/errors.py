"""Failures that are not findings: the caller asked for something that cannot be done.

Problems in the data are findings, never exceptions. A `UsageError` is the caller's
mistake (a missing file, an unknown format): the command line turns it into exit code 2.
A `PluginFailure` is a plugin's: the command line turns it into exit code 3.
"""

from __future__ import annotations


class UsageError(Exception):
    """A bad request: unknown format, missing file, bad option value."""


class PluginFailure(Exception):
    """A plugin failed where no result can do without it (its exporter raised, or plugins
    failed to load and the caller asked not to go on without them); the message names it."""
