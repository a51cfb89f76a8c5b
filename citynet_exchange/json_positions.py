"""Line and column of every value and key of a JSON text, and the keys given twice.

`json.loads` keeps the last of two equal keys without a word; the standard makes that a
`duplicate-key` finding, which needs the place of the second key. One walk over text
that `json.loads` has already accepted gives both the positions and the duplicates. The JSON
and JSON Lines readers share it (a JSON Lines line is a JSON text of its own).
"""

from __future__ import annotations

import bisect
import re
from json.decoder import scanstring
from json.scanner import NUMBER_RE
from typing import Any

from citynet_exchange.findings import pointer_token
from citynet_exchange.formats import Position

Positions = dict[str, tuple[Position, Position | None]]
_SPACE = " \t\n\r"
_WORD = re.compile(r"[^\s,\]}]{1,9}")


class NotJson(ValueError):
    """A value Python's reader takes but JSON lacks (NaN, Infinity), at its place."""

    def __init__(self, word: str, position: Position):
        super().__init__(word)
        self.word, self.position = word, position


class Constant(ValueError):
    """NaN or Infinity, which Python's reader takes and JSON lacks (`walk` tells where)."""


def reject_constant(word: str) -> Any:
    """For `json.loads(parse_constant=...)`: JSON has no NaN or Infinity."""
    raise Constant(word)


class _Walker:
    def __init__(self, text: str):
        self.text = text
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        self.positions: Positions = {}
        self.duplicates: list[tuple[str, str, Position]] = []  # (object pointer, key, key position)

    def pos(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def skip(self, i: int) -> int:
        while i < len(self.text) and self.text[i] in _SPACE:
            i += 1
        return i

    def value(self, i: int, pointer: str, key: Position | None) -> int:
        i = self.skip(i)
        self.positions[pointer] = (self.pos(i), key)
        ch = self.text[i]
        if ch == "{":
            return self.object(i + 1, pointer)
        if ch == "[":
            return self.array(i + 1, pointer)
        if ch == '"':
            return scanstring(self.text, i + 1)[1]
        match = NUMBER_RE.match(self.text, i)
        if match:
            return match.end()
        for word in ("true", "false", "null"):
            if self.text.startswith(word, i):
                return i + len(word)
        raise NotJson(_WORD.match(self.text, i).group(), self.pos(i))  # type: ignore[union-attr]

    def object(self, i: int, pointer: str) -> int:
        seen: set[str] = set()
        i = self.skip(i)
        if self.text[i] == "}":
            return i + 1
        while True:
            i = self.skip(i)
            key_pos = self.pos(i)
            name, i = scanstring(self.text, i + 1)
            if name in seen:
                self.duplicates.append((pointer, name, key_pos))
            seen.add(name)
            i = self.skip(i) + 1  # the colon
            i = self.skip(self.value(i, f"{pointer}/{pointer_token(name)}", key_pos))
            if self.text[i] == "}":
                return i + 1
            i += 1  # the comma

    def array(self, i: int, pointer: str) -> int:
        i = self.skip(i)
        if self.text[i] == "]":
            return i + 1
        index = 0
        while True:
            i = self.skip(self.value(i, f"{pointer}/{index}", None))
            index += 1
            if self.text[i] == "]":
                return i + 1
            i += 1


def walk(text: str) -> tuple[Positions, list[tuple[str, str, Position]]]:
    """Positions by JSON Pointer (value, key) and the duplicate keys, of text that
    `json.loads` accepts; `NotJson` at the first NaN or Infinity, which JSON lacks."""
    walker = _Walker(text)
    walker.value(0, "", None)
    return walker.positions, walker.duplicates
