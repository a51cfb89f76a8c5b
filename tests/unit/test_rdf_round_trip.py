"""RDF in the standard's vocabulary: every dataset survives every serialisation, and a native
JSON document is JSON-LD under the standard's context."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from rdflib import Graph, URIRef

from citynet_exchange import api
from citynet_exchange.equality import differences
from citynet_exchange.formats import WriteOptions
from citynet_exchange.resources import CONTEXT, schema_dir
from dataset_strategies import datasets

ROOT = Path(__file__).resolve().parents[2]
SERIALISATIONS = ("turtle", "nt", "nquads", "trig", "rdf-xml", "json-ld")
DOCUMENTS = sorted(
    p for folder in ("fixtures/examples", "fixtures/conformance/valid", "fixtures/conformance/invalid",
                     "tests/acceptance/examples")
    for p in (ROOT / folder).iterdir()
    if p.suffix in (".yaml", ".json") and not p.name.endswith(".expected.json")
)


def through(data: Any, serialisation: str, base: str | None = None) -> tuple[Any, api.Conversion]:
    result = api.convert(io.BytesIO(json.dumps(data).encode()), serialisation, format="json",
                         write=WriteOptions(base=base), allow_lossy=True)
    assert result.output is not None
    return api.load(result.output, serialisation).whole(), result


@pytest.mark.parametrize("serialisation", SERIALISATIONS)
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_fixture_survives_every_serialisation_or_names_what_it_loses(document: Path,
                                                                          serialisation: str) -> None:
    original = api.load(str(document)).whole()
    if original is None:
        pytest.skip("the document cannot be read")
    result = api.convert(str(document), serialisation, allow_lossy=True)
    back = api.load(result.output, serialisation).whole()
    lost = [f for f in result.report.findings if f.code == "conversion-loss"]
    if lost:  # only what RDF cannot hold: a repeated list item, a document that is no object
        assert not api.validate(str(document)).valid
    else:
        assert differences(original, back) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_turtle_json_ld_and_rdf_xml(data: dict[str, Any]) -> None:
    for serialisation in ("turtle", "json-ld", "rdf-xml"):
        back, result = through(data, serialisation, base="https://data.example.org/")
        lost = [f.message for f in result.report.findings if f.code == "conversion-loss"]
        if serialisation == "rdf-xml" and lost:  # XML has no control characters, and says so
            assert all("XML cannot hold its control characters" in m for m in lost)
        else:
            assert lost == [] and differences(data, back) == [], serialisation


def test_records_get_stable_iris_from_the_base_and_link_to_wikidata() -> None:
    data = api.load(str(ROOT / "fixtures/conformance/valid/full-featured.yaml")).whole()
    result = api.convert(str(ROOT / "fixtures/conformance/valid/full-featured.yaml"), "nt",
                         write=WriteOptions(base="https://data.example.org/"))
    graph = Graph().parse(data=result.output, format="nt")
    bremen = URIRef("https://data.example.org/town/bremen")
    sameas = URIRef("http://schema.org/sameAs")
    assert (bremen, sameas, URIRef("http://www.wikidata.org/entity/Q24879")) in graph
    assert result.output == api.convert(str(ROOT / "fixtures/conformance/valid/full-featured.yaml"), "nt",
                                        write=WriteOptions(base="https://data.example.org/")).output
    assert {str(o.datatype).rsplit("#", 1)[1] for o in graph.objects(None, URIRef("http://schema.org/startDate"))} \
        <= {"gYear", "gYearMonth", "date"}
    assert data["towns"][0]["id"] == "bremen"


def test_a_native_json_document_is_json_ld_under_the_standards_context() -> None:
    context = json.loads((schema_dir() / CONTEXT).read_text(encoding="utf-8"))
    for document in DOCUMENTS:
        if "conformance/valid" not in str(document) and "examples" not in str(document.parent.name):
            continue
        data = api.load(str(document)).whole()
        if data is None or not api.validate(str(document)).valid:
            continue
        graph = Graph().parse(data=json.dumps({**context, **data}), format="json-ld",
                              base="https://data.example.org/")
        assert len(graph) > 0
        back = api.load(graph.serialize(format="nt", encoding="utf-8"), "nt").whole()
        assert differences(data, back) == [], document.name


def test_json_ld_is_written_the_same_whatever_the_hash_seed(tmp_path: Path) -> None:
    written = []
    for seed in ("1", "2"):
        target = tmp_path / f"seed-{seed}.jsonld"
        subprocess.run([sys.executable, "-m", "citynet_exchange", "convert",
                        str(ROOT / "fixtures/conformance/valid/full-featured.yaml"), "--to", "json-ld", "-o",
                        str(target)], check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        written.append(target.read_bytes())
    assert written[0] == written[1]


@pytest.mark.parametrize("serialisation", SERIALISATIONS)
def test_an_integer_beyond_64_bits_survives_every_serialisation(serialisation: str) -> None:
    data = {"standard": "1.0", "towns": [{"id": "a", "name": "A", "country": "DE", "population": 10**30 + 1}]}
    result = api.convert(json.dumps(data).encode(), serialisation, format="json")
    assert result.written and api.load(result.output, serialisation).whole()["towns"][0]["population"] == 10**30 + 1


def test_a_json_ld_number_beyond_64_bits_is_read_exactly() -> None:
    text = json.dumps({"@context": {"wdt": "http://www.wikidata.org/prop/direct/",
                                    "cx": "https://citynet-exchange.org/vocab#"},
                       "@graph": [{"@id": "urn:citynet:town:a", "@type": "cx:Town", "wdt:P1082": 10**30 + 1,
                                   "http://purl.org/dc/terms/identifier": "a"}]})
    assert api.load(text.encode(), "json-ld").whole()["towns"][0]["population"] == 10**30 + 1
