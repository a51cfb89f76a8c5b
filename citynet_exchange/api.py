"""The public Python API: load, validate and convert datasets.

The command line is a thin shell over these functions, so a registry's own application
can do everything `citynet` does without going through it. Problems in the data come
back as findings in a `Report`; a request that cannot be carried out (a missing file, an
unknown format) raises `UsageError`.
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any, BinaryIO

from citynet_exchange import read_ahead
from citynet_exchange.engine import Options, validate_documents
from citynet_exchange.equality import differences, same_dataset
from citynet_exchange.errors import PluginFailure, UsageError
from citynet_exchange.findings import Location, Severity
from citynet_exchange.formats import (
    Document, Exporter, FileLocator, Importer, Input, ReadOptions, WriteOptions, syntax_hit,
)
from citynet_exchange.limits import Limits, exceeded
from citynet_exchange.outputs import refuse_inputs, staged, write_all
from citynet_exchange.plugins import Host, default_host
from citynet_exchange.report import Report

__all__ = ["Conversion", "Document", "Options", "ReadOptions", "Report", "UsageError", "WriteOptions", "convert",
           "differences", "load", "same_dataset", "validate", "validate_data"]

Source = str | os.PathLike[str] | bytes | IO[bytes]


def load(
    source: Source, format: str | None = None, *, name: str | None = None, host: Host | None = None,
    read: ReadOptions = ReadOptions(), limits: Limits = Limits(),
) -> Document:
    """Read a dataset from a path (a file, or a folder holding a CSV package), bytes or a
    binary stream, in the named or detected format.

    Syntax errors do not raise: they are in `Document.problems` with their place, and so is
    an input past the `limits`, which is then not read. An option the format does not take
    (`--sheet` for JSON, say) is a `UsageError`.
    """
    host = host or default_host()
    data_in = replace(_read(source, name, read), limits=limits)
    size = data_in.path.stat().st_size if data_in.path is not None else len(data_in.content or b"")
    if size > limits.input_bytes:
        hit = exceeded("input_bytes", limits.input_bytes, f"the file of {size:,} bytes (it was not read)",
                       location=Location(file=data_in.name))
        return Document(data_in.name, format or "unknown", None, FileLocator(data_in.name), [hit])
    importer = _importer(host, data_in, format)
    unusable = [o for o in read.given() if o not in importer.options]
    if unusable:
        raise UsageError(f"{data_in.name}: the {importer.name} format takes no "
                         f"{', '.join('--' + o for o in unusable)}")
    try:
        return importer.load(data_in)
    except UsageError:
        raise
    except Exception as exc:  # a bug of the importer, not a problem of the data
        raise PluginFailure(f"the {importer.name} importer of {host.owner('importers', importer.name)} failed on "
                            f"{data_in.name}: {type(exc).__name__}: {exc} (rerun with --debug)") from exc


def validate(
    paths: Source | Sequence[Source], *, format: str | None = None, options: Options | None = None,
    host: Host | None = None, read: ReadOptions = ReadOptions(), together: bool = True,
    wanted: Callable[[str], bool] = lambda _path: True,
    reading: Callable[[str, str | None, ReadOptions], tuple[str | None, ReadOptions]] | None = None,
) -> Report:
    """Validate files into one report: all of them as one dataset (a partnership in one file
    may name towns of another), or with `together=False` each as a dataset of its own. A
    folder is read as a CSV package if it holds one, else every file in it (and below) that
    a loaded format reads by its name and `wanted` accepts (the configuration's include and
    exclude globs)."""
    host = host or default_host()
    sources = [paths] if isinstance(paths, (str, bytes, os.PathLike)) or hasattr(paths, "read") else paths
    expanded = [(f, f is not s)  # (source, whether it was found in a folder)
                for s in sources for f in _files(s, host, format, wanted)]  # type: ignore[union-attr]
    def how(source: Source) -> tuple[str | None, ReadOptions]:  # per-file settings (the configuration's)
        if reading is None or not isinstance(source, (str, os.PathLike)):
            return format, read
        return reading(os.fspath(source), format, read)

    documents = []
    try:
        for source, walked in expanded:
            source_format, source_read = how(source)
            try:
                document = load(source, source_format, host=host, read=source_read,
                                limits=(options or Options()).limits)
            except UsageError as exc:
                if not walked:  # a file named on the command line that cannot be read is the user's to fix
                    raise
                name = os.fspath(source)  # a file found in a folder: a finding, and the others still count
                problem = str(exc).removeprefix(f"{name}: ")
                hit = syntax_hit(name, None, None, problem)
                document = Document(name, "unknown", None, FileLocator(name), [hit])
            documents.append(read_ahead.ahead(document) if read_ahead.wanted(document, _size(source)) else document)
        return validate_documents(documents, host, options or Options(), together=together)
    finally:
        for document in documents:
            read_ahead.close(document)


def _size(source: Source) -> int:
    """The bytes of a file or folder named by its path (0 for other sources)."""
    if not isinstance(source, (str, os.PathLike)):
        return 0
    path = Path(source)
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir() if p.is_file())
    return path.stat().st_size if path.is_file() else 0


def _files(source: Source, host: Host, format: str | None, wanted: Callable[[str], bool]) -> list[Source]:
    """A folder that is no CSV package, as the files in it that a loaded format reads."""
    if not isinstance(source, (str, os.PathLike)) or not Path(source).is_dir():
        return [source]
    folder = Path(source)
    # Whether the folder is a package shows in its file names: read no file for it.
    names = Input(os.fspath(source), b"", ReadOptions(), {f.name: b"" for f in folder.iterdir() if f.is_file()})
    if format is not None or any(i.folders and i.sniff(names) for i in host.importers.values()):
        return [source]
    suffixes = {s for importer in host.importers.values() for s in importer.extensions}
    found = sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
                   and not any(part.startswith(".") for part in p.relative_to(folder).parts)
                   and wanted(os.fspath(p)))
    if not found:
        raise UsageError(f"{source}: is a folder that holds no file a loaded format reads")
    return [os.fspath(p) for p in found]


def validate_data(
    data: Mapping[str, Any], *, name: str = "<data>", options: Options | None = None, host: Host | None = None
) -> Report:
    """Validate a dataset already in memory (plain JSON-like data); locations carry pointers only."""
    document = Document(name, "data", data, FileLocator(name))
    return validate_documents([document], host or default_host(), options or Options())


@dataclass
class Conversion:
    """What `convert` did: the report (the input's findings and the values the output could
    not carry, code `conversion-loss`), the bytes written, how many values the output format
    could not hold, and whether anything was written: not when the input could not be read,
    nor when the conversion would lose values (`lost`) and was not allowed to. A format that
    streams writes to a file as it reads, and `output` is then None: the bytes were never held."""

    report: Report
    output: bytes | None
    lost: int = 0
    written: bool = False


def convert(
    source: Source, to: str, *, format: str | None = None, output: str | os.PathLike[str] | IO[bytes] | None = None,
    options: Options | None = None, host: Host | None = None, read: ReadOptions = ReadOptions(),
    write: WriteOptions | None = None, allow_lossy: bool = False,
) -> Conversion:
    """Read, validate and write a dataset in another format.

    The output is written even when the input has findings, so that a user can fix the
    data in the format they prefer; to a path it is written atomically, and never over the
    input. Nothing is written when the input could not be read at all, nor when the format
    cannot hold some of its values (each a `conversion-loss` error), unless `allow_lossy`:
    then it is written without them, and each loss is a warning. Written to a path ending in
    `.xlsx`, a format that can be a workbook is one; a zip output (a CSV package) written to
    a folder is unpacked into it.
    """
    host = host or default_host()
    exporter = exporter_for(host, to)
    if write is None:
        workbook = isinstance(output, (str, os.PathLike)) and Path(output).suffix.lower() == ".xlsx"
        write = WriteOptions(workbook=workbook)
    unusable = [o for o in write.given() if o not in exporter.options]
    if unusable:
        names = {"workbook": "a workbook (.xlsx)", "spreadsheet_safe": "--spreadsheet-safe", "base": "--base"}
        raise UsageError(f"the {exporter.name} format cannot take {', '.join(names[o] for o in unusable)}")
    document = load(source, format, host=host, read=read, limits=(options or Options()).limits)
    payload: bytes | None = None
    if document.data is not None and exporter.streams and isinstance(output, (str, os.PathLike)) \
            and not Path(output).is_dir():
        if isinstance(source, (str, os.PathLike)):
            refuse_inputs([Path(output)], [source])
        with staged(Path(output)) as (out, keep):
            _dump(host, exporter, document, write, out)
            if _permitted(document, allow_lossy):
                keep()
    elif document.data is not None:
        buffer = io.BytesIO()
        _dump(host, exporter, document, write, buffer)
        payload = buffer.getvalue() if _permitted(document, allow_lossy) else None
        if payload is not None and isinstance(output, (str, os.PathLike)):
            _write_output(Path(output), payload, source)
        elif payload is not None and output is not None:
            output.write(payload)
    written = document.data is not None and _permitted(document, allow_lossy)
    report = validate_documents([document], host, options or Options())
    if allow_lossy:  # the caller accepted the losses: still said, no longer failing
        report = report.with_findings(replace(f, severity=Severity.WARNING) if f.code == "conversion-loss" else f
                                      for f in report.findings)
    return Conversion(report, payload, len(document.losses), written)


def _permitted(document: Document, allow_lossy: bool) -> bool:
    """Whether a written document may be kept: values the format cannot hold are findings placed
    in the input like any other, and with them nothing is written unless the caller allows it."""
    return not document.losses or allow_lossy


def _dump(host: Host, exporter: Exporter, document: Document, write: WriteOptions, out: BinaryIO) -> None:
    """Write the document, its losses noted in it; a failing exporter is its plugin's failure,
    named as such. A streamed document is written record by record where the format can."""
    try:
        if exporter.streams and document.stream is not None:
            document.losses = exporter.dump_records(document.header(), document.records(), out, write)
        else:
            document.losses = exporter.dump(document.whole(), out, write)
    except Exception as exc:
        raise PluginFailure(f"the {exporter.name} exporter of {host.owner('exporters', exporter.name)} failed: "
                            f"{type(exc).__name__}: {exc} (rerun with --debug)") from exc


def _write_output(path: Path, payload: bytes, source: Source) -> None:
    """The output file, or the tables of a zip unpacked into a folder (all of them or none;
    their names are the exporter's own), none of them over the input."""
    files = {path: payload}
    if path.is_dir():
        try:
            archive = zipfile.ZipFile(io.BytesIO(payload))
        except zipfile.BadZipFile:
            raise UsageError(f"{path}: is a folder; this format is one file, name a file") from None
        files = {path / Path(member).name: archive.read(member) for member in archive.namelist()}
    if isinstance(source, (str, os.PathLike)):
        refuse_inputs(files, [source])
    write_all(files)


def exporter_for(host: Host, name: str) -> Exporter:
    try:
        return host.exporters[name]
    except KeyError:
        raise UsageError(f"unknown output format {name!r}; known: {', '.join(sorted(host.exporters))}") from None


def _read(source: Source, name: str | None, read: ReadOptions) -> Input:
    if isinstance(source, bytes):
        return Input(name or "<bytes>", source, read)
    if hasattr(source, "read"):
        return Input(name or getattr(source, "name", "<stream>"), source.read(), read)  # type: ignore[union-attr]
    path = Path(source)  # type: ignore[arg-type]
    label = name or os.fspath(source)
    if path.is_dir():
        return Input(label, b"", read, _folder(path, label))
    try:
        with path.open("rb"):  # can be read: the format reads it when it needs to
            return Input(label, None, read, path=path)
    except FileNotFoundError:
        raise UsageError(f"{label}: no such file") from None
    except OSError as exc:
        raise UsageError(f"{label}: cannot read: {exc.strerror or exc}") from None


def _folder(path: Path, label: str) -> dict[str, bytes]:
    """The files directly in a folder, by name (a CSV package is one folder of tables)."""
    try:
        return {f.name: f.read_bytes() for f in sorted(path.iterdir()) if f.is_file() and not f.name.startswith(".")}
    except OSError as exc:
        raise UsageError(f"{label}: cannot read: {exc.strerror or exc}") from None


def _importer(host: Host, source: Input, format: str | None) -> Importer:
    if format is not None:
        try:
            importer = host.importers[format]
        except KeyError:
            known = ", ".join(sorted(host.importers)) or "none (no importer plugin is loaded)"
            raise UsageError(f"unknown input format {format!r}; known: {known}") from None
        if source.members is not None and not importer.folders:
            raise UsageError(f"{source.name}: is a folder, and the {format} format reads files; name the files")
        return importer
    if source.members is not None:
        readers = [i for i in host.importers.values() if i.folders and i.sniff(source)]
        if readers:
            return readers[0]
        raise UsageError(f"{source.name}: is a folder that holds no dataset a loaded format can read; "
                         "name the files to read")
    # An importer that cannot take the options given (a mapping, a sheet) is no candidate,
    # unless none can: then the file's own format says which option it does not take.
    suffix = Path(source.name).suffix.lower()
    able = [i for i in host.importers.values() if set(source.options.given()) <= i.options]
    named = [i for i in host.importers.values() if suffix and suffix in i.extensions]
    by_extension = [i for i in named if i in able] or (named if len(named) == 1 else [])
    if len(by_extension) == 1:
        return by_extension[0]
    sniffed = [i for i in (by_extension or able or host.importers.values()) if i.sniff(source)]
    if sniffed:
        return sniffed[0]
    raise UsageError(
        f"{source.name}: cannot tell the format from its name or content; name it with --format "
        f"({', '.join(sorted(host.importers)) or 'no importer plugin is loaded'})"
    )
