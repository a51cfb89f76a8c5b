"""`citynet serve`: the validator as a small local web app (Starlette), for people who would
rather upload files than type commands.

Uploads are limited in size and number (413 beyond), written to a temporary folder that is
removed when the answer is ready, and never kept; the pages load nothing from elsewhere.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.errors import UsageError
from citynet_exchange.excerpts import Sources, excerpts, open_path
from citynet_exchange.findings import Location
from citynet_exchange.formats import ReadOptions
from citynet_exchange.html_page import POLICY
from citynet_exchange.i18n import LANGUAGES, catalogue, negotiate
from citynet_exchange.plugins import Host, default_host
from citynet_exchange.report import Report
from citynet_exchange.report_figures import overview
from citynet_exchange.report_html import render_html
from citynet_exchange.web_pages import error_page, upload_form

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_HEADERS = {"Content-Security-Policy": POLICY, "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store"}


@dataclass(frozen=True)
class Limits:
    """How much one request may upload."""

    max_bytes: int = 20 * 1024 * 1024
    max_files: int = 10

    @property
    def megabytes(self) -> float:
        return round(self.max_bytes / (1024 * 1024), 2)


class TooLarge(Exception):
    """The request body is larger than the limit."""


class _BodyLimit:
    """ASGI middleware: a request body past the limit raises `TooLarge` while it is read,
    whatever its Content-Length says (or whether it says anything). The rest of the body is
    read and dropped first (up to `DRAIN` bytes), so that a browser still sending sees the
    answer instead of a connection closed on it."""

    DRAIN = 256 * 1024 * 1024

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                while message.get("more_body") and received < self.max_bytes + self.DRAIN:
                    message = await receive()
                    received += len(message.get("body", b""))
                raise TooLarge
            return message

        await self.app(scope, limited, send)


def _html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=_HEADERS)


def _lang(request: Request, form: FormData | None = None) -> str:
    """The language asked for (the form's or the query's), else the browser's."""
    asked = (form.get("lang") if form is not None else None) or request.query_params.get("lang")
    return asked if asked in LANGUAGES else negotiate(request.headers.get("accept-language"))


def _name(upload: UploadFile, taken: set[str]) -> str:
    """A safe file name for an upload in the temporary folder: its own name's last part, its
    letters kept, unique among the request's files."""
    base = re.sub(r"[^\w.\- ]", "_", Path(upload.filename or "").name).lstrip(". ") or "upload"
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{Path(base).stem}-{number}{Path(base).suffix}"
    taken.add(name)
    return name


def _relabel(report: Report, folder: Path) -> Report:
    """The report with the files named as they were uploaded, not by their temporary path."""
    prefix = f"{folder}{os.sep}"

    def place(location: Location) -> Location:
        return replace(location, file=location.file.removeprefix(prefix)) if location.file else location

    findings = [replace(f, location=place(f.location), related=[place(r) for r in f.related],
                        message=f.message.replace(prefix, "")) for f in report.findings]
    return replace(report, findings=findings, inputs=[name.removeprefix(prefix) for name in report.inputs])


def _format(form: FormData) -> str | None:
    """The input format chosen in the form; None: detect it."""
    chosen = form.get("format")
    return chosen if isinstance(chosen, str) and chosen else None


def _read_options(form: FormData) -> ReadOptions:
    def given(key: str) -> str | None:
        value = form.get(key)
        return value.strip() or None if isinstance(value, str) else None

    return ReadOptions(encoding=given("encoding"), delimiter=given("delimiter"), sheet=given("sheet"))


def create_app(limits: Limits = Limits(), host: Host | None = None) -> ASGIApp:
    """The web app; `host` gives the plugins (default: the installed ones)."""
    plugins = host or default_host()

    async def home(request: Request) -> Response:
        lang = _lang(request)
        return _html(upload_form(lang, sorted(plugins.importers), sorted(plugins.exporters), limits.max_files,
                                 limits.megabytes))

    async def receive_files(request: Request, work: Callable[[FormData, list[Path], Path, str], Response]) -> Response:
        """Read the upload into a temporary folder, let `work` answer, remove the folder."""
        lang = _lang(request)
        words = catalogue(lang)
        try:
            form = await request.form(max_files=limits.max_files + 1, max_fields=20)
        except TooLarge:
            return _html(error_page(lang, words.text("app_too_large", megabytes=f"{limits.megabytes:g}")), 413)
        try:
            lang = _lang(request, form)
            words = catalogue(lang)
            uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
            if not uploads:
                return _html(error_page(lang, words.text("app_no_files")), 400)
            if len(uploads) > limits.max_files:
                return _html(error_page(lang, words.text("app_too_many", files=limits.max_files)), 413)
            with tempfile.TemporaryDirectory(prefix="citynet-serve-") as tmp:
                folder = Path(tmp)
                taken: set[str] = set()
                paths = []
                for upload in uploads:
                    path = folder / _name(upload, taken)
                    with path.open("wb") as out:
                        await run_in_threadpool(shutil.copyfileobj, upload.file, out)
                    paths.append(path)
                try:
                    return await run_in_threadpool(work, form, paths, folder, lang)
                except UsageError as exc:
                    return _html(error_page(lang, str(exc).replace(f"{folder}{os.sep}", "")), 400)
        finally:
            await form.close()

    def report_page(form: FormData, paths: list[Path], folder: Path, lang: str) -> Response:
        read = _read_options(form)
        report = api.validate([os.fspath(p) for p in paths], format=_format(form), options=Options(today=date.today()),
                              host=plugins, read=read)
        view = overview(report, lambda name: api.load(name, _format(form), host=plugins, read=read))
        report = _relabel(report, folder)
        sources = Sources(lambda name: open_path(os.fspath(folder / name)), read)
        return _html(render_html(report, plugins.catalogue(), lang, excerpts(report.findings, sources), view))

    def converted(form: FormData, paths: list[Path], folder: Path, lang: str) -> Response:
        if len(paths) != 1:
            return _html(error_page(lang, catalogue(lang).text("app_one_file", count=len(paths))), 400)
        target = str(form.get("to") or "")
        exporter = api.exporter_for(plugins, target)
        result = api.convert(paths[0], target, format=_format(form), options=Options(today=date.today()),
                             host=plugins, read=_read_options(form))
        if result.output is None:  # the findings say why: a syntax error, an unreadable table
            words = catalogue(lang)
            why = "; ".join(words.message(f) for f in _relabel(result.report, folder).findings if f.severity == "error")
            return _html(error_page(lang, f"{words.text('app_unreadable')} {why}"), 422)
        name = f"{paths[0].stem}{exporter.extension}"
        return Response(result.output, media_type="application/octet-stream",
                        headers={**_HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    async def validate(request: Request) -> Response:
        return await receive_files(request, report_page)

    async def convert(request: Request) -> Response:
        return await receive_files(request, converted)

    app = Starlette(routes=[Route("/", home), Route("/validate", validate, methods=["POST"]),
                            Route("/convert", convert, methods=["POST"])])
    return _BodyLimit(app, limits.max_bytes)


def serve(host: str, port: int, limits: Limits) -> None:
    """Serve the app with uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(limits), host=host, port=port, log_level="warning", server_header=False,
                proxy_headers=False)
