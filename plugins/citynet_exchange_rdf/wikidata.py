"""A Wikidata twinning graph as a dataset: the towns at either end of a P190 link, and one
partnership per pair of towns.

Wikidata states every twinning from both sides (P190 is symmetric), as a truthy `wdt:P190`
link and as a `p:P190` statement with qualifiers (`pq:P580` start, `pq:P582` end) and
references. However many of these a pair has, it is one partnership of kind `unspecified`.
Where the statements disagree, the first (in the order of the stating town's IRI, then the
statement's) is kept and the other is a `conflicting-value` finding at its statement; a date
that only refines another (1976-05-14 and 1976) is no disagreement, the finer is kept. A
field of a town given several times (two GeoNames ids) keeps the first in the order of the
values' text, and the others are findings too. The output is sorted by id, so the same
graph gives the same dataset however it was serialised.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeGuard

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from citynet_exchange.findings import Hit, Location
from citynet_exchange.tables.columns import put
from citynet_exchange.tables.towns import claim, slug
from citynet_exchange_rdf.locator import SubjectLocator
from citynet_exchange_rdf.triples import Statements
from citynet_exchange_rdf.vocab import (
    COORDINATES, COUNTRY, END, IDENTIFIER_PROPERTIES, ISO_CODE, P, POPULATION, PQ, PR, PROV_WAS_DERIVED_FROM, PS,
    REFERENCE_URL, START, TWINNED, WDT, WEBSITE, normal_schema,
)
from citynet_exchange_rdf.wikidata_values import (
    LABELS, PQV, WIKIBASE, Unreadable, code, count, names, partial_date, point,
)

_ITEM = re.compile(r"^http://www\.wikidata\.org/entity/(Q[0-9]+)$")
_UNKNOWN_VALUE = "http://www.wikidata.org/.well-known/genid/"  # Wikidata's "unknown value", like a blank node
_LABELS = {str(p) for p in LABELS}


@dataclass(frozen=True)
class _Link:
    """One side's word that two towns are twinned."""

    entity: URIRef  # the town that states it
    twin: URIRef
    statement: Node | None  # its p:P190 statement; None for a truthy wdt:P190 link

    @property
    def subject(self) -> str:
        return _subject(self.statement, self.entity)


def _subject(statement: Node | None, entity: Node) -> str:
    """Where findings about a link point: its statement, or the town where the statement is a
    blank node (whose label means nothing to a reader) or missing."""
    return str(statement) if isinstance(statement, URIRef) else str(entity)


def is_wikidata_graph(graph: Statements) -> bool:
    """Whether a graph states twinnings the way Wikidata does."""
    return (None, WDT[TWINNED], None) in graph or (None, PS[TWINNED], None) in graph


def read_wikidata(graph: Statements, file: str) -> tuple[dict[str, Any], list[Hit], SubjectLocator]:
    """The dataset document of a Wikidata twinning graph, the problems met, and where each
    record and value came from (its subject IRI)."""
    reader = _Reader(graph, file)
    return reader.dataset(), reader.hits, reader.locator


def _display(node: Node) -> str:
    """A Wikidata item by its QID, anything else by its IRI or text."""
    item = _ITEM.match(str(node))
    return item[1] if item else str(node)


def _is_town(node: Node) -> TypeGuard[URIRef]:
    return isinstance(node, URIRef) and not str(node).startswith(_UNKNOWN_VALUE)


def town_ids(entities: Iterable[URIRef]) -> dict[URIRef, str]:
    """Ids of towns: a Wikidata item's QID in lower case (`q64`), another IRI's last part as a
    slug; Wikidata's first, so that an IRI of one's own never takes a QID's id."""
    ids: dict[URIRef, str] = {}
    taken: set[str] = set()
    reached: dict[str, int] = {}
    for entity in sorted(entities, key=lambda e: (_ITEM.match(str(e)) is None, str(e))):
        item = _ITEM.match(str(entity))
        base = item[1].lower() if item else slug(re.split(r"[/#:]", str(entity).rstrip("/#"))[-1]) or "town"
        ids[entity] = claim(base, taken, reached)
    return ids


class _Reader:
    def __init__(self, graph: Statements, file: str):
        self.graph = graph
        self.file = file
        self.locator = SubjectLocator(file)
        self.hits: list[Hit] = []

    def dataset(self) -> dict[str, Any]:
        links = self._links()
        ids = town_ids({end for link in links for end in (link.entity, link.twin)})
        towns = [self._town(entity, ids[entity], f"/towns/{index}")
                 for index, entity in enumerate(sorted(ids, key=ids.__getitem__))]
        pairs: dict[tuple[str, ...], list[_Link]] = defaultdict(list)
        for link in links:
            pairs[tuple(sorted((ids[link.entity], ids[link.twin])))].append(link)
        ordered = sorted(pairs, key="--".join)
        partnerships = [self._partnership(members, pairs[members], f"/partnerships/{index}")
                        for index, members in enumerate(ordered)]
        return {"standard": "1.0", "towns": towns, "partnerships": partnerships}

    def _links(self) -> list[_Link]:
        """Every P190 link between two towns in a fixed order: by the stating town, its
        statements before its truthy links."""
        graph = self.graph
        found: list[tuple[Node, Node, Node | None]] = [(s, o, None) for s, o in graph.subject_objects(WDT[TWINNED])]
        found += [(s, o, statement) for s, statement in graph.subject_objects(P[TWINNED])
                  for o in graph.objects(statement, PS[TWINNED])]
        found.sort(key=lambda f: (str(f[0]), f[2] is None, self._key(f[2]), str(f[1])))
        links = []
        for entity, twin, statement in found:
            if isinstance(twin, Literal):
                self.hits.append(Hit(code="unknown-value", message="unknown",
                                     location=Location(file=self.file, subject=_subject(statement, entity)),
                                     params={"value": repr(str(twin)),
                                             "what": "twin town: P190 names a town by its IRI"}))
            elif _is_town(entity) and _is_town(twin):
                links.append(_Link(entity, twin, statement))
        return links

    def _key(self, node: Node | None) -> str:
        """A node's place in the order: its IRI, or for a blank node (whose label changes from
        one parse to the next) what it states."""
        if not isinstance(node, BNode):
            return str(node or "")
        return "~" + " ".join(sorted(f"{p.n3()} {o.n3()}" for p, o in self.graph.predicate_objects(node)
                                     if not isinstance(o, BNode)))

    def _town(self, entity: URIRef, town_id: str, pointer: str) -> dict[str, Any]:
        graph = self.graph
        self.locator.add(pointer, str(entity))
        town: dict[str, Any] = {"id": town_id}
        name, other_names = names((p, o) for p, o in graph.predicate_objects(entity)
                                  if normal_schema(str(p)) in _LABELS and isinstance(o, Literal))
        if name is not None:
            town["name"] = name
        if other_names:
            town["names"] = other_names
        self._country(town, entity, pointer)
        if _ITEM.match(str(entity)):
            put(town, ("identifiers", "wikidata"), _display(entity))
        for scheme, prop in IDENTIFIER_PROPERTIES.items():
            self._keep(town, entity, pointer, ("identifiers", scheme), graph.objects(entity, WDT[prop]),
                       partial(code, scheme=scheme))
        self._keep(town, entity, pointer, ("location",), graph.objects(entity, WDT[COORDINATES]), point)
        self._keep(town, entity, pointer, ("population",), graph.objects(entity, WDT[POPULATION]), count)
        self._keep(town, entity, pointer, ("website",), graph.objects(entity, WDT[WEBSITE]), str)
        return town

    def _country(self, town: dict[str, Any], entity: URIRef, pointer: str) -> None:
        """The ISO code (`wdt:P297`) of the town's country; a country without one in the graph
        is kept by its QID and reported."""
        countries = [(self._iso_code(country), _display(country))
                     for country in self.graph.objects(entity, WDT[COUNTRY])]
        values = [iso or item for iso, item in sorted(countries, key=lambda c: (c[0] is None, c[0] or c[1]))]
        self._choose(town, entity, pointer, ("country",), values)
        if countries and all(iso is None for iso, _ in countries):
            self.hits.append(Hit(code="unknown-value", message="unknown", pointer=f"{pointer}/country",
                                 params={"value": repr(values[0]), "what": "country code (the graph gives no ISO "
                                                                          "code, wdt:P297, for this country)"}))

    def _iso_code(self, country: Node) -> str | None:
        return min((str(o) for o in self.graph.objects(country, WDT[ISO_CODE])), default=None)

    def _keep(self, town: dict[str, Any], entity: URIRef, pointer: str, path: tuple[str, ...],
              nodes: Iterable[Node], read: Callable[[Any], Any]) -> None:
        """A field from the values of one property, in the order of their text; a value the
        standard cannot have is kept as its text and reported."""
        field, field_pointer = ".".join(path), pointer + "".join(f"/{step}" for step in path)
        values = []
        for node in sorted(nodes, key=str):
            try:
                values.append(read(node))
            except Unreadable as exc:
                self.hits.append(self._unreadable(node, field, field_pointer, exc))
                values.append(str(node))
        self._choose(town, entity, pointer, path, values)

    def _choose(self, town: dict[str, Any], entity: URIRef, pointer: str, path: tuple[str, ...],
                values: list[Any]) -> None:
        """The first of a town's values for a field; the others that differ are findings."""
        if not values:
            return
        kept, field_pointer = values[0], pointer + "".join(f"/{step}" for step in path)
        self.hits += [self._conflict(".".join(path), "town", town["id"], value, kept, str(entity), field_pointer)
                      for value in dict.fromkeys(values[1:]) if value != kept]
        put(town, path, kept)

    def _conflict(self, field: str, kind: str, record_id: str, value: Any, kept: Any, first: str, pointer: str,
                  subject: str | None = None) -> Hit:
        """A value that differs from the one kept, at `subject` where that is not the record's
        (the other side's statement; the kept value is then the related place)."""
        return Hit(code="conflicting-value", message="conflict-statement", pointer=pointer,
                   location=Location(file=self.file, pointer=pointer, subject=subject) if subject else None,
                   related=(pointer,) if subject else (),
                   params={"field": field, "kind": kind, "id": record_id, "value": repr(value), "kept": repr(kept),
                           "first": first})

    def _unreadable(self, node: Node, field: str, pointer: str, exc: Unreadable, subject: str | None = None) -> Hit:
        return Hit(code="unknown-value", message="unreadable", pointer=pointer,
                   location=Location(file=self.file, pointer=pointer, subject=subject) if subject else None,
                   params={"value": repr(str(node)), "what": field, "problem": str(exc)})

    def _partnership(self, members: tuple[str, ...], links: list[_Link], pointer: str) -> dict[str, Any]:
        partnership_id = "--".join(members)
        statements = [link for link in links if link.statement is not None]
        self.locator.add(pointer, (statements or links)[0].subject)
        record: dict[str, Any] = {"id": partnership_id, "kind": "unspecified", "members": list(members)}
        for field, prop in (("established", START), ("ended", END)):
            self._qualifier(record, f"{pointer}/{field}", field, prop, statements)
        sources = self._sources(statements, pointer)
        if sources:
            record["sources"] = sources
        return record

    def _qualifier(self, record: dict[str, Any], pointer: str, field: str, prop: str, statements: list[_Link]) -> None:
        """A date of the partnership from the statements' qualifiers: the first, or a later one
        that refines it; every other is a finding at its statement."""
        dates: list[tuple[str, _Link]] = []
        unreadable: list[str] = []
        for link in statements:
            for node in sorted(self.graph.objects(link.statement, PQ[prop]), key=str):
                if not isinstance(node, Literal):
                    continue  # Wikidata's "unknown value": nothing to keep
                try:
                    dates.append((partial_date(node, self._precision(link.statement, prop, node)), link))
                except Unreadable as exc:
                    unreadable.append(str(node))
                    self.hits.append(self._unreadable(node, field, pointer, exc, link.subject))
        if not dates:
            if unreadable:
                record[field] = unreadable[0]
            return
        kept, source = dates[0]
        for date, link in dates[1:]:
            if date.startswith(kept + "-"):
                kept, source = date, link
        record[field] = kept
        self.locator.add(pointer, source.subject)
        self.hits += [self._conflict(field, "partnership", record["id"], date, kept, str(source.entity), pointer,
                                     subject=link.subject)
                      for date, link in dates if date != kept and not kept.startswith(date + "-")]

    def _precision(self, statement: Node | None, prop: str, value: Literal) -> int | None:
        """The precision Wikidata gives for a qualifier's time, in its value node
        (`pqv:` -> `wikibase:timeValue`, `wikibase:timePrecision`)."""
        for node in self.graph.objects(statement, PQV[prop]):
            if self.graph.value(node, WIKIBASE.timeValue) == value:
                precision = self.graph.value(node, WIKIBASE.timePrecision)
                return int(precision) if isinstance(precision, Literal) and str(precision).isdigit() else None
        return None

    def _sources(self, statements: list[_Link], pointer: str) -> list[dict[str, str]]:
        """The reference URLs (`prov:wasDerivedFrom` -> `pr:P854`) of the statements, each once."""
        urls: dict[str, str] = {}  # url -> the subject that gives it
        for link in statements:
            found = sorted((str(url), str(reference) if isinstance(reference, URIRef) else link.subject)
                           for reference in self.graph.objects(link.statement, PROV_WAS_DERIVED_FROM)
                           for url in self.graph.objects(reference, PR[REFERENCE_URL]))
            for url, subject in found:
                urls.setdefault(url, subject)
        for index, subject in enumerate(urls.values()):
            self.locator.add(f"{pointer}/sources/{index}", subject)
        return [{"url": url} for url in urls]
