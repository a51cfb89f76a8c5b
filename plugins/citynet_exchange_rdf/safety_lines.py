"""N-Triples and N-Quads, read one line at a time so that an error has its line and column.

rdflib's own loop over the lines reports an error with the rest of the line but not its
number; these formats are one statement a line, so the loop here feeds rdflib's line
parser itself and counts.
"""

from __future__ import annotations

import re

from rdflib import Dataset, Graph
from rdflib.exceptions import ParserError
from rdflib.plugins.parsers.nquads import NQuadsParser
from rdflib.plugins.parsers.ntriples import NTGraphSink, W3CNTriplesParser

from citynet_exchange.findings import Hit
from citynet_exchange.formats import syntax_hit

_LINE_BREAK = re.compile(r"\r\n|\r|\n")  # what rdflib's reader takes for the end of a line
_FAILED_TO_EAT = re.compile(r"^Failed to eat .* at (.*)$", re.DOTALL)  # rdflib names its regular expression


def parse_lines(text: str, quads: bool, file: str) -> tuple[Graph, Hit | None]:
    """The statements of an N-Triples (or N-Quads, into a Dataset) text, and the first error
    (the graph is then incomplete)."""
    return _parse(_LINE_BREAK.split(text), 1, quads, file)


def error_near(text: str, line: int, quads: bool, file: str) -> Hit | None:
    """The error rdflib's line parser finds from the statement before `line` to `line`: where
    pyoxigraph says a statement lacks its ' .', at the next line, this names the line that lacks it."""
    lines = _LINE_BREAK.split(text)
    first = line - 1
    while first > 1 and (not lines[first - 1].strip() or lines[first - 1].lstrip().startswith("#")):
        first -= 1
    first = max(first, 1)
    return _parse(lines[first - 1:line], first, quads, file)[1]


def _parse(lines: list[str], first: int, quads: bool, file: str) -> tuple[Graph, Hit | None]:
    graph: Graph = Dataset() if quads else Graph()
    parser = NQuadsParser(graph) if quads else W3CNTriplesParser(NTGraphSink(graph))
    for number, line in enumerate(lines, start=first):
        parser.line = line
        try:
            parser.parseline()
        except ParserError as exc:
            rest = parser.line or ""
            column = len(line) - len(rest) + 1 if line.endswith(rest) else None
            return graph, syntax_hit(file, number, column, _problem(str(exc)))
    return graph, None


def _problem(message: str) -> str:
    eaten = _FAILED_TO_EAT.match(message)
    if eaten is None:
        return message
    return f"unexpected {eaten[1][:40]!r}" if eaten[1] else "the statement does not end in ' .'"
