"""The commands of `citynet`; each parses its options, calls the API and prints."""

from __future__ import annotations

import gc
import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import Any

from typing import TYPE_CHECKING

import click

from citynet_exchange import __version__
from citynet_exchange.cli.exits import Exit
from citynet_exchange.errors import UsageError

if TYPE_CHECKING:
    from citynet_exchange.engine import Options
    from citynet_exchange.findings import Severity
    from citynet_exchange.formats import ReadOptions
    from citynet_exchange.limits import Limits
    from citynet_exchange.report import Report
    from citynet_exchange.report_figures import Overview

# What the options offer, named here so that `citynet --help` and `--version` import no more
# than click; a test holds them to the report renderers and severities they name.
REPORT_NAMES = ("text", "json", "sarif", "junit", "github", "markdown", "csv", "html")
SEVERITY_NAMES = ("error", "warning", "info")
LANGUAGE_NAMES = ("en", "de")


def _today(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date of the form YYYY-MM-DD") from None


def _base(_ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"(https?://[^\s<>\"{}|\\^`]+[/#]|urn:[a-z0-9][a-z0-9-]*:[^\s]*)", value):
        raise click.BadParameter(f"{value!r} is not an http(s) IRI ending in / or #, nor a URN ending in :")
    return value


def _standard_output(_ctx: click.Context, _param: click.Parameter, value: Path | None) -> Path | None:
    """`-o -` is standard output, as with most command-line tools (not a file named -)."""
    return None if value == Path("-") else value


def _reports(_ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> list[tuple[str, Path | None]]:
    """`--report FORMAT[:PATH]`, repeated; at most one goes to standard output."""
    reports: list[tuple[str, Path | None]] = []
    for value in values or ("text",):
        name, _, path = value.partition(":")
        if name not in REPORT_NAMES:
            raise click.BadParameter(f"{name!r} is not a report format; known: {', '.join(REPORT_NAMES)}")
        reports.append((name, Path(path) if path and path != "-" else None))
    if sum(1 for _name, path in reports if path is None) > 1:
        raise click.BadParameter("only one report can go to standard output; give the others a path (FORMAT:PATH)")
    return reports


def _options(debug: bool, select: tuple[str, ...], ignore: tuple[str, ...], today: date | None,
             limits: Limits) -> Options:
    from citynet_exchange.engine import Options, expand, selected_codes
    from citynet_exchange.plugins import default_host

    known = {info.code for info in default_host().catalogue()}
    chosen, unknown_selected = expand(selected_codes(select), known) if select else (None, [])
    ignored, unknown_ignored = expand(selected_codes(ignore), known)
    unknown = sorted({*unknown_selected, *unknown_ignored})
    if unknown:
        raise UsageError(f"unknown finding code(s) {', '.join(unknown)}; `citynet rules` lists them")
    return Options(select=chosen, ignore=ignored, today=today or date.today(), raise_errors=debug, limits=limits)


def _warn_tool_problems(report: Report) -> None:
    """Say on standard error that the verdict is incomplete; the report names each failure."""
    if report.tool_problems:
        sources = ", ".join(p.source for p in report.tool_problems)
        click.echo(f"citynet: the verdict is incomplete, these failed: {sources} (see the report; "
                   "CITYNET_PLUGINS=name,... loads only the plugins named)", err=True)


def _verdict(report: Report, fail_on: Severity) -> int:
    if report.tool_problems:
        return Exit.INTERNAL
    return Exit.FINDINGS if report.at_or_above(fail_on) else Exit.OK


def _write(text: str | bytes, output: Path | None) -> None:
    if output is None:
        if isinstance(text, bytes) and not hasattr(sys.stdout, "buffer"):  # a stream of text alone
            text = text.decode("utf-8")
        click.echo(text, nl=False)
    else:
        from citynet_exchange.outputs import write_atomically

        write_atomically(output, text)


def _json(data: Any) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


select_option = click.option("--select", multiple=True, metavar="CODE[,CODE]",
                             help="Report only these finding codes (repeatable).")
ignore_option = click.option("--ignore", multiple=True, metavar="CODE[,CODE]",
                             help="Do not report these finding codes (repeatable).")
today_option = click.option("--today", callback=_today, metavar="YYYY-MM-DD",
                            help="The date rules take as today, for repeatable results in CI.")
def read_options(command: Any) -> Any:
    """The options for reading inputs, shared by `validate`, `convert` and `stats`."""
    for decorator in reversed([
        click.option("--encoding", metavar="NAME", help="Text encoding of tables (default: detected; "
                     "UTF-8, UTF-16 with a byte-order mark, else Windows-1252)."),
        click.option("--delimiter", metavar="CHAR", help="Delimiter of CSV tables: a character, or tab, "
                     "comma, semicolon (default: detected from the header)."),
        click.option("--sheet", metavar="NAME", help="Worksheet of an XLSX workbook (default: the first visible)."),
        click.option("--mapping", type=click.Path(exists=True, dir_okay=False), metavar="FILE",
                     help="Column mapping (YAML) for reading any partnership table with the flat format."),
        click.option("--limit", "limit", multiple=True, metavar="NAME=VALUE",
                     help="Raise (or lower) a cap on what is read: input-bytes, unpacked-bytes, records, depth, "
                          "text-chars, e.g. --limit input-bytes=8GiB (repeatable)."),
    ]):
        command = decorator(command)
    return command


output_option = click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                             callback=_standard_output,
                             help="Write to this file (atomically) instead of standard output (-: standard output).")
strict_plugins_option = click.option(
    "--strict-plugins", is_flag=True,
    help="Stop (exit 3) before reading anything if a plugin failed to load, instead of going on without it.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="citynet", message="%(prog)s %(version)s (standard 1.0)")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors and failing rules.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Validate and convert town twinning data: towns, partnerships, city networks, memberships."""
    ctx.obj = debug


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_", metavar="NAME", help="Input format (an importer name); default: detected.")
@click.option("--report", "reports", multiple=True, callback=_reports, metavar="FORMAT[:PATH]",
              help=f"Report format ({', '.join(REPORT_NAMES)}); default text. Repeat it for several reports; "
                   "FORMAT:PATH writes one to a file, FORMAT alone to standard output (or -o).")
@output_option
@click.option("--fail-on", type=click.Choice(SEVERITY_NAMES),
              help="Exit 1 when a finding has this severity or a higher one (default: the configuration's, or error).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Configuration file (citynet.toml, or pyproject.toml with [tool.citynet]); default: the nearest "
                   "one from the working directory upwards.")
@select_option
@ignore_option
@today_option
@read_options
@click.option("--shacl", is_flag=True, help="Also check RDF input with the standard's SHACL shapes (pyshacl).")
@click.option("--separately", is_flag=True, help="Validate each file as a dataset of its own.")
@click.option("--lang", type=click.Choice(LANGUAGE_NAMES), default="en", show_default=True,
              help="Language of the HTML report (the other reports are for machines and CI, in English).")
@strict_plugins_option
@click.pass_obj
def validate(debug: bool, paths: tuple[Path, ...], format_: str | None, reports: list[tuple[str, Path | None]],
             output: Path | None, fail_on: str | None, config_path: Path | None,
             select: tuple[str, ...], ignore: tuple[str, ...], today: date | None,
             encoding: str | None, delimiter: str | None, sheet: str | None, mapping: str | None, limit: tuple[str, ...],
             shacl: bool, separately: bool, lang: str, strict_plugins: bool) -> int:
    """Validate dataset files and folders together as one dataset (a partnership in one file
    may name towns of another); every problem with its place, a code and a message."""
    from citynet_exchange import api
    from citynet_exchange import config as config_module
    from citynet_exchange.findings import Severity
    from citynet_exchange.formats import ReadOptions
    from citynet_exchange.outputs import refuse_inputs
    from citynet_exchange.plugins import default_host
    from citynet_exchange.excerpts import Sources, open_path
    from citynet_exchange.report_formats import REPORT_FORMATS, Settings

    from citynet_exchange.limits import parse_options

    config = config_module.load(config_path or config_module.find(Path.cwd()))
    options = _options(debug, select, ignore, today, parse_options(limit, config.caps()))
    config, unknown = config.expanded({info.code for info in default_host().catalogue()})
    if unknown:
        raise UsageError(f"{config.source}: unknown finding code(s) {', '.join(unknown)}; `citynet rules` lists them")
    if strict_plugins or config.strict_plugins:
        default_host().require_all()
    read = ReadOptions(encoding=encoding, delimiter=delimiter, sheet=sheet, mapping=mapping, shacl=shacl or None)
    report = api.validate(list(paths), format=format_, options=options, read=read, together=not separately,
                          wanted=config.wanted, reading=config.reading)
    report = report.with_findings(config.adjust(report.findings, options.select, set(options.ignore)))
    threshold = Severity(fail_on) if fail_on else config.fail_on or Severity.ERROR
    refuse_inputs([target for _name, path in reports if (target := path or output) is not None], report.inputs)
    settings = Settings(default_host().catalogue(), threshold, lang, Sources(open_path, read),
                        lambda checked: _overview(checked, format_, read))
    for name, path in reports:
        _write(REPORT_FORMATS[name](report, settings), path or output)
    _warn_tool_problems(report)
    return _verdict(report, threshold)


def _overview(report: Report, format_: str | None, read: ReadOptions) -> Overview:
    """The figures and map of the files validated, for the HTML report: each read again."""
    from citynet_exchange import api
    from citynet_exchange.report_figures import overview

    return overview(report, lambda name: api.load(name, format_, read=read))


@cli.command()
@click.argument("input_path", metavar="INPUT", type=click.Path(path_type=Path))
@click.option("--to", "to", required=True, metavar="NAME", help="Output format (an exporter name).")
@click.option("--from", "from_", metavar="NAME", help="Input format (an importer name); default: detected.")
@click.option("-o", "--output", type=click.Path(allow_dash=True, path_type=Path), callback=_standard_output,
              help="Write to this file (atomically) instead of standard output (-: standard output); a folder takes the tables of "
                   "a CSV package, a name ending in .xlsx a workbook.")
@click.option("--spreadsheet-safe", is_flag=True,
              help="Put an apostrophe before text cells that a spreadsheet program would run as a formula.")
@click.option("--base", callback=_base, metavar="IRI",
              help="RDF output: record IRIs start with this (default urn:citynet:), e.g. https://data.example.org/.")
@click.option("--allow-lossy", is_flag=True,
              help="Write the output even if the format cannot hold some values (each a conversion-loss, "
                   "then a warning); without it such a conversion writes nothing and exits 1.")
@today_option
@read_options
@strict_plugins_option
@click.pass_obj
def convert(debug: bool, input_path: Path, to: str, from_: str | None, output: Path | None,
            spreadsheet_safe: bool, base: str | None, allow_lossy: bool, today: date | None, encoding: str | None,
            delimiter: str | None, sheet: str | None, mapping: str | None, limit: tuple[str, ...],
            strict_plugins: bool) -> int:
    """Convert a dataset to another format; findings go to standard error. Nothing is written if
    the format cannot hold every value, unless --allow-lossy. With -o, a name ending in .xlsx
    writes a workbook, and a folder takes a CSV package's tables."""
    from citynet_exchange import api
    from citynet_exchange.findings import Severity
    from citynet_exchange.formats import ReadOptions, WriteOptions
    from citynet_exchange.plugins import default_host
    from citynet_exchange.report_text import render_text

    from citynet_exchange.limits import parse_options

    options = _options(debug, (), (), today, parse_options(limit))
    if strict_plugins:
        default_host().require_all()
    if output is None and sys.stdout.isatty() and api.exporter_for(default_host(), to).binary:
        raise UsageError(f"the {to} format is binary (a zip); name a file or folder with -o")
    workbook = output is not None and output.suffix.lower() == ".xlsx"
    read = ReadOptions(encoding=encoding, delimiter=delimiter, sheet=sheet, mapping=mapping)
    write = WriteOptions(workbook=workbook, spreadsheet_safe=spreadsheet_safe, base=base)
    result = api.convert(input_path, to, format=from_, output=output, options=options, read=read, write=write,
                         allow_lossy=allow_lossy)
    if output is None and result.output is not None:
        sys.stdout.buffer.write(result.output)
        sys.stdout.flush()
    if result.report.findings or result.report.tool_problems:
        click.echo(render_text(result.report), err=True, nl=False)
    if not result.written and result.lost:
        click.echo(f"citynet: nothing was written: the {to} format cannot hold all of {input_path} "
                   f"({result.lost} conversion-loss above); --allow-lossy writes it without those values", err=True)
    elif not result.written:
        click.echo(f"citynet: {input_path} could not be read; nothing was written", err=True)
    _warn_tool_problems(result.report)
    return _verdict(result.report, Severity.ERROR)


@cli.command()
@click.argument("paths", metavar="FILE...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "format_", metavar="NAME", help="Input format (an importer name); default: detected.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@read_options
@click.pass_obj
def stats(debug: bool, paths: tuple[Path, ...], format_: str | None, as_json: bool, encoding: str | None,
          delimiter: str | None, sheet: str | None, mapping: str | None, limit: tuple[str, ...]) -> int:
    """Print the figures of a dataset (the files together): towns, partnerships by kind, country
    and decade, the share with the Global South, memberships by network. Exit 1, with the
    places of the errors, when a file cannot be read."""
    from citynet_exchange import api
    from citynet_exchange.engine import Options, validate_documents
    from citynet_exchange.formats import ReadOptions
    from citynet_exchange.plugins import default_host
    from citynet_exchange.report_text import render_text
    from citynet_exchange.stats import UNREADABLE, count
    from citynet_exchange.stats_text import render_figures

    from citynet_exchange.limits import parse_options

    read = ReadOptions(encoding=encoding, delimiter=delimiter, sheet=sheet, mapping=mapping)
    limits = parse_options(limit)
    documents = [api.load(path, format_, read=read, limits=limits) for path in paths]
    figures = count(record for document in documents for record in document.records())
    unreadable = [d for d in documents if d.data is None or any(h.code in UNREADABLE for h in d.problems)]
    if unreadable:  # the figures of part of the data would mislead: say where it broke, as validate does
        report = validate_documents(unreadable, default_host(), Options(select=frozenset(UNREADABLE),
                                                                        raise_errors=debug))
        click.echo(render_text(report), err=True, nl=False)
        names = ", ".join(d.name for d in unreadable)
        click.echo(f"citynet: {names}: not all of the data could be read; no figures", err=True)
        return Exit.FINDINGS
    click.echo(_json(figures.to_json()) if as_json else render_figures(figures), nl=False)
    return Exit.OK


@cli.command()
@click.option("--format", "format_", default="flat", show_default=True, metavar="NAME",
              help="The table format to fill in (an exporter name: flat, cemr, csv ...).")
@click.option("--to", "to", type=click.Choice(["xlsx", "csv"]), default="xlsx", show_default=True,
              help="A workbook with drop-down lists and a notes sheet, or CSV with a notes row.")
@output_option
def template(format_: str, to: str, output: Path | None) -> int:
    """Write an empty table for municipalities to fill in; what comes back validates with the
    same format."""
    from citynet_exchange import api
    from citynet_exchange.outputs import write_atomically
    from citynet_exchange.plugins import default_host
    from citynet_exchange.tables.template import write_template

    exporter = api.exporter_for(default_host(), format_)
    sheets = exporter.template()
    if sheets is None:
        tables = sorted(name for name, e in default_host().exporters.items() if e.template() is not None)
        raise UsageError(f"the {format_} format is not a table; templates exist for: {', '.join(tables)}")
    payload = write_template(sheets, workbook=to == "xlsx")
    if output is not None:
        write_atomically(output, payload)
    elif to == "xlsx" and sys.stdout.isatty():
        raise UsageError("a workbook is binary; name a file with -o")
    else:
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
    return Exit.OK


@cli.command()
@click.argument("code", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the catalogue as JSON.")
def rules(code: str | None, as_json: bool) -> int:
    """List the rule catalogue: every finding code with its severity and title; with a CODE,
    that rule's whole documentation."""
    from citynet_exchange.plugins import default_host

    catalogue = default_host().catalogue()
    if code is not None:
        info = next((r for r in catalogue if r.code == code), None)
        if info is None:
            raise UsageError(f"unknown finding code {code!r}; `citynet rules` lists them")
        messages = "\n".join(f"  - {template}" for template in info.messages.values())
        click.echo(f"{info.code} ({info.severity}): {info.title}\n\n{info.explanation}\n\nMessages:\n{messages}")
        return Exit.OK
    if as_json:
        click.echo(_json([{"code": r.code, "severity": str(r.severity), "title": r.title,
                           "explanation": r.explanation} for r in catalogue]), nl=False)
        return Exit.OK
    width = max(len(r.code) for r in catalogue)
    for r in catalogue:
        click.echo(f"{r.code:<{width}}  {r.severity:<7}  {r.title}")
    return Exit.OK


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def plugins(as_json: bool) -> int:
    """List the plugins, their distributions and what each registered."""
    from citynet_exchange.plugins import default_host

    host = default_host()
    if as_json:
        click.echo(_json([{"name": p.name, "module": p.module, "distribution": p.distribution, "version": p.version,
                           "status": p.status, "error": p.error, "registered": p.registered}
                          for p in host.plugins]), nl=False)
        return Exit.OK
    for p in host.plugins:
        click.echo(f"{p.label}: {p.status}")
        for kind, names in p.registered.items():
            click.echo(f"    {kind}: {', '.join(names)}")
        if p.error:
            click.echo(f"    error: {p.error}")
    return Exit.OK


@cli.command()
@click.argument("which", type=click.Choice(["dataset", "report"]), default="dataset")
@output_option
def schema(which: str, output: Path | None) -> int:
    """Print or write the published JSON Schema of a dataset (or of the JSON report)."""
    from citynet_exchange.resources import DATASET_SCHEMA, REPORT_SCHEMA, schema_dir

    name = DATASET_SCHEMA if which == "dataset" else REPORT_SCHEMA
    _write((schema_dir() / name).read_text(encoding="utf-8"), output)
    return Exit.OK


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; the default answers this machine only.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port to listen on.")
@click.option("--max-upload-mb", default=20.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Largest upload of one request, all files together, in MB (larger: HTTP 413).")
@click.option("--max-files", default=10, show_default=True, type=click.IntRange(1), help="Most files in one upload.")
def serve(host: str, port: int, max_upload_mb: float, max_files: int) -> int:
    """Serve a local web app: upload files, read the HTML report, download them converted.
    Uploads are processed in a temporary folder and never kept."""
    import socket

    try:
        from citynet_exchange.web_app import Limits, serve as serve_app
    except ImportError as exc:
        raise UsageError(f"citynet serve needs {exc.name}: pip install 'citynet-exchange[serve]'") from None
    try:  # a port that is taken is the user's to change, not a failure of the server
        with socket.create_server((host, port)):
            pass
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    click.echo(f"citynet: serving on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    gc.enable()  # a server frees what each request leaves (`console` runs commands without the collector)
    serve_app(host, port, Limits(max_bytes=int(max_upload_mb * 1024 * 1024), max_files=max_files))
    return Exit.OK
