"""Cell texts: lists in one cell, and text made safe for spreadsheet programs.

A spreadsheet program runs a cell that starts with `=`, `+`, `-` or `@` as a formula
("CSV injection"). A spreadsheet-safe export puts an apostrophe before such text (not
before numbers); the importers take one apostrophe off again, so the round trip is exact.
To keep it exact, text that already starts with apostrophes before such a character gets
one more apostrophe in every export, and so does text starting with `#` (importers take a
row whose first cell starts with `#` for a comment).
"""

from __future__ import annotations

import re

_RISKY = re.compile(r"'*[=+\-@]")
_ESCAPED = re.compile(r"'+[=+\-@#]")
_COMMENT = re.compile(r"'*#")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
LIST_SEPARATOR = ";"


def escape(text: str, spreadsheet_safe: bool) -> str:
    """The text as a cell: apostrophe-prefixed where `unescape` would otherwise change it,
    and, when `spreadsheet_safe`, wherever a spreadsheet program would run it."""
    if _ESCAPED.match(text) or _COMMENT.match(text) or (
        spreadsheet_safe and _RISKY.match(text) and not _NUMBER.fullmatch(text)
    ):
        return "'" + text
    return text


def unescape(cell: str) -> str:
    return cell[1:] if _ESCAPED.match(cell) else cell


def unescaped(cells: list[str]) -> list[str]:
    """A row's cells unescaped; only a cell starting with an apostrophe can be escaped, and
    looking for that first spares the pattern for the millions of cells of a big table."""
    return [unescape(c) if c[:1] == "'" else c for c in cells]


def split_list(cell: str) -> list[str]:
    """A `;`-separated cell as its values; blanks between separators are dropped."""
    return [part.strip() for part in cell.split(LIST_SEPARATOR) if part.strip()]


def join_list(values: list[str]) -> str:
    return f"{LIST_SEPARATOR} ".join(values)
