"""Reading JSON Lines: the header line, then one record a line, streamed.

The file is never held whole: each pass reads it line by line, and what is kept of each
record is where its line starts (to read it again, or to place a finding in it). A line
that cannot be read is a finding at its line, and the lines after it are still read.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Any, BinaryIO

import orjson

from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange.formats import Document, Input, Locator, PositionLocator
from citynet_exchange.json_positions import NotJson, loads, may_repeat_a_key, place_in, walk
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.structure import definition
from citynet_exchange.structure_words import TYPE_NAMES, suggest, type_words

KIND_KEY = "@record"  # the key naming a line's record kind; no field of the standard starts with @
HEADER = "dataset"  # the kind of the first line, which holds every top-level field but the records
_BOM = b"\xef\xbb\xbf"
_BIG = 2.0**63


def load(source: Input) -> Document:
    return Reader(source, "jsonl").document


# The fields of each record kind, and the key naming it.
_FIELDS = {kind: frozenset(definition(kind)["properties"]) | {KIND_KEY} for kind in RECORD_KEYS}


class Reader:
    """One JSON Lines input: its header, its records as a stream, and their places."""

    def __init__(self, source: Input, format_name: str):
        self.source = _utf8(source)
        self.offsets = {kind: array("Q") for kind in RECORD_KEYS}  # where each record's line starts
        self.lines = {kind: array("L") for kind in RECORD_KEYS}  # and its number
        self._complete = False  # a whole pass was read: the places and problems are known
        self.has_header = False
        header, self.header_hits = self._header()
        self.document = Document(source.name, format_name, header, _Locator(self), stream=self.records,
                                 fetch=self.fetch, fetch_all=self.fetch_all)

    def _header(self) -> tuple[dict[str, Any], list[Hit]]:
        """The first line's fields, if it is the dataset's header; else no header (every line is
        a record, and the header's required fields are missing)."""
        with self.source.open() as stream:
            first = stream.readline().removeprefix(_BOM)
        value, hits = self._parse(first, 1, exact=True)
        if isinstance(value, dict) and value.get(KIND_KEY) == HEADER:
            self.has_header = True
            return {k: v for k, v in value.items() if k != KIND_KEY}, hits
        return {}, []

    def records(self) -> Iterator[tuple[str, int, Any]]:
        """(kind, index among the records of its kind, raw record) of every record line, in order."""
        complete, problems = self._complete, self.document.problems
        if not complete:
            for kind in RECORD_KEYS:
                del self.offsets[kind][:], self.lines[kind][:]
            del problems[:]
            problems += self.header_hits
        counts = dict.fromkeys(RECORD_KEYS, 0)
        offsets, lines, loads, dumps = self.offsets, self.lines, orjson.loads, orjson.dumps
        with self.source.open() as stream:
            offset = 0
            for number, line in enumerate(stream, 1):
                start, offset = offset, offset + len(line)
                if number == 1:
                    line = line.removeprefix(_BOM)
                    if self.has_header:
                        continue
                if line.isspace():
                    continue
                try:  # the common line, read fast; anything else is looked at closely by `_record`
                    value = loads(line)
                except orjson.JSONDecodeError:
                    value = None
                kind = value.get(KIND_KEY) if type(value) is dict else None
                # A line orjson writes back byte for byte was read as JSON means it: no key was
                # dropped and no number changed. That is the common line (citynet writes its
                # lines so); any other is checked for both.
                if type(kind) is str and kind in RECORD_KEYS and (dumps(value) == line.rstrip(b"\r\n") or not (
                        _inexact(value) or may_repeat_a_key(line, value))):
                    del value[KIND_KEY]
                else:
                    kind, value, hits = self._record(line, number, counts)
                    if not complete:
                        problems += hits
                    if kind is None:
                        continue
                if not complete:
                    offsets[kind].append(start)
                    lines[kind].append(number)
                index = counts[kind]
                counts[kind] = index + 1
                yield kind, index, value
        self._complete = True

    def _record(self, line: bytes, number: int, counts: dict[str, int]) -> tuple[str | None, Any, list[Hit]]:
        """A record line's kind and fields, or what is wrong with it."""
        value, hits = self._parse(line, number)
        if value is None:
            return None, None, hits
        if not isinstance(value, dict):
            return None, None, [self._hit(number, "wrong-type", "type", field=f"line {number}",
                                          expected=TYPE_NAMES["object"], actual=type_words(value))]
        kind = value.pop(KIND_KEY, None)
        if not (isinstance(kind, str) and kind in RECORD_KEYS):
            return None, None, [self._kind_hit(number, kind)]
        if hits:  # the places of duplicate keys, now that the record's pointer is known
            base = f"/{RECORD_KEYS[kind]}/{counts[kind]}"
            hits = [_rebased(h, base) for h in hits]
        return kind, value, hits

    def _parse(self, line: bytes, number: int, exact: bool = False, again: bool = False) -> tuple[Any, list[Hit]]:
        """One line's JSON value (None when it cannot be read), and its problems: a syntax error,
        or keys given twice (each a `duplicate-key` hit, its pointer relative to the line; not
        looked for in a line read `again`, whose problems were said the first time).
        orjson reads it, unless it may read it otherwise than JSON means (`_inexact`) or
        `exact` is asked for."""
        try:
            value = orjson.loads(line)
            fast = not (exact or _inexact(value))
        except orjson.JSONDecodeError:
            fast = False
        if not fast:
            value, hit = self._slow_parse(line, number)
            if hit is not None:
                return None, [hit]
        if not again and (not fast or may_repeat_a_key(line, value)) and isinstance(value, (dict, list)):
            duplicates = self._duplicates(line, number)
            if duplicates:
                return value, duplicates
        return value, []

    def _slow_parse(self, line: bytes, number: int) -> tuple[Any, Hit | None]:
        """What orjson cannot read as JSON means it (integers beyond 64 bits) is read by Python's
        reader; what neither reads, or half a surrogate pair written as an escape (no character,
        which orjson refuses and `loads` reports), is a syntax error."""
        line = line.rstrip(b"\r\n")  # an error at the end of the line is placed in it
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = len(line[: exc.start].decode("utf-8", errors="replace")) + 1
            return None, self._unreadable(number, column, f"the bytes are not valid UTF-8 ({exc.reason})")
        try:
            return loads(text), None
        except json.JSONDecodeError as exc:
            return None, self._unreadable(number, exc.colno, exc.msg)
        except RecursionError:
            return None, self._unreadable(number, None, "the values are nested too deeply to read")
        except NotJson as exc:
            return None, self._unreadable(number, exc.position[1], exc.problem)

    def _duplicates(self, line: bytes, number: int) -> list[Hit]:
        _positions, duplicates = walk(line.decode("utf-8"))
        return [Hit(code="duplicate-key", message="duplicate", params={"name": name}, pointer=key_pointer,
                    location=Location(file=self.source.name, line=number, column=column, pointer=key_pointer))
                for pointer, name, (_line, column) in duplicates
                for key_pointer in [f"{pointer}/{pointer_token(name)}"]
                if key_pointer != f"/{KIND_KEY}"]

    def _unreadable(self, number: int, column: int | None, problem: str) -> Hit:
        return Hit(code="syntax-error", message="line", params={"problem": problem},
                   location=Location(file=self.source.name, line=number, column=column))

    def _kind_hit(self, number: int, kind: Any) -> Hit:
        if kind is None:
            return self._hit(number, "missing-field", "required", name=KIND_KEY, where=f"line {number}")
        if kind == HEADER:
            return self._hit(number, "invalid-value", "other", field=f"'{KIND_KEY}' of line {number}",
                             detail="the dataset's header is the first line; this one is not read")
        field = f"'{KIND_KEY}' of line {number}"
        suggestion = suggest(str(kind), RECORD_KEYS)
        if suggestion:
            return self._hit(number, "invalid-code", "enum-suggest", value=repr(kind), field=field, suggestion=suggestion)
        return self._hit(number, "invalid-code", "enum", value=repr(kind), field=field, allowed=", ".join(RECORD_KEYS))

    def _hit(self, number: int, code: str, message: str, **params: Any) -> Hit:
        return Hit(code=code, message=message, params=params,
                   location=Location(file=self.source.name, line=number, column=1))

    def fetch(self, kind: str, index: int) -> Any:
        """Record `index` of `kind` again, read from its line."""
        return self.fetch_all(kind, [index])[0]

    def fetch_all(self, kind: str, indexes: Sequence[int]) -> list[Any]:
        """Records of `kind` again, read from their lines with the file opened once."""
        offsets, lines, values = self.offsets[kind], self.lines[kind], []
        with self.source.open() as stream:
            for index in indexes:
                value, _hits = self._parse(self.line_at(offsets[index], stream), lines[index], again=True)
                value.pop(KIND_KEY, None)  # read as the stream read it
                values.append(value)
        return values

    def line_at(self, offset: int, stream: BinaryIO | None = None) -> bytes:
        """The line at `offset`, read from `stream` if one is open on the source."""
        if stream is None:
            with self.source.open() as opened:
                return self.line_at(offset, opened)
        stream.seek(offset)
        line = stream.readline()
        return line.removeprefix(_BOM) if offset == 0 else line


class _Locator(Locator):
    """A pointer into the dataset -> the line of its record (or the header) and the column of
    the value in that line; columns are worked out only for the lines findings are in."""

    def __init__(self, reader: Reader):
        self.reader = reader
        self.file = reader.source.name
        self._kinds = {key: kind for kind, key in RECORD_KEYS.items()}
        self._stream: BinaryIO | None = None  # the source, open while many places are asked at once

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        reader = self.reader
        parts = pointer.split("/", 3)
        kind = self._kinds.get(parts[1]) if len(parts) >= 3 and parts[2].isdigit() else None
        if kind is not None and int(parts[2]) < len(reader.lines[kind]):
            index = int(parts[2])
            number, offset = reader.lines[kind][index], reader.offsets[kind][index]
            inner = f"/{parts[3]}" if len(parts) == 4 else ""
        elif reader.has_header:
            number, offset, inner = 1, 0, pointer
        else:
            return Location(file=self.file, line=1 if pointer == "" else None, pointer=pointer)
        text = self._line(offset)
        place = place_in(text, inner, key)
        if place is None:  # a key given twice on the way: the walk of the line places it
            column = PositionLocator(self.file, lambda: walk(text)[0]).locate(inner, key=key).column
        else:
            column = place[1]
        return Location(file=self.file, line=number, column=column, pointer=pointer)

    def locate_all(self, asked: Sequence[tuple[str, bool]]) -> list[Location]:
        """The places of many pointers, their lines read through one open file."""
        with self.reader.source.open() as stream:
            self._stream = stream
            try:
                return super().locate_all(asked)
            finally:
                self._stream = None

    @lru_cache(maxsize=256)  # noqa: B019 -- one locator per document, alive as long as its findings
    def _line(self, offset: int) -> str:
        return self.reader.line_at(offset, self._stream).decode("utf-8", errors="replace")


def _utf8(source: Input) -> Input:
    """JSON Lines is UTF-8; a file in UTF-16 with a byte-order mark is read all the same, turned
    into UTF-8 first (in memory: such files come from spreadsheet programs, and are small)."""
    if not source.head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return source
    try:
        text = source.data.decode("utf-16")
    except UnicodeDecodeError:
        return source  # read as it is: each line that is no UTF-8 is a syntax error at its line
    return Input(source.name, text.encode("utf-8"), source.options)


def _rebased(hit: Hit, base: str) -> Hit:
    """A hit of a line, its pointer now into the dataset (`base` is its record's)."""
    pointer = base + (hit.pointer or "")
    location = replace(hit.location, pointer=pointer) if hit.location else None
    return replace(hit, pointer=pointer, location=location)


def _inexact(value: Any) -> bool:
    """Whether orjson may have read a number otherwise than JSON means it: it reads an integer
    beyond 64 bits as a float. Numbers sit in a record's location and population, and in
    what the standard does not know (extensions, unknown fields), which are read exactly."""
    if type(value) is not dict:
        return False
    kind = value.get(KIND_KEY)
    fields = _FIELDS.get(kind) if type(kind) is str else None
    if "extensions" in value or fields is not None and not fields.issuperset(value):
        return True
    if type(value.get("population")) is float:
        return True
    location = value.get("location")
    return type(location) is dict and any(type(v) is not float or abs(v) >= _BIG for v in location.values())
