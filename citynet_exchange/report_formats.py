"""The report formats `citynet validate --report` writes, by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from citynet_exchange.excerpts import Sources, excerpts, open_path
from citynet_exchange.findings import Severity
from citynet_exchange.report import Report, json_bytes
from citynet_exchange.report_ci import render_csv, render_github, render_junit, render_markdown
from citynet_exchange.report_html import render_html
from citynet_exchange.report_sarif import render_sarif
from citynet_exchange.report_text import render_text
from citynet_exchange.rules import RuleInfo

if TYPE_CHECKING:
    from citynet_exchange.report_figures import Overview


@dataclass(frozen=True)
class Settings:
    """What a renderer may need besides the report: the rule catalogue, the failure threshold,
    the language of a page for people, where its input files are (for excerpts) and how to
    read the dataset's figures and map from them (None: the page has none)."""

    rules: Sequence[RuleInfo]
    fail_on: Severity = Severity.ERROR
    lang: str = "en"
    sources: Sources = field(default_factory=lambda: Sources(open_path))
    overview: Callable[[Report], Overview] | None = None


Renderer = Callable[[Report, Settings], str | bytes]  # bytes: UTF-8

REPORT_FORMATS: dict[str, Renderer] = {
    "text": lambda report, _settings: render_text(report),
    "json": lambda report, _settings: json_bytes(report, newline=True),
    "sarif": lambda report, settings: render_sarif(report, settings.rules),
    "junit": lambda report, settings: render_junit(report, settings.fail_on),
    "github": lambda report, _settings: render_github(report),
    "markdown": lambda report, settings: render_markdown(report, settings.rules),
    "csv": lambda report, _settings: render_csv(report),
    "html": lambda report, settings: render_html(
        report, settings.rules, settings.lang, excerpts(report.findings, settings.sources),
        settings.overview(report) if settings.overview else None),
}
