"""The command line on RDF: every serialisation in and out, stable IRIs, detection, places."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

ROOT = Path(__file__).resolve().parents[2]
FULL = str(ROOT / "fixtures/conformance/valid/full-featured.yaml")
TODAY = "--today=2025-06-30"
SUFFIXES = {"turtle": ".ttl", "nt": ".nt", "nquads": ".nq", "trig": ".trig", "rdf-xml": ".rdf", "json-ld": ".jsonld"}


@pytest.mark.parametrize("serialisation", SUFFIXES)
def test_each_serialisation_is_written_and_read_back_by_its_extension(citynet, tmp_path: Path,
                                                                       serialisation: str) -> None:
    out = tmp_path / f"data{SUFFIXES[serialisation]}"
    assert citynet("convert", FULL, "--to", serialisation, "-o", str(out), TODAY).code == 0
    back = tmp_path / "back.yaml"
    assert citynet("convert", str(out), "--to", "yaml", "-o", str(back), TODAY).code == 0
    assert citynet("validate", str(back), TODAY).out.startswith("valid: 0 errors")
    assert citynet("validate", str(out), "--format", "rdf", TODAY).code == 0  # detected from the content


def test_the_base_gives_stable_iris_and_a_bad_base_is_a_usage_error(citynet, tmp_path: Path) -> None:
    out = tmp_path / "data.ttl"
    assert citynet("convert", FULL, "--to", "turtle", "--base", "https://data.example.org/", "-o", str(out)).code == 0
    graph = Graph().parse(out)
    assert {str(s) for s in graph.subjects()} >= {"https://data.example.org/town/bremen",
                                                  "https://data.example.org/partnership/bremen-gdansk"}
    bad = citynet("convert", FULL, "--to", "turtle", "--base", "not an iri")
    assert bad.code == 2 and "--base" in bad.err
    assert citynet("convert", FULL, "--to", "yaml", "--base", "https://x.org/").code == 2


def test_findings_from_rdf_name_the_file_and_subject(citynet, tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text("""@prefix cx: <https://citynet-exchange.org/vocab#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<https://d.example.org/dataset> a cx:Dataset ; cx:standard "1.0" ; cx:town <https://d.example.org/town/x> .
<https://d.example.org/town/x> a cx:Town ; dcterms:identifier "x" ; schema:name "X" ; schema:addressCountry "de" ;
    <https://d.example.org/mayor> "Y" .
""", encoding="utf-8")
    result = citynet("validate", str(data), "--report", "json", TODAY)
    assert result.code == 1
    import json

    findings = {f["code"]: f["location"] for f in json.loads(result.out)["findings"]}
    assert findings["invalid-format"]["subject"] == "https://d.example.org/town/x"  # https schema.org read too
    assert findings["invalid-format"]["file"] == str(data)
    assert findings["unknown-column"]["subject"] == "https://d.example.org/town/x"
