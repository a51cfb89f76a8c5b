"""What a rule is and what it sees: the API for writing validation rules.

A rule has a stable kebab-case code, a default severity, a title and an explanation (the
rule catalogue, `citynet rules`), message templates, and a checker: one pass over the
records of a dataset, which are streamed so that a big dataset is never held whole.
Rules speak in JSON Pointers; the engine adds file, line and column.

Three ways to write one, from the cheapest to run to the most general:
- `record_rule`: a function that looks at one record at a time;
- `checker_rule`: a `Checker` class that sees every record and reports at the end, keeping
  what it needs between records (a compact index, not the records);
- `rule`: a function over the whole dataset (`RuleContext`), which holds every record in
  memory: simple to write, but its memory grows with the data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar

from citynet_exchange.findings import Hit, RecordRef, Severity
from citynet_exchange.kinds import RECORD_KEYS

if TYPE_CHECKING:
    from citynet_exchange.index import Index

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
FETCH_BATCH = 1024  # the records `Scope.fetch_all` asks for at once: a request's cost shared, memory kept small


@dataclass(frozen=True)
class RuleInfo:
    """A rule catalogue entry."""

    code: str
    severity: Severity
    title: str
    explanation: str
    messages: Mapping[str, str]

    def render(self, message: str, params: Mapping[str, Any]) -> str:
        return self.messages[message].format(**params)


class Record:
    """A record as rules see it: its kind, its index among the records of its kind, and its
    fields as plain data (`data`), structurally sound: a field whose structure is broken is
    left out, and a record without a sound form (a required field broken) is not shown."""

    __slots__ = ("kind", "index", "data", "_model")

    def __init__(self, kind: str, index: int, data: Mapping[str, Any]):
        self.kind, self.index, self.data = kind, index, data
        self._model: Any = None

    @property
    def pointer(self) -> str:
        return f"/{RECORD_KEYS[self.kind]}/{self.index}"

    @property
    def id(self) -> str:
        return self.data["id"]  # type: ignore[no-any-return]

    @property
    def ref(self) -> RecordRef:
        return RecordRef(kind=self.kind, id=self.data["id"])

    @property
    def model(self) -> Any:
        """The record as its pydantic model (`model.Town` ...), built when first asked for."""
        if self._model is None:
            from citynet_exchange.model import KINDS

            self._model = KINDS[self.kind][1].model_validate(self.data)
        return self._model

    def hit(
        self, message: str, *, field: str | None = None, related: Iterable[str] = (), **params: Any
    ) -> Hit:
        """A hit on this record, or on one of its fields (`field` is a pointer suffix)."""
        pointer = f"{self.pointer}/{field}" if field else self.pointer
        return Hit(message=message, params=params, pointer=pointer, record=self.ref, related=tuple(related))


@dataclass(frozen=True)
class Scope:
    """What every checker of one dataset shares: the date taken as today, the dataset's
    sound metadata (plain data, None if it has none), the index of ids and references over
    all records (sound or not, complete at `Checker.end`), and `fetch` to read a record
    again by kind and index (cheap; for comparing a record with an earlier one)."""

    today: date
    metadata: Mapping[str, Any] | None
    index: Index
    fetch: Callable[[str, int], Record | None]
    # Many records of one kind again, in the order asked (see `fetch_all`).
    fetch_many: Callable[[str, Sequence[int]], Iterable[Record | None]] | None = None

    def fetch_all(self, kind: str, indexes: Iterable[int]) -> Iterator[Record | None]:
        """Records of `kind` again, by index, in the order asked: where another process reads
        the data, one request for each `FETCH_BATCH` of them instead of a wait for each."""
        if self.fetch_many is None:
            yield from map(partial(self.fetch, kind), indexes)
            return
        indexes = iter(indexes)
        while batch := list(islice(indexes, FETCH_BATCH)):
            yield from self.fetch_many(kind, batch)


class Checker:
    """One rule's pass over the records of one dataset.

    `see` is called with each sound record of the `kinds` it names, in the order of the
    source, and may return hits (or None); `end` is called once after the last record.
    """

    kinds: ClassVar[frozenset[str]] = frozenset(RECORD_KEYS)

    def __init__(self, scope: Scope):
        self.scope = scope

    def see(self, record: Record) -> Iterable[Hit] | None:
        return None

    def end(self) -> Iterable[Hit]:
        return ()

    def quiet_schema(self) -> Mapping[str, Mapping[str, Any]]:
        """JSON Schemas, by record kind, that only records `see` says nothing of satisfy.

        Calling `see` costs a Python call for every record, however little it does; the
        engine checks these schemas compiled, together with the published one, and does not
        call `see` for a record that satisfies them. A schema may refuse records `see` is
        silent on (those are seen as before), but must never accept one it would report or
        note: a checker that keeps something of every record declares none."""
        return {}


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A rule catalogue entry with the checker that implements it."""

    checker: Callable[[Scope], Checker] = field(repr=False)


def _explanation(doc: str | None) -> str:
    return " ".join((doc or "").split())


QuietSchemas = Callable[[Scope], Mapping[str, Mapping[str, Any]]]


def record_rule(
    code: str, severity: Severity, title: str, messages: Mapping[str, str], kinds: Iterable[str],
    quiet: QuietSchemas | None = None,
) -> Callable[[Callable[[Record, Scope], Iterable[Hit] | None]], Rule]:
    """Decorator turning a function of one record (and the scope) into a `Rule`; its docstring
    is the explanation. It is called for each sound record of `kinds`; `quiet` gives, for a
    scope, the schemas of `Checker.quiet_schema`."""

    def wrap(check: Callable[[Record, Scope], Iterable[Hit] | None]) -> Rule:
        class _PerRecord(Checker):
            def __init__(self, scope: Scope):
                super().__init__(scope)
                self.see = partial(check, scope=scope)  # type: ignore[method-assign]

            def quiet_schema(self) -> Mapping[str, Mapping[str, Any]]:
                return quiet(self.scope) if quiet is not None else {}

        _PerRecord.kinds = frozenset(kinds)
        return Rule(code, severity, title, _explanation(check.__doc__), dict(messages), _PerRecord)

    return wrap


def checker_rule(
    code: str, severity: Severity, title: str, messages: Mapping[str, str]
) -> Callable[[type[Checker]], Rule]:
    """Decorator turning a `Checker` class into a `Rule`; its docstring is the explanation."""

    def wrap(checker: type[Checker]) -> Rule:
        return Rule(code, severity, title, _explanation(checker.__doc__), dict(messages), checker)

    return wrap


def rule(
    code: str, severity: Severity, title: str, messages: Mapping[str, str]
) -> Callable[[Callable[[RuleContext], Iterable[Hit]]], Rule]:
    """Decorator turning a function over the whole dataset into a `Rule`; its docstring is the
    explanation. The records are kept in memory for it until the end of the pass."""

    def wrap(check: Callable[[RuleContext], Iterable[Hit]]) -> Rule:
        class _WholeDataset(Checker):
            def __init__(self, scope: Scope):
                super().__init__(scope)
                self.records: dict[str, list[Record]] = defaultdict(list)

            def see(self, record: Record) -> None:
                self.records[record.kind].append(record)

            def end(self) -> Iterable[Hit]:
                return check(RuleContext.of_records(self.scope, self.records))

        return Rule(code, severity, title, _explanation(check.__doc__), dict(messages), _WholeDataset)

    return wrap


@dataclass(frozen=True)
class ExtensionSchema:
    """A JSON Schema for the fields a plugin adds under `extensions.<name>` of records."""

    name: str
    schema: Mapping[str, Any]
    kinds: frozenset[str] = frozenset(RECORD_KEYS)
    title: str = ""


@dataclass
class RuleContext:
    """What a whole-dataset rule (`rule`) sees of one dataset.

    `records` holds the records whose structure is sound (a record with a bad optional
    field is kept without that field; `record.model` is its pydantic model); `ids` tells
    which ids the dataset defines (of towns and networks: every record's, sound or not), and
    `referenced` holds every town and network id that a partnership or membership refers
    to, sound or not, so that a structural error does not cascade into reference or orphan
    findings.
    """

    today: date
    records: Mapping[str, Sequence[Record]]
    ids: Mapping[str, Any]
    referenced: Mapping[str, frozenset[str]] = field(default_factory=dict)
    metadata: Any = None  # the dataset's sound `model.Metadata`, if it has one
    _indexes: dict[str, dict[str, Record]] = field(default_factory=dict, repr=False)

    @classmethod
    def of_records(cls, scope: Scope, records: Mapping[str, Sequence[Record]]) -> RuleContext:
        from citynet_exchange.model import Metadata

        metadata = Metadata.model_validate(scope.metadata) if scope.metadata is not None else None
        index = scope.index
        ids = {**index.defined_ids(), **{kind: frozenset(r.id for r in records.get(kind, ()))
                                         for kind in ("partnership", "membership")}}
        return cls(today=scope.today, records=records, ids=ids, metadata=metadata,
                   referenced={kind: index.referenced_ids(kind) for kind in ("town", "network")})

    def of(self, kind: str) -> Sequence[Record]:
        return self.records.get(kind, ())

    def defines(self, kind: str, record_id: str) -> bool:
        return record_id in self.ids.get(kind, {})

    def by_id(self, kind: str) -> Mapping[str, Record]:
        """The sound records of a kind by id (the first, where an id is defined twice)."""
        index = self._indexes.get(kind)
        if index is None:
            index = {}
            for record in self.of(kind):
                index.setdefault(record.id, record)
            self._indexes[kind] = index
        return index
