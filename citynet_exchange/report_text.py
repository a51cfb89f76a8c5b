"""The text report: one line per finding, `file:line:col: severity code message`.

This is the form compilers use, so editors and terminals make the place clickable.
Findings are grouped by file and sorted by place; a closing line sums them up.
"""

from __future__ import annotations

from citynet_exchange.findings import Finding, Location
from citynet_exchange.report import Report


def place(location: Location) -> str:
    """`file:line:col`, or the most exact place a format gives (row and column, pointer)."""
    parts = [location.file or "<input>"]
    if location.line is not None:
        parts.append(str(location.line))
        if location.column is not None:
            parts.append(str(location.column))
    text = ":".join(parts)
    extra = []
    if location.sheet:
        extra.append(f"sheet {location.sheet}")
    if location.cell:
        extra.append(f"cell {location.cell}")
    elif location.row is not None:
        extra.append(f"row {location.row}" + (f", column {location.field}" if location.field else ""))
    if location.subject:
        extra.append(f"subject <{location.subject}>")
    if location.line is None and not extra and location.pointer:
        extra.append(location.pointer)
    return text + (f" ({', '.join(extra)})" if extra else "")


def finding_line(finding: Finding) -> str:
    line = f"{place(finding.location)}: {finding.severity} {finding.code} {finding.message}"
    for related in finding.related:
        line += f"\n    see {place(related)}"
    return line


def _count(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 or word == "info" else "s")


def summary_line(report: Report) -> str:
    s = report.summary
    counts = ", ".join(_count(s.severities.get(sev, 0), str(sev)) for sev in ("error", "warning", "info"))
    records = sum(s.records.values())
    verdict = "valid" if report.valid else "invalid"
    return f"{verdict}: {counts} in {_count(s.files, 'file')} ({_count(records, 'record')})"


def render_text(report: Report) -> str:
    lines = [finding_line(f) for f in report.findings]
    lines += [f"tool problem: {p.source}: {p.message}" for p in report.tool_problems]
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"
