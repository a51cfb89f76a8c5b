"""RDF is parsed without touching the network or other files, and hostile files are refused
before a parser spends time on them.

A local HTTP server on 127.0.0.1 records every request: the hostile fixtures name
`http://127.0.0.1:9/` (where nothing listens), and the tests point them at the server, so
a fetch would be seen rather than fail quietly. A control test shows rdflib alone does
fetch, so the server would notice.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from citynet_exchange.formats import Input
from citynet_exchange.resources import CONTEXT_IRI
from citynet_exchange_rdf import safety_jsonld
from citynet_exchange_rdf.safety import BASE, parse
from citynet_exchange_rdf.serialisations import SERIALISATIONS, detect
from citynet_exchange_rdf.safety_jsonld import MAX_DEPTH, MAX_TERMS

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
RDF = FIXTURES / "rdf"
NOWHERE = "http://127.0.0.1:9/"  # what the hostile fixtures name
WD = "http://www.wikidata.org/entity/"
P190 = URIRef("http://www.wikidata.org/prop/direct/P190")
CONTEXT_BODY = b'{"@context": {"twinned": {"@id": "http://www.wikidata.org/prop/direct/P190", "@type": "@id"}}}'


def source(path: Path, name: str | None = None, data: bytes | None = None) -> Input:
    return Input(name or str(path), path.read_bytes() if data is None else data)


def read(path: Path, text: str | None = None) -> tuple[Graph | None, list[Any]]:
    """Parse a fixture (or text given for it) in the serialisation its name says."""
    src = source(path, data=None if text is None else text.encode("utf-8"))
    serialisation = detect(src)
    assert serialisation is not None
    return parse(src, serialisation)


# --- serialisations ------------------------------------------------------------------------

TWINNING = sorted(RDF.glob("twinning.*"))


@pytest.mark.parametrize("path", TWINNING, ids=lambda p: p.suffix)
def test_every_serialisation_reads_the_same_statements_named_graphs_merged(path: Path) -> None:
    graph, hits = read(path)
    expected, _ = read(RDF / "twinning.ttl")
    assert hits == []
    assert graph is not None and expected is not None
    assert set(graph) == set(expected)
    assert (URIRef(WD + "Q1792"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("Gdańsk", lang="pl")) in graph


@pytest.mark.parametrize("path", TWINNING, ids=lambda p: p.suffix)
def test_the_serialisation_is_told_by_extension_and_by_content(path: Path) -> None:
    by_extension = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".rdf": "rdf-xml",
                    ".jsonld": "json-ld"}[path.suffix]
    assert detect(source(path)) == by_extension
    assert detect(source(path, name="upload")) == by_extension
    assert path.suffix in SERIALISATIONS[by_extension].extensions


@pytest.mark.parametrize("path", [FIXTURES / "conformance/valid/minimal.yaml",
                                  FIXTURES / "conformance/valid/minimal-bilateral.json",
                                  FIXTURES / "conformance/valid/flat-partnerships.csv"], ids=lambda p: p.suffix)
def test_other_formats_are_not_taken_for_rdf(path: Path) -> None:
    assert detect(source(path, name="upload")) is None


def test_a_language_tag_keeps_the_case_the_file_gives() -> None:
    text = '<http://a> <http://n> "Beograd"@sr-Latn, "Bern"@de-CH, "Berlin"@de .'
    graph, hits = parse(Input("names.ttl", text.encode()), "turtle")
    assert hits == [] and graph is not None
    assert {(str(o), o.language) for o in graph.objects(URIRef("http://a"), URIRef("http://n"))} == {
        ("Beograd", "sr-Latn"), ("Bern", "de-CH"), ("Berlin", "de")}


def test_a_language_tag_spelt_in_two_cases_keeps_each_spelling() -> None:
    text = '<http://a> <http://n> "Bern"@de-CH .\n<http://b> <http://n> "Zürich"@de-ch .'
    graph, hits = parse(Input("names.ttl", text.encode()), "turtle")
    assert hits == [] and graph is not None
    assert {(str(o), o.language) for _s, _p, o in graph} == {("Bern", "de-CH"), ("Zürich", "de-ch")}


def test_a_triple_term_is_refused() -> None:
    text = "<http://a> <http://p> <<( <http://s> <http://p> <http://o> )>> ."
    graph, [hit] = parse(Input("star.ttl", text.encode()), "turtle")
    assert graph is None and hit.code == "syntax-error" and "triple term" in hit.params["problem"]


def test_relative_iris_resolve_against_a_base_that_is_not_the_working_directory() -> None:
    graph, hits = parse(Input("relative.ttl", b"<town/bremen> <twinned> <town/gdansk> ."), "turtle")
    assert hits == [] and graph is not None
    assert set(graph) == {(URIRef(BASE + "town/bremen"), URIRef(BASE + "twinned"), URIRef(BASE + "town/gdansk"))}


# --- syntax errors -------------------------------------------------------------------------

@pytest.mark.parametrize("name, line, column, problem", [
    ("broken-turtle.ttl", 5, 1, "A dot is expected at the end of statements"),
    ("broken-trig.trig", 6, 23, ". is not a valid RDF object"),
    ("broken-ntriples.nt", 3, 122, "does not end in ' .'"),
    ("broken-nquads.nq", 2, 83, "Unrecognised object type"),
    ("broken-rdfxml.rdf", 6, 5, "mismatched tag"),
    ("broken-rdfxml-node.rdf", 4, 3, "at most one of rdf:ID, rdf:about, and rdf:nodeID"),
    ("broken-jsonld.jsonld", 5, 1, "Expecting property name"),
    ("broken-utf8.ttl", 3, 55, "not valid UTF-8"),
])
def test_a_syntax_error_is_reported_at_its_line_and_column(name: str, line: int, column: int, problem: str) -> None:
    graph, hits = read(RDF / name)
    assert graph is None
    [hit] = hits
    assert (hit.code, hit.location.file, hit.location.line, hit.location.column) == (
        "syntax-error", str(RDF / name), line, column)
    assert problem in hit.params["problem"]


@pytest.mark.parametrize("serialisation, graph", [("nt", ""), ("nquads", " <http://g>")])
def test_a_statement_without_its_dot_is_placed_at_its_own_line_deep_in_a_file(serialisation: str,
                                                                               graph: str) -> None:
    good = [f"<http://a/{n}> <http://p> <http://o>{graph} ." for n in range(3000)]
    text = "\n".join([*good, f"<http://a/x> <http://p> <http://o>{graph}", "", "# a comment", *good[:2]])
    triples, [hit] = parse(Input(f"broken.{serialisation}", text.encode()), serialisation)
    assert triples is None
    assert (hit.code, hit.location.line) == ("syntax-error", 3001)
    assert "does not end in ' .'" in hit.params["problem"]


def test_statements_nested_deeply_are_read_without_recursion() -> None:
    text = "<http://a> <http://p> " + "[ <http://p> " * 100_000 + "<http://o>" + " ]" * 100_000 + " ."
    graph, hits = parse(Input("deep.ttl", text.encode()), "turtle")
    assert hits == [] and graph is not None and len(graph) == 100_001


def test_statements_nested_too_deeply_for_rdflib_are_a_syntax_error_not_a_crash() -> None:
    # A language tag spelt in two cases sends Turtle to rdflib, which recurses
    text = '<http://a> <http://n> "x"@de-CH, "y"@de-ch .\n<http://a> <http://p> ' + "[ <http://p> " * 5000 \
        + "<http://o>" + " ]" * 5000 + " ."
    graph, [hit] = parse(Input("deep.ttl", text.encode()), "turtle")
    assert graph is None and hit.code == "syntax-error" and "nested too deeply" in hit.params["problem"]


@settings(max_examples=60, deadline=None)
@given(data=st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode)),
       serialisation=st.sampled_from(sorted(SERIALISATIONS)))
def test_parsing_never_raises_for_bad_data(data: bytes, serialisation: str) -> None:
    graph, hits = parse(Input("fuzz", data), serialisation)
    assert graph is not None or hits


# --- a server that records whether it was contacted ---------------------------------------

class _Recorder(BaseHTTPRequestHandler):
    requests: list[str]

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/ld+json")
        self.end_headers()
        self.wfile.write(CONTEXT_BODY)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """The base URL of a local server, and the paths it was asked for."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/", requests
    finally:
        httpd.shutdown()
        httpd.server_close()


def pointed_at(path: Path, base: str) -> str:
    return path.read_text(encoding="utf-8").replace(NOWHERE, base)


def test_control_rdflib_alone_fetches_a_remote_context_and_the_server_sees_it(server: tuple[str, list[str]]) -> None:
    base, requests = server
    Graph().parse(data=pointed_at(RDF / "hostile-remote-context.jsonld", base), format="json-ld")
    assert requests == ["/context.jsonld"]


@pytest.mark.parametrize("name, line, column", [
    ("hostile-remote-context.jsonld", 2, 15),
    ("hostile-import.jsonld", 4, 16),
    ("hostile-scoped-context.jsonld", 6, 20),
    ("hostile-external-entity.rdf", 3, 1),
])
def test_what_a_file_names_to_fetch_is_refused_and_never_contacted(server: tuple[str, list[str]], name: str,
                                                                   line: int, column: int) -> None:
    base, requests = server
    graph, hits = read(RDF / name, pointed_at(RDF / name, base))
    assert graph is None
    assert [(h.code, h.message, h.location.line, h.location.column) for h in hits] == [
        ("unsafe-input", "refused", line, column)]
    assert requests == []


@pytest.mark.parametrize("name", ["hostile-base.ttl", "hostile-base.jsonld", "hostile-base.rdf"])
def test_a_base_and_relative_iris_on_a_server_are_resolved_not_fetched(server: tuple[str, list[str]],
                                                                       name: str) -> None:
    base, requests = server
    graph, hits = read(RDF / name, pointed_at(RDF / name, base))
    assert hits == [] and graph is not None
    assert (URIRef(base + "town/bremen"), None, URIRef(base + "town/gdansk")) in graph
    assert requests == []


@pytest.mark.parametrize("name", ["hostile-base.ttl", "hostile-base.rdf"])
def test_owl_imports_are_kept_as_data_and_not_followed(server: tuple[str, list[str]], name: str) -> None:
    base, requests = server
    graph, _ = read(RDF / name, pointed_at(RDF / name, base))
    assert graph is not None
    assert (URIRef(base + "ontology"), rdflib.OWL.imports, None) in graph
    assert requests == []


# --- local files ----------------------------------------------------------------------------

_WATCHED: set[str] = set()
_OPENED: list[str] = []


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Records opening a watched file, by whatever path (relative to the working directory)."""
    if event == "open" and args and isinstance(args[0], (str, os.PathLike)):
        path = os.path.abspath(args[0])
        if path in _WATCHED:
            _OPENED.append(path)


sys.addaudithook(_audit)  # hooks cannot be removed; this one only looks at the watched files


@pytest.fixture
def watched_context(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A real context file in tmp_path, also the working directory; opening it is recorded."""
    context = tmp_path / "context.jsonld"
    context.write_bytes(CONTEXT_BODY)
    monkeypatch.chdir(tmp_path)
    _WATCHED.add(str(context))
    _OPENED.clear()
    yield context
    _WATCHED.discard(str(context))


def _naming(context: str) -> bytes:
    return (f'{{"@context": "{context}", "@id": "{WD}Q24879", "twinned": "{WD}Q1792"}}').encode()


def test_control_rdflib_alone_reads_a_local_context_and_the_hook_sees_it(watched_context: Path) -> None:
    Graph().parse(data=_naming(str(watched_context)).decode(), format="json-ld")
    assert _OPENED == [str(watched_context)]


@pytest.mark.parametrize("form", ["path", "relative", "file-url"])
def test_a_local_file_named_as_context_is_refused_and_not_read(watched_context: Path, form: str) -> None:
    context = {"path": str(watched_context), "relative": watched_context.name,
               "file-url": watched_context.as_uri()}[form]
    graph, [hit] = parse(Input("local.jsonld", _naming(context)), "json-ld")
    assert graph is None
    assert (hit.code, hit.params["what"], hit.location.line) == ("unsafe-input", f"the context {context!r}", 1)
    assert _OPENED == []


# --- the standard's own context --------------------------------------------------------------

@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outgoing connection attempt, refused."""
    attempts: list[Any] = []

    def connect(self: Any, address: Any) -> None:
        attempts.append(address)
        raise OSError("no network in this test")

    monkeypatch.setattr("socket.socket.connect", connect)
    return attempts


@pytest.mark.parametrize("context", [f'"{CONTEXT_IRI}"', f'["{CONTEXT_IRI}", {{"wd": "{WD}"}}]'])
def test_the_standards_context_is_taken_from_the_package_not_fetched(monkeypatch: pytest.MonkeyPatch,
                                                                     no_network: list[Any], context: str) -> None:
    monkeypatch.setattr(safety_jsonld, "load_json", lambda name: json.loads(CONTEXT_BODY))
    document = f'{{"@context": {context}, "@id": "{WD}Q24879", "twinned": "{WD}Q1792"}}'
    graph, hits = parse(Input("ours.jsonld", document.encode()), "json-ld")
    assert hits == [] and graph is not None
    assert set(graph) == {(URIRef(WD + "Q24879"), P190, URIRef(WD + "Q1792"))}
    assert no_network == []


# --- entity bombs and deep nesting -----------------------------------------------------------

@pytest.fixture
def parsers_must_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("rdflib was given a file that should have been refused")

    monkeypatch.setattr(rdflib.Graph, "parse", fail)
    monkeypatch.setattr(rdflib.Dataset, "parse", fail)


@pytest.mark.parametrize("name, line", [
    ("hostile-billion-laughs.rdf", 3),
    ("hostile-nested-entities.rdf", 4),
    ("hostile-external-entity.rdf", 3),
    ("hostile-utf16-doctype.rdf", 2),
])
def test_xml_declaring_entities_is_refused_before_any_parser_sees_it(parsers_must_not_run: None, name: str,
                                                                     line: int) -> None:
    started = time.perf_counter()
    graph, hits = read(RDF / name)
    elapsed = time.perf_counter() - started
    assert graph is None
    assert [(h.code, h.params["what"], h.location.line, h.location.column) for h in hits] == [
        ("unsafe-input", "<!DOCTYPE", line, 1)]
    assert elapsed < 5  # rdflib alone: about 40 s for the nested entities, minutes for the laughs


def test_an_entity_declaration_without_a_doctype_is_refused_too(parsers_must_not_run: None) -> None:
    data = b'<?xml version="1.0"?>\n<rdf:RDF>\n<!ENTITY x "y">\n</rdf:RDF>\n'
    graph, [hit] = parse(Input("entity.rdf", data), "rdf-xml")
    assert (graph, hit.params["what"], hit.location.line) == (None, "<!ENTITY", 3)


def nested_json(depth: int) -> bytes:
    return ('{"@id": "http://a", "http://p": ' + '[' * (depth - 2) + '"x"' + ']' * (depth - 2) + '}').encode()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100_000])
def test_json_ld_nested_deeper_than_any_dataset_is_refused_before_rdflib(parsers_must_not_run: None,
                                                                         depth: int) -> None:
    graph, [hit] = parse(Input("deep.jsonld", nested_json(depth)), "json-ld")
    assert (graph, hit.code, hit.params["what"]) == (None, "unsafe-input", "the JSON-LD document")


def test_json_ld_defining_more_terms_than_any_dataset_is_refused_before_rdflib(parsers_must_not_run: None) -> None:
    """rdflib's time grows with terms times uses of scoped terms; the terms are capped (a
    scoped context's own terms count too)."""
    scoped = {"@id": "http://p", "@context": {f"s{i}": f"http://s/{i}" for i in range(10)}}
    terms = {f"t{i}": f"http://t/{i}" for i in range(MAX_TERMS - 10)} | {"scoped": scoped}
    document = json.dumps({"@context": terms, "@id": "http://a", "scoped": {"@id": "http://b"}}).encode()
    graph, [hit] = parse(Input("terms.jsonld", document), "json-ld")
    assert (graph, hit.code) == (None, "unsafe-input")
    assert hit.params["why"].startswith(f"its contexts define {MAX_TERMS + 1} terms")


def test_json_ld_nested_as_deep_as_allowed_is_read() -> None:
    graph, hits = parse(Input("deep.jsonld", nested_json(MAX_DEPTH)), "json-ld")
    assert hits == [] and graph is not None and len(graph) == 1


def test_json_ld_with_nan_is_a_syntax_error() -> None:
    graph, [hit] = parse(Input("nan.jsonld", b'{"@id": "http://a", "http://p": NaN}'), "json-ld")
    assert (graph, hit.code) == (None, "syntax-error") and "NaN" in hit.params["problem"]
