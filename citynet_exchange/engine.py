"""The validation engine: documents -> structural checks -> records -> rules -> findings.

The records of a dataset pass once, one at a time, through the structural checks (the
published schema, compiled), the index of ids and references, and the rules' checkers, so
that memory grows with the ids a dataset defines, not with its size. Checks report `Hit`s
with JSON Pointers; only at the end are they filtered by the selected codes, rendered with
their rule's message templates and located in the source (a document works out positions
only when a finding asks for one). A rule that raises is recorded as a tool problem (the
verdict is then incomplete) and the other rules still run.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import date
from functools import cache
from typing import Any

from citynet_exchange import suppressions
from citynet_exchange.findings import Finding, Hit, Location, RecordRef, field_values
from citynet_exchange.formats import Document, Locator
from citynet_exchange.index import Index
from citynet_exchange.kinds import RECORD_KEYS
from citynet_exchange.limits import Limits, exceeded, oversized
from citynet_exchange.merge import Span, metadata_of
from citynet_exchange.plugins import Host
from citynet_exchange.report import Report, ToolProblem
from citynet_exchange.rules import Checker, Record, Rule, RuleInfo, Scope
from citynet_exchange.structure import Compiled, Structure, sound_form
from citynet_exchange.verdicts import Verdicts

# The records of a kind read before the rules' quiet schemas are compiled for the rest:
# compiling takes 4 to 6 ms a kind, about what not calling the rules saves on a thousand.
QUIET_AFTER = 1000


@dataclass(frozen=True)
class Options:
    """What to check: `select` (None = all) and `ignore` take finding codes."""

    select: frozenset[str] | None = None
    ignore: frozenset[str] = frozenset()
    today: date = field(default_factory=date.today)
    raise_errors: bool = False  # --debug: let a failing rule's exception through
    limits: Limits = Limits()

    def wants(self, code: str) -> bool:
        return (self.select is None or code in self.select) and code not in self.ignore


def validate_documents(documents: Sequence[Document], host: Host, options: Options,
                       together: bool = False) -> Report:
    """Validate each document as a dataset of its own, or (`together`) all of them as one."""
    groups = [list(documents)] if together and documents else [[d] for d in documents]
    findings: list[Finding] = []
    records: Counter[str] = Counter()
    problems = list(host.problems)
    with _collector_paused():
        for group in groups:
            run = _Run(group, host, options)
            findings.extend(run.findings())
            records.update(run.record_counts)
            problems.extend(run.problems)
    return Report.build(findings, records, len(documents), problems, [d.name for d in documents])


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector, run again and again while millions of small objects
    are made, was the largest single cost of a big run; nothing a run makes is a cycle that
    must be freed before it ends."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@cache
def _structure(text_chars: int) -> Structure:
    return Structure(text_chars)


class _Run:
    """The validation of one dataset: one document, or several read as one."""

    def __init__(self, documents: list[Document], host: Host, options: Options):
        self.documents = documents
        self.span = Span(documents[0].name if len(documents) == 1 else "<dataset>")
        self.host = host
        self.options = options
        self.structure = _structure(options.limits.text_chars)
        self.problems: list[ToolProblem] = []
        self.record_counts: Counter[str] = Counter()
        self.hits: list[tuple[RuleInfo | None, Hit, Locator]] = []
        self._extensions: dict[str, Compiled] = {}
        self._checkers: dict[str, tuple[Rule, Checker]] = {}  # the rules still asked, by code
        self._sees: dict[str, list[tuple[Rule, Any]]] = {}  # by record kind: each rule's `see`
        # A record's verdict, compiled for a kind once `QUIET_AFTER` records of it are read (or
        # before a reading process is forked); `_loud` holds, by kind and verdict, the `see`s
        # a record with that verdict needs.
        self.verdicts = Verdicts(self.structure)
        self._loud: dict[str, dict[int, list[tuple[Rule, Any]]]] = {}
        self._silences: list[tuple[str, list[tuple[int, str]]]] = []
        # After a whole pass: the records that are not sound, by kind and number, each with the
        # fields its sound form leaves out (None: it has none), so that one read again is not
        # checked again.
        self._passed = False
        self._unsound: dict[str, dict[int, frozenset[str] | None]] = {kind: {} for kind in RECORD_KEYS}
        self._left_out: dict[frozenset[str] | None, frozenset[str] | None] = {}
        self._rule_hits: list[tuple[RuleInfo | None, Hit]] = []

    def findings(self) -> list[Finding]:
        self._records()
        for document in self.documents:  # after the records: a stream's problems come as it is read
            self.hits += [(None, h, document.locator) for h in [*document.problems, *document.losses]]
        places = self._places()
        findings = [self._finding(info or self._info(hit.code), hit, locator, places)
                    for info, hit, locator in self.hits]
        self.hits = []  # they are the findings now: not kept beside them while the report is written
        findings = [f for f in findings if self.options.wants(f.code)]
        # Two checks that find the same thing at the same place (the schema and SHACL shapes) say it once.
        return list({(f.code, f.message, _place(f.location)): f for f in reversed(findings)}.values())[::-1]

    def _records(self) -> None:
        """One pass over the records of every document: structure, index, rules."""
        index = Index()
        rules = [rule for rule in self.host.rules.values() if self.options.wants(rule.code)]
        scope = Scope(today=self.options.today, metadata=self._metadata(), index=index, fetch=self._fetch,
                      fetch_many=self._fetch_many)
        self._checkers = {rule.code: (rule, checker) for rule in rules
                          if (checker := self._start(rule, scope)) is not None}
        self._sees = self._by_kind()
        counts = dict.fromkeys(RECORD_KEYS, 0)
        for document in self.documents:
            self.span.add(document, dict(counts))
            if document.data is not None and not self._pass(document, index, counts):
                break
        else:
            self._passed = True
        self.record_counts.update({kind: count for kind, count in counts.items() if count})
        index.settle(self._id_of)
        for rule, checker in list(self._checkers.values()):
            self._rule_hits += [(rule, h) for h in self._asked(rule, checker.end)]
        hits = suppressions.apply(self._rule_hits, self._silences, set(self.host.rules), {rule.code for rule in rules})
        self.hits += [(info, h, self.span) for info, h in hits]

    def _pass(self, document: Document, index: Index, counts: dict[str, int]) -> bool:
        """The records of one document; `counts` numbers them in the dataset. False: the
        dataset is past the cap on records, and no record after is read."""
        # A value the importer already reported (a country name it could not translate,
        # say) is not reported again by the schema.
        reported = _Reported(document.problems)
        hits = [h for h in self.structure.header.hits(document.header(), "") if h.pointer not in reported]
        self.hits += [(None, h, document.locator) for h in hits]
        gates, judge = self.verdicts.gates, self.verdicts.judge
        define, refer_all = index.define, index.refer_all
        room = self.options.limits.records - sum(counts.values())
        records = self._judged(document)
        while True:
            try:
                kind, local, raw, verdict = next(records)
            except StopIteration:
                break
            except Exception as exc:  # the importer's failure, not the data's: named, and the rest still said
                self._importer_failed(document, exc)
                break
            room -= 1
            if room < 0:
                what = f"record {sum(counts.values()) + 1:,} of the dataset (it and those after it were not read)"
                self.hits.append((None, exceeded("records", self.options.limits.records, what,
                                                 pointer=f"/{RECORD_KEYS[kind]}/{local}"), document.locator))
                return False
            number = counts[kind]
            counts[kind] = number + 1
            extended = False
            if type(raw) is dict:
                record_id = raw.get("id")
                if type(record_id) is str:
                    define(kind, record_id, number)
                refer_all(kind, number, raw)
                extended = "extensions" in raw
                if extended:
                    self._silences += suppressions.of_record(f"/{RECORD_KEYS[kind]}/{number}", raw)
            explained = None
            if verdict is None:  # not judged where the record was read
                if number >= QUIET_AFTER and kind not in gates:
                    self._gate(kind)
                verdict = judge(kind, raw)
            elif type(verdict) is tuple:  # not sound, and explained there (`_judge_ahead`)
                explained, verdict = verdict, -1
            if verdict >= 0 and not extended:
                loud = self._loud[kind]
                sees = loud[verdict] if verdict in loud else self._loud_of(kind, verdict)
            else:
                raw = self._structure_hits(document, kind, local, number, raw, reported, verdict >= 0, explained)
                if raw is None:
                    continue
                sees = self._sees[kind]
            record = Record(kind, number, raw)
            for rule, see in sees:
                try:
                    found = see(record)
                except Exception as exc:
                    self._broke(rule, exc)
                    continue
                if found:
                    self._rule_hits += [(rule, h) for h in self._rendered(rule, found)]
        return True

    def _judged(self, document: Document) -> Iterator[tuple[str, int, Any, Any]]:
        """The records of a document, each with its verdict (`_judge_ahead`) where the process
        that reads it had the time to judge it, else None. That process is forked when the
        records are first asked for, so the gates of every kind are compiled before."""
        if document.judged is None:
            return ((kind, local, raw, None) for kind, local, raw in document.records())
        for kind in RECORD_KEYS:
            if kind not in self.verdicts.gates:
                self._gate(kind)
        return document.judged(self._judge_ahead)

    def _judge_ahead(self, kind: str, local: int, raw: Any) -> int | tuple[tuple[Any, ...], ...]:
        """The record's verdict, in the process that reads ahead; for a record that is not sound,
        what is wrong with its structure instead (each hit as a tuple of its fields, which
        crosses as fast as the records), so that this process need not work it out. A file
        wrong throughout keeps this process busy, and the reading one has the time."""
        verdict = self.verdicts.judge(kind, raw)
        if verdict >= 0:
            return verdict
        try:
            return tuple(map(_fields, self._structural(kind, local, raw, False)))
        except Exception:  # worked out again here, where a failure is said as it should be
            return verdict

    def _structure_hits(self, document: Document, kind: str, local: int, number: int, raw: Any,
                        reported: _Reported, valid: bool, explained: Sequence[tuple[Any, ...]] | None = None) -> Any:
        """Note what is wrong with a record's structure (`_structural`, unless the reading
        process `explained` it, as the hits' `_fields`); the record in its sound form, if any
        (and, in `_unsound`, what that form leaves out)."""
        found = list(map(_fields, self._structural(kind, local, raw, valid))) if explained is None else explained
        if not found:
            return raw
        record_id = raw.get("id") if type(raw) is dict else None
        ref = RecordRef(kind=kind, id=record_id if isinstance(record_id, str) else None)
        hits = [Hit(*fields[:_RECORD], ref, *fields[_RECORD + 1:]) for fields in found]  # each of the record
        self.hits += [(None, h, document.locator) for h in hits if h.pointer not in reported]
        sound = sound_form(raw, hits, kind)
        left_out = None if sound is None else frozenset(raw.keys() - sound.keys())
        self._unsound[kind][number] = self._left_out.setdefault(left_out, left_out)  # most are alike
        return sound

    def _structural(self, kind: str, local: int, raw: Any, valid: bool) -> list[Hit]:
        """What is wrong with a record's structure: the schema's say (unless the record is
        `valid` to it), the caps on depth and text, and its extensions' schemas."""
        hits = [] if valid else self.structure.record(kind, local, raw, refused=True)
        hits += oversized(raw, f"/{RECORD_KEYS[kind]}/{local}", self.options.limits)
        if type(raw) is dict:
            hits += self._extension_hits(kind, local, raw)
        return hits

    def _by_kind(self) -> dict[str, list[tuple[Rule, Any]]]:
        """For each record kind, the rules whose checkers see it, with their `see` (the `see`s
        by verdict, in `_loud`, are worked out again as they are needed)."""
        self._loud = {kind: {} for kind in RECORD_KEYS}
        return {kind: [(rule, checker.see) for rule, checker in self._checkers.values() if kind in checker.kinds]
                for kind in RECORD_KEYS}

    def _loud_of(self, kind: str, verdict: int) -> list[tuple[Rule, Any]]:
        """The `see`s a sound record of `kind` needs: of the rules without a quiet schema, and of
        those whose quiet schema its `verdict` says it fails."""
        quiet = self.verdicts.quiet_codes(kind, verdict)
        loud = self._loud[kind][verdict] = [(rule, see) for rule, see in self._sees[kind] if rule.code not in quiet]
        return loud

    def _gate(self, kind: str) -> None:
        """The structure and the quiet schemas of the rules that see records of `kind`
        (`Checker.quiet_schema`), compiled into one check for the records still to come; not
        for the first records: a small file is checked before this would pay for itself. A
        rule whose quiet schema cannot be given or compiled has failed."""
        rules: dict[str, Rule] = {}
        schemas: dict[str, Mapping[str, Any]] = {}  # by rule code
        for rule, checker in list(self._checkers.values()):
            if kind in checker.kinds:
                try:
                    schema = checker.quiet_schema().get(kind)
                except Exception as exc:
                    self._broke(rule, exc)
                    continue
                if schema is not None:
                    rules[rule.code], schemas[rule.code] = rule, schema
        for code, failure in self.verdicts.compile(kind, schemas).items():
            self._broke(rules[code], failure)
        self._sees = self._by_kind()  # the `see`s by verdict, worked out anew

    def _start(self, rule: Rule, scope: Scope) -> Checker | None:
        try:
            return rule.checker(scope)
        except Exception as exc:
            self._failed(rule, exc)
            return None

    def _asked(self, rule: Rule, method: Any) -> list[Hit]:
        try:
            found = method()
        except Exception as exc:
            self._broke(rule, exc)
            return []
        return self._rendered(rule, found) if found else []

    def _rendered(self, rule: Rule, found: Iterable[Hit]) -> list[Hit]:
        """A checker's hits, each of which its rule's templates must render."""
        try:
            hits = list(found)
            for hit in hits:
                rule.render(hit.message, hit.params)
            return hits
        except Exception as exc:
            self._broke(rule, exc)
            return []

    def _broke(self, rule: Rule, exc: Exception) -> None:
        """A checker that raises (or whose hit its templates cannot render) is the rule's
        failure: it is reported and asked nothing more."""
        self._failed(rule, exc)
        self._checkers.pop(rule.code, None)
        self._sees = self._by_kind()

    def _importer_failed(self, document: Document, exc: Exception) -> None:
        if self.options.raise_errors:
            raise exc
        owner = self.host.owner("importers", document.format)
        self.problems.append(ToolProblem(source=f"the {document.format} importer of {owner}",
                                         message=f"{type(exc).__name__}: {exc} (rerun with --debug); the records "
                                                 f"of {document.name} after it were not read"))

    def _failed(self, rule: Rule, exc: Exception) -> None:
        if self.options.raise_errors:
            raise exc
        self.problems.append(ToolProblem(source=f"rule {rule.code} of {self.host.owner('rules', rule.code)}",
                                         message=f"{type(exc).__name__}: {exc} (rerun with --debug)"))

    def _metadata(self) -> Mapping[str, Any] | None:
        """The dataset's metadata in its sound form, or None."""
        metadata = metadata_of(self.documents)
        if not isinstance(metadata, dict):
            return None
        hits = self.structure.header.hits({"standard": "1.0", "metadata": metadata}, "")
        return sound_form(metadata, [replace(h, pointer=(h.pointer or "").removeprefix("/metadata"))
                                 for h in hits], "metadata")

    def _id_of(self, kind: str, number: int) -> str | None:
        raw = self.span.record(kind, number)
        record_id = raw.get("id") if isinstance(raw, dict) else None
        return record_id if isinstance(record_id, str) else None

    def _fetch(self, kind: str, number: int) -> Record | None:
        """A record again, as rules see it (None if it has no sound form)."""
        return self._seen(kind, number, self.span.record(kind, number))

    def _fetch_many(self, kind: str, numbers: Sequence[int]) -> list[Record | None]:
        return [self._seen(kind, number, raw) for number, raw in zip(numbers, self.span.records_at(kind, numbers))]

    def _seen(self, kind: str, number: int, raw: Any) -> Record | None:
        """A record read again, as rules see it (None if it has no sound form)."""
        if self._passed:
            unsound = self._unsound[kind]
            if number not in unsound:
                return Record(kind, number, raw)
            left_out = unsound[number]
            return None if left_out is None else Record(kind, number, {k: v for k, v in raw.items()
                                                                       if k not in left_out})
        hits = self.structure.record(kind, number, raw)
        raw = sound_form(raw, hits, kind) if hits else raw
        return None if raw is None else Record(kind, number, raw)

    def _extension_hits(self, kind: str, number: int, raw: Mapping[str, Any]) -> list[Hit]:
        extensions = raw.get("extensions")
        if not isinstance(extensions, Mapping):
            return []
        hits: list[Hit] = []
        for name, value in extensions.items():
            schema = self.host.extension_schemas.get(name)
            if schema is None or kind not in schema.kinds:
                continue  # an extension nobody registered is kept untouched
            if name not in self._extensions:
                self._extensions[name] = Compiled(schema.schema)
            hits += self._extensions[name].hits(value, f"/{RECORD_KEYS[kind]}/{number}/extensions/{name}")
        return hits

    def _info(self, code: str | None) -> RuleInfo:
        return self.host.rule_info(code or "")

    def _places(self) -> dict[tuple[int, str, bool], Location]:
        """The place of every pointer the hits name, each locator (by its id: a plugin's need
        not hash) asked for all of its at once."""
        asked: dict[int, tuple[Locator, dict[tuple[str, bool], None]]] = {}
        for _info, hit, locator in self.hits:
            pointers = asked.setdefault(id(locator), (locator, {}))[1]
            if hit.location is None:
                pointers[(hit.pointer or "", hit.key)] = None
            pointers.update(dict.fromkeys((p, False) for p in hit.related))
        return {(number, *question): place for number, (locator, questions) in asked.items()
                for question, place in zip(questions, locator.locate_all(list(questions)))}

    def _finding(self, info: RuleInfo, hit: Hit, locator: Locator,
                 places: Mapping[tuple[int, str, bool], Location]) -> Finding:
        return Finding(
            code=info.code,
            severity=info.severity,
            message=info.render(hit.message, hit.params),
            message_id=f"{info.code}.{hit.message}",
            params=hit.params,
            location=hit.location or places[(id(locator), hit.pointer or "", hit.key)],
            record=hit.record,
            related=[places[(id(locator), p, False)] for p in hit.related],
        )


class _Reported:
    """The pointers of the values an importer reported, which grow as a stream is read."""

    def __init__(self, problems: list[Hit]):
        self.problems = problems
        self.pointers: set[str] = set()
        self.seen = 0

    def __contains__(self, pointer: object) -> bool:
        if len(self.problems) != self.seen:  # a stream's first pass begins anew with none
            start = self.seen if len(self.problems) > self.seen else 0
            self.pointers.update(h.pointer for h in self.problems[start:] if h.pointer)
            self.seen = len(self.problems)
        return pointer in self.pointers


# A hit's fields, as marshal carries them; a Hit made of them with another record (at
# `_RECORD`) takes half the time `dataclasses.replace` takes.
_fields = field_values(Hit)
_RECORD = [f.name for f in fields(Hit)].index("record")


def _place(location: Location) -> tuple[Any, ...]:
    """Where a finding is for telling two apart: a place in the source; the JSON Pointer only
    where the source gives none (a check that speaks of an RDF subject may know no pointer)."""
    if location.line is not None or location.row is not None or location.subject is not None:
        return _in_source(location)
    return _in_source(location), location.pointer


_in_source = field_values(Location, leaving="pointer")


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
