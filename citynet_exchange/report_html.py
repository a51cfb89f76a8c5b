"""The HTML report: one self-contained page for the people at associations and offices.

A summary (counts by severity, code and file), then the findings grouped by file and by
record, each with its place, its message in the page's language, the offending values in
context (`excerpts`) and a link to its rule's explanation; a small inline script filters by
severity and code, and the page reads whole without it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from itertools import groupby
from typing import TYPE_CHECKING

from citynet_exchange import STANDARD_VERSION, __version__
from citynet_exchange.excerpts import LIMIT, Excerpt, Lines, TableRow
from citynet_exchange.findings import Finding, Location, RecordRef, Severity
from citynet_exchange.html_page import esc, page
from citynet_exchange.i18n import Catalogue, catalogue
from citynet_exchange.report import Report
from citynet_exchange.rules import RuleInfo

if TYPE_CHECKING:
    from citynet_exchange.report_figures import Overview

SEVERITIES = tuple(s.value for s in Severity)


def render_html(report: Report, rules: Sequence[RuleInfo], lang: str, excerpts: Mapping[int, Excerpt],
                overview: Overview | None = None) -> str:
    """The report page in a language of `i18n.LANGUAGES`; `excerpts` by index of the finding,
    `overview` the dataset's figures and map (none: the page has no figures section)."""
    words = catalogue(lang)
    by_code = {rule.code: rule for rule in rules}
    figures = ""
    if overview is not None:
        from citynet_exchange.report_figures import render_overview  # the map's outlines only when asked for

        figures = render_overview(overview, words)
    body = "\n".join([
        f"<header><h1>{esc(words.text('report_title'))}</h1>",
        _verdict(report, words),
        f"<p class=\"mono\">{', '.join(esc(name) for name in report.inputs)}</p></header>",
        _summary(report, words, by_code),
        figures,
        _findings(report, words, by_code, excerpts),
        _explanations(report, words, by_code),
        f"<footer>{esc(words.text('generated', tool='citynet-exchange', version=__version__, standard=STANDARD_VERSION))}"
        "</footer>",
    ])
    return page(words.text("report_title"), lang, body, script="report.js")


def _verdict(report: Report, words: Catalogue) -> str:
    verdict = "valid" if report.valid else "invalid"
    counts = [(f"{s}s", report.summary.severities.get(s, 0)) for s in SEVERITIES]
    counts += [("files", report.summary.files), ("records", sum(report.summary.records.values()))]
    shown = " · ".join(f"{esc(words.text(key))}: {n}" for key, n in counts)
    text = f'<p class="verdict {verdict}">{esc(words.text(verdict))} — {shown}</p>'
    if report.tool_problems:
        problems = "".join(f"<li>{esc(p.source)}: {esc(p.message)}</li>" for p in report.tool_problems)
        text += f'<p class="problem">{esc(words.text("incomplete"))}</p><ul>{problems}</ul>'
    return text


def _table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A table whose cells are HTML already."""
    header = "".join(f"<th>{cell}</th>" for cell in head)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>"


def _summary(report: Report, words: Catalogue, rules: Mapping[str, RuleInfo]) -> str:
    findings = report.findings
    severities = [[_badge(s, words), str(report.summary.severities.get(s, 0))] for s in SEVERITIES]
    codes = Counter(f.code for f in findings)
    severity_of = {f.code: str(f.severity) for f in findings}
    code_rows = [[f'<a href="#rule-{esc(code)}" data-code="{esc(code)}"><code>{esc(code)}</code></a>',
                  _badge(severity_of[code], words), esc(words.title(rules[code]) if code in rules else ""), str(n)]
                 for code, n in sorted(codes.items(), key=lambda item: (-item[1], item[0]))]
    files = Counter((f.location.file or "<input>", str(f.severity)) for f in findings)
    names = sorted({name for name, _s in files})
    file_rows = [[f'<span class="mono">{esc(name)}</span>', *(str(files[(name, s)]) for s in SEVERITIES)]
                 for name in names]
    return "\n".join([
        f'<section id="summary"><h2>{esc(words.text("summary"))}</h2><div class="tables">',
        f"<div><h3>{esc(words.text('by_severity'))}</h3>"
        f"{_table([esc(words.text('severity')), esc(words.text('count'))], severities)}</div>",
        f"<div><h3>{esc(words.text('by_file'))}</h3>"
        f"{_table([esc(words.text('file')), *(_badge(s, words) for s in SEVERITIES)], file_rows)}</div>"
        if file_rows else "",
        "</div>",
        f"<h3>{esc(words.text('by_code'))}</h3>"
        f"{_table([esc(words.text(k)) for k in ('code', 'severity', 'rule', 'count')], code_rows)}"
        if code_rows else "",
        "</section>",
    ])


def _badge(severity: str, words: Catalogue) -> str:
    return f'<span class="badge {esc(severity)}">{esc(words.text(severity))}</span>'


def _filters(report: Report, words: Catalogue) -> str:
    """The filter form, hidden until the script shows it (it does nothing without the script)."""
    boxes = "".join(f'<label><input type="checkbox" name="severity" value="{s}" checked> {_badge(s, words)} '
                    f"({report.summary.severities.get(s, 0)})</label>" for s in SEVERITIES)
    codes = sorted({f.code for f in report.findings})
    options = "".join(f'<option value="{esc(c)}">{esc(c)}</option>' for c in codes)
    template = esc(words.text("shown", shown="{shown}", total="{total}"))
    return (f'<form id="filters" hidden><strong>{esc(words.text("filter"))}:</strong> {boxes}'
            f'<label>{esc(words.text("code"))} <select name="code"><option value="">{esc(words.text("show_all"))}'
            f'</option>{options}</select></label></form>'
            f'<p id="shown" class="note" aria-live="polite" data-template="{template}"></p>')


def _findings(report: Report, words: Catalogue, rules: Mapping[str, RuleInfo], excerpts: Mapping[int, Excerpt]) -> str:
    parts = [f'<section id="findings"><h2>{esc(words.text("findings"))}</h2>']
    if not report.findings:
        parts.append(f"<p>{esc(words.text('no_findings'))}</p></section>")
        return "\n".join(parts)
    parts.append(_filters(report, words))
    if len(excerpts) >= LIMIT:
        parts.append(f'<p class="note">{esc(words.text("context_limited", limit=LIMIT))}</p>')
    numbered = list(enumerate(report.findings))
    for name, in_file in groupby(numbered, key=lambda item: item[1].location.file or "<input>"):
        parts.append(f'<section class="group file"><h3 class="mono">{esc(name)}</h3>')
        for record, in_record in _by_record(list(in_file)):
            heading = (f"{esc(words.text('record'))}: {esc(record.kind)} <code>{esc(record.id or '—')}</code>"
                       if record else esc(words.text("no_record")))
            parts.append(f'<section class="group record"><h4>{heading}</h4>')
            parts.extend(_finding(f, words, rules, excerpts.get(i)) for i, f in in_record)
            parts.append("</section>")
        parts.append("</section>")
    parts.append("</section>")
    return "\n".join(parts)


def _by_record(items: list[tuple[int, Finding]]) -> Iterator[tuple[RecordRef | None, list[tuple[int, Finding]]]]:
    """A file's findings by record, the records in the order of their first finding."""
    groups: dict[RecordRef | None, list[tuple[int, Finding]]] = {}
    for item in items:
        groups.setdefault(item[1].record, []).append(item)
    yield from groups.items()


def _finding(finding: Finding, words: Catalogue, rules: Mapping[str, RuleInfo], excerpt: Excerpt | None) -> str:
    severity = str(finding.severity)
    rule = rules.get(finding.code)
    title = f' · <a href="#rule-{esc(finding.code)}">{esc(words.title(rule))}</a>' if rule else ""
    related = "".join(f'<p class="related">{esc(words.text("see_also"))}: <span class="mono">'
                      f"{esc(r.file or '')}</span> {esc(_place(r, words))}</p>" for r in finding.related)
    return (f'<article class="finding {esc(severity)}" data-severity="{esc(severity)}" data-code="{esc(finding.code)}">'
            f"<p>{_badge(severity, words)} <code>{esc(finding.code)}</code> {esc(words.message(finding))}</p>"
            f'<p class="place">{esc(_place(finding.location, words))}{title}</p>'
            f"{_excerpt(excerpt) if excerpt else ''}{related}</article>")


def _place(location: Location, words: Catalogue) -> str:
    """The coordinates a location has, in the page's words: a table's row and field rather
    than the line of a CSV file (where quoted line breaks make them differ)."""
    keys = ("row", "field", "sheet", "cell") if location.row is not None else ("line", "column")
    named = [(key, getattr(location, key)) for key in (*keys, "subject", "pointer")]
    return " · ".join(f"{words.text(key)} {value}" for key, value in named if value is not None)


def _excerpt(excerpt: Excerpt) -> str:
    if isinstance(excerpt, Lines):
        return _lines(excerpt)
    return _row(excerpt)


def _lines(excerpt: Lines) -> str:
    shown = []
    for number, text in excerpt.lines:
        line = f'<span class="ln">{number} </span>{esc(text)}'
        if number == excerpt.line:
            line = f'<span class="hit">{line}</span>'
            if excerpt.column is not None:
                line += f'\n<span class="ln"></span><span class="caret">{" " * (excerpt.column - 1)}^</span>'
        shown.append(line)
    return f'<pre class="excerpt">{chr(10).join(shown)}</pre>'


def _row(excerpt: TableRow) -> str:
    width = max(len(excerpt.header), len(excerpt.cells))
    header = [*excerpt.header, *([""] * (width - len(excerpt.header)))]
    cells = [*excerpt.cells, *([""] * (width - len(excerpt.cells)))]
    field = (excerpt.field or "").strip().casefold()
    hit = {i for i, name in enumerate(header) if field and name.strip().casefold() == field}
    head = "".join(f'<th{" class=hit" if i in hit else ""}>{esc(name)}</th>' for i, name in enumerate(header))
    row = "".join(f'<td{" class=hit" if i in hit else ""}>{esc(cell)}</td>' for i, cell in enumerate(cells))
    return (f'<table class="row"><thead><tr><th>#</th>{head}</tr></thead>'
            f"<tbody><tr><th>{excerpt.row}</th>{row}</tr></tbody></table>")


def _explanations(report: Report, words: Catalogue, rules: Mapping[str, RuleInfo]) -> str:
    """The explanation of each rule that found something, once (the findings link to it)."""
    codes = sorted({f.code for f in report.findings if f.code in rules})
    if not codes:
        return ""
    parts = [f'<section id="rules"><h2>{esc(words.text("explanation"))}</h2>']
    for code in codes:
        rule = rules[code]
        explanation, lang = words.explanation(rule)
        parts.append(f'<section id="rule-{esc(code)}"><h3><code>{esc(code)}</code>: {esc(words.title(rule))}</h3>'
                     f'<p lang="{lang}">{esc(explanation)}</p></section>')
    parts.append("</section>")
    return "\n".join(parts)
