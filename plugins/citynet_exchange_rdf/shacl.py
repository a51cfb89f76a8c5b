"""`citynet validate --shacl`: pyshacl with the standard's shapes, each result a finding.

A result gets the code the JSON Schema gives the same problem (by its constraint component,
or as the shape's `Spec` says where that differs) and that code's message, placed at the
subject of the record it is about. A value of the wrong type also fails its form (a
pattern, a code list); as in JSON Schema, only the type is reported then. Importing pyshacl
takes a while, so it happens here, on the first call, and never without `--shacl`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, SH, XSD
from rdflib.term import Node

from citynet_exchange.codelists import codelist
from citynet_exchange.findings import Hit, Location, RecordRef
from citynet_exchange.structure import _TYPE_NAMES, _suggest, check_structure, type_words
from citynet_exchange_rdf.mapping import DATASET, KINDS
from citynet_exchange_rdf.shapes import EMPTY_LIST, Spec, shapes_graph, specs
from citynet_exchange_rdf.vocab import CX, UNKNOWN, code_of, record_id_of

_CODES = {
    SH.MinCountConstraintComponent: "missing-field",
    SH.QualifiedMinCountConstraintComponent: "missing-field",
    SH.DatatypeConstraintComponent: "wrong-type",
    SH.NodeKindConstraintComponent: "wrong-type",
    SH.OrConstraintComponent: "wrong-type",  # sh:or lists the forms a value of the field's JSON type takes
    SH.InConstraintComponent: "invalid-code",
    SH.PatternConstraintComponent: "invalid-format",
    SH.ClosedConstraintComponent: "unknown-field",
}  # any other component: invalid-value
_JSON_TYPES = {XSD.integer: "integer", XSD.double: "number", XSD.decimal: "number", XSD.boolean: "boolean"}
_NESTED = {term.predicate: term.path[-1] for term in (*DATASET, *(t for *_x, ts in KINDS.values() for t in ts))
           if term.form in ("sources", "agreement")}
_CLASSES = {classes[0]: kind for kind, (_key, classes, _link, _terms) in KINDS.items()}


@dataclass(frozen=True)
class _Result:
    """One SHACL validation result, as read from the report graph."""

    focus: Node
    value: Node | None
    path: Node | None
    component: Node
    shape: Node
    message: str


def shacl_hits(graph: Graph, file: str) -> list[Hit]:
    """The findings of the standard's shapes on `graph`, located at their subjects in `file`.

    Nothing is fetched or imported: no inference, no owl:imports, SHACL Core plus the one
    SPARQL constraint of the shapes."""
    from pyshacl import validate

    conforms, report, _text = validate(graph, shacl_graph=shapes_graph(), inference="none", advanced=False,
                                       allow_warnings=True, do_owl_imports=False)
    if conforms:
        return []
    results = [_read(report, leaf) for top in report.objects(None, SH.result) for leaf in _leaves(report, top)]
    places = _Places(graph, file)
    hits: dict[str, Hit] = {}
    for result in results:
        for hit in places.hits(result, _spec(result)):
            hits.setdefault(hit.model_dump_json(), hit)
    return sorted(hits.values(), key=lambda h: (h.location.subject or "", h.code or "", h.model_dump_json()))  # type: ignore[union-attr]


def _leaves(report: Graph, result: Node) -> Iterator[Node]:
    """A failed `sh:node` (a source, the agreement) reports its own results as details."""
    details = list(report.objects(result, SH.detail))
    if not details:
        yield result
    for detail in details:
        yield from _leaves(report, detail)


def _read(report: Graph, result: Node) -> _Result:
    message = report.value(result, SH.resultMessage)
    return _Result(report.value(result, SH.focusNode), report.value(result, SH.value),  # type: ignore[arg-type]
                   report.value(result, SH.resultPath), report.value(result, SH.sourceConstraintComponent),  # type: ignore[arg-type]
                   report.value(result, SH.sourceShape), str(message or ""))  # type: ignore[arg-type]


def _code(result: _Result, spec: Spec) -> str:
    """The finding code of a result: wrong-type for a value of another JSON type than the
    field's (whatever it failed: as JSON Schema, the type is what is wrong), else the
    shape's own code or its constraint component's."""
    if result.value is not None and spec.expected and not _fits(_words(result.value), spec.expected):
        return "wrong-type"
    return spec.codes.get(result.component) or _CODES.get(result.component, "invalid-value")  # type: ignore[call-overload]


def _fits(actual: str, expected: str) -> bool:
    return actual == expected or (actual, expected) == (_TYPE_NAMES["integer"], _TYPE_NAMES["number"])


def _spec(result: _Result) -> Spec:
    return specs().get(result.shape, Spec(()))  # type: ignore[call-overload]


class _Places:
    """Names nodes of the data graph as the JSON Schema's findings name their places."""

    def __init__(self, graph: Graph, file: str):
        self.graph = graph
        self.file = file

    def hits(self, result: _Result, spec: Spec) -> Iterator[Hit]:
        if spec.many and result.value == EMPTY_LIST:
            return  # a list given empty: whether it may be is for its count to say
        focuses = sorted(set(self.graph.subjects(spec.via, result.value)), key=str) \
            if spec.via is not None and result.value is not None else [result.focus]
        for focus in focuses:
            record, subject, where = self._place(focus)
            location = Location(file=self.file, subject=subject)
            for code, message, params in self._findings(result, spec, where):
                yield Hit(code=code, message=message, params=params, location=location, record=record)

    def _findings(self, result: _Result, spec: Spec, where: str) -> Iterator[tuple[str, str, dict[str, Any]]]:
        """(code, message, params) of a result, as the JSON Schema's findings of the same problem."""
        if spec.schema is not None:  # a value kept as JSON: the schema says what is wrong with it
            judge = Draft202012Validator(spec.schema)
            for kept in self.graph.objects(result.focus, result.path):  # type: ignore[arg-type]
                for hit in check_structure({spec.field[-1]: _json(kept)}, judge):
                    yield hit.code or "", hit.message, hit.params
            return
        code = _code(result, spec)
        if result.component == SH.MinCountConstraintComponent and self._count(result) is not None:
            yield "invalid-value", "too-few", {"field": self._field(spec, None), "minimum": self._minimum(result),
                                               "count": self._count(result)}
            return
        for message, params in self._messages(code, result, spec, where):
            yield code, message, params

    def _messages(self, code: str, result: _Result, spec: Spec, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        field, value = self._field(spec, result.value), result.value
        if code == "unknown-field":
            yield self._unknown(str(result.path), spec, where)
        elif code == "missing-field" and spec.required:
            for name, predicate in spec.required:
                if self.graph.value(result.focus, predicate) is None:
                    yield "required", {"name": name, "where": _within(spec.field, where)}
        elif code == "missing-field":
            yield "required", {"name": spec.field[-1], "where": _within(spec.field[:-1], where)}
        elif code == "wrong-type":
            actual = _words(value)
            params = {"field": field, "expected": spec.expected, "actual": actual}
            if spec.expected == _TYPE_NAMES["string"] and actual in (_TYPE_NAMES["integer"], _TYPE_NAMES["number"]):
                yield "type-hint", {**params, "value": f'"{value}"'}
            else:
                yield "type", params
        elif code == "invalid-code":
            codes = codelist(spec.code_list).values if spec.code_list else ()
            shown = (code_of(str(value), spec.code_list) if isinstance(value, URIRef) and spec.code_list else None) \
                or str(value)
            params = {"value": repr(shown), "field": field, "allowed": ", ".join(codes)}
            suggestion = _suggest(shown, codes)
            yield ("enum-suggest", {**params, "suggestion": suggestion}) if suggestion else ("enum", params)
        elif code == "invalid-format":
            tagged = result.component == SH.SPARQLConstraintComponent and isinstance(value, Literal)
            shown = value.language if tagged else str(value)  # type: ignore[union-attr]
            if spec.refers_to and isinstance(value, URIRef):
                shown = record_id_of(shown, spec.refers_to) or shown  # type: ignore[arg-type]
            yield "pattern", {"value": repr(shown), "field": f"key of {field}" if tagged else field,
                              "form": spec.form or f"it must match {self._constraint(result.shape, SH.pattern)}"}
        elif result.component == SH.InConstraintComponent:
            allowed = Collection(shapes_graph(), self._constraint(result.shape, SH["in"]))  # type: ignore[arg-type]
            yield "const", {"field": field, "expected": " or ".join(repr(str(a)) for a in allowed),
                            "value": repr(str(value))}
        elif result.component == SH.MinLengthConstraintComponent:
            yield "empty", {"field": field}
        elif result.component == SH.MinInclusiveConstraintComponent:
            bound = self._constraint(result.shape, SH.minInclusive)
            yield "range", {"field": field, "bound": f"at least {bound}", "value": _python(value)}
        else:
            yield "other", {"field": field, "detail": result.message}

    @staticmethod
    def _unknown(predicate: str, spec: Spec, where: str) -> tuple[str, dict[str, Any]]:
        """A field the standard lacks (kept under `UNKNOWN`, `location.foo` in a group), or a
        predicate the vocabulary lacks; with the known field it is closest to, if one is."""
        name, group = predicate, ()
        if predicate.startswith(str(UNKNOWN)):
            *group, name = predicate[len(str(UNKNOWN)):].split(".", 1)  # type: ignore[assignment]
        depth = len(group)
        known = sorted({path[depth] for path in spec.fields if len(path) > depth and path[:depth] == tuple(group)})
        params = {"name": name, "where": _within(group, where)}
        suggestion = _suggest(name, known)
        return ("unknown-suggest", {**params, "suggestion": suggestion}) if suggestion else ("unknown", params)

    @staticmethod
    def _constraint(shape: Node, parameter: URIRef) -> Node | None:
        return shapes_graph().value(shape, parameter)

    def _minimum(self, result: _Result) -> int:
        return int(self._constraint(result.shape, SH.minCount))  # type: ignore[arg-type]

    def _count(self, result: _Result) -> int | None:
        """The items of a list that is given but too short; None if it is not given at all."""
        if not isinstance(result.path, URIRef) or self._minimum(result) < 2:
            return None
        values = list(self.graph.objects(result.focus, result.path))
        return len([v for v in values if v != EMPTY_LIST]) if values else None

    @staticmethod
    def _field(spec: Spec, value: Node | None) -> str:
        if spec.field == ("name",) and isinstance(value, Literal) and value.language:
            return f"'{value.language}'"  # one of the names, by its language
        return f"'{spec.field[-1]}'" if spec.field else "the document"

    def _kind(self, node: Node) -> str | None:
        return next((kind for cls, kind in _CLASSES.items() if (node, RDF.type, cls) in self.graph), None)

    def _climb(self, node: Node) -> tuple[Node, list[str]]:
        """The record (or dataset) a node belongs to, and the fields that lead from it to the
        node: a source of a town is `(town, ["sources"])`."""
        names: list[str] = []
        seen = {node}
        while self._kind(node) is None and (node, RDF.type, CX.Dataset) not in self.graph:
            parent = next(iter(sorted(self.graph.subject_predicates(node), key=str)), None)
            if parent is None or parent[0] in seen:
                break
            node = parent[0]
            seen.add(node)
            names[:0] = [_NESTED[parent[1]]] if parent[1] in _NESTED else []
        return node, names

    def _place(self, node: Node) -> tuple[RecordRef | None, str | None, str]:
        """The record a node belongs to, the IRI that names it (None for a blank node), and
        how the schema's findings name the node: `town 'bremen'`, `'sources' of town 'bremen'`."""
        top, names = self._climb(node)
        kind = self._kind(top)
        identifier = self.graph.value(top, DCTERMS.identifier)
        text = isinstance(identifier, Literal) and identifier.datatype in (None, XSD.string) and not identifier.language
        record = RecordRef(kind=kind, id=str(identifier) if text else None) if kind else None
        if record is not None:
            where = f"{kind} '{record.id}'" if record.id is not None else f"a {kind} without an id"
        else:
            where = "the dataset" if (top, RDF.type, CX.Dataset) in self.graph else "a node outside the dataset"
        return record, str(top) if isinstance(top, URIRef) else None, _within(names, where)


def _within(names: tuple[str, ...] | list[str], where: str) -> str:
    """A field of a group names the group, as the schema's findings do: `'location' of town
    'bremen'`; of the dataset, `'metadata'`."""
    if not names:
        return where
    return f"'{names[-1]}'" if where == "the dataset" else f"'{names[-1]}' of {where}"


def _json(value: Node) -> Any:
    try:
        return json.loads(str(value))
    except json.JSONDecodeError:
        return str(value)


def _words(value: Node | None) -> str:
    """A value's JSON type in words, as the reader would give it back."""
    if isinstance(value, Literal):
        if value.datatype == RDF.JSON:
            return type_words(_json(value))
        return _TYPE_NAMES[_JSON_TYPES.get(value.datatype, "string")]  # type: ignore[arg-type]
    return _TYPE_NAMES["object"] if isinstance(value, BNode) else _TYPE_NAMES["string"]  # an IRI: a code, a URL


def _python(value: Node | None) -> Any:
    return value.toPython() if isinstance(value, Literal) else str(value)
