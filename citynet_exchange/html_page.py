"""The frame of every HTML page citynet writes: the report and the web app's pages.

A page is one self-contained file: its style and script are inline, and its Content
Security Policy forbids loading anything else, so it works offline from file:// and a value
from the data that slipped through escaping could still fetch or run nothing.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path

_ASSETS = Path(__file__).resolve().parent / "assets"
POLICY = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
          "form-action 'self'; base-uri 'none'")


@cache
def asset(name: str) -> str:
    """An inline asset (`assets/page.css`, `assets/report.js`)."""
    return (_ASSETS / name).read_text(encoding="utf-8")


def esc(value: object) -> str:
    """Text for HTML content and quoted attribute values: the data is hostile."""
    return escape(str(value), quote=True)


def page(title: str, lang: str, body: str, script: str | None = None) -> str:
    """A whole page: the title and body given (HTML already escaped), the style inline."""
    inline_script = f"<script>{asset(script)}</script>\n" if script else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{asset('page.css')}</style>\n</head>\n<body>\n"
        f"{body}\n{inline_script}</body>\n</html>\n"
    )
