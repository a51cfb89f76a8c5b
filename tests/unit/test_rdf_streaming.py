"""N-Triples, Turtle and TriG written record by record from a streamed input."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from citynet_exchange import api
from citynet_exchange.formats import WriteOptions
from citynet_exchange.plugins import default_host

ROOT = Path(__file__).resolve().parents[2]
FULL = ROOT / "fixtures/conformance/valid/full-featured.yaml"
P190 = URIRef("http://www.wikidata.org/prop/direct/P190")
WD = "http://www.wikidata.org/entity/"


def exporter(name: str) -> Any:
    return default_host().exporters[name]


@pytest.mark.parametrize("serialisation", ["turtle", "nt", "trig"])
def test_a_streamed_input_gives_the_bytes_of_the_whole_document(serialisation: str, tmp_path: Path) -> None:
    jsonl = tmp_path / "full.jsonl"
    jsonl.write_bytes(api.convert(str(FULL), "jsonl").output or b"")
    assert api.load(str(jsonl)).stream is not None
    target = tmp_path / f"full.{serialisation}"
    streamed = api.convert(str(jsonl), serialisation, output=target)
    assert streamed.written and streamed.output is None  # written to the file as it went
    assert target.read_bytes() == api.convert(str(FULL), serialisation).output


@pytest.mark.parametrize("serialisation", ["turtle", "nt", "trig"])
def test_triples_are_written_before_the_last_record_is_read(serialisation: str) -> None:
    out = io.BytesIO()
    written_before_last: list[int] = []

    def records() -> Iterator[tuple[str, int, Any]]:
        for index in range(50):
            if index == 49:
                written_before_last.append(out.tell())
            yield "town", index, {"id": f"t{index}", "name": f"Town {index}", "country": "DE"}

    lost = exporter(serialisation).dump_records({"standard": "1.0"}, records(), out, WriteOptions())
    assert lost == []
    assert exporter(serialisation).streams
    assert written_before_last[0] > 0 and out.tell() > written_before_last[0]


def test_a_partnership_before_its_towns_still_links_their_wikidata_entities() -> None:
    records = [
        ("partnership", 0, {"id": "a-b", "kind": "twinning", "members": ["a", "b"]}),
        ("partnership", 1, {"id": "a-c", "kind": "twinning", "members": ["a", "c"]}),
        ("town", 0, {"id": "a", "name": "A", "country": "DE", "identifiers": {"wikidata": "Q24879"}}),
        ("town", 1, {"id": "b", "name": "B", "country": "PL", "identifiers": {"wikidata": "Q1792"}}),
        ("town", 2, {"id": "c", "name": "C", "country": "PL"}),  # no Wikidata id: no wdt:P190
    ]
    out = io.BytesIO()
    assert exporter("nt").dump_records({"standard": "1.0"}, iter(records), out, WriteOptions()) == []
    graph = Graph().parse(data=out.getvalue(), format="nt")
    assert set(graph.subject_objects(P190)) == {(URIRef(WD + "Q24879"), URIRef(WD + "Q1792")),
                                               (URIRef(WD + "Q1792"), URIRef(WD + "Q24879"))}
    back = api.load(out.getvalue(), "nt").data
    assert [p["members"] for p in back["partnerships"]] == [["a", "b"], ["a", "c"]]


def test_a_streamed_conversion_that_would_lose_a_value_writes_nothing(tmp_path: Path) -> None:
    jsonl = tmp_path / "lossy.jsonl"
    jsonl.write_text('{"@record": "dataset", "standard": "1.0"}\n'
                     '{"@record": "town", "id": "a", "name": "A", "country": "DE"}\n'
                     '{"@record": "town", "id": "b", "name": "B", "country": "PL"}\n'
                     '{"@record": "partnership", "id": "p", "kind": "twinning", "members": ["a", "b", "a"]}\n',
                     encoding="utf-8")
    target = tmp_path / "out.ttl"
    result = api.convert(str(jsonl), "turtle", output=target)
    assert not result.written and not target.exists() and list(tmp_path.iterdir()) == [jsonl]
    assert [(f.code, f.location.line) for f in result.report.findings if f.code == "conversion-loss"] == [
        ("conversion-loss", 4)]
    assert api.convert(str(jsonl), "turtle", output=target, allow_lossy=True).written and target.exists()
