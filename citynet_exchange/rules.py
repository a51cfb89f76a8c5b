"""What a rule is and what it sees: the API for writing validation rules.

A rule has a stable kebab-case code, a default severity, a title and an explanation (the
rule catalogue, `citynet rules`), message templates, and a `check` that reads a
`RuleContext` and yields `Hit`s. Rules speak in JSON Pointers; the engine adds file, line
and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from citynet_exchange.findings import Hit, RecordRef, Severity
from citynet_exchange.model import KINDS

CODE_PATTERN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

M = TypeVar("M", bound=BaseModel)


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


@dataclass(frozen=True)
class Rule(RuleInfo):
    """A rule catalogue entry with the check that implements it."""

    check: Callable[[RuleContext], Iterable[Hit]] = field(repr=False)


def rule(
    code: str, severity: Severity, title: str, messages: Mapping[str, str]
) -> Callable[[Callable[[RuleContext], Iterable[Hit]]], Rule]:
    """Decorator turning a check function into a `Rule`; its docstring is the explanation."""

    def wrap(check: Callable[[RuleContext], Iterable[Hit]]) -> Rule:
        explanation = " ".join((check.__doc__ or "").split())
        return Rule(code, severity, title, explanation, dict(messages), check)

    return wrap


@dataclass(frozen=True)
class ExtensionSchema:
    """A JSON Schema for the fields a plugin adds under `extensions.<name>` of records."""

    name: str
    schema: Mapping[str, Any]
    kinds: frozenset[str] = frozenset(KINDS)
    title: str = ""


@dataclass(frozen=True)
class Record(Generic[M]):
    """A record that passed the structural checks, with the pointer to it in the document."""

    kind: str
    pointer: str
    model: M

    @property
    def ref(self) -> RecordRef:
        return RecordRef(kind=self.kind, id=self.model.id)  # type: ignore[attr-defined]

    def hit(
        self, message: str, *, field: str | None = None, related: Iterable[str] = (), **params: Any
    ) -> Hit:
        """A hit on this record, or on one of its fields (`field` is a pointer suffix)."""
        pointer = f"{self.pointer}/{field}" if field else self.pointer
        return Hit(message=message, params=params, pointer=pointer, record=self.ref, related=tuple(related))


@dataclass
class RuleContext:
    """What rules see of one dataset.

    `records` holds the records whose structure is sound (a record with a bad optional
    field is kept without that field); `ids` holds every id the document defines, and
    `referenced` every town and network id that a partnership or membership refers to,
    sound or not, so that a structural error does not cascade into reference or orphan
    findings.
    """

    today: date
    records: Mapping[str, Sequence[Record[Any]]]
    ids: Mapping[str, Mapping[str, Sequence[str]]]
    referenced: Mapping[str, frozenset[str]] = field(default_factory=dict)
    metadata: Any = None  # the dataset's sound `model.Metadata`, if it has one
    _indexes: dict[str, dict[str, Record[Any]]] = field(default_factory=dict, repr=False)

    def of(self, kind: str) -> Sequence[Record[Any]]:
        return self.records.get(kind, ())

    def defines(self, kind: str, record_id: str) -> bool:
        return record_id in self.ids.get(kind, {})

    def by_id(self, kind: str) -> Mapping[str, Record[Any]]:
        """The sound records of a kind by id (the first, where an id is defined twice)."""
        index = self._indexes.get(kind)
        if index is None:
            index = {}
            for record in self.of(kind):
                index.setdefault(record.model.id, record)
            self._indexes[kind] = index
        return index
