"""Line and column of every value and key of a JSON text, and the keys given twice.

`json.loads` keeps the last of two equal keys without a word; the standard makes that a
`duplicate-key` finding, which needs the place of the second key. One walk over text
that `json.loads` has already accepted gives both the positions and the duplicates. The JSON
and JSON Lines readers share it (a JSON Lines line is a JSON text of its own).
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable
from json.decoder import JSONDecoder, scanstring
from json.scanner import NUMBER_RE
from typing import Any

from citynet_exchange.findings import Location, pointer_token
from citynet_exchange.formats import Locator, Position, PositionLocator
from citynet_exchange.kinds import RECORD_KEYS

Positions = dict[str, tuple[Position, Position | None]]
_SPACE = " \t\n\r"
_WORD = re.compile(r"[^\s,\]}]{1,9}")
_NEWLINE = re.compile("\n")


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
        self.line_starts = array("q", [0])
        self.line_starts.extend(match.end() for match in _NEWLINE.finditer(text))
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


class TextLocator(Locator):
    """Places in a JSON text found record by record, for a big document: the record lists are
    skipped at the speed of Python's C scanner, and only the records findings are in (and the
    rest of the document, which is small) are walked for the places of their values."""

    def __init__(self, file: str, text: str):
        self.file = file
        self.text = text
        self._walker: _Walker | None = None
        self._starts: dict[str, array[int]] = {}  # record key -> where each record begins
        self._walked: set[str] = set()
        self._places = PositionLocator(file, lambda: self._prepared().positions)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        walker = self._prepared()
        parts = pointer.split("/", 3)
        starts = self._starts.get(parts[1]) if len(parts) >= 3 and parts[2].isdigit() else None
        if starts is not None and int(parts[2]) < len(starts):
            record = f"/{parts[1]}/{parts[2]}"
            if record not in self._walked:
                walker.value(starts[int(parts[2])], record, None)
                self._walked.add(record)
        return self._places.locate(pointer, key=key)

    def _prepared(self) -> _Walker:
        """The walker, once the document's top level is walked and its records' starts found."""
        if self._walker is None:
            self._walker = _Walker(self.text)
            self._top(self._walker)
        return self._walker

    def _top(self, walker: _Walker) -> None:
        text, skip = self.text, walker.skip
        i = skip(0)
        if text[i] != "{":
            walker.value(i, "", None)  # no dataset: walk it all
            return
        walker.positions[""] = (walker.pos(i), None)
        i = skip(i + 1)
        while text[i] != "}":
            key_position = walker.pos(i)
            name, i = scanstring(text, i + 1)
            i = skip(skip(i) + 1)  # the colon
            pointer = "/" + pointer_token(name)
            if name in _RECORD_KEYS and text[i] == "[":
                walker.positions[pointer] = (walker.pos(i), key_position)
                self._starts[name], i = self._elements(i + 1, skip)
            else:
                i = walker.value(i, pointer, key_position)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)

    def _elements(self, i: int, skip: Callable[[int], int]) -> tuple[array[int], int]:
        """Where each element of an array begins, and where the array ends."""
        starts = array("q")
        i = skip(i)
        while self.text[i] != "]":
            starts.append(i)
            _value, i = _SCAN(self.text, i)
            i = skip(i)
            if self.text[i] == ",":
                i = skip(i + 1)
        return starts, i + 1


_RECORD_KEYS = frozenset(RECORD_KEYS.values())
_SCAN = JSONDecoder().scan_once
