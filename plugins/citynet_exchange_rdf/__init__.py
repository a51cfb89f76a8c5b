"""Linked data: datasets as RDF in every common serialisation, and Wikidata twinning graphs.

The importer `rdf` detects the serialisation; `turtle`, `nt`, `nquads`, `trig`, `rdf-xml`
and `json-ld` name it, as importers and as exporters. A graph in the standard's vocabulary
(`mapping`) reads back into the dataset it was written from; a Wikidata-style graph
(`wdt:P190`, `p:P190` statements) becomes towns and partnerships (`wikidata`). Parsing goes
through `safety`, which never lets a file reach the network or other files, into `Triples`.
N-Triples, Turtle and TriG are written as a stream (`serialise`), record by record where the
input is read as one; the others through an rdflib graph. rdflib is imported only to read
or write RDF, so that other commands do not pay for it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Document, Exporter, FileLocator, Importer, Input, WriteOptions, syntax_hit
from citynet_exchange.publications import Publication
from citynet_exchange_rdf.serialisations import SERIALISATIONS, STREAMED, detect

if TYPE_CHECKING:
    from citynet_exchange_rdf.triples import Triples
    from citynet_exchange_rdf.writer import Triple, TripleWriter

TITLES = {"turtle": "Turtle", "nt": "N-Triples", "nquads": "N-Quads", "trig": "TriG", "rdf-xml": "RDF/XML",
          "json-ld": "JSON-LD"}


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for every literal it cannot convert (a 30 February); the
    findings say what is wrong, so its log stays quiet while we read."""
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


class RdfImporter(Importer):
    """RDF in one serialisation, or (`rdf`) in the one the file's name or content shows."""

    options = frozenset({"shacl"})

    def __init__(self, serialisation: str | None):
        self.serialisation = serialisation
        self.name = serialisation or "rdf"  # type: ignore[misc]
        self.title = f"RDF ({TITLES[serialisation]})" if serialisation else "RDF (any serialisation, detected)"  # type: ignore[misc]
        self.extensions = SERIALISATIONS[serialisation].extensions if serialisation else ()  # type: ignore[misc]

    def sniff(self, source: Input) -> bool:
        found = detect(source)
        return found is not None and (self.serialisation is None or found == self.serialisation)

    def load(self, source: Input) -> Document:
        serialisation = self.serialisation or detect(source)
        if serialisation is None:
            hit = syntax_hit(source.name, None, None, "this is not RDF in a serialisation known here; name it with "
                             f"--format ({', '.join(SERIALISATIONS)})")
            return Document(source.name, self.name, None, FileLocator(source.name), [hit])
        from citynet_exchange_rdf.reader import GraphReader, is_ours
        from citynet_exchange_rdf.safety import parse
        from citynet_exchange_rdf.wikidata import is_wikidata_graph, read_wikidata

        with _quiet_rdflib():
            graph, hits = parse(source, serialisation)
            if graph is None:
                return Document(source.name, self.name, None, FileLocator(source.name), hits)
            graph = _one_schema_form(graph)
            if is_ours(graph):
                reader = GraphReader(graph, source.name)
                data, locator = reader.dataset(), reader.locator
                hits += reader.hits
            elif is_wikidata_graph(graph):
                data, more, locator = read_wikidata(graph, source.name)
                hits += more
            else:
                hits.append(syntax_hit(source.name, None, None, "the graph holds neither records of the standard's "
                                       "vocabulary nor Wikidata twinning statements (P190)"))
                return Document(source.name, self.name, None, FileLocator(source.name), hits)
        if source.options.shacl:
            from citynet_exchange_rdf.shacl import shacl_hits  # pyshacl is slow to import

            hits += shacl_hits(graph, source.name)
        return Document(source.name, self.name, data, locator, hits)


def _one_schema_form(triples: Triples) -> Triples:
    """schema.org written with https becomes the http form the vocabulary uses."""
    from rdflib import URIRef

    from citynet_exchange_rdf.triples import Triples
    from citynet_exchange_rdf.vocab import SCHEMA_HTTPS, normal_schema

    if not any(str(p).startswith(SCHEMA_HTTPS) or (isinstance(o, URIRef) and str(o).startswith(SCHEMA_HTTPS))
               for _s, p, o in triples):
        return triples
    return Triples((s, URIRef(normal_schema(str(p))), URIRef(normal_schema(str(o))) if isinstance(o, URIRef) else o)
                   for s, p, o in triples)


class RdfExporter(Exporter):
    """The dataset in the standard's vocabulary, in one serialisation; N-Triples, Turtle and
    TriG are written record by record (`STREAMED`), the others through an rdflib graph."""

    options = frozenset({"base"})

    def __init__(self, serialisation: str):
        self.serialisation = serialisation
        self.name = serialisation  # type: ignore[misc]
        self.title = f"RDF ({TITLES[serialisation]})"  # type: ignore[misc]
        self.extension = SERIALISATIONS[serialisation].extensions[0]  # type: ignore[misc]
        self.streams = serialisation in STREAMED  # type: ignore[misc]

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        return self._write(lambda writer: writer.triples(data), out, options)

    def dump_records(self, header: Mapping[str, Any], records: Iterable[tuple[str, int, Any]], out: BinaryIO,
                     options: WriteOptions) -> list[Hit]:
        if not self.streams:
            return super().dump_records(header, records, out, options)
        return self._write(lambda writer: writer.record_triples(header, records), out, options)

    def _write(self, triples: Callable[[TripleWriter], Iterable[Triple]], out: BinaryIO,
               options: WriteOptions) -> list[Hit]:
        from citynet_exchange_rdf.serialise import write
        from citynet_exchange_rdf.vocab import DEFAULT_BASE
        from citynet_exchange_rdf.writer import TripleWriter

        writer = TripleWriter(options.base or DEFAULT_BASE, TITLES[self.serialisation], self.serialisation)
        write(triples(writer), self.serialisation, out)
        return writer.lost


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(RdfImporter(None))
    for serialisation in SERIALISATIONS:
        register(RdfImporter(serialisation))


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    for serialisation in SERIALISATIONS:
        register(RdfExporter(serialisation))


def _built(name: str) -> Callable[[], str]:
    def build() -> str:
        from citynet_exchange_rdf import publish

        return getattr(publish, name)()

    return build


@hookimpl
def citynet_register_publications(register: Callable[[Publication], None]) -> None:
    register(Publication("context.jsonld", "JSON-LD context: a native JSON document is JSON-LD under it",
                         _built("context_text")))
    register(Publication("vocabulary.ttl", "The terms the standard mints, and the code lists as SKOS concept "
                         "schemes", _built("vocabulary_text")))
    register(Publication("shapes.ttl", "SHACL shapes: the standard's structural rules for RDF data",
                         _built("shapes_text")))
    register(Publication("linked-data.md", "The mapping of every field to its RDF term", _built("mapping_table")))
