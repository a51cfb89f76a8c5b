"""A graph in the standard's vocabulary as a dataset document (the inverse of `writer`).

Records are found by their class, fields by the predicates of `mapping`; references are
resolved through the records' own ids (`dcterms:identifier`), so any base IRI reads back.
RDF has no order, so list items come out sorted. A statement the vocabulary does not
know is kept under the record's `extensions.rdf` (by predicate IRI) and reported, never
dropped; the derived pair links (`cx:partnerOf`, `wdt:P190`) are not read back.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from functools import cache
from urllib.parse import unquote
from typing import Any

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, RDF, TIME, XSD
from rdflib.term import Node

from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange_rdf.locator import SubjectLocator
from citynet_exchange_rdf.mapping import AGREEMENT, DATASET, DERIVED, GROUPS, KINDS, SOURCE, Term
from citynet_exchange_rdf.triples import Statements
from citynet_exchange_rdf.vocab import CX, UNKNOWN, WD, code_of, record_id_of

NAME = "rdf"
_NUMBERS = {XSD.integer: int, XSD.int: int, XSD.long: int, XSD.double: float, XSD.decimal: float,
            XSD.float: float}
_FLOATS = {"INF": float("inf"), "-INF": float("-inf"), "NaN": float("nan")}
_INSTANTS = (TIME.inXSDgYear, TIME.inXSDgYearMonth, TIME.inXSDDate)
# Terms compared for every statement, made once: a namespace makes a new term at each lookup.
_TYPE, _MEMBER_DURING, _JSON, _BOOLEAN, _IDENTIFIER = RDF.type, ORG.memberDuring, RDF.JSON, XSD.boolean, \
    DCTERMS.identifier
_UNKNOWN, _WD = str(UNKNOWN), str(WD)
_IGNORED = frozenset({_TYPE, *DERIVED})  # a record's class, and the pair links derived from it


def is_ours(graph: Statements) -> bool:
    """Whether the graph speaks the standard's vocabulary: a dataset node, a record of a known
    class, or a dataset's link to its records (a native JSON document read as JSON-LD)."""
    return any(graph.triples((None, RDF.type, CX.Dataset))) or any(graph.triples((None, CX.standard, None))) or any(
        any(graph.triples((None, RDF.type, classes[0]))) or any(graph.triples((None, link, None)))
        for _key, classes, link, _terms in KINDS.values())


def _last_segment(iri: str) -> str:
    return unquote(re.split(r"[/#:]", iri)[-1])


class GraphReader:
    """Reads records out of a graph; `hits` and `locator` say where things came from."""

    def __init__(self, graph: Statements, file: str):
        self.graph = graph
        self.file = file
        self.hits: list[Hit] = []
        self.locator = SubjectLocator(file)
        self._ids: dict[Node, str] = {}

    def dataset(self) -> dict[str, Any]:
        records = {kind: {*self.graph.subjects(RDF.type, classes[0]), *self.graph.objects(None, link)}
                   for kind, (_key, classes, link, _terms) in KINDS.items()}
        for kind, subjects in records.items():
            for subject in subjects:
                identifier = self.graph.value(subject, _IDENTIFIER)
                if identifier is not None:
                    self._ids[subject] = str(identifier)
                elif isinstance(subject, URIRef):  # an IRI made from the id (JSON-LD of a native document)
                    self._ids[subject] = record_id_of(str(subject), kind) or _last_segment(str(subject))
        data: dict[str, Any] = {}
        links = [link for _key, _classes, link, _terms in KINDS.values()]
        holders = {*self.graph.subjects(RDF.type, CX.Dataset), *self.graph.subjects(CX.standard, None),
                   *(s for link in links for s in self.graph.subjects(link, None))}
        dataset = next(iter(sorted(holders, key=str)), None)
        if dataset is not None:
            data.update(self._record(dataset, DATASET, "", skip={link for *_x, link, _t in KINDS.values()}))
        for kind, (key, _classes, _link, terms) in KINDS.items():
            if records[kind]:
                data[key] = [self._record(subject, terms, f"/{key}/{index}", kind=kind)
                             for index, subject in enumerate(sorted(records[kind], key=self._order))]
        return data

    def _order(self, subject: Node) -> tuple[str, str]:
        identifier = next(self.graph.objects(subject, _IDENTIFIER), None)
        return (str(identifier) if identifier is not None else self._ids.get(subject, "\uffff"), str(subject))

    def _record(self, subject: Node, terms: tuple[Term, ...], pointer: str, kind: str = "",
                skip: set[Node] | frozenset[Node] = frozenset()) -> dict[str, Any]:
        if not isinstance(subject, BNode):
            self.locator.add(pointer or "/", str(subject))
        record: dict[str, Any] = {}
        lists: dict[tuple[str, ...], list[Any]] = defaultdict(list)
        by_predicate = _by_predicate(terms)
        ignored = _IGNORED | skip if skip else _IGNORED  # looked up by hash: rdflib compares terms in Python
        for predicate, obj in sorted(self.graph.predicate_objects(subject), key=lambda po: (str(po[0]), str(po[1]))):
            if predicate in ignored:
                continue
            if kind == "membership" and predicate == _MEMBER_DURING:
                self._interval(obj, record)
                continue
            if isinstance(predicate, URIRef) and str(predicate).startswith(_UNKNOWN):
                _put(record, tuple(str(predicate)[len(_UNKNOWN):].split(".", 1)), _json(obj))
                continue
            if predicate in _GROUP_OF:
                _put(record, _GROUP_OF[predicate], _json(obj))
                continue
            term = self._term(by_predicate.get(predicate, []), obj)
            if term is None:
                self._unknown(record, predicate, obj, pointer)
                continue
            value = self._value(term, obj, f"{pointer}/{'/'.join(term.path)}")
            if term.form == "names" and isinstance(obj, Literal) and obj.language:
                record.setdefault("names", {})[obj.language] = value
            elif term.many:
                lists[term.path].append(value)
            else:
                _put(record, term.path, value)
        for path, items in lists.items():
            _put(record, path, sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False)))
        if kind and "id" not in record and subject in self._ids:
            record = {"id": self._ids[subject], **record}
        return record

    @staticmethod
    def _term(candidates: list[Term], obj: Node) -> Term | None:
        """Of the terms sharing a predicate (schema:name: the name, or names by language)."""
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        tagged = isinstance(obj, Literal) and bool(obj.language)
        json_value = isinstance(obj, Literal) and obj.datatype == _JSON
        for term in candidates:
            if term.form == "names" and (tagged or (json_value and term.fallback is not None)):
                return term
        return next(t for t in candidates if t.form != "names")

    def _value(self, term: Term, obj: Node, at: str) -> Any:
        if isinstance(obj, Literal):
            return _literal(obj)
        if isinstance(obj, BNode) and term.form in ("sources", "agreement"):
            return self._record(obj, SOURCE if term.form == "sources" else AGREEMENT, at)
        text = str(obj)
        if term.form.startswith("concept:"):
            return code_of(text, term.form.split(":", 1)[1]) or text
        if term.form.startswith("ref:"):
            return self._ids.get(obj) or record_id_of(text, term.form.split(":", 1)[1]) or text
        if term.form == "wikidata" and text.startswith(_WD):
            return text[len(_WD):]
        return text

    def _interval(self, interval: Node, record: dict[str, Any]) -> None:
        for field, predicate in (("since", TIME.hasBeginning), ("until", TIME.hasEnd)):
            for obj in self.graph.objects(interval, predicate):
                if isinstance(obj, Literal):
                    record[field] = _literal(obj)
                    continue
                for instant_predicate in _INSTANTS:
                    value = self.graph.value(obj, instant_predicate)
                    if value is not None:
                        record[field] = _literal(value)

    def _unknown(self, record: dict[str, Any], predicate: Node, obj: Node, pointer: str) -> None:
        kept = record.setdefault("extensions", {}).setdefault(NAME, {}).setdefault(str(predicate), [])
        kept.append(str(obj))
        if len(kept) == 1:
            self.hits.append(Hit(code="unknown-column", message="unknown-predicate",
                                 params={"predicate": str(predicate), "format": NAME},
                                 pointer=f"{pointer}/extensions/{NAME}/{pointer_token(str(predicate))}",
                                 location=Location(file=self.file, pointer=pointer or None,
                                                   subject=self.locator.locate(pointer or "/").subject)))


_GROUP_OF = {predicate: path for path, predicate in GROUPS.items()}


@cache
def _by_predicate(terms: tuple[Term, ...]) -> dict[Node, list[Term]]:
    """The terms a predicate may hold, for a kind of object (built once per kind)."""
    found: dict[Node, list[Term]] = defaultdict(list)
    for term in terms:
        found[term.predicate].append(term)
        if term.fallback is not None:
            found[term.fallback].append(term)
    return dict(found)


def _literal(obj: Literal) -> Any:
    lexical = str(obj)
    if obj.datatype == _JSON:
        return _json(obj)
    if obj.datatype == _BOOLEAN:
        return lexical.strip() in ("true", "1")
    convert = _NUMBERS.get(obj.datatype)  # type: ignore[arg-type]
    if convert is not None:
        try:
            return _FLOATS.get(lexical.strip()) if lexical.strip() in _FLOATS else convert(lexical)
        except ValueError:
            return lexical
    return lexical


def _json(obj: Node) -> Any:
    try:
        return json.loads(str(obj))
    except json.JSONDecodeError:
        return str(obj)


def _put(record: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        record = record.setdefault(key, {})
    record[path[-1]] = value

