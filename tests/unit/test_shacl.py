"""The standard's SHACL shapes and `--shacl`: the shapes judge a dataset's RDF as the JSON
Schema judges the dataset, and their results are findings with the schema's codes.

The proof: every fixture document (and every hand-made edge case of the schema's own
tests) that can be written as RDF gets the same verdict from the shapes as from the JSON
Schema, and the same findings: code, message and parameters, on the same record. Where
they cannot agree, the case is listed with the reason, and the test fails once they do.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.findings import Hit
from citynet_exchange.formats import ReadOptions
from citynet_exchange.structure import check_structure
from citynet_exchange_rdf.mapping import KINDS
from citynet_exchange_rdf.reader import GraphReader
from citynet_exchange_rdf.shacl import shacl_hits
from citynet_exchange_rdf.shapes import SHAPE, shapes_graph, shapes_turtle, specs
from citynet_exchange_rdf.vocab import CX, DEFAULT_BASE, WDT
from citynet_exchange_rdf.writer import TripleWriter
from dataset_strategies import datasets
from test_schema_models_agree import CASES, MEMBERSHIP, partnership, town

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
FOLDERS = ("conformance/valid", "conformance/invalid", "examples")

# Where shapes and schema part, and why: the test of each fails once they agree.
JSON_INSIDE = "extension names sit inside one rdf:JSON literal, which SHACL cannot look into"
GAPS = {
    "invalid-format--json-extension-name.json": JSON_INSIDE,
    "extension-in-capitals": JSON_INSIDE,
    "extension-starting-with-digit": JSON_INSIDE,
    "metadata-without-publisher": "the writer writes nothing for an empty group ({}), so nothing is there to judge",
    "record-null": "the writer fails on a record that is null",
}
# Where both say "invalid" in other words. RDF has no null: a required field that is null is
# not there. A value of the wrong type fails its code list or version too; JSON Schema says
# both, the shapes' findings the type only.
OTHER_WORDS = {
    "required-field-null": "null is absent in RDF: missing-field, where the schema says wrong-type",
    "required-code-null": "null is absent in RDF: missing-field, where the schema says wrong-type and invalid-code",
    "float-for-standard": "wrong-type only, where the schema adds invalid-value",
    "null-theme": "wrong-type only, where the schema adds invalid-code",
}
POINTER_GAPS = {
    **{case: reason for case, reason in GAPS.items() if reason == JSON_INSIDE},
    "record-null": GAPS["record-null"],
    "float-for-standard": OTHER_WORDS["float-for-standard"],
    "null-theme": OTHER_WORDS["null-theme"],
}
SIDECAR = ".expected.json"


def rdf(data: Any) -> tuple[Graph, list[Hit]]:
    """The dataset as the writer makes it, and what the writer could not write."""
    writer = TripleWriter(DEFAULT_BASE, "Turtle")
    graph = Graph()
    for triple in writer.triples(data):
        graph.add(triple)
    return graph, writer.lost


def _record_of(data: Any, pointer: str) -> tuple[str, str | None] | None:
    key, _, rest = pointer[1:].partition("/")
    if key not in {k for k, *_x in KINDS.values()} or not rest:
        return None
    record = data[key][int(rest.split("/")[0])]
    record_id = record.get("id") if isinstance(record, dict) else None
    return key[:-1], record_id if isinstance(record_id, str) else None


def _where(params: dict[str, Any]) -> str:
    """SHACL knows no pointers: a record without an id is `a town without an id`, not
    `the town at /towns/0`; that is the one naming in which the findings differ."""
    return json.dumps({k: re.sub(r"the (\w+) at /\S+", r"a \1 without an id", str(v)) if k == "where" else v
                       for k, v in params.items()}, sort_keys=True)


def schema_findings(data: Any) -> set[tuple[Any, ...]]:
    return {(_record_of(data, h.pointer or ""), h.code, h.message, _where(h.params)) for h in check_structure(data)}


def shacl_findings(graph: Graph) -> set[tuple[Any, ...]]:
    return {((h.record.kind, h.record.id) if h.record else None, h.code, h.message, _where(h.params))
            for h in shacl_hits(graph, "data.ttl")}


def judged_alike(data: Any, other_words: bool = False) -> None:
    graph, lost = rdf(data)
    if lost:
        pytest.skip("the writer reports a loss: RDF cannot say this document")
    schema, shacl = schema_findings(data), shacl_findings(graph)
    assert (schema == set()) == (shacl == set()), f"schema: {schema}, shacl: {shacl}"
    assert (shacl != schema) if other_words else (shacl == schema)


def _documents() -> list[tuple[str, Any]]:
    """Every fixture document that can be read, and every edge case of the schema's tests."""
    paths = sorted(p for folder in FOLDERS for p in (FIXTURES / folder).iterdir() if not p.name.endswith(SIDECAR))
    readable = [(p.name, data) for p in paths if (data := api.load(str(p)).whole()) is not None]
    return readable + [(case, data) for case, data, _valid in CASES]


def _cases(known: dict[str, str]) -> list[Any]:
    return [pytest.param(case, data, id=case, marks=[pytest.mark.xfail(reason=known[case], strict=True)]
                         if case in known else []) for case, data in DOCUMENTS]


DOCUMENTS = _documents()


@pytest.mark.parametrize(("case", "data"), _cases(GAPS))
def test_shapes_and_schema_give_the_same_findings(case: str, data: Any) -> None:
    judged_alike(data, case in OTHER_WORDS)


@pytest.mark.parametrize(("case", "data"), _cases(POINTER_GAPS))
def test_findings_point_where_the_schemas_do_in_the_dataset_read_back(case: str, data: Any) -> None:
    graph, lost = rdf(data)
    if lost:
        pytest.skip("the writer reports a loss: RDF cannot say this document")
    read = GraphReader(graph, "data.ttl").dataset()
    assert {(h.code, h.pointer) for h in shacl_hits(graph, "data.ttl")} == \
        {(h.code, h.pointer) for h in check_structure(read)}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_conforms(data: dict[str, Any]) -> None:
    graph, lost = rdf(data)
    assert lost == [] and shacl_hits(graph, "data.ttl") == []


# --- each kind of violation: its code, message and place -----------------------------


def one_hit(data: Any) -> Hit:
    hits = shacl_hits(rdf(data)[0], "data.ttl")
    assert len(hits) == 1, hits
    return hits[0]


@pytest.mark.parametrize(("data", "code", "message", "params", "subject"), [
    pytest.param({"standard": "1.0", "towns": [{"id": "bremen", "name": "Bremen"}]}, "missing-field", "required",
                 {"name": "country", "where": "town 'bremen'"}, "urn:citynet:town:bremen", id="missing"),
    pytest.param(town(population="many"), "wrong-type", "type",
                 {"field": "'population'", "expected": "a whole number", "actual": "text"}, "urn:citynet:town:bremen",
                 id="wrong-type"),
    pytest.param(town(identifiers={"ags": 9162000}), "wrong-type", "type-hint",
                 {"field": "'ags'", "expected": "text", "actual": "a whole number", "value": '"9162000"'},
                 "urn:citynet:town:bremen", id="identifier-as-number"),
    pytest.param(partnership(kind="twining"), "invalid-code", "enum-suggest",
                 {"value": "'twining'", "field": "'kind'", "allowed": "twinning, friendship, project, contact, "
                  "unspecified", "suggestion": "twinning"}, "urn:citynet:partnership:p", id="code"),
    pytest.param(town(country="de"), "invalid-format", "pattern",
                 {"value": "'de'", "field": "'country'",
                  "form": "use an ISO 3166-1 alpha-2 code of two capital letters, such as DE"},
                 "urn:citynet:town:bremen", id="format"),
    pytest.param(partnership(members=["bremen", "gdańsk"]), "invalid-format", "pattern",
                 {"value": "'gdańsk'", "field": "'members'",
                  "form": "use letters, digits and _ . ~ -, starting with a letter or digit"},
                 "urn:citynet:partnership:p", id="reference"),
    pytest.param(town(population=-1), "invalid-value", "range",
                 {"field": "'population'", "bound": "at least 0", "value": -1}, "urn:citynet:town:bremen", id="range"),
    pytest.param(partnership(members=["bremen", [], "gdansk"]), "wrong-type", "type",
                 {"field": "'members'", "expected": "text", "actual": "a list"}, "urn:citynet:partnership:p",
                 id="an-empty-list-in-a-list"),
    pytest.param(partnership(members=["bremen"]), "invalid-value", "too-few",
                 {"field": "'members'", "minimum": 2, "count": 1}, "urn:citynet:partnership:p", id="too-few"),
    pytest.param({"standard": "2.0"}, "invalid-value", "const",
                 {"field": "'standard'", "expected": "'1.0'", "value": "'2.0'"}, "urn:citynet:dataset", id="version"),
    pytest.param(town(name=""), "invalid-value", "empty", {"field": "'name'"}, "urn:citynet:town:bremen", id="empty"),
    pytest.param(partnership(establised="1976"), "unknown-field", "unknown-suggest",
                 {"name": "establised", "where": "partnership 'p'", "suggestion": "established"},
                 "urn:citynet:partnership:p", id="unknown"),
    pytest.param(town(location={"lat": 1.0, "lon": 2.0, "alt": 3.0}), "unknown-field", "unknown",
                 {"name": "alt", "where": "'location' of town 'bremen'"}, "urn:citynet:town:bremen",
                 id="unknown-in-group"),
    pytest.param(town(sources=[{"titel": "x"}]), "unknown-field", "unknown-suggest",
                 {"name": "titel", "where": "'sources' of town 'bremen'", "suggestion": "title"},
                 "urn:citynet:town:bremen", id="unknown-in-source"),
    pytest.param(town(location={"lat": 1.0}), "missing-field", "required",
                 {"name": "lon", "where": "'location' of town 'bremen'"}, "urn:citynet:town:bremen", id="group"),
    pytest.param({"standard": "1.0", "metadata": {"title": "T"}}, "missing-field", "required",
                 {"name": "publisher", "where": "'metadata'"}, "urn:citynet:dataset", id="metadata"),
    pytest.param(town(names={"Polish": "Brema"}), "invalid-format", "pattern",
                 {"value": "'Polish'", "field": "key of 'names'",
                  "form": "use a BCP 47 language tag such as 'pl' or 'de-CH'"}, "urn:citynet:town:bremen",
                 id="language-tag"),
    pytest.param(town(names={"de_CH": "Bremen"}), "invalid-format", "pattern",
                 {"value": "'de_CH'", "field": "key of 'names'",
                  "form": "use a BCP 47 language tag such as 'pl' or 'de-CH'"}, "urn:citynet:town:bremen",
                 id="names-kept-as-json"),
    pytest.param(town(location=[1.0, 2.0]), "wrong-type", "type",
                 {"field": "'location'", "expected": "an object", "actual": "a list"}, "urn:citynet:town:bremen",
                 id="group-not-an-object"),
    pytest.param({"standard": "1.0", "memberships": [{**MEMBERSHIP, "since": "2020-13"}]}, "invalid-format",
                 "pattern", {"value": "'2020-13'", "field": "'since'", "form": "use YYYY, YYYY-MM or YYYY-MM-DD"},
                 "urn:citynet:membership:m", id="membership-date"),
    pytest.param({"standard": "1.0", "memberships": [{**MEMBERSHIP, "until": 2020}]}, "wrong-type", "type-hint",
                 {"field": "'until'", "expected": "text", "actual": "a whole number", "value": '"2020"'},
                 "urn:citynet:membership:m", id="membership-date-type"),
])
def test_a_violation_is_a_finding_with_its_code_message_and_subject(
        data: Any, code: str, message: str, params: dict[str, Any], subject: str) -> None:
    hit = one_hit(data)
    assert (hit.code, hit.message, hit.params) == (code, message, params)
    assert hit.location is not None and (hit.location.file, hit.location.subject) == ("data.ttl", subject)


def test_a_finding_names_its_record() -> None:
    hit = one_hit(partnership(kind="twining"))
    assert hit.record is not None and (hit.record.kind, hit.record.id) == ("partnership", "p")
    assert one_hit({"standard": "2.0"}).record is None  # the dataset is no record


@pytest.mark.parametrize("data", [
    pytest.param(town(population=5.0), id="whole-number-as-double"),
    pytest.param(partnership(themes=[], sources=[]), id="empty-lists"),
    pytest.param(partnership(established="2021-02-30"), id="no-calendar-date-is-a-rule-not-a-form"),
    pytest.param({"standard": "1.0", "memberships": [{**MEMBERSHIP, "since": "2021-02-30", "until": "2022"}]},
                 id="membership-text-date"),
    pytest.param(town(website="https://example.org/{a}"), id="url-no-iri-can-hold"),
    pytest.param(town(names={"pl": "Brema", "de-CH": "Bremen"}, identifiers={"ags": "09162000", "wikidata": "Q64"}),
                 id="names-and-identifiers"),
])
def test_valid_corners_conform(data: Any) -> None:
    graph, lost = rdf(data)
    assert lost == [] and shacl_hits(graph, "data.ttl") == []


TURTLE = """
@prefix cx: <https://citynet-exchange.org/vocab#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix schema: <http://schema.org/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix wdt: <http://www.wikidata.org/prop/direct/> .
@prefix kind: <https://citynet-exchange.org/codes/partnership-kind/> .
<urn:x:dataset> a cx:Dataset ; cx:standard "1.0" ; cx:town <urn:x:town:a> ; cx:partnership <urn:x:p> .
<urn:x:town:a> a cx:Town ; dcterms:identifier "a" ; schema:name "A" ; schema:addressCountry "DE" ; {town} .
<urn:x:p> a cx:Partnership ; dcterms:identifier "p" ; cx:kind kind:twinning ; cx:member <urn:x:town:a>, <urn:x:town:b> ;
    schema:startDate {established} .
"""


def by_hand(town_triples: str, established: str) -> list[Hit]:
    """The findings on a graph written by hand, not by the writer."""
    turtle = TURTLE.replace("{town}", town_triples).replace("{established}", established)
    return shacl_hits(Graph().parse(data=turtle, format="turtle"), "x.ttl")


@pytest.mark.parametrize(("town_triples", "established", "code", "subject"), [
    pytest.param('wdt:P439 "09162000"', '"1976"^^xsd:gYear', None, None, id="valid"),
    pytest.param('wdt:P439 9162000', '"1976"^^xsd:gYear', "wrong-type", "urn:x:town:a",
                 id="ags-typed-as-integer-loses-its-zero"),
    pytest.param('wdt:P439 "09162000"', '"19765"^^xsd:gYear', "invalid-format", "urn:x:p",
                 id="gyear-no-datatype-check-sees"),
    pytest.param('wdt:P439 "09162000"', '"1976-05"^^xsd:gYear', None, None,
                 id="a-date-is-its-text-whatever-its-precision-type"),
    pytest.param('schema:mayor "X"', '"1976"^^xsd:gYear', "unknown-field", "urn:x:town:a",
                 id="a-predicate-the-vocabulary-lacks"),
])
def test_rdf_written_by_hand(town_triples: str, established: str, code: str | None, subject: str | None) -> None:
    assert [(h.code, h.location.subject) for h in by_hand(town_triples, established)] == \
        ([(code, subject)] if code else [])  # type: ignore[union-attr]


def test_an_unknown_predicate_is_named_by_its_iri() -> None:
    (hit,) = by_hand('schema:mayor "X"', '"1976"')
    assert hit.params == {"name": "http://schema.org/mayor", "where": "town 'a'"}


# --- the shapes themselves ---------------------------------------------------------


def test_the_turtle_is_the_same_in_another_process() -> None:
    other = subprocess.run([sys.executable, "-c", "import sys; from citynet_exchange_rdf.shapes import "
                            "shapes_turtle; sys.stdout.write(shapes_turtle())"], capture_output=True, text=True,
                           check=True, env={"PYTHONHASHSEED": "7", "PATH": ""}, encoding="utf-8")
    assert other.stdout == shapes_turtle()


def test_the_turtle_reads_back_as_the_shapes() -> None:
    from rdflib.compare import isomorphic

    assert isomorphic(Graph().parse(data=shapes_turtle(), format="turtle"), shapes_graph())


def test_every_shape_is_labelled_and_every_closed_shape_ignores_the_derived_links() -> None:
    graph = shapes_graph()
    named = set(graph.subjects(RDF.type, SH.NodeShape)) | set(graph.objects(None, SH.property))
    for shape in (s for s in named if isinstance(s, URIRef)):
        assert graph.value(shape, SH.name) is not None and graph.value(shape, SH.description) is not None, shape
    for shape in graph.subjects(SH.closed, Literal(True)):
        ignored = list(graph.items(graph.value(shape, SH.ignoredProperties)))
        assert ignored == [RDF.type, CX.partnerOf, WDT.P190], shape
    assert {s for s in named if isinstance(s, URIRef)} == set(specs())


def test_every_field_of_the_mapping_has_a_property_shape_on_its_kinds_shape() -> None:
    graph = shapes_graph()
    for kind, (_key, classes, _link, terms) in KINDS.items():
        (shape,) = [s for s in graph.subjects(SH.targetClass, classes[0]) if (s, SH.closed, Literal(True)) in graph]
        paths = [graph.value(p, SH.path) for p in graph.objects(shape, SH.property)]
        steps = {step for path in paths for step in ([path] if isinstance(path, URIRef) else graph.items(path))}
        assert {t.predicate for t in terms} <= steps, kind  # since: (org:memberDuring time:hasBeginning)


def test_codes_are_the_concepts_of_their_list_and_identifiers_are_text() -> None:
    graph = shapes_graph()
    kinds = list(graph.items(graph.value(SHAPE["Partnership-kind"], SH["in"])))
    assert URIRef("https://citynet-exchange.org/codes/partnership-kind/twinning") in kinds
    assert graph.value(SHAPE["Town-identifiers-ags"], SH.datatype) == XSD.string


# --- running it ----------------------------------------------------------------------


def test_validate_with_shacl_says_each_problem_once_and_adds_what_only_the_shapes_see(tmp_path: Path) -> None:
    ttl = tmp_path / "data.ttl"
    api.convert(json.dumps(town(population="many")).encode(), "turtle", format="json", output=ttl)
    with ttl.open("a", encoding="utf-8") as out:  # a statement the reader keeps, and the closed shape refuses
        out.write('<urn:citynet:town:bremen> <http://schema.org/mayor> "X" .\n')
    errors = Options(select=frozenset({"wrong-type", "unknown-field"}))

    def found(read: ReadOptions) -> list[tuple[str, str | None, str | None]]:
        report = api.validate(str(ttl), options=errors, read=read)
        return sorted((f.code, f.location.pointer, f.location.subject) for f in report.findings)

    wrong_type = ("wrong-type", "/towns/0/population", "urn:citynet:town:bremen")
    assert found(ReadOptions()) == [wrong_type]
    mayor = "/towns/0/extensions/rdf/http:~1~1schema.org~1mayor"  # where the reader keeps it
    assert found(ReadOptions(shacl=True)) == [("unknown-field", mayor, "urn:citynet:town:bremen"), wrong_type]


def test_validating_without_shacl_never_imports_pyshacl() -> None:
    code = ("import sys; from citynet_exchange import api; "
            f"api.validate({str(FIXTURES / 'conformance/valid/minimal.yaml')!r}); "
            "import citynet_exchange_rdf.shacl; assert 'pyshacl' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True)

