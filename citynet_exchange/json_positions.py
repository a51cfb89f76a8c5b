"""Line and column of every value and key of a JSON text, and the keys given twice.

`json.loads` keeps the last of two equal keys without a word; the standard makes that a
`duplicate-key` finding, which needs the place of the second key. One walk over text
that `json.loads` has already accepted gives both the positions and the duplicates. The JSON
and JSON Lines readers share it (a JSON Lines line is a JSON text of its own).

Python's reader also takes what JSON means otherwise or cannot hold: NaN and Infinity, a
number beyond a float's range (read as infinity, the value lost), an integer too long to
convert, half of a surrogate pair escaped (`\\ud800`, no character, which no file can hold).
`loads` refuses them, and the walk tells where the first one is (`NotJson`).
"""

from __future__ import annotations

import bisect
import json
import math
import re
import sys
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from json.decoder import JSONDecoder, scanstring
from json.scanner import NUMBER_RE
from typing import Any

from citynet_exchange.findings import Location, pointer_token
from citynet_exchange.formats import Locator, Position, PositionLocator, surrogate_problem
from citynet_exchange.kinds import RECORD_KEYS

Positions = dict[str, tuple[Position, Position | None]]
_SPACE = " \t\n\r"
_WORD = re.compile(r"[^\s,\]}]{1,9}")
_NEWLINE = re.compile("\n")
# `\ud800` not followed by a low half, or `\udc00` not after a high half: cheap to look for, rare to find
_LONE_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
                                    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}")


class NotJson(ValueError):
    """A value Python's reader takes otherwise than JSON means it, at its place: `problem`
    says what is wrong with it."""

    def __init__(self, position: Position, problem: str):
        super().__init__(problem)
        self.position, self.problem = position, problem


class Constant(ValueError):
    """NaN, Infinity or a number beyond a float's range, which `loads` refuses (`walk` tells where)."""


def _reject_constant(word: str) -> Any:
    raise Constant(word)


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise Constant(text)
    return value


def loads(text: str, object_pairs_hook: Callable[[list[tuple[str, Any]]], Any] | None = None) -> Any:
    """`json.loads`, but a value JSON means otherwise than Python reads it is `NotJson` at its
    place; syntax errors stay `json.JSONDecodeError`, nesting too deep `RecursionError`."""
    try:
        value = json.loads(text, object_pairs_hook=object_pairs_hook, parse_constant=_reject_constant,
                           parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except ValueError:  # a constant, a float out of range, or an integer too long for int()
        walk(text)  # raises NotJson at the first of them: the text before it is good JSON
        raise
    if ("\\ud" in text or "\\uD" in text) and _LONE_SURROGATE_ESCAPE.search(text):  # the search is slow
        walk(text)  # NotJson at the text holding it (none, if the escape was itself escaped text)
    return value


def _shown(number: str) -> str:
    return number if len(number) <= 24 else number[:20] + "..."


def _number_problem(match: re.Match[str]) -> str | None:
    """What is wrong with a JSON number Python cannot hold as JSON means it, if anything."""
    integer, fraction, exponent = match.groups()
    if fraction or exponent:
        if math.isinf(float(match.group())):
            return (f"{_shown(match.group())} is too large a number to read (numbers end near 1.8e308; "
                    "it would be read as infinity)")
        return None
    limit = sys.get_int_max_str_digits()
    digits = len(integer.lstrip("-"))
    if limit and digits > limit:
        return f"a whole number of {digits} digits is too long to read (at most {limit} digits)"
    return None


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
        """Walk the value at offset `i`; where it ends. Without recursion: a document that
        `json.loads` reads nested hundreds of levels deep is walked as well."""
        open_: list[_Open] = []  # the objects and arrays the walk is in
        while True:
            i = self.skip(i)
            self.positions[pointer] = (self.pos(i), key)
            ch = self.text[i]
            if ch in "{[":
                i = self.skip(i + 1)
                if self.text[i] != ("}" if ch == "{" else "]"):  # not empty: walk its first member
                    open_.append(_Open(pointer, set() if ch == "{" else None))
                    i, pointer, key = self.member(i, open_[-1])
                    continue
                i += 1
            else:
                i = self.scalar(i)
            while open_:  # the value is done: on to the next member, or out of the finished
                i = self.skip(i)
                if self.text[i] in "}]":
                    open_.pop()
                    i += 1
                    continue
                i, pointer, key = self.member(i + 1, open_[-1])  # past the comma
                break
            else:
                return i

    def member(self, i: int, container: _Open) -> tuple[int, str, Position | None]:
        """Where a member's value starts, its pointer, and its key's place (None in an array)."""
        if container.keys is None:
            index = container.count
            container.count += 1
            return i, f"{container.pointer}/{index}", None
        i = self.skip(i)
        key_pos = self.pos(i)
        name, i = self.string(i)
        if name in container.keys:
            self.duplicates.append((container.pointer, name, key_pos))
        container.keys.add(name)
        return self.skip(i) + 1, f"{container.pointer}/{pointer_token(name)}", key_pos  # past the colon

    def string(self, i: int) -> tuple[str, int]:
        """The text of the string at offset `i` and where it ends; `NotJson` if it holds no text."""
        text, end = scanstring(self.text, i + 1)
        problem = surrogate_problem(text)
        if problem:
            raise NotJson(self.pos(i), problem)
        return text, end

    def scalar(self, i: int) -> int:
        if self.text[i] == '"':
            return self.string(i)[1]
        match = NUMBER_RE.match(self.text, i)
        if match:
            problem = _number_problem(match)
            if problem:
                raise NotJson(self.pos(i), problem)
            return match.end()
        for word in ("true", "false", "null"):
            if self.text.startswith(word, i):
                return i + len(word)
        word = _WORD.match(self.text, i).group()  # type: ignore[union-attr]
        raise NotJson(self.pos(i), f"{word} is not a JSON value; JSON has no NaN or Infinity")


@dataclass
class _Open:
    """An object (with the keys seen in it) or an array (`keys` None) the walker is in."""

    pointer: str
    keys: set[str] | None
    count: int = 0  # members of an array walked


def walk(text: str) -> tuple[Positions, list[tuple[str, str, Position]]]:
    """Positions by JSON Pointer (value, key) and the duplicate keys, of text that
    `json.loads` accepts; `NotJson` at the first value that `loads` refuses."""
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
