"""A dataset as RDF triples, produced one by one so that large datasets can be streamed.

Records get IRIs from the base and their ids (`vocab.record_iri`); a second record with an
id already used becomes a blank node, so that no two records melt into one. Besides the
partnership node, the direct links `cx:partnerOf` (between member towns) and `wdt:P190`
(between their Wikidata entities) are written for consumers that only want pairs.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from itertools import combinations
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import ORG, PROV, RDF, TIME, XSD
from rdflib.term import Node

from citynet_exchange.dates import try_parse
from citynet_exchange.findings import Hit, pointer_of
from citynet_exchange.model import URL_PATTERN
from citynet_exchange_rdf.mapping import AGREEMENT, DATASET, GROUPS, KINDS, SOURCE, Term
from citynet_exchange_rdf.vocab import CX, UNKNOWN, WD, WDT, concept, record_iri

Triple = tuple[Node, Node, Node]
_URL = re.compile(URL_PATTERN)
_IRI_UNSAFE = re.compile(r'[\s\x00-\x1f\x7f<>"{}|\\^`]')
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_QID = re.compile(r"Q[1-9][0-9]*")
_DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
_INSTANT = {4: TIME.inXSDgYear, 7: TIME.inXSDgYearMonth, 10: TIME.inXSDDate}
# Terms written for every record, made once: a namespace makes a new term at each lookup.
_TYPE, _PARTNER_OF, _P190, _JSON = RDF.type, CX.partnerOf, WDT.P190, RDF.JSON
_BOOLEAN, _INTEGER, _DOUBLE = XSD.boolean, XSD.integer, XSD.double
_RECORD_LISTS = frozenset(key for key, *_rest in KINDS.values())


def dataset_iri(base: str) -> URIRef:
    return URIRef(f"{base}dataset")


def literal(value: Any) -> Literal:
    """A JSON scalar as a literal typed by its JSON type; anything else as rdf:JSON."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=_BOOLEAN, normalize=False)
    if isinstance(value, int):
        return Literal(str(value), datatype=_INTEGER, normalize=False)
    if isinstance(value, float):
        text = repr(value) if math.isfinite(value) else {"inf": "INF", "-inf": "-INF"}.get(repr(value), "NaN")
        return Literal(text, datatype=_DOUBLE, normalize=False)
    if isinstance(value, str):
        return Literal(value, normalize=False)
    return json_literal(value)


def json_literal(value: Any) -> Literal:
    return Literal(json.dumps(value, ensure_ascii=False, sort_keys=True), datatype=_JSON, normalize=False)


def date_literal(value: Any) -> Literal:
    """A partial date typed by its precision; a text that is no calendar date stays plain text."""
    if isinstance(value, str) and try_parse(value) is not None:
        return Literal(value, datatype=_DATE_TYPES[len(value)], normalize=False)
    return literal(value)


class TripleWriter:
    """Turns a dataset document into triples; `lost` collects what RDF cannot hold as it is.

    Two serialisations hold less than RDF: XML (RDF/XML) has no control characters, and JSON
    (JSON-LD) no NaN or infinity; for those the text is cleaned, or the number left out, and
    said so. Blank nodes are numbered, so that the same data gives the same bytes.
    """

    def __init__(self, base: str, format_title: str, serialisation: str = "turtle"):
        self.base = base
        self.format_title = format_title
        self.serialisation = serialisation
        self.lost: list[Hit] = []
        self._wikidata: dict[str, str] = {}  # town id -> QID
        self._towns: set[str] = set()  # the ids of the towns written so far
        self._pending: list[tuple[str, str]] = []  # town pairs whose towns had not all come yet
        self._blanks = 0

    def _blank(self) -> BNode:
        self._blanks += 1
        return BNode(f"b{self._blanks}")

    def triples(self, data: Any) -> Iterator[Triple]:
        """The triples of a whole document."""
        if not isinstance(data, Mapping):
            self._lose("", "lost", "the document, which is not an object,")
            return
        header = {k: v for k, v in data.items() if not (k in _RECORD_LISTS and isinstance(v, list))}
        records = ((kind, index, record) for kind, (key, *_rest) in KINDS.items()
                   if isinstance(data.get(key), list) for index, record in enumerate(data[key]))
        yield from self.record_triples(header, records)

    def record_triples(self, header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]]) -> Iterator[Triple]:
        """The triples of a dataset given as its header and its records (`Document.records()`),
        each record's as it comes: what is kept is its id (for the dataset's link to it, written
        last), and the towns' Wikidata ids."""
        dataset = dataset_iri(self.base)
        yield dataset, _TYPE, CX.Dataset
        yield from self._fields(dataset, header, DATASET, "", skip=_RECORD_LISTS)
        for key in _RECORD_LISTS:
            if header.get(key) is not None:  # a record list that is no list stays in the header
                self._lose(f"/{key}", "lost", f"the {key}, which are not a list,")
        # Each record's id (its IRI is made again at the end: an id takes less memory), or its blank node.
        written: dict[str, list[str | Node]] = {kind: [] for kind in KINDS}
        taken: dict[str, set[str]] = {kind: set() for kind in KINDS}
        for kind, index, record in records:
            key, classes, _link, terms = KINDS[kind]
            pointer = f"/{key}/{index}"
            if not isinstance(record, Mapping):
                self._lose(pointer, "lost", f"the {kind} that is not an object")
                continue
            record_id = record.get("id")
            usable = isinstance(record_id, str) and record_id and record_id not in taken[kind]
            subject: Node = record_iri(self.base, kind, record_id) if usable else self._blank()
            if usable:
                taken[kind].add(record_id)
            written[kind].append(record_id if usable else subject)
            for cls in classes:
                yield subject, _TYPE, cls
            yield from self._fields(subject, record, terms, pointer, kind=kind)
            if kind == "town" and isinstance(record_id, str):
                self._towns.add(record_id)
                if _has_qid(record):
                    self._wikidata[record_id] = record["identifiers"]["wikidata"]
            if kind == "partnership":
                yield from self._direct_links(record)
        for a, b in self._pending:
            yield from self._wikidata_links(a, b)
        for kind, (_key, _classes, link, _terms) in KINDS.items():
            for ref in written[kind]:
                yield dataset, link, ref if isinstance(ref, Node) else record_iri(self.base, kind, ref)

    def _fields(self, subject: Node, record: Mapping[str, Any], terms: tuple[Term, ...], pointer: str,
                kind: str = "", skip: set[str] | frozenset[str] = frozenset()) -> Iterator[Triple]:
        known = {t.path[0] for t in terms}
        for key, value in record.items():
            if key in skip or value is None:
                continue
            if key not in known:
                yield subject, UNKNOWN[key], json_literal(value)
            elif (key,) in GROUPS and not isinstance(value, Mapping):
                yield subject, GROUPS[(key,)], json_literal(value)
            elif (key,) in GROUPS:
                inner = {t.path[1] for t in terms if t.path[0] == key}
                for name, item in value.items():
                    if name not in inner and item is not None:
                        yield subject, UNKNOWN[f"{key}.{name}"], json_literal(item)
        interval: BNode | None = None
        for term in terms:
            if len(term.path) > 1 and not isinstance(record.get(term.path[0]), Mapping):
                continue  # a group that is not an object went out as JSON above
            value = _get(record, term.path)
            if value is None:
                continue
            at = pointer + pointer_of(term.path)
            if kind == "membership" and term.path[0] in ("since", "until"):
                if interval is None:
                    interval = self._blank()
                    yield subject, ORG.memberDuring, interval
                    yield interval, _TYPE, TIME.Interval
                yield from self._instant(interval, term, value)
            elif term.many:
                if value == []:
                    continue  # an empty list is no list (the standard says so)
                if not isinstance(value, list):
                    self._lose(at, "changed", f"the value of {'.'.join(term.path)}", "it is not a list, and reads back "
                               "as a list of it")
                    value = [value]
                if term.form != "sources" and len({json_literal(item) for item in value}) < len(value):
                    self._lose(at, "changed", f"the value of {'.'.join(term.path)}",
                               "an item is given twice, and RDF holds it once")
                for item in value:
                    yield from self._value(subject, term, item, f"{at}/*")
            else:
                yield from self._value(subject, term, value, at)

    def _value(self, subject: Node, term: Term, value: Any, at: str) -> Iterator[Triple]:
        form, predicate = term.form, term.predicate
        held = self._held(value, term, at)
        if held is None and value is not None:
            return  # said so in `lost`
        value = held
        if form == "date":
            yield subject, predicate, date_literal(value)
        elif form == "json":
            yield subject, predicate, json_literal(value)
        elif form == "iri" and isinstance(value, str) and _URL.match(value) and not _IRI_UNSAFE.search(value):
            yield subject, predicate, URIRef(value)
        elif form.startswith("concept:") and isinstance(value, str) and value:
            yield subject, predicate, concept(form.split(":", 1)[1], value)
        elif form.startswith("ref:") and isinstance(value, str) and value:
            yield subject, predicate, record_iri(self.base, form.split(":", 1)[1], value)
        elif form == "wikidata" and isinstance(value, str) and _QID.fullmatch(value):
            yield subject, predicate, WD[value]
        elif form == "names" and isinstance(value, Mapping):
            yield from self._names(subject, term, value)
        elif form in ("sources", "agreement") and isinstance(value, Mapping):
            node = self._blank()
            yield subject, predicate, node
            yield node, _TYPE, PROV.Entity if form == "sources" else CX.Agreement
            yield from self._fields(node, value, SOURCE if form == "sources" else AGREEMENT, at)
        elif form in ("names", "sources", "agreement"):
            yield subject, term.fallback or predicate, json_literal(value)
        else:
            yield subject, predicate, literal(value)

    def _held(self, value: Any, term: Term, at: str) -> Any:
        """The value as the serialisation can hold it; a change is a conversion-loss finding."""
        name = ".".join(term.path)
        if self.serialisation == "rdf-xml" and term.form != "json" and any(_NOT_XML.search(t) for t in _texts(value)):
            self._lose(at, "changed", f"the value of {name}", "XML cannot hold its control characters, which are "
                       "left out")
            return _without_controls(value)
        if self.serialisation == "json-ld" and isinstance(value, float) and not math.isfinite(value):
            self._lose(at, "lost", f"the value of {name} ({value!r}, which JSON has no number for)")
            return None
        return value

    def _names(self, subject: Node, term: Term, names: Mapping[str, Any]) -> Iterator[Triple]:
        try:
            tagged = [Literal(text, lang=tag, normalize=False) for tag, text in names.items()
                      if isinstance(text, str)]
        except ValueError:  # a key that is no language tag: the whole map as it is
            tagged = []
        if len(tagged) != len(names):
            yield subject, term.fallback or term.predicate, json_literal(dict(names))
            return
        for name in tagged:
            yield subject, term.predicate, name

    def _instant(self, interval: BNode, term: Term, value: Any) -> Iterator[Triple]:
        if isinstance(value, str) and try_parse(value) is not None:
            instant = self._blank()
            yield interval, term.predicate, instant
            yield instant, _TYPE, TIME.Instant
            yield instant, _INSTANT[len(value)], date_literal(value)
        else:
            yield interval, term.predicate, literal(value)

    def _direct_links(self, partnership: Mapping[str, Any]) -> Iterator[Triple]:
        members = partnership.get("members")
        if not isinstance(members, list):
            return
        ids = sorted({m for m in members if isinstance(m, str) and m})
        for a, b in combinations(ids, 2):
            yield record_iri(self.base, "town", a), _PARTNER_OF, record_iri(self.base, "town", b)
            yield record_iri(self.base, "town", b), _PARTNER_OF, record_iri(self.base, "town", a)
            if a in self._towns and b in self._towns:
                yield from self._wikidata_links(a, b)
            else:  # a town still to come (a streamed table gives its towns last)
                self._pending.append((a, b))

    def _wikidata_links(self, a: str, b: str) -> Iterator[Triple]:
        if a in self._wikidata and b in self._wikidata:
            yield WD[self._wikidata[a]], _P190, WD[self._wikidata[b]]
            yield WD[self._wikidata[b]], _P190, WD[self._wikidata[a]]

    def _lose(self, pointer: str, message: str, what: str, how: str = "") -> None:
        params = {"what": what, "format": self.format_title} | ({"how": how} if how else {})
        self.lost.append(Hit(code="conversion-loss", message=message, pointer=pointer, params=params))


def _texts(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)


def _without_controls(value: Any) -> Any:
    if isinstance(value, str):
        return _NOT_XML.sub("", value)
    return {k: _without_controls(v) for k, v in value.items()} if isinstance(value, Mapping) else value


def _get(record: Mapping[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = record
    for key in path:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _has_qid(town: Any) -> bool:
    identifiers = town.get("identifiers") if isinstance(town, Mapping) else None
    return isinstance(identifiers, Mapping) and isinstance(town.get("id"), str) and \
        isinstance(identifiers.get("wikidata"), str) and bool(_QID.fullmatch(identifiers["wikidata"]))
