"""Reading a JSON document record by record, so that a big one is never held as a whole tree.

A first pass (`json_positions.outline`) reads the top level at the speed of Python's C
scanner: the fields but the record lists, and where each record begins; each record is
read and let go. Then each pass over the records reads them again from the text, one at a
time. Memory grows with the text, not with the tree of Python objects it makes (about
seven times its size). A key given twice in a record is found by `may_repeat_a_key` and
placed by walking that record alone. A document the outline does not take (no object at the
top, a key given twice there, not JSON as `loads` takes it) is read whole, which says what
is wrong with it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange.formats import Document, FileLocator, Input, Position, PositionLocator, decode_text, syntax_hit
from citynet_exchange.json_positions import (
    NotJson, Outline, TextLocator, loads, may_repeat_a_key, outline, read_at, walk,
)
from citynet_exchange.kinds import RECORD_KEYS

NAME = "json"


def read(source: Input) -> Document:
    text, problem = decode_text(source)
    if text is None:
        return _unreadable(source, problem)
    shape = outline(text)
    if shape is None:
        return _whole(source, text)
    return _Streamed(source.name, text, shape).document


class _Streamed:
    """A document whose records are read from its text one at a time."""

    def __init__(self, name: str, text: str, shape: Outline):
        self.name, self.text, self.shape = name, text, shape
        self.locator = TextLocator(name, text, shape)
        may_repeat = any(field in shape.header and may_repeat_a_key(text[start:end], shape.header[field])
                         for field, _key, start, end in shape.fields)
        self.header_hits = duplicate_hits(name, self.locator.header_duplicates()) if may_repeat else []
        self._complete = False  # a whole pass was read: the problems of the records are known
        self.document = Document(name, NAME, shape.header, self.locator, list(self.header_hits),
                                 stream=self.records, fetch=self.fetch)

    def records(self) -> Iterator[tuple[str, int, Any]]:
        complete, problems, text = self._complete, self.document.problems, self.text
        if not complete:
            problems[:] = self.header_hits
        for kind, key in RECORD_KEYS.items():
            for index, start in enumerate(self.shape.lists.get(key, ())):
                value, end = read_at(text, start)
                if not complete and may_repeat_a_key(text[start:end], value):
                    problems += duplicate_hits(self.name, self.locator.walk_record(key, index))
                yield kind, index, value
        self._complete = True

    def fetch(self, kind: str, index: int) -> Any:
        return read_at(self.text, self.shape.lists[RECORD_KEYS[kind]][index])[0]


def _whole(source: Input, text: str) -> Document:
    """The document read at once, for what the outline does not take."""
    repeated = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        result = dict(items)
        repeated = repeated or len(result) != len(items)
        return result

    try:
        data = loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        return _unreadable(source, syntax_hit(source.name, exc.lineno, exc.colno, exc.msg))
    except RecursionError:
        return _unreadable(source, syntax_hit(source.name, None, None, "the values are nested too deeply to read"))
    except NotJson as exc:
        line, column = exc.position
        return _unreadable(source, syntax_hit(source.name, line, column, exc.problem))
    if not repeated:
        return Document(source.name, NAME, data, TextLocator(source.name, text))
    positions, duplicates = walk(text)
    return Document(source.name, NAME, data, PositionLocator(source.name, lambda: positions),
                    duplicate_hits(source.name, duplicates))


def duplicate_hits(file: str, duplicates: Iterable[tuple[str, str, Position]]) -> list[Hit]:
    """`duplicate-key` at each key given twice: (pointer of its object, key, key's place)."""
    return [Hit(code="duplicate-key", message="duplicate", params={"name": name}, pointer=key_pointer,
                location=Location(file=file, line=line, column=column, pointer=key_pointer))
            for pointer, name, (line, column) in duplicates
            for key_pointer in [f"{pointer}/{pointer_token(name)}"]]


def _unreadable(source: Input, problem: Hit | None) -> Document:
    return Document(source.name, NAME, None, FileLocator(source.name), [problem] if problem else [])
