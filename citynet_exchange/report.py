"""The validation report: findings plus a summary, as the JSON report publishes it.

`schema/report-1.0.schema.json` is generated from these models, so every JSON report
validates against it.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass
from enum import Enum
from typing import Any, ClassVar, Literal

import orjson

from citynet_exchange import STANDARD_VERSION, __version__
from citynet_exchange.findings import Finding, Severity

_SCHEMA = {"use_attribute_docstrings": True}  # for the report schema: see `findings`


@dataclass(frozen=True)
class Tool:
    """The validator that wrote the report."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    name: str = "citynet-exchange"
    """Name of the validator."""
    version: str = __version__
    """Its version."""


@dataclass(frozen=True)
class ToolProblem:
    """A failure of the validator or a plugin, not of the data: the verdict is incomplete."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    source: str
    """The plugin or rule that failed."""
    message: str
    """What went wrong."""


@dataclass(frozen=True)
class Summary:
    """Counts over the whole report."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    severities: dict[Severity, int]
    """Number of findings per severity."""
    records: dict[str, int]
    """Number of records per kind."""
    files: int
    """Number of files validated."""


@dataclass(frozen=True, kw_only=True)
class Report:
    """The result of validating one or more files."""

    __pydantic_config__: ClassVar[dict[str, Any]] = _SCHEMA

    report: Literal["1.0"] = "1.0"
    """Version of the report format."""
    tool: Tool = field(default_factory=Tool)
    """The validator that wrote the report."""
    standard: str = STANDARD_VERSION
    """Version of the standard validated against."""
    valid: bool
    """True when no finding has severity error."""
    summary: Summary
    """Counts of findings, records and files."""
    inputs: list[str] = field(default_factory=list)
    """The files validated, as they were named."""
    findings: list[Finding]
    """The findings, ordered by file and place."""
    tool_problems: list[ToolProblem] = field(default_factory=list)
    """Failures of the validator or its plugins; empty when the run was complete."""

    @classmethod
    def build(
        cls,
        findings: Iterable[Finding],
        records: Counter[str],
        files: int,
        tool_problems: Iterable[ToolProblem] = (),
        inputs: Iterable[str] = (),
    ) -> Report:
        ordered = sorted(findings, key=Finding.sort_key)
        counts = Counter(f.severity for f in ordered)
        return cls(
            valid=counts[Severity.ERROR] == 0,
            summary=Summary(
                severities={s: counts[s] for s in Severity},
                records={kind: records[kind] for kind in ("town", "network", "partnership", "membership")},
                files=files,
            ),
            inputs=list(inputs),
            findings=ordered,
            tool_problems=list(tool_problems),
        )

    def with_findings(self, findings: Iterable[Finding]) -> Report:
        """The same run with its findings changed (filtered, severities adjusted); the counts follow."""
        return Report.build(findings, Counter(self.summary.records), self.summary.files, self.tool_problems,
                            self.inputs)

    def at_or_above(self, threshold: Severity) -> list[Finding]:
        severities = {severity for severity in Severity if severity.rank >= threshold.rank}  # text or member alike
        return [f for f in self.findings if f.severity in severities]

    def to_json(self) -> str:
        """The JSON report, as `schema/report-1.0.schema.json` describes it."""
        return json_text(self)


def plain(value: Any) -> Any:
    """A value JSON can hold, a dataclass as an object of its fields: a number JSON has none
    for (NaN, infinity) as null, a value of another type as its text."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    names = _FIELD_NAMES.get(kind)
    if names is None and is_dataclass(value):
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, Enum):
        return plain(value.value)
    if isinstance(value, (str, int)):
        return value
    return str(value)


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}  # of the dataclasses met, by class


def json_text(value: Any) -> str:
    """Indented JSON text of what `plain` takes (see `json_bytes`)."""
    return json_bytes(value).decode()


def json_bytes(value: Any, newline: bool = False) -> bytes:
    """Indented JSON of what `plain` takes (dataclasses, enums, plain data), in UTF-8, ended
    with a newline if asked. orjson writes it: the standard library's indenting writer is pure
    Python, at some 35 µs a finding, and orjson reads dataclasses and enums itself (8 µs a
    finding). Where dictionaries are keyed by text or numbers, its text is the standard
    library's of `plain(value)`; an integer past 64 bits, which orjson refuses, is left to the
    standard library. A report is written as these bytes: its text decoded from them would be
    a second copy of a report that may hold a finding a record."""
    options = orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS | (orjson.OPT_APPEND_NEWLINE if newline else 0)
    try:
        return orjson.dumps(value, option=options, default=_other)
    except orjson.JSONEncodeError:
        text = json.dumps(plain(value), indent=2, ensure_ascii=False, allow_nan=False)
        return (text + "\n" if newline else text).encode()


def _other(value: Any) -> Any:
    """What orjson does not write itself, as `plain` has it."""
    return float(value) if isinstance(value, float) else str(value)
