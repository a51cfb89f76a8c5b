"""The report formats `citynet validate --report` writes, by name."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from citynet_exchange.findings import Severity
from citynet_exchange.report import Report
from citynet_exchange.report_ci import render_csv, render_github, render_junit, render_markdown
from citynet_exchange.report_sarif import render_sarif
from citynet_exchange.report_text import render_text
from citynet_exchange.rules import RuleInfo

Renderer = Callable[[Report, Sequence[RuleInfo], Severity], str]

REPORT_FORMATS: dict[str, Renderer] = {
    "text": lambda report, _rules, _fail_on: render_text(report),
    "json": lambda report, _rules, _fail_on: report.to_json() + "\n",
    "sarif": lambda report, rules, _fail_on: render_sarif(report, rules),
    "junit": lambda report, _rules, fail_on: render_junit(report, fail_on),
    "github": lambda report, _rules, _fail_on: render_github(report),
    "markdown": lambda report, rules, _fail_on: render_markdown(report, rules),
    "csv": lambda report, _rules, _fail_on: render_csv(report),
}
