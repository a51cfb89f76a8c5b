"""The only place RDF bytes are parsed, kept from the network and other files.

Turtle, TriG, N-Triples and N-Quads are read by pyoxigraph (`safety_oxigraph`): it fetches
nothing (`@base` and prefixes are only text) and is fast. RDF/XML and JSON-LD are read by
rdflib, which 7.6 would otherwise let do this with a submitted file: its JSON-LD parser
fetches every context named by a URL or a file path, and `@import`s; its RDF/XML parser
expands XML entities in quadratic time (40 s for 630 bytes of nested entities, and
expat's own limit stops the next size only after 90 s). So RDF/XML with a document type or
entity declaration is refused before rdflib sees it, JSON-LD is inspected and rewritten
first (`safety_jsonld`), and `owl:imports` stay data (no parser follows them). Every parse
resolves relative IRIs against `BASE`, a fixed IRI that cannot be fetched, so the graph is
the same wherever the validator runs; the tests prove each with a local server.
"""

from __future__ import annotations

import re

from rdflib import Dataset, Graph

from citynet_exchange.findings import Hit
from citynet_exchange.formats import Input, decode_text, refusal, surrogate_problem, syntax_hit
from citynet_exchange_rdf.safety_hits import error_hit, place_of
from citynet_exchange_rdf.safety_jsonld import safe_jsonld
from citynet_exchange_rdf.safety_lines import error_near, parse_lines
from citynet_exchange_rdf.safety_oxigraph import read
from citynet_exchange_rdf.serialisations import SERIALISATIONS, Serialisation
from citynet_exchange_rdf.triples import Triples

# Relative IRIs resolve against this: `.invalid` is reserved never to resolve (RFC 6761),
# and a fixed base keeps the working directory (rdflib's default) out of the data.
BASE = "https://input.invalid/"


_DECLARATION = re.compile(r"<!(DOCTYPE|ENTITY)", re.I)


def parse(source: Input, serialisation: str) -> tuple[Triples | None, list[Hit]]:
    """The statements of an input in a serialisation of `SERIALISATIONS` (named graphs merged
    into one), or None and the hits that say why it cannot be read; never raises for bad data."""
    kind = SERIALISATIONS[serialisation]
    if kind.name == "rdf-xml":
        declared = _xml_declaration(source)
        if declared:
            return None, [declared]
        return _rdflib_parse(source.data, kind, source, None)
    text, problem = decode_text(source)
    if text is None:
        return None, [problem] if problem else []
    if kind.name == "json-ld":  # read by `json_positions.loads`, which refuses half a surrogate pair
        safe, hits = safe_jsonld(text, source.name)
        if safe is None:
            return None, hits
        return _rdflib_parse(safe, kind, source, None)
    triples, hit = read(text, kind.name, BASE, source.name)
    if triples is None and hit is None:  # a language tag spelt in two cases, which rdflib keeps apart
        return _rdflib_text(text, kind, source)
    if hit is not None and kind.name in ("nt", "nquads") and hit.location and hit.location.line:
        hit = error_near(text, hit.location.line, kind.quads, source.name) or hit
    return triples, [hit] if hit else []


def _rdflib_text(text: str, kind: Serialisation, source: Input) -> tuple[Triples | None, list[Hit]]:
    """A Turtle, TriG, N-Triples or N-Quads text read by rdflib."""
    if kind.name in ("nt", "nquads"):
        lines, hit = parse_lines(text, kind.quads, source.name)
        triples, hits = (None, [hit]) if hit else (_triples(lines), [])
    else:
        triples, hits = _rdflib_parse(text, kind, source, text)
    surrogate = _surrogate_hit(triples, text, source.name) if triples is not None else None
    return (None, [surrogate]) if surrogate else (triples, hits)


def _rdflib_parse(data: str | bytes, kind: Serialisation, source: Input,
                  text: str | None) -> tuple[Triples | None, list[Hit]]:
    """rdflib's parse, relative IRIs against `BASE`; `text` is the decoded input where rdflib
    reads that (its Turtle errors give an offset into it)."""
    graph = Dataset() if kind.quads else Graph()
    try:
        graph.parse(data=data, format=kind.parser, publicID=BASE)
    except UnicodeDecodeError as exc:  # RDF/XML, decoded in chunks: the place is found in the whole input
        _text, problem = decode_text(source)
        return None, [problem or error_hit(source.name, exc, text)]
    except Exception as exc:  # rdflib raises what its code meets on bad data, not one exception type
        return None, [error_hit(source.name, exc, text)]
    return _triples(graph), []


_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}")


def _surrogate_hit(triples: Triples, text: str, file: str) -> Hit | None:
    """A syntax error if the graph holds half a UTF-16 surrogate pair, which rdflib reads from an
    escape (`\\ud800`) though it is no character and no file can hold it; at the first such escape."""
    escape = _SURROGATE_ESCAPE.search(text)
    if escape is None:
        return None
    problem = next(filter(None, (surrogate_problem(str(term)) for triple in triples for term in triple)), None)
    return syntax_hit(file, *place_of(text, escape.start()), problem) if problem else None


def _triples(graph: Graph) -> Triples:
    """A graph's statements, of every named graph and the default graph, in one set."""
    if isinstance(graph, Dataset):
        return Triples((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
    return Triples(graph)


def _xml_declaration(source: Input) -> Hit | None:
    """A refusal of XML that declares a document type or entities, before any parser sees it.

    Expat reads UTF-8, UTF-16 and single-byte encodings that keep ASCII's bytes for markup,
    so the declaration is found in the text with NUL bytes (UTF-16 without a byte-order
    mark) dropped, and in bytes read as Latin-1 where the text is not UTF. A declaration in
    a comment is refused too: RDF/XML needs none.
    """
    text, _ = decode_text(source)
    haystack = (text if text is not None else source.data.decode("latin-1")).replace("\0", "")
    match = _DECLARATION.search(haystack)
    if match is None:
        return None
    line, column = place_of(haystack, match.start())
    return refusal(source.name, f"<!{match[1].upper()}", "a document type or entity declaration can make a "
                   "parser expand entities without limit or read other files; RDF/XML needs none, remove it",
                   line, column)
