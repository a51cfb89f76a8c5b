"""The statements of a parsed file, held as plain dictionaries instead of an rdflib graph.

rdflib's in-memory store spends about 10 µs on each statement it adds; a dataset of 100k
partnerships is two million statements. The readers of this plugin ask only a few kinds
of question (the objects of a subject and predicate, the subjects of a predicate and
object, the statements of a subject), so two indexes answer them: subject → predicate →
objects, and predicate → object → subjects. The terms are rdflib's, so the readers and
the vocabulary do not care which parser filled the index. `rdflib_graph` builds an rdflib
graph for the tools that need one (pySHACL).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeAlias

from rdflib.term import Node

if TYPE_CHECKING:
    from rdflib import Graph

Triple: TypeAlias = tuple[Node, Node, Node]
Pattern: TypeAlias = tuple[Node | None, Node | None, Node | None]
_Index: TypeAlias = dict[Node, dict[Node, dict[Node, None]]]  # dicts keep the order statements came in
Statements: TypeAlias = "Triples | Graph"  # what the readers read: the tests hand them rdflib graphs too


class Triples:
    """A set of statements, with the lookups of rdflib's `Graph` that the readers use."""

    def __init__(self, triples: Iterable[Triple] = ()):
        self._spo: _Index = {}
        self._pos: _Index = {}
        spo, pos, count = self._spo, self._pos, 0
        for s, p, o in triples:  # two million times for 100k partnerships: no method of ours called
            objects = spo.setdefault(s, {}).setdefault(p, {})
            if o in objects:
                continue  # a statement given twice is one statement
            objects[o] = None
            pos.setdefault(p, {}).setdefault(o, {})[s] = None
            count += 1
        self._count = count

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[Triple]:
        return self.triples((None, None, None))

    def __contains__(self, pattern: Pattern) -> bool:
        return next(self.triples(pattern), None) is not None

    def triples(self, pattern: Pattern) -> Iterator[Triple]:
        s, p, o = pattern
        if s is not None:
            by_predicate = self._spo.get(s, {})
            for predicate in (by_predicate if p is None else (p,) if p in by_predicate else ()):
                objects = by_predicate[predicate]
                for obj in (objects if o is None else (o,) if o in objects else ()):
                    yield s, predicate, obj
        elif p is not None:
            by_object = self._pos.get(p, {})
            for obj in (by_object if o is None else (o,) if o in by_object else ()):
                for subject in by_object[obj]:
                    yield subject, p, obj
        else:  # by object alone, or everything: a walk over all statements (the readers seldom ask)
            for subject, by_predicate in self._spo.items():
                for predicate, objects in by_predicate.items():
                    for obj in (objects if o is None else (o,) if o in objects else ()):
                        yield subject, predicate, obj

    def subjects(self, predicate: Node | None = None, obj: Node | None = None) -> Iterator[Node]:
        seen: set[Node] = set()
        for s, _p, _o in self.triples((None, predicate, obj)):
            if s not in seen:
                seen.add(s)
                yield s

    def objects(self, subject: Node | None = None, predicate: Node | None = None) -> Iterator[Node]:
        if subject is not None and predicate is not None:
            yield from self._spo.get(subject, {}).get(predicate, {})
            return
        seen: set[Node] = set()
        for _s, _p, o in self.triples((subject, predicate, None)):
            if o not in seen:
                seen.add(o)
                yield o

    def subject_objects(self, predicate: Node) -> Iterator[tuple[Node, Node]]:
        for s, _p, o in self.triples((None, predicate, None)):
            yield s, o

    def predicate_objects(self, subject: Node) -> Iterator[tuple[Node, Node]]:
        for _s, p, o in self.triples((subject, None, None)):
            yield p, o

    def subject_predicates(self, obj: Node) -> Iterator[tuple[Node, Node]]:
        for s, p, _o in self.triples((None, None, obj)):
            yield s, p

    def value(self, subject: Node, predicate: Node) -> Node | None:
        """One object of the subject and predicate (the first stated), or None."""
        return next(iter(self._spo.get(subject, {}).get(predicate, {})), None)


def rdflib_graph(statements: Statements) -> Graph:
    """The statements as an rdflib graph, for the tools that take only that (pySHACL)."""
    from rdflib import Graph

    if isinstance(statements, Graph):
        return statements
    graph = Graph()
    graph.addN((s, p, o, graph) for s, p, o in statements)
    return graph
