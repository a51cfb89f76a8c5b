"""The validation engine: document -> structural checks -> records -> rules -> findings.

Checks report `Hit`s with JSON Pointers; only here are they filtered by the selected
codes, rendered with their rule's message templates and located in the source. A rule
that raises is recorded as a tool problem (the verdict is then incomplete) and the other
rules still run.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from jsonschema import Draft202012Validator
from pydantic import ValidationError

from citynet_exchange.findings import Finding, Hit, Location, RecordRef
from citynet_exchange.formats import Document
from citynet_exchange import suppressions
from citynet_exchange.merge import merge
from citynet_exchange.model import KINDS, Metadata
from citynet_exchange.plugins import Host
from citynet_exchange.report import Report, ToolProblem
from citynet_exchange.rules import Record, RuleContext, RuleInfo
from citynet_exchange.structure import check_structure


@dataclass(frozen=True)
class Options:
    """What to check: `select` (None = all) and `ignore` take finding codes."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)
    raise_errors: bool = False  # --debug: let a failing rule's exception through

    def wants(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore


def validate_documents(documents: Sequence[Document], host: Host, options: Options,
                       together: bool = False) -> Report:
    """Validate each document as a dataset of its own, or (`together`) all of them as one:
    each file's own structure, then the rules over all their records."""
    runs = [_Run(document, host, options, rules=not together) for document in documents]
    if together:
        runs.append(_Run(merge(documents), host, options, checks=False))
    findings: list[Finding] = []
    records: Counter[str] = Counter()
    problems = list(host.problems)
    for run in runs:
        findings.extend(run.findings())
        records.update(run.record_counts)
        problems.extend(run.problems)
    return Report.build(findings, records, len(documents), problems, [d.name for d in documents])


def records_of(data: Any) -> Iterator[tuple[str, str, Any]]:
    """(kind, pointer, raw record) for every record of a dataset document."""
    if not isinstance(data, Mapping):
        return
    for kind, (key, _model) in KINDS.items():
        collection = data.get(key)
        if isinstance(collection, list):
            for index, raw in enumerate(collection):
                yield kind, f"/{key}/{index}", raw


class _Run:
    """The validation of one document."""

    def __init__(self, document: Document, host: Host, options: Options, checks: bool = True, rules: bool = True):
        self.document = document
        self.host = host
        self.options = options
        self.checks = checks  # the reader's problems, the schema, the extension schemas
        self.rules = rules
        self.problems: list[ToolProblem] = []
        self.record_counts: Counter[str] = Counter()
        self._refs: dict[str, RecordRef] = {}

    def findings(self) -> list[Finding]:
        hits: list[tuple[RuleInfo, Hit]] = []
        data = self.document.data
        if self.checks:
            hits += [(self._info(h.code), h) for h in [*self.document.problems, *self.document.losses]]
        if self.checks and data is not None:
            # A value the importer already reported (a country name it could not translate,
            # say) is not reported again by the schema.
            reported = {h.pointer for h in self.document.problems if h.pointer}
            hits += [(self._info(h.code), h) for h in check_structure(data) if h.pointer not in reported]
            hits += [(self._info(h.code), h) for h in self._extension_hits(data)]
        if data is not None and not self.rules:
            self._index(data)  # the records findings are about; the rules run elsewhere (a merged run)
        if data is not None and self.rules:
            context = self._context(data)
            rule_hits: list[tuple[RuleInfo | None, Hit]] = []
            for rule in self.host.rules.values():
                if self.options.wants(rule.code):
                    rule_hits += [(rule, h) for h in self._run_rule(rule, context)]
            ran = {code for code in self.host.rules if self.options.wants(code)}
            rule_hits = suppressions.apply(rule_hits, records_of(data), set(self.host.rules), ran, data)
            hits += [(info or self._info(h.code), h) for info, h in rule_hits]
        findings = [self._finding(info, hit) for info, hit in hits if self.options.wants(info.code)]
        # Two checks that find the same thing at the same place (the schema and SHACL shapes) say it once.
        return list({(f.code, f.message, _place(f.location)): f for f in reversed(findings)}.values())[::-1]

    def _info(self, code: str | None) -> RuleInfo:
        return self.host.rule_info(code or "")

    def _run_rule(self, rule: Any, context: RuleContext) -> list[Hit]:
        try:
            hits = list(rule.check(context))
            for hit in hits:
                rule.render(hit.message, hit.params)  # a bad template is the rule's failure
            return hits
        except Exception as exc:
            if self.options.raise_errors:
                raise
            self.problems.append(
                ToolProblem(source=f"rule {rule.code}", message=f"{type(exc).__name__}: {exc} (rerun with --debug)")
            )
            return []

    def _extension_hits(self, data: Any) -> Iterator[Hit]:
        validators: dict[str, Draft202012Validator] = {}
        for kind, pointer, raw in records_of(data):
            extensions = raw.get("extensions") if isinstance(raw, Mapping) else None
            if not isinstance(extensions, Mapping):
                continue
            for name, value in extensions.items():
                schema = self.host.extension_schemas.get(name)
                if schema is None or kind not in schema.kinds:
                    continue  # an extension nobody registered is kept untouched
                if name not in validators:
                    validators[name] = Draft202012Validator(dict(schema.schema))
                yield from check_structure(value, validators[name], base=f"{pointer}/extensions/{name}")

    def _index(self, data: Any) -> None:
        """Which record each pointer belongs to, for the findings' `record`."""
        for kind, pointer, raw in records_of(data):
            record_id = raw.get("id") if isinstance(raw, Mapping) else None
            self._refs[pointer] = RecordRef(kind=kind, id=record_id if isinstance(record_id, str) else None)

    def _context(self, data: Any) -> RuleContext:
        records: dict[str, list[Record[Any]]] = defaultdict(list)
        ids: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        referenced: dict[str, set[str]] = defaultdict(set)
        self._index(data)
        for kind, pointer, raw in records_of(data):
            for target, ref in _references(kind, raw):
                referenced[target].add(ref)
            self.record_counts[kind] += 1
            record_id = self._refs[pointer].id
            if record_id is not None:
                ids[kind][record_id].append(pointer)
            model = _sound_model(KINDS[kind][1], raw)
            if model is not None:
                records[kind].append(Record(kind=kind, pointer=pointer, model=model))
        metadata = _sound_model(Metadata, data.get("metadata")) if isinstance(data, Mapping) else None
        return RuleContext(today=self.options.today, records=records, ids=ids, metadata=metadata,
                           referenced={kind: frozenset(refs) for kind, refs in referenced.items()})

    def _finding(self, info: RuleInfo, hit: Hit) -> Finding:
        locator = self.document.locator
        location = hit.location or locator.locate(hit.pointer or "", key=hit.key)
        return Finding(
            code=info.code,
            severity=info.severity,
            message=info.render(hit.message, hit.params),
            message_id=f"{info.code}.{hit.message}",
            params=hit.params,
            location=location,
            record=hit.record or self._record_of(hit.pointer),
            related=[locator.locate(p) for p in hit.related],
        )

    def _record_of(self, pointer: str | None) -> RecordRef | None:
        if not pointer:
            return None
        return self._refs.get("/".join(pointer.split("/")[:3]))


def _place(location: Location) -> Location:
    """Where a finding is for telling two apart: a place in the source; the JSON Pointer only
    where the source gives none (a check that speaks of an RDF subject may know no pointer)."""
    if location.line is not None or location.row is not None or location.subject is not None:
        return location.model_copy(update={"pointer": None})
    return location


def _references(kind: str, raw: Any) -> Iterator[tuple[str, str]]:
    """(kind, id) of every town or network a raw record refers to."""
    if not isinstance(raw, Mapping):
        return
    if kind == "partnership" and isinstance(raw.get("members"), list):
        yield from (("town", m) for m in raw["members"] if isinstance(m, str))
    elif kind == "membership":
        yield from ((target, raw[target]) for target in ("town", "network") if isinstance(raw.get(target), str))


def _sound_model(model: Any, raw: Any) -> Any:
    """The record as a model, leaving out optional fields that are broken; None if it has
    no sound form (a required field is missing or broken)."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        if not isinstance(raw, Mapping):
            return None
        broken = {err["loc"][0] for err in exc.errors() if err["loc"]}
        if any(name in model.model_fields and model.model_fields[name].is_required() for name in broken):
            return None
        try:
            return model.model_validate({k: v for k, v in raw.items() if k not in broken})
        except ValidationError:
            return None


def selected_codes(codes: Iterable[str]) -> frozenset[str]:
    return frozenset(c.strip() for code in codes for c in code.split(",") if c.strip())


def expand(values: Iterable[str], known: Iterable[str]) -> tuple[frozenset[str], list[str]]:
    """The codes that values name: a code itself, or a prefix ending in `-` or `*` (`duplicate-`
    names duplicate-id, duplicate-key ...); and the values that name none."""
    known = sorted(known)
    codes: set[str] = set()
    unknown: list[str] = []
    for value in values:
        prefix = value[:-1] if value.endswith("*") else value if value.endswith("-") else None
        matched = {c for c in known if c == value or (prefix is not None and c.startswith(prefix))}
        codes |= matched
        if not matched:
            unknown.append(value)
    return frozenset(codes), unknown
