"""Reports for CI systems and people: JUnit XML, GitHub workflow commands, a Markdown summary,
and a CSV table of findings to send back to whoever submitted the data."""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence
from xml.etree import ElementTree

from citynet_exchange.findings import Finding, Severity
from citynet_exchange.report import Report
from citynet_exchange.report_text import place, summary_line
from citynet_exchange.rules import RuleInfo
from citynet_exchange.tables.cells import escape

GITHUB_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}
CSV_COLUMNS = ("file", "line", "column", "row", "field", "sheet", "cell", "subject", "pointer", "record_kind",
               "record_id", "severity", "code", "message")


def render_junit(report: Report, fail_on: Severity = Severity.ERROR) -> str:
    """One test case per file; a failure per finding at or above the threshold, the other
    findings in the case's output."""
    by_file: dict[str, list[Finding]] = {name: [] for name in report.inputs}
    for finding in report.findings:
        by_file.setdefault(finding.location.file or "<input>", []).append(finding)
    failing = {id(f) for f in report.at_or_above(fail_on)}
    suites = ElementTree.Element("testsuites", name="citynet")
    suite = ElementTree.SubElement(suites, "testsuite", name="citynet validate", tests=str(len(by_file)),
                                   failures=str(sum(1 for f in report.findings if id(f) in failing)),
                                   errors=str(len(report.tool_problems)))
    for name, findings in by_file.items():
        case = ElementTree.SubElement(suite, "testcase", classname="citynet", name=name)
        for finding in findings:
            if id(finding) in failing:
                failure = ElementTree.SubElement(case, "failure", type=finding.code,
                                                 message=f"{finding.code}: {finding.message}")
                failure.text = f"{place(finding.location)}: {finding.severity} {finding.code} {finding.message}"
        others = [f for f in findings if id(f) not in failing]
        if others:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                f"{place(f.location)}: {f.severity} {f.code} {f.message}" for f in others)
    for problem in report.tool_problems:
        case = ElementTree.SubElement(suite, "testcase", classname="citynet", name=problem.source)
        ElementTree.SubElement(case, "error", message=problem.message)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode") + "\n"


def _github_value(text: str, property_: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if property_ else text


def render_github(report: Report) -> str:
    """GitHub Actions workflow commands: each finding an annotation on its file and line."""
    lines = []
    for finding in report.findings:
        location = finding.location
        properties = [f"file={_github_value(location.file or '<input>', True)}"]
        if location.line is not None:
            properties.append(f"line={location.line}")
            if location.column is not None:
                properties.append(f"col={location.column}")
        properties.append(f"title={_github_value(finding.code, True)}")
        where = "" if location.line is not None else f" ({place(location)})"
        lines.append(f"::{GITHUB_LEVELS[str(finding.severity)]} {','.join(properties)}::"
                     f"{_github_value(finding.message + where)}")
    lines += [f"::error title=tool problem::{_github_value(p.source + ': ' + p.message)}" for p in report.tool_problems]
    return "\n".join(lines) + ("\n" if lines else "")


def _md(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: Report, rules: Sequence[RuleInfo]) -> str:
    """A summary for a job summary page: the verdict, counts by severity and code, the findings."""
    titles = {rule.code: rule.title for rule in rules}
    by_code = Counter((f.code, str(f.severity)) for f in report.findings)
    lines = [f"## citynet: {'valid' if report.valid else 'invalid'}", "", summary_line(report), ""]
    if by_code:
        lines += ["| code | severity | count | rule |", "| --- | --- | ---: | --- |"]
        lines += [f"| `{code}` | {severity} | {n} | {_md(titles.get(code, ''))} |"
                  for (code, severity), n in sorted(by_code.items())]
        lines += ["", "| place | severity | code | message |", "| --- | --- | --- | --- |"]
        lines += [f"| {_md(place(f.location))} | {f.severity} | `{f.code}` | {_md(f.message)} |" for f in report.findings]
    lines += [f"- tool problem: {_md(p.source)}: {_md(p.message)}" for p in report.tool_problems]
    return "\n".join(lines) + "\n"


def render_csv(report: Report) -> str:
    """A findings table, one row each, for spreadsheet programs (formula-like text neutralised)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for finding in report.findings:
        location, record = finding.location, finding.record
        values = [*(getattr(location, k) for k in CSV_COLUMNS[:9]), record.kind if record else None,
                  record.id if record else None, str(finding.severity), finding.code, finding.message]
        writer.writerow(["" if v is None else escape(str(v), True) if isinstance(v, str) else v for v in values])
    for problem in report.tool_problems:  # no finding of the data, but whoever reads the table must know
        message = escape(f"tool problem: {problem.source}: {problem.message}", True)
        writer.writerow([*[""] * (len(CSV_COLUMNS) - 3), "error", "", message])
    return "\ufeff" + buffer.getvalue()
