"""Turtle, TriG, N-Triples and N-Quads, read by pyoxigraph's parser (Rust) into `Triples`.

It reads a dataset of 100k partnerships (two million statements) in about 3 s where
rdflib's Turtle parser takes two minutes, it fetches nothing (a prefix or `@base` is only
text), and its errors give the line and column. Its terms become rdflib's, each distinct
term once. Two of its habits are undone so that nothing read differs from what the file
says: it writes language tags in lower case, and the case the file gave is restored
(`_LanguageCase`); and it reads RDF 1.2 triple terms, which the standard does not use
and which are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from citynet_exchange.findings import Hit
from citynet_exchange.formats import syntax_hit
from citynet_exchange_rdf.triples import Triples

FORMATS = {"turtle": ox.RdfFormat.TURTLE, "trig": ox.RdfFormat.TRIG, "nt": ox.RdfFormat.N_TRIPLES,
           "nquads": ox.RdfFormat.N_QUADS}
_PROBLEM = re.compile(r"^Parser error at line \d+ (?:column \d+|between columns \d+ and \d+): (.*?)(?: \(line \d+\))?$",
                      re.DOTALL)
_TAG = re.compile(r"""["']@([A-Za-z]+(?:-[A-Za-z0-9]+)*)""")  # a language tag follows a string's closing quote
_STRING = str(XSD.string)


class Unreadable(Exception):
    """The file holds what the standard's graphs cannot (a triple term); the message says what."""


def read(text: str, serialisation: str, base: str, file: str) -> tuple[Triples | None, Hit | None]:
    """The statements of a text (named graphs merged into one), or None and the syntax error;
    None and None when the file spells a language tag in two cases (rdflib is to read it)."""
    case = _LanguageCase.of(text)
    if case is None:
        return None, None
    try:
        triples = Triples(_Terms(case).triples(ox.parse(text, format=FORMATS[serialisation], base_iri=base)))
    except SyntaxError as exc:
        problem = _PROBLEM.match(str(exc))
        return None, syntax_hit(file, exc.lineno, exc.offset, problem[1] if problem else str(exc))
    except Unreadable as exc:
        return None, syntax_hit(file, None, None, str(exc))
    return triples, None


class _LanguageCase:
    """The language tags of a file as it spells them, by their lower-case form."""

    def __init__(self, spelt: dict[str, str]):
        self.spelt = spelt

    @classmethod
    def of(cls, text: str) -> _LanguageCase | None:
        """None when one tag is spelt in two ways (`de-CH` and `de-ch`): which one a literal had
        is then not known from the parsed literal."""
        spelt: dict[str, str] = {}
        for tag in set(_TAG.findall(text)) if "@" in text else ():
            if spelt.setdefault(tag.lower(), tag) != tag:
                return None
        return cls(spelt)

    def __call__(self, tag: str) -> str:
        return self.spelt.get(tag, tag)


class _Terms:
    """pyoxigraph's terms as rdflib's, each made once."""

    def __init__(self, case: _LanguageCase):
        self.case = case

    def triples(self, quads: Iterable[ox.Quad]) -> Iterator[tuple[Node, Node, Node]]:
        made: dict[object, Node] = {}
        get, make = made.get, self._make
        for s, p, o, _graph in quads:  # millions of times: the lookups are inlined
            subject, predicate, obj = get(s), get(p), get(o)
            if subject is None:
                subject = made[s] = make(s)
            if predicate is None:
                predicate = made[p] = make(p)
            if obj is None:
                obj = made[o] = make(o)
            yield subject, predicate, obj

    def _make(self, term: object) -> Node:
        if isinstance(term, ox.NamedNode):
            return URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(term.value)
        if isinstance(term, ox.Literal):
            if term.language:
                return Literal(term.value, lang=self.case(term.language))
            datatype = term.datatype.value
            return Literal(term.value, datatype=None if datatype == _STRING else URIRef(datatype))
        raise Unreadable("a triple term (RDF 1.2, `<<( ... )>>` or `<< ... >>`) is no part of the standard's "
                         "graphs and is not read")
