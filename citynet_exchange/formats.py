"""What importers and exporters are, and what an importer hands to the engine.

An importer turns bytes into a `Document`: the dataset document as plain JSON-like data,
the problems met while reading, and a `Locator` that maps JSON Pointers back to places
in the source (line and column for text, row and column name for tables).
"""

from __future__ import annotations

import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, ClassVar

from citynet_exchange.findings import Hit, Location
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.limits import Limits

if TYPE_CHECKING:
    from citynet_exchange.tables.workbook import Sheet


@dataclass(frozen=True)
class ReadOptions:
    """How to read an input, where the format leaves a choice; None means detect."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    mapping: str | None = None  # path of a column mapping file
    shacl: bool | None = None  # also check RDF with the standard's SHACL shapes

    def given(self) -> list[str]:
        return [name for name, value in vars(self).items() if value is not None]


@dataclass(frozen=True)
class WriteOptions:
    """How to write an output: a workbook instead of text, cells safe for spreadsheet programs."""

    workbook: bool = False
    spreadsheet_safe: bool = False
    base: str | None = None  # the IRI that RDF record IRIs start with

    def given(self) -> list[str]:
        return [name for name, value in vars(self).items() if value]


@dataclass(frozen=True)
class Input:
    """An input to import, with the name findings use for it (the path as given).

    Its bytes are given (`content`) or read from `path` when first asked for; a format that
    streams reads `open()` instead, so that a big file is never held whole. A folder read as
    one input (a CSV package) has its files in `members`, by name. `limits` caps what the
    importer may unpack and how long a text may be.
    """

    name: str
    content: bytes | None = None
    options: ReadOptions = ReadOptions()
    members: Mapping[str, bytes] | None = None
    path: Path | None = None
    limits: Limits = Limits()

    @cached_property
    def data(self) -> bytes:
        """All the bytes."""
        if self.content is not None or self.path is None:
            return self.content or b""
        return self.path.read_bytes()

    @cached_property
    def head(self) -> bytes:
        """The first bytes, for detecting the format."""
        if self.content is not None or self.path is None:
            return self.data[:4096]
        with self.path.open("rb") as fh:
            return fh.read(4096)

    def open(self) -> BinaryIO:
        """The bytes as a stream, read from the file as they are needed."""
        if self.content is not None or self.path is None:
            return io.BytesIO(self.data)
        return self.path.open("rb")


class Locator(ABC):
    """Maps a JSON Pointer into the document to a place in the source."""

    @abstractmethod
    def locate(self, pointer: str, *, key: bool = False) -> Location:
        """The place of the value at `pointer` (or of its key when `key` is true)."""

    def locate_all(self, asked: Sequence[tuple[str, bool]]) -> list[Location]:
        """The places of many (pointer, key) at once: a locator that pays for each question
        (a document read by another process) answers them together."""
        return [self.locate(pointer, key=key) for pointer, key in asked]


Position = tuple[int, int]  # (line, column), both counted from 1


class PositionLocator(Locator):
    """A locator over a map of pointer -> (value position, key position), built lazily.

    A pointer the map lacks (a field that is missing, say) resolves to its nearest
    ancestor that is present, so a finding is never without a line.
    """

    def __init__(self, file: str, build: Callable[[], Mapping[str, tuple[Position, Position | None]]]):
        self.file = file
        self._build = build
        self._map: Mapping[str, tuple[Position, Position | None]] | None = None

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        if self._map is None:
            self._map = self._build()
        probe = pointer
        while probe not in self._map and probe:
            probe = probe.rsplit("/", 1)[0]
            key = False
        value_pos, key_pos = self._map.get(probe, ((None, None), None))
        line, column = key_pos if key and key_pos else value_pos
        return Location(file=self.file, line=line, column=column, pointer=pointer)


class FileLocator(Locator):
    """For a document with no positions (unreadable input): the file and pointer only."""

    def __init__(self, file: str):
        self.file = file

    def locate(self, pointer: str, *, key: bool = False) -> Location:
        return Location(file=self.file, pointer=pointer)


# What the engine asks of a record (kind, index among its kind, raw record) where another
# process reads it: a verdict it reads back, of plain data that crosses between processes.
Judge = Callable[[str, int, Any], Any]


@dataclass
class Document:
    """A dataset document read by an importer.

    `data` is the whole document; a streamed document (`stream` set) holds in `data` only its
    header, every top-level field but the record lists, and reads its records anew from the
    source on each call of `stream`, so that memory does not grow with the records. Problems
    met while streaming are added to `problems` as they are met. `fetch` gives a streamed
    record again by its kind and index, for checks that compare a record with an earlier one.
    `fetch_all` gives many at once, where that costs less than one by one.
    `judged`, where another process reads the records, gives them with the verdict of a
    `Judge` on each that it had the time to work out (None where it had not).
    """

    name: str
    format: str
    data: Any
    locator: Locator
    problems: list[Hit] = field(default_factory=list)  # met while reading
    losses: list[Hit] = field(default_factory=list)  # values a conversion could not write
    stream: Callable[[], Iterator[tuple[str, int, Any]]] | None = None  # as `records` gives them
    fetch: Callable[[str, int], Any] | None = None  # (kind, index) -> raw record of a streamed document
    fetch_all: Callable[[str, Sequence[int]], list[Any]] | None = None  # (kind, indexes) -> their raw records
    judged: Callable[[Judge], Iterator[tuple[str, int, Any, Any]]] | None = None

    def records(self) -> Iterator[tuple[str, int, Any]]:
        """(kind, index among the records of its kind, raw record) of every record, in order."""
        if self.stream is not None:
            yield from self.stream()
        elif isinstance(self.data, Mapping):
            for kind, key in RECORD_KEYS.items():
                collection = self.data.get(key)
                if isinstance(collection, list):
                    yield from ((kind, index, raw) for index, raw in enumerate(collection))

    def record(self, kind: str, index: int) -> Any:
        """One record again, by its kind and index."""
        if self.fetch is not None:
            return self.fetch(kind, index)
        return self.data[RECORD_KEYS[kind]][index]

    def records_at(self, kind: str, indexes: Sequence[int]) -> list[Any]:
        """Records again, by their kind and indexes (`fetch_all` reads them in one go)."""
        if self.fetch_all is not None:
            return self.fetch_all(kind, indexes)
        return [self.record(kind, index) for index in indexes]

    def header(self) -> Any:
        """The document without its record lists (a list is a record list; anything else under a
        record key is the header's, for the schema to find wrong)."""
        if not isinstance(self.data, Mapping) or self.stream is not None:
            return self.data
        return {k: v for k, v in self.data.items() if not (k in RECORD_KEYS.values() and isinstance(v, list))}

    def whole(self) -> Any:
        """The whole document, records included (for writing it in another format)."""
        if self.stream is None or not isinstance(self.data, Mapping):
            return self.data
        return gathered(self.data, self.records())


def gathered(header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]]) -> dict[str, Any]:
    """A document from its header and its records, each record list in the order given."""
    whole = dict(header)
    for kind, _index, raw in records:
        whole.setdefault(RECORD_KEYS[kind], []).append(raw)
    return whole


class Importer(ABC):
    """Reads one data format into a dataset document."""

    name: ClassVar[str]
    title: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[frozenset[str]] = frozenset()  # the `ReadOptions` it honours
    folders: ClassVar[bool] = False  # whether it reads a folder as one input

    def sniff(self, source: Input) -> bool:
        """Whether an input looks like this format (for detection); `source.head` is cheap.
        A folder may be asked by its file names alone (`members` with empty contents)."""
        return False

    @abstractmethod
    def load(self, source: Input) -> Document:
        """Read the input; problems (syntax errors) go into `Document.problems`, never raise."""


class Exporter(ABC):
    """Writes a dataset document in one data format."""

    name: ClassVar[str]
    title: ClassVar[str]
    extension: ClassVar[str]
    options: ClassVar[frozenset[str]] = frozenset()  # the `WriteOptions` it honours
    binary: ClassVar[bool] = False  # bytes that are no text (a zip): not for a terminal
    streams: ClassVar[bool] = False  # writes records as they come (`dump_records`): a dataset is never held whole

    @abstractmethod
    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        """Write the document; return a hit for every value the format cannot carry."""

    def dump_records(self, header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]], out: BinaryIO,
                     options: WriteOptions) -> list[Hit]:
        """Write a dataset given as its header and its records (`Document.records()`); a format
        that `streams` writes each as it comes, any other gathers them for `dump`."""
        return self.dump(gathered(header, records), out, options)

    def template(self) -> list[Sheet] | None:
        """Empty tables for people to fill in (`citynet template`): the columns, a note on
        each, the values of coded columns. None: the format is not a table."""
        return None


class DeferredImporter(Importer):
    """An importer whose reading code lives in `module` (functions `sniff(source)` and
    `load(source)`), imported when it is first asked: every command loads every plugin, and a
    format's libraries (a spreadsheet reader, the models) should cost only where it is read."""

    module: ClassVar[str]

    def sniff(self, source: Input) -> bool:
        return import_module(self.module).sniff(source)  # type: ignore[no-any-return]

    def load(self, source: Input) -> Document:
        return import_module(self.module).load(source)  # type: ignore[no-any-return]


class DeferredExporter(Exporter):
    """An exporter whose writing code lives in `module` (a function `dump(data, out, options)`,
    and `template()` for a table), imported when it is first asked (see `DeferredImporter`)."""

    module: ClassVar[str]

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        return import_module(self.module).dump(data, out, options)  # type: ignore[no-any-return]

    def dump_records(self, header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]], out: BinaryIO,
                     options: WriteOptions) -> list[Hit]:
        if not self.streams:
            return super().dump_records(header, records, out, options)
        return import_module(self.module).dump_records(header, records, out, options)  # type: ignore[no-any-return]

    def template(self) -> list[Sheet] | None:
        template = getattr(import_module(self.module), "template", None)
        return None if template is None else template()  # type: ignore[no-any-return]


def decode_text(source: Input) -> tuple[str | None, Hit | None]:
    """Decode a text format's bytes (UTF-8, or UTF-16/UTF-8 with a byte-order mark).

    A byte that cannot be decoded is a `syntax-error` hit at its line and column.
    """
    data = source.data
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")  # columns count characters
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        return None, syntax_hit(
            source.name, line, column, f"the bytes are not valid {encoding.upper()} ({exc.reason})"
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(text: str) -> str | None:
    """What is wrong with a text holding half of a UTF-16 surrogate pair, if it holds one.

    Escapes can write one (JSON's and YAML's `\\ud800`, Turtle's), and Python's readers take
    it; but it is no character, so no file (no report, no conversion) can hold the text. A
    reader reports it as a syntax error at its place rather than fail when it is written.
    """
    found = _SURROGATE.search(text)
    if found is None:
        return None
    return f"\\u{ord(found[0]):04x} is half of a UTF-16 surrogate pair, not a character; write the character itself"


def syntax_hit(file: str, line: int | None, column: int | None, problem: str) -> Hit:
    return Hit(
        code="syntax-error",
        message="syntax",
        params={"problem": problem},
        location=Location(file=file, line=line, column=column),
    )


def refusal(file: str, what: str, why: str, line: int | None = None, column: int | None = None) -> Hit:
    """An `unsafe-input` hit: the input asks for what reading must not do (fetch, expand without end)."""
    return Hit(code="unsafe-input", message="refused", params={"what": what, "why": why},
               location=Location(file=file, line=line, column=column))
