"""`citynet validate --shacl`: pyshacl with the standard's shapes, each result a finding.

A result becomes the finding the JSON Schema gives the same problem: the code of its
constraint component (or the one its shape's `Spec` names), that code's message and
parameters, placed at the subject of the record it is about and at the pointer of the value
in the dataset as the reader reads it, so that the engine does not report the schema's
finding of the same value again. As in JSON Schema, a value of the wrong type is reported
for its type only, not also for the form or code list it fails.
Importing pyshacl takes a while, so it happens on the first call, and never without `--shacl`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from jsonschema import Draft202012Validator
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, RDF, SH, XSD
from rdflib.term import Node

from citynet_exchange.codelists import codelist
from citynet_exchange.findings import Hit, Location, RecordRef, pointer_of
from citynet_exchange.structure import check_structure
from citynet_exchange.structure_words import TYPE_NAMES, suggest, type_words
from citynet_exchange_rdf.mapping import DATASET, KINDS
from citynet_exchange_rdf.reader import NAME as READER, GraphReader
from citynet_exchange_rdf.shapes import EMPTY_LIST, Spec, shapes_graph, specs
from citynet_exchange_rdf.triples import Statements, rdflib_graph
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
_TEXT, _WHOLE, _NUMBER = TYPE_NAMES["string"], TYPE_NAMES["integer"], TYPE_NAMES["number"]
_NESTED = {term.predicate: (term.path[-1], term.many)
           for term in (*DATASET, *(t for *_x, terms in KINDS.values() for t in terms))
           if term.form in ("sources", "agreement")}  # the objects inside records: the field holding them, a list?
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

    @property
    def spec(self) -> Spec:
        return specs().get(self.shape, Spec(()))  # type: ignore[call-overload]


def shacl_hits(graph: Statements, file: str) -> list[Hit]:
    """The findings of the standard's shapes on `graph`, located at their subjects in `file`.

    Nothing is fetched or imported: no inference, no owl:imports; SHACL Core plus one
    SPARQL constraint (the form of language tags)."""
    from pyshacl import validate

    shapes = Graph()
    shapes += shapes_graph()  # pyshacl adds to the shapes graph it is given
    conforms, report, _text = validate(rdflib_graph(graph), shacl_graph=shapes, inference="none", advanced=False,
                                       allow_warnings=True, do_owl_imports=False)
    if conforms:
        return []
    places = _Places(graph, file)
    hits: dict[str, Hit] = {}
    for top in report.objects(None, SH.result):
        for leaf in _leaves(report, top):
            for hit in places.hits(_result(report, leaf)):
                hits.setdefault(repr(hit), hit)  # a value failing two alternatives is one finding
    return sorted(hits.values(), key=lambda h: (h.location.subject or "", h.code or "",  # type: ignore[union-attr]
                                                repr(h)))


def _leaves(report: Graph, result: Node) -> Iterator[Node]:
    """A failed `sh:node` (a source, the agreement) reports its own results as details."""
    details = list(report.objects(result, SH.detail))
    if not details:
        yield result
    for detail in details:
        yield from _leaves(report, detail)


def _result(report: Graph, result: Node) -> _Result:
    def value(predicate: URIRef) -> Any:
        return report.value(result, predicate)

    return _Result(value(SH.focusNode), value(SH.value), value(SH.resultPath), value(SH.sourceConstraintComponent),
                   value(SH.sourceShape), str(value(SH.resultMessage) or ""))


def _code(result: _Result) -> str:
    """Wrong-type for a value of another JSON type than its field's, whatever it failed;
    else the code the shape names, or its constraint component's."""
    spec = result.spec
    if result.value is not None and spec.expected and _words(result.value) not in _fitting(spec.expected):
        return "wrong-type"
    component = result.component
    return spec.codes.get(component) or _CODES.get(component, "invalid-value")  # type: ignore[call-overload]


def _fitting(expected: str) -> set[str]:
    return {expected, _WHOLE} if expected == _NUMBER else {expected}


class _Places:
    """Names the nodes of the data graph as the JSON Schema's findings name their places."""

    def __init__(self, graph: Statements, file: str):
        self.graph = graph
        self.file = file

    def hits(self, result: _Result) -> Iterator[Hit]:
        spec = result.spec
        if spec.many and result.value == EMPTY_LIST and \
                set(self.graph.objects(result.focus, result.path)) == {EMPTY_LIST}:  # type: ignore[arg-type]
            return  # a list given empty (not an empty list in a list): whether it may be is for its count to say
        focuses = sorted(set(self.graph.subjects(spec.via, result.value)), key=str) \
            if spec.via is not None and result.value is not None else [result.focus]
        for focus in focuses:
            record, subject, where = self._place(focus)
            base = self._pointer(focus)
            for code, message, params, tail in self._findings(result, where):
                pointer = None if base is None or tail is None else base + tail
                yield Hit(code=code, message=message, params=params, pointer=pointer, record=record,
                          location=Location(file=self.file, pointer=pointer, subject=subject))

    def _findings(self, result: _Result, where: str) -> Iterator[tuple[str, str, dict[str, Any], str | None]]:
        """(code, message, params, pointer from the focus's object) of a result."""
        spec = result.spec
        if spec.schema is not None:  # a value kept as JSON: the schema says what is wrong with it
            judge = Draft202012Validator(spec.schema)
            for kept in self.graph.objects(result.focus, result.path):  # type: ignore[arg-type]
                for hit in check_structure({spec.field[-1]: _json(kept)}, judge):
                    yield hit.code or "", hit.message, hit.params, hit.pointer
        elif result.component == SH.MinCountConstraintComponent and self._count(result) is not None:
            yield "invalid-value", "too-few", {"field": _field(spec, None), "minimum": self._minimum(result),
                                               "count": self._count(result)}, pointer_of(spec.field)
        else:
            code = _code(result)
            tail = self._relative(code, result)
            yield from ((code, message, params, tail) for message, params in self._messages(code, result, where))

    def _relative(self, code: str, result: _Result) -> str | None:
        """Where in the focus's object the schema's finding of the same problem points."""
        spec, value = result.spec, result.value
        if code == "unknown-field":  # a field the standard lacks; a predicate, where the reader keeps it
            name = str(result.path)
            return pointer_of(name[len(str(UNKNOWN)):].split(".", 1) if name.startswith(str(UNKNOWN))
                         else ["extensions", READER, name])
        if code == "missing-field":
            return pointer_of(spec.field if spec.required else spec.field[:-1])
        if isinstance(value, Literal) and value.language and spec.field in (("name",), ("names",)):
            return pointer_of(("names", value.language))
        if not spec.many or value is None:
            return pointer_of(spec.field)
        items = self._read_at(result.focus, spec.field)
        read = _as_read(value, spec)
        return pointer_of((*spec.field, str(items.index(read)))) if isinstance(items, list) and read in items else None

    @cached_property
    def _dataset(self) -> tuple[dict[str, Any], dict[str, str]]:
        """The dataset as the reader reads the graph, and the pointer of each record's subject."""
        reader = GraphReader(self.graph, self.file)
        data = reader.dataset()
        pointers = {str(d): "" for d in self.graph.subjects(RDF.type, CX.Dataset)}
        for key, *_x in KINDS.values():
            for index, _record in enumerate(data.get(key) or []):
                subject = reader.locator.locate(f"/{key}/{index}").subject
                if subject is not None:
                    pointers.setdefault(subject, f"/{key}/{index}")  # a record without IRI finds the dataset's
        return data, pointers

    def _pointer(self, node: Node) -> str | None:
        """The pointer of a node's object in the dataset read; None inside a list of objects."""
        top, names = self._climb(node)
        pointer = self._dataset[1].get(str(top))
        if pointer is None or any(many for _name, many in names):
            return None
        return pointer + pointer_of([name for name, _many in names])

    def _read_at(self, node: Node, field: tuple[str, ...]) -> Any:
        value: Any = self._dataset[0]
        for token in ((self._pointer(node) or "") + pointer_of(field)).split("/")[1:]:
            if isinstance(value, list) and token.isdigit() and int(token) < len(value):
                value = value[int(token)]
            else:
                value = value.get(token) if isinstance(value, dict) else None
        return value

    def _messages(self, code: str, result: _Result, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        spec, value = result.spec, result.value
        field = _field(spec, value)
        if code == "unknown-field":
            yield _unknown(str(result.path), spec, where)
        elif code == "missing-field" and spec.required:
            for name, predicate in spec.required:
                if self.graph.value(result.focus, predicate) is None:
                    yield "required", {"name": name, "where": _within(spec.field, where)}
        elif code == "missing-field":
            yield "required", {"name": spec.field[-1], "where": _within(spec.field[:-1], where)}
        elif code == "wrong-type":
            params = {"field": field, "expected": spec.expected, "actual": _words(value)}
            if spec.expected == _TEXT and params["actual"] in (_WHOLE, _NUMBER):
                yield "type-hint", {**params, "value": f'"{value}"'}
            else:
                yield "type", params
        elif code == "invalid-code":
            yield _enum(spec, value, field)
        elif code == "invalid-format":
            tagged = result.component == SH.SPARQLConstraintComponent and isinstance(value, Literal)
            shown = value.language if tagged else str(value)  # type: ignore[union-attr]
            if spec.refers_to and isinstance(value, URIRef):
                shown = record_id_of(str(value), spec.refers_to) or shown
            yield "pattern", {"value": repr(shown), "field": f"key of {field}" if tagged else field,
                              "form": spec.form or f"it must match {_constraint(result.shape, SH.pattern)}"}
        elif result.component == SH.InConstraintComponent:
            allowed = Collection(shapes_graph(), _constraint(result.shape, SH["in"]))  # type: ignore[arg-type]
            yield "const", {"field": field, "expected": " or ".join(repr(str(a)) for a in allowed),
                            "value": repr(str(value))}
        elif result.component == SH.MinLengthConstraintComponent:
            yield "empty", {"field": field}
        elif result.component == SH.MinInclusiveConstraintComponent:
            yield "range", {"field": field, "bound": f"at least {_constraint(result.shape, SH.minInclusive)}",
                            "value": value.toPython() if isinstance(value, Literal) else str(value)}
        else:
            yield "other", {"field": field, "detail": result.message}

    def _minimum(self, result: _Result) -> int:
        return int(_constraint(result.shape, SH.minCount))  # type: ignore[arg-type]

    def _count(self, result: _Result) -> int | None:
        """The items of a list that is given but too short; None if it is not given at all."""
        if not isinstance(result.path, URIRef) or self._minimum(result) < 2:
            return None
        values = list(self.graph.objects(result.focus, result.path))
        return len([v for v in values if v != EMPTY_LIST]) if values else None

    def _kind(self, node: Node) -> str | None:
        return next((kind for cls, kind in _CLASSES.items() if (node, RDF.type, cls) in self.graph), None)

    def _climb(self, node: Node) -> tuple[Node, list[tuple[str, bool]]]:
        """The record (or dataset) a node belongs to, and the fields that lead from it to the
        node (and whether each holds a list): a source of a town is `(town, [("sources", True)])`."""
        names: list[tuple[str, bool]] = []
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
        return record, str(top) if isinstance(top, URIRef) else None, _within([name for name, _ in names], where)


def _as_read(value: Node, spec: Spec) -> Any:
    """A list item as the reader gives it back: a reference as its id, a code as itself."""
    if isinstance(value, URIRef):
        return (record_id_of(str(value), spec.refers_to) if spec.refers_to else None) or \
            (code_of(str(value), spec.code_list) if spec.code_list else None) or str(value)
    return (_json(value) if value.datatype == RDF.JSON else value.toPython()) if isinstance(value, Literal) else None


def _constraint(shape: Node, parameter: URIRef) -> Node | None:
    return shapes_graph().value(shape, parameter)


def _field(spec: Spec, value: Node | None) -> str:
    """The field as the schema's findings name it: its last key, one of the names by its language."""
    if spec.field == ("name",) and isinstance(value, Literal) and value.language:
        return f"'{value.language}'"
    return f"'{spec.field[-1]}'" if spec.field else "the document"


def _enum(spec: Spec, value: Node | None, field: str) -> tuple[str, dict[str, Any]]:
    codes = codelist(spec.code_list).values if spec.code_list else ()
    shown = (code_of(str(value), spec.code_list) if isinstance(value, URIRef) and spec.code_list else None) \
        or str(value)
    params = {"value": repr(shown), "field": field, "allowed": ", ".join(codes)}
    suggestion = suggest(shown, codes)
    return ("enum-suggest", {**params, "suggestion": suggestion}) if suggestion else ("enum", params)


def _unknown(predicate: str, spec: Spec, where: str) -> tuple[str, dict[str, Any]]:
    """A field the standard lacks (kept under `UNKNOWN`, as `location.foo` in a group), or a
    predicate the vocabulary lacks; with the known field it is closest to, if one is."""
    name, group = predicate, []
    if predicate.startswith(str(UNKNOWN)):
        *group, name = predicate[len(str(UNKNOWN)):].split(".", 1)
    depth = len(group)
    known = sorted({path[depth] for path in spec.fields if len(path) > depth and list(path[:depth]) == group})
    params = {"name": name, "where": _within(group, where)}
    suggestion = suggest(name, known)
    return ("unknown-suggest", {**params, "suggestion": suggestion}) if suggestion else ("unknown", params)


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
    """A value's JSON type in words, as the reader gives it back (an IRI: a code, a URL)."""
    if isinstance(value, Literal):
        if value.datatype == RDF.JSON:
            return type_words(_json(value))
        return TYPE_NAMES[_JSON_TYPES.get(value.datatype, "string")]  # type: ignore[arg-type]
    return TYPE_NAMES["object"] if isinstance(value, BNode) else _TEXT
