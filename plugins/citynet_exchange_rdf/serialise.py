"""Writing triples: N-Triples, Turtle and TriG as a stream, without building a graph; RDF/XML,
JSON-LD and N-Quads through an rdflib graph."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any, BinaryIO

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from citynet_exchange_rdf.safety_jsonld import exact_integer
from citynet_exchange_rdf.vocab import PREFIXES

Triple = tuple[Node, Node, Node]
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\x00-\x1f\x7f]')
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_IRI_ESCAPE = re.compile(r'[\x00-\x20<>"{}|^`\\]')  # what an IRI is written with escapes for
_REMEMBERED = 65536
RDFLIB_NAMES = {"rdf-xml": "xml", "json-ld": "json-ld", "nquads": "nquads"}


def _escape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group()
        return _ESCAPES.get(char) or f"\\u{ord(char):04X}"

    return _NEEDS_ESCAPE.sub(one, text)


def _iri(iri: str) -> str:
    if not _IRI_ESCAPE.search(iri):
        return f"<{iri}>"
    return "<" + "".join(c if c > " " and c not in '<>"{}|^`\\' else f"\\u{ord(c):04X}" for c in iri) + ">"


class _Terms:
    """Terms as N-Triples or, with prefixes, Turtle text."""

    def __init__(self, prefixes: dict[str, str] | None = None):
        self.prefixes = sorted(((str(ns), name) for name, ns in (prefixes or {}).items()), key=lambda p: -len(p[0]))
        # IRIs come again and again (predicates, classes, the towns of many partnerships):
        # the text of the last few thousand is looked up, not written out again.
        self._written: dict[str, str] = {}

    def node(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return f"_:b{node}"
        assert isinstance(node, Literal)
        text = f'"{_escape(str(node))}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None:
            return f"{text}^^{self.iri(str(node.datatype))}"
        return text

    def iri(self, iri: str) -> str:
        written = self._written.get(iri)
        if written is None:
            if len(self._written) >= _REMEMBERED:
                self._written.clear()
            written = self._written[iri] = self._prefixed(iri)
        return written

    def _prefixed(self, iri: str) -> str:
        for namespace, name in self.prefixes:
            if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace):]):
                return f"{name}:{iri[len(namespace):]}"
        return _iri(iri)


GRAPH = URIRef("urn:citynet:graph")  # the named graph TriG and N-Quads put the statements in


def write(triples: Iterable[Triple], serialisation: str, out: BinaryIO) -> None:
    """Write the triples in a serialisation (`turtle`, `nt`, `rdf-xml`, `json-ld`, `trig`, `nquads`)."""
    if serialisation == "nt":
        terms = _Terms()
        for s, p, o in triples:
            out.write(f"{terms.node(s)} {terms.node(p)} {terms.node(o)} .\n".encode())
    elif serialisation in ("turtle", "trig"):  # rdflib's TriG writes a double with 7 digits: 5.012346e+01
        _write_turtle(triples, out, GRAPH if serialisation == "trig" else None)
    else:
        _write_with_rdflib(triples, serialisation, out)


def _write_turtle(triples: Iterable[Triple], out: BinaryIO, graph: URIRef | None = None) -> None:
    """Turtle, or with `graph` TriG: the same statements inside that named graph's block."""
    terms = _Terms({name: str(ns) for name, ns in PREFIXES.items()})
    out.write("".join(f"@prefix {name}: {_iri(str(ns))} .\n" for name, ns in PREFIXES.items()).encode())
    indent = "" if graph is None else "    "
    if graph is not None:
        out.write(f"\n{terms.node(graph)} {{".encode())
    previous: Node | None = None
    rdf_type = RDF.type  # looked up once: the namespace answers an attribute in Python
    for s, p, o in triples:
        verb = "a" if p is rdf_type or p == rdf_type else terms.node(p)
        if s is previous or s == previous:
            out.write(f" ;\n{indent}    {verb} {terms.node(o)}".encode())
        else:
            out.write(f"{' .' if previous is not None else ''}\n\n{indent}{terms.node(s)} {verb} {terms.node(o)}"
                      .encode())
        previous = s
    out.write(b" .\n" if previous is not None else b"\n")
    if graph is not None:
        out.write(b"}\n")


def _write_with_rdflib(triples: Iterable[Triple], serialisation: str, out: BinaryIO) -> None:
    if serialisation == "nquads":
        store = Dataset()
        graph: Graph = store.graph(GRAPH)
    else:
        store = graph = Graph()
    for name, namespace in PREFIXES.items():
        store.bind(name, namespace, replace=True)
    for triple in triples:
        graph.add(triple)
    if serialisation == "json-ld":
        _write_json_ld(graph, out)
    else:
        out.write(store.serialize(format=RDFLIB_NAMES[serialisation], encoding="utf-8"))


def _write_json_ld(graph: Graph, out: BinaryIO) -> None:
    """JSON-LD as rdflib 7.6 builds it (numbers, booleans and texts as JSON's own: its
    serialiser always takes its native types), put in order and written by Python's JSON
    writer: rdflib's own writer is orjson where installed, which fails on an integer beyond
    64 bits."""
    from rdflib.plugins.serializers.jsonld import from_rdf

    data = _ordered(from_rdf(graph, _context(), use_native_types=True))
    out.write(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8") + b"\n")


def _ordered(value: Any) -> Any:
    """JSON-LD with every array sorted and every integer beyond 64 bits a typed value. An array
    that is no `@list` has no order in JSON-LD, and rdflib gives the graph's, which changes
    from run to run; a JSON reader may take a number as a 64-bit integer or a double."""
    if isinstance(value, dict):
        return {key: [_ordered(v) for v in item] if key == "@list" else _ordered(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_ordered(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return exact_integer(value)


def _context() -> dict[str, str]:
    """The prefixes JSON-LD output is compacted with."""
    return {name: str(ns) for name, ns in PREFIXES.items()}
