"""A Wikidata twinning graph read as a dataset: towns, one partnership per pair whichever
sides state it, qualifiers and references, and the findings, each at its subject IRI."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from citynet_exchange.findings import Hit
from citynet_exchange.formats import Input
from citynet_exchange_rdf.locator import SubjectLocator
from citynet_exchange_rdf.safety import parse
from citynet_exchange_rdf.triples import Triples, rdflib_graph
from citynet_exchange_rdf.vocab import PS, P, PQ, WDT
from citynet_exchange_rdf.wikidata import is_wikidata_graph, read_wikidata, town_ids
from citynet_exchange_rdf.wikidata_values import Unreadable, code, count, names, partial_date, point

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "rdf" / "wikidata-twinnings.ttl"
WD = "http://www.wikidata.org/entity/"
WDS = WD + "statement/"
EX = "http://example.org/entity/"


def graph_of(path: Path, serialisation: str = "turtle", data: bytes | None = None) -> Triples:
    graph, hits = parse(Input(str(path), path.read_bytes() if data is None else data), serialisation)
    assert hits == [] and graph is not None
    return graph


@pytest.fixture(scope="module")
def read() -> tuple[dict[str, Any], list[Hit], SubjectLocator]:
    return read_wikidata(graph_of(FIXTURE), "twinnings.ttl")


def test_a_graph_is_wikidatas_when_it_states_p190() -> None:
    assert is_wikidata_graph(graph_of(FIXTURE))
    only_statement = Graph()
    only_statement.add((URIRef(WDS + "x"), PS.P190, URIRef(WD + "Q90")))
    assert is_wikidata_graph(only_statement)
    assert not is_wikidata_graph(Graph())


def test_the_towns_are_every_end_of_a_link_with_their_values(read: Any) -> None:
    data, _, _ = read
    assert data["standard"] == "1.0"
    assert data["towns"] == [
        {"id": "beispieldorf", "name": "Beispieldorf", "country": "DE"},
        {"id": "musterstadt", "name": "Musterstadt", "names": {"en": "Sample Town"}, "country": "DE"},
        {"id": "q1726", "name": "Munich", "names": {"de": "München"}, "country": "DE",
         "identifiers": {"wikidata": "Q1726", "geonames": "2867714", "ags": "09162000"}},
        {"id": "q1792", "name": "Gdańsk", "names": {"de": "Danzig", "pl": "Gdańsk"}, "country": "PL",
         "identifiers": {"wikidata": "Q1792", "geonames": "3099434"}, "location": {"lat": 54.3475, "lon": 18.646111}},
        {"id": "q23436", "name": "Edinburgh", "country": "Q145", "identifiers": {"wikidata": "Q23436"}},
        {"id": "q24879", "name": "Bremen", "names": {"de": "Bremen", "pl": "Brema"}, "country": "DE",
         "identifiers": {"wikidata": "Q24879", "geonames": "2944388", "ags": "04011000"},
         "location": {"lat": 53.0758, "lon": 8.8072}},
        {"id": "q2807", "name": "Madrid", "names": {"es": "Madrid"}, "country": "ES",
         "identifiers": {"wikidata": "Q2807"}},
        {"id": "q64", "name": "Berlin", "names": {"de": "Berlin"}, "country": "DE",
         "identifiers": {"wikidata": "Q64", "geonames": "2950159", "ags": "11000000"},
         "location": {"lat": 52.516667, "lon": 13.383333}, "population": 3644826, "website": "https://www.berlin.de/"},
        {"id": "q90", "name": "Paris", "names": {"fr": "Paris"}, "country": "FR",
         "identifiers": {"wikidata": "Q90", "geonames": "2988507"}, "location": {"lat": 48.856944, "lon": 2.351388}},
    ]


def test_one_partnership_per_pair_whichever_sides_state_it(read: Any) -> None:
    data, _, _ = read
    assert data["partnerships"] == [
        # one side's statement at month precision, refined to the day by the other side's
        {"id": "beispieldorf--musterstadt", "kind": "unspecified", "members": ["beispieldorf", "musterstadt"],
         "established": "2001-05-12", "ended": "2019-03-31",
         "sources": [{"url": "https://example.org/beispieldorf/partner"}]},
        # one side only
        {"id": "q1726--q23436", "kind": "unspecified", "members": ["q1726", "q23436"], "established": "1954"},
        # both sides disagree: the first by IRI (Gdańsk's) is kept
        {"id": "q1792--q24879", "kind": "unspecified", "members": ["q1792", "q24879"], "established": "1976",
         "sources": [{"url": "https://www.bremen.de/staedtepartnerschaften"}]},
        # truthy links only
        {"id": "q2807--q64", "kind": "unspecified", "members": ["q2807", "q64"]},
        # both sides agree, one with a precision node, one by the 1 January rule
        {"id": "q64--q90", "kind": "unspecified", "members": ["q64", "q90"], "established": "1987",
         "sources": [{"url": "https://www.berlin.de/partnerstaedte/"}]},
    ]


def test_the_findings_name_their_subject(read: Any) -> None:
    _, hits, locator = read
    found = []
    for hit in hits:
        location = hit.location or locator.locate(hit.pointer or "")
        related = [locator.locate(pointer).subject for pointer in hit.related]
        found.append((hit.code, hit.message, hit.pointer, location.subject, related, hit.params))
    assert found == [
        ("unknown-value", "unknown", None, EX + "beispieldorf", [],
         {"value": "'Musterstadt'", "what": "twin town: P190 names a town by its IRI"}),
        ("conflicting-value", "conflict-statement", "/towns/2/identifiers/geonames", WD + "Q1726", [],
         {"field": "identifiers.geonames", "kind": "town", "id": "q1726", "value": "'6559171'", "kept": "'2867714'",
          "first": WD + "Q1726"}),
        ("unknown-value", "unknown", "/towns/4/country", WD + "Q23436", [],
         {"value": "'Q145'", "what": "country code (the graph gives no ISO code, wdt:P297, for this country)"}),
        ("conflicting-value", "conflict-statement", "/partnerships/2/established", WDS + "Q24879-example-gdansk",
         [WDS + "Q1792-example-bremen"],
         {"field": "established", "kind": "partnership", "id": "q1792--q24879", "value": "'1977'", "kept": "'1976'",
          "first": WD + "Q1792"}),
    ]


@pytest.mark.parametrize("pointer, subject", [
    ("/towns/7", WD + "Q64"),
    ("/towns/7/identifiers/ags", WD + "Q64"),
    ("/partnerships/0", EX + "statement-beispieldorf-musterstadt"),  # the first statement
    ("/partnerships/0/established", EX + "statement-musterstadt-beispieldorf"),  # the statement it came from
    ("/partnerships/0/sources/0", EX + "statement-beispieldorf-musterstadt"),  # its reference is a blank node
    ("/partnerships/3", WD + "Q2807"),  # truthy links only: the first town that states it
    ("/partnerships/4/sources/0", "http://www.wikidata.org/reference/example-berlin"),
])
def test_records_and_values_are_located_at_the_subject_they_came_from(read: Any, pointer: str, subject: str) -> None:
    _, _, locator = read
    location = locator.locate(pointer)
    assert (location.file, location.pointer, location.subject) == ("twinnings.ttl", pointer, subject)


@pytest.mark.parametrize("serialisation", ["nt", "json-ld", "xml"])
def test_the_same_graph_gives_the_same_dataset_however_it_is_written(read: Any, serialisation: str) -> None:
    written = rdflib_graph(graph_of(FIXTURE)).serialize(format=serialisation, encoding="utf-8")
    name = {"xml": "rdf-xml"}.get(serialisation, serialisation)
    data, hits, _ = read_wikidata(graph_of(FIXTURE, name, written), "twinnings.ttl")
    assert (data, hits) == read[:2]


def test_a_qid_keeps_its_id_against_an_iri_of_ones_own_that_looks_alike() -> None:
    ids = town_ids([URIRef(EX + "Q64"), URIRef(WD + "Q64"), URIRef(EX + "Bad Homburg"), URIRef(EX)])
    assert ids == {URIRef(WD + "Q64"): "q64", URIRef(EX + "Q64"): "q64-2", URIRef(EX + "Bad Homburg"): "bad-homburg",
                   URIRef(EX): "entity"}


# --- values ----------------------------------------------------------------------------------

DATETIME = XSD.dateTime


@pytest.mark.parametrize("value, precision, expected", [
    (Literal("1976-01-01T00:00:00Z", datatype=DATETIME), None, "1976"),  # 1 January, midnight: a year
    (Literal("1976-05-01T00:00:00Z", datatype=DATETIME), None, "1976-05-01"),
    (Literal("1976-01-01T12:00:00Z", datatype=DATETIME), None, "1976-01-01"),
    (Literal("1976-05-14T00:00:00Z", datatype=DATETIME), 9, "1976"),
    (Literal("1976-05-14T00:00:00Z", datatype=DATETIME), 10, "1976-05"),
    (Literal("1976-05-14T00:00:00Z", datatype=DATETIME), 11, "1976-05-14"),
    (Literal("1976-05-14T10:30:00Z", datatype=DATETIME), 14, "1976-05-14"),
    (Literal("+1976-00-00T00:00:00Z"), None, "1976"),  # Wikidata's own form of a year
    (Literal("1976", datatype=XSD.gYear), None, "1976"),
    (Literal("1976-05", datatype=XSD.gYearMonth), None, "1976-05"),
    (Literal("1976-01-01", datatype=XSD.date), None, "1976-01-01"),  # a date is a day
])
def test_a_time_is_written_at_its_precision(value: Literal, precision: int | None, expected: str) -> None:
    assert partial_date(value, precision) == expected


@pytest.mark.parametrize("value, precision, problem", [
    (Literal("1970-01-01T00:00:00Z", datatype=DATETIME), 8, "to the decade only (precision 8)"),
    (Literal("-0044-03-15T00:00:00Z", datatype=DATETIME), 11, "not a date of the years 0001 to 9999"),
    (Literal("2021-02-30T00:00:00Z", datatype=DATETIME), 11, "2021-02-30 is not a date of the calendar"),
    (Literal("soon"), None, "not a date"),
])
def test_a_time_the_standard_cannot_write_is_unreadable(value: Literal, precision: int | None, problem: str) -> None:
    with pytest.raises(Unreadable, match=re.escape(problem)):
        partial_date(value, precision)


@pytest.mark.parametrize("value, scheme, expected", [
    (Literal("09162000", datatype=XSD.integer), "ags", "09162000"),  # read as 9162000: the zero is put back
    (Literal("9162000"), "ags", "9162000"),  # text is kept as written; identifier-format reports it
    (Literal("162000", datatype=XSD.integer), "ags", "162000"),  # two digits missing: not guessed
    (Literal("091620000000", datatype=XSD.integer), "ars", "091620000000"),
    (Literal("2867714", datatype=XSD.integer), "geonames", "2867714"),
    (Literal("0916", datatype=XSD.integer), "lau", "916"),  # only the German keys have a known length
])
def test_identifiers_are_text_and_german_keys_get_their_zero_back(value: Literal, scheme: str, expected: str) -> None:
    assert code(value, scheme) == expected


def test_points_counts_and_names() -> None:
    assert point(Literal("Point(8.8072 53.0758)")) == {"lat": 53.0758, "lon": 8.8072}
    with pytest.raises(Unreadable):
        point(Literal("<http://www.wikidata.org/entity/Q405> Point(23.47 0.67)"))  # on the Moon
    assert count(Literal("+569352", datatype=XSD.decimal)) == 569352
    with pytest.raises(Unreadable):
        count(Literal("12.5", datatype=XSD.decimal))
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert names([(label, Literal("Gdańsk", lang="pl")), (label, Literal("Danzig", lang="de"))]) == (
        "Danzig", {"pl": "Gdańsk"})  # no untagged or English label: the first by language tag
    assert names([]) == (None, {})


def test_unreadable_values_are_kept_as_written_and_reported_where_they_are() -> None:
    graph = Graph()
    town, twin, statement = URIRef(WD + "Q1"), URIRef(WD + "Q2"), URIRef(WDS + "Q1-x")
    graph.add((town, WDT.P190, twin))
    graph.add((town, WDT.P625, Literal("Point(north south)")))
    graph.add((town, P.P190, statement))
    graph.add((statement, PS.P190, twin))
    graph.add((statement, PQ.P580, Literal("soon")))
    data, hits, locator = read_wikidata(graph, "x.ttl")
    assert data["towns"][0]["location"] == "Point(north south)"
    assert data["partnerships"][0]["established"] == "soon"
    assert [(h.code, h.message, h.pointer, (h.location or locator.locate(h.pointer or "")).subject) for h in hits] == [
        ("unknown-value", "unreadable", "/towns/0/location", WD + "Q1"),
        ("unknown-value", "unreadable", "/partnerships/0/established", WDS + "Q1-x"),
    ]


# --- any set of links ------------------------------------------------------------------------

FORMS = ("truthy", "statement")


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 6), st.integers(1, 6), st.sampled_from(FORMS)), max_size=20))
def test_the_partnerships_are_the_unordered_pairs_of_the_links(links: list[tuple[int, int, str]]) -> None:
    graph = Graph()
    for index, (a, b, form) in enumerate(links):
        town, twin = URIRef(f"{WD}Q{a}"), URIRef(f"{WD}Q{b}")
        if form == "truthy":
            graph.add((town, WDT.P190, twin))
        else:
            statement = URIRef(f"{WDS}Q{a}-{index}")
            graph.add((town, P.P190, statement))
            graph.add((statement, PS.P190, twin))
    data, hits, _ = read_wikidata(graph, "x.ttl")
    pairs = {tuple(sorted((f"q{a}", f"q{b}"))) for a, b, _ in links}
    assert [tuple(p["members"]) for p in data["partnerships"]] == sorted(pairs, key="--".join)
    assert [t["id"] for t in data["towns"]] == sorted({f"q{n}" for a, b, _ in links for n in (a, b)})
    assert hits == []
