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

import orjson

from citynet_exchange.findings import Location, pointer_token
from citynet_exchange.formats import Locator, Position, PositionLocator, surrogate_problem
from citynet_exchange.kinds import RECORD_KEYS

Positions = dict[str, tuple[Position, Position | None]]
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
    if _holds_lone_surrogate_escape(text):
        walk(text)  # NotJson at the text holding it (none, if the escape was itself escaped text)
    return value


def _holds_lone_surrogate_escape(text: str) -> bool:
    """Whether a text may escape half a surrogate pair (the search is slow: only where `\\ud` is)."""
    return ("\\ud" in text or "\\uD" in text) and _LONE_SURROGATE_ESCAPE.search(text) is not None


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
        self.skip = _skip(text)
        self.line_starts = array("q", [0])
        self.line_starts.extend(match.end() for match in _NEWLINE.finditer(text))
        self.positions: Positions = {}
        self.duplicates: list[tuple[str, str, Position]] = []  # (object pointer, key, key position)

    def pos(self, offset: int) -> Position:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1


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


def place_in(text: str, pointer: str, key: bool = False, at: int = 0,
             position: Callable[[int], Position] | None = None) -> Position | None:
    """Where the value at `pointer` (or, `key`, its key) begins in the JSON value at offset
    `at` of a text that `loads` accepts: the place `PositionLocator` over that value's walk
    gives, a pointer the value lacks at its nearest ancestor there (`position` turns an
    offset into a place; by default the newlines before it are counted). Only the objects
    and arrays on the pointer's way are walked; the values beside it are skipped by Python's
    C scanner (some 5 µs for a record's field, where walking the record takes 40). None: a
    key given twice on the way, or a value the scanner refuses, which only a walk places."""
    skip = _skip(text)
    at = skip(at)
    key_at: int | None = None
    try:
        for token in pointer.split("/")[1:] if pointer else ():
            member = _member(text, at, token, skip)
            if member is None:
                key_at, key = None, False
                break
            key_at, at = member
    except (_TwoKeys, ValueError, IndexError, StopIteration, RecursionError):
        return None
    offset = key_at if key and key_at is not None else at
    if position is not None:
        return position(offset)
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


class _TwoKeys(Exception):
    """An object on a pointer's way gives its key twice."""


def _member(text: str, at: int, token: str, skip: Callable[[int], int]) -> tuple[int | None, int] | None:
    """Where the key (None in an array) and the value of the member `token` names begin, in
    the object or array at `at`; None if it names none."""
    if text[at] == "{":
        found: tuple[int | None, int] | None = None
        i = _blanks(text, at + 1, skip)
        while text[i] != "}":
            key_at = i
            name, i = scanstring(text, i + 1)
            i = _blanks(text, _blanks(text, i, skip) + 1, skip)  # past the colon
            if (pointer_token(name) if "~" in name or "/" in name else name) == token:
                if found is not None:
                    raise _TwoKeys
                found = (key_at, i)
            i = _next(text, i, skip)
        return found
    if text[at] == "[" and token.isascii() and token.isdigit() and str(int(token)) == token:
        wanted, count = int(token), 0
        i = _blanks(text, at + 1, skip)
        while text[i] != "]":
            if count == wanted:
                return None, i
            i = _next(text, i, skip)
            count += 1
    return None


def _blanks(text: str, i: int, skip: Callable[[int], int]) -> int:
    """Past the blanks at `i`: most texts have none between tokens, and `skip` costs a call."""
    return skip(i) if text[i] in _BLANK else i


def _next(text: str, i: int, skip: Callable[[int], int]) -> int:
    """Past the value at `i` and the comma after it: where the next member begins, or the end."""
    i = _blanks(text, _SKIP(text, i)[1], skip)
    return _blanks(text, i + 1, skip) if text[i] == "," else i


_BLANK = frozenset(" \t\n\r")


@dataclass(frozen=True)
class Outline:
    """The top level of a JSON document that is an object: its fields but the record lists,
    read; each field's place (`fields`: name, where its key and its value begin, where the
    value ends); and where each record of each record list begins (`lists`)."""

    header: dict[str, Any]
    fields: list[tuple[str, int, int, int]]
    lists: dict[str, array[int]]


def outline(text: str) -> Outline | None:
    """The outline of a document, found at the speed of Python's C scanner, which reads each
    record and lets it go; None where the document is to be read whole, which then says what
    is wrong: its top is no object, a key is given twice at the top, or it is not JSON as
    `loads` takes it (a syntax error, NaN, half a surrogate pair ...)."""
    if _holds_lone_surrogate_escape(text):
        return None
    try:
        return _outline(text)
    except (ValueError, StopIteration, IndexError, RecursionError, _NotPlain):
        return None


class _NotPlain(Exception):
    """The document's top level is not one object with each key once."""


def _outline(text: str) -> Outline:
    skip = _skip(text)
    i = skip(0)
    if text[i] != "{":
        raise _NotPlain
    header: dict[str, Any] = {}
    fields: list[tuple[str, int, int, int]] = []
    lists: dict[str, array[int]] = {}
    i = skip(i + 1)
    while text[i] != "}":
        if text[i] != '"':
            raise _NotPlain
        key_at = i
        name, i = scanstring(text, i + 1)
        i = skip(i)
        if text[i] != ":" or any(name == field[0] for field in fields):
            raise _NotPlain
        value_at = i = skip(i + 1)
        if name in _RECORD_KEYS and text[i] == "[":
            lists[name], i = _elements(text, i + 1, skip)
        else:
            header[name], i = _STRICT(text, i)
        fields.append((name, key_at, value_at, i))
        i = skip(i)
        if text[i] == ",":
            i = skip(i + 1)
            if text[i] == "}":
                raise _NotPlain  # a trailing comma
        elif text[i] != "}":
            raise _NotPlain
    if skip(i + 1) != len(text):
        raise _NotPlain  # something after the document
    return Outline(header, fields, lists)


def _skip(text: str) -> Callable[[int], int]:
    match = _BLANKS.match
    return lambda i: match(text, i).end()  # type: ignore[union-attr]


def _elements(text: str, i: int, skip: Callable[[int], int]) -> tuple[array[int], int]:
    """Where each element of an array begins, and where the array ends."""
    starts = array("q")
    i = skip(i)
    if text[i] == "]":
        return starts, i + 1
    while True:
        starts.append(i)
        _value, i = _STRICT(text, i)
        i = skip(i)
        if text[i] == "]":
            return starts, i + 1
        if text[i] != ",":
            raise _NotPlain
        i = skip(i + 1)


def read_at(text: str, offset: int) -> tuple[Any, int]:
    """The value that begins at `offset` of a text `outline` accepted, and where it ends."""
    return _STRICT(text, offset)  # type: ignore[no-any-return]


def may_repeat_a_key(text: str | bytes, value: Any) -> bool:
    """Whether a JSON text read as `value` may give a key twice (and is to be walked to find it).

    A text has at least one colon for each key it gives, and a colon in `://` is always in a
    string: when there are no more colons than the keys of the value and of the objects
    directly in it, no key was dropped. Otherwise the value written again has as many colons
    as the text unless a key was given twice (one key and its value were dropped); an escaped
    colon (\\u003a) is written as a colon, so a text with escapes is walked."""
    colon, url, escape = (":", "://", "\\u") if isinstance(text, str) else (b":", b"://", b"\\u")
    colons = text.count(colon)  # type: ignore[arg-type]
    if type(value) is dict:
        keys = len(value)
        for item in value.values():
            if type(item) is dict:
                keys += len(item)
        if colons - text.count(url) <= keys:  # type: ignore[arg-type]
            return False
    if escape in text:  # type: ignore[operator]
        return True
    try:
        return colons != orjson.dumps(value).count(b":")
    except orjson.JSONEncodeError:  # an integer beyond 64 bits
        return True


class TextLocator(Locator):
    """Places in a JSON text found record by record, for a big document: with the document's
    `Outline`, only the records findings are in (and the rest of the document, which is
    small) are walked for the places of their values; without one, the whole text is."""

    def __init__(self, file: str, text: str, shape: Outline | None = None):
        self.file = file
        self.text = text
        self.shape = shape
        self._walker: _Walker | None = None
        self._top_duplicates = 0
        self._walked: dict[str, list[tuple[str, str, Position]]] = {}  # record -> the keys it gives twice
        self._places = PositionLocator(file, lambda: self._prepared().positions)

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        parts = pointer.split("/", 3)
        if len(parts) >= 3 and parts[2].isdigit():
            starts = self.shape.lists.get(parts[1]) if self.shape is not None else None
            index = int(parts[2])
            if starts is not None and index < len(starts) and parts[2] == str(index) and \
                    f"/{parts[1]}/{index}" not in self._walked:  # a record not walked: only the way to the value
                inner = f"/{parts[3]}" if len(parts) == 4 else ""
                place = place_in(self.text, inner, key, starts[index], self._prepared().pos)
                if place is not None:
                    return Location(file=self.file, line=place[0], column=place[1], pointer=pointer)
            self.walk_record(parts[1], index)
        return self._places.locate(pointer, key=key)

    def walk_record(self, key: str, index: int) -> list[tuple[str, str, Position]]:
        """The keys a record gives twice; its values' places are found by walking it, once."""
        walker = self._prepared()
        starts = self.shape.lists.get(key) if self.shape is not None else None
        record = f"/{key}/{index}"
        if starts is None or index >= len(starts):
            return []
        if record not in self._walked:
            seen = len(walker.duplicates)
            walker.value(starts[index], record, None)
            self._walked[record] = walker.duplicates[seen:]
        return self._walked[record]

    def header_duplicates(self) -> list[tuple[str, str, Position]]:
        """The keys given twice outside the records."""
        walker = self._prepared()
        return walker.duplicates[:self._top_duplicates]

    def _prepared(self) -> _Walker:
        """The walker, once the document's top level is walked."""
        if self._walker is None:
            self._walker = _Walker(self.text)
            self._top(self._walker)
            self._top_duplicates = len(self._walker.duplicates)
        return self._walker

    def _top(self, walker: _Walker) -> None:
        if self.shape is None:
            walker.value(walker.skip(0), "", None)  # no outline: walk it all
            return
        walker.positions[""] = (walker.pos(walker.skip(0)), None)
        for name, key_at, value_at, _end in self.shape.fields:
            pointer = "/" + pointer_token(name)
            if name in self.shape.lists:
                walker.positions[pointer] = (walker.pos(value_at), walker.pos(key_at))
            else:
                walker.value(value_at, pointer, walker.pos(key_at))


_RECORD_KEYS = frozenset(RECORD_KEYS.values())
_BLANKS = re.compile(r"[ \t\n\r]*")
_STRICT = JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float).scan_once
_SKIP = JSONDecoder().scan_once
