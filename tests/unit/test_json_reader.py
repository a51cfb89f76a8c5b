"""A JSON document read record by record, and the documents that are read whole instead."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citynet_exchange import api
from citynet_exchange.json_positions import may_repeat_a_key, outline

DATASET = {
    "standard": "1.0",
    "towns": [{"id": "bremen", "name": "Bremen", "country": "DE", "website": "https://www.bremen.de"},
              {"id": "gdansk", "name": "Gdańsk", "country": "PL"}],
    "partnerships": [{"id": "p", "kind": "twinning", "members": ["bremen", "gdansk"], "established": "1976"}],
    "metadata": {"title": "after the records"},
}


def test_the_records_are_read_from_the_text_one_at_a_time() -> None:
    document = api.load(json.dumps(DATASET, indent=2).encode(), "json")
    assert document.stream is not None
    assert document.data == {"standard": "1.0", "metadata": {"title": "after the records"}}  # no record lists
    streamed = list(document.records())
    assert [(kind, index) for kind, index, _ in streamed] == [("town", 0), ("town", 1), ("partnership", 0)]
    assert [(kind, index, document.record(kind, index)) for kind, index, _ in streamed] == streamed
    assert document.whole() == DATASET


def test_a_key_given_twice_in_a_record_is_found_at_its_place(tmp_path: Path) -> None:
    text = ('{"standard": "1.0",\n "towns": [\n  {"id": "a", "name": "A", "country": "DE"},\n'
            '  {"id": "b", "name": "B", "name": "Bee", "country": "DE"}\n ]\n}\n')
    (tmp_path / "twice.json").write_text(text, encoding="utf-8")
    report = api.validate([str(tmp_path / "twice.json")])
    [finding] = [f for f in report.findings if f.code == "duplicate-key"]
    assert (finding.location.line, finding.location.column, finding.location.pointer) == (4, 28, "/towns/1/name")
    assert api.load(text.encode(), "json").whole()["towns"][1]["name"] == "Bee"  # the last, as JSON readers take it


def test_a_key_given_twice_in_the_metadata_is_found_at_its_place() -> None:
    text = '{"standard": "1.0",\n "metadata": {"title": "x", "title": "y"},\n "towns": []}\n'
    document = api.load(text.encode(), "json")
    assert [(h.code, h.location.line, h.location.column) for h in document.problems] == [("duplicate-key", 2, 29)]


@pytest.mark.parametrize("text, code, line, column", [
    ('{"standard": "1.0", "towns": [], "towns": []}', "duplicate-key", 1, 34),  # at the top: read whole
    ('{"standard": "1.0", "towns": [{"id": "a", "name": "A", "country": "DE", "population": NaN}]}',
     "syntax-error", 1, 87),
    ('{"standard": "1.0", "towns": [{"id": "a"},]}', "syntax-error", 1, 43),
    ('{"standard": "1.0", "towns": []} []', "syntax-error", 1, 34),
    ('{"standard": "1.0", "towns": [{"id": "\\ud800"}]}', "syntax-error", 1, 38),
])
def test_a_document_the_outline_does_not_take_is_read_whole_and_says_what_is_wrong(
        text: str, code: str, line: int, column: int) -> None:
    assert outline(text) is None
    document = api.load(text.encode(), "json")
    assert [(h.code, h.location.line, h.location.column) for h in document.problems] == [(code, line, column)]


@pytest.mark.parametrize("text, repeats", [
    ('{"a": 1, "b": {"c": 2}}', False),
    ('{"a": 1, "a": 2}', True),
    ('{"url": "https://x.org", "a": 1}', False),  # a colon in :// is in a string
    ('{"t": "12:30", "a": 1}', False),  # more colons than keys: written again to compare
    ('{"s": [{"k": 1, "k": 2}]}', True),  # deeper than the objects counted directly
    ('{"a": "\\u003a", "b": 1}', False),  # no more colons than keys, one of them escaped
    ('{"a": "\\u003a", "a": 1}', True),  # an escaped colon: walked to be sure
])
def test_may_repeat_a_key_never_misses_a_key_given_twice(text: str, repeats: bool) -> None:
    assert may_repeat_a_key(text, json.loads(text)) is repeats
    assert may_repeat_a_key(text.encode(), json.loads(text)) is repeats


def test_a_pass_left_early_and_a_whole_one_after_it_report_a_key_given_twice_once() -> None:
    text = ('{"standard": "1.0", "towns": [{"id": "a", "id": "b", "name": "A", "country": "DE"},\n'
            ' {"id": "c", "name": "C", "country": "DE"}]}')
    document = api.load(text.encode(), "json")
    next(document.records())  # the first record only: the pass is not complete
    assert [h.pointer for h in document.problems] == ["/towns/0/id"]
    assert [raw["id"] for _kind, _index, raw in document.records()] == ["b", "c"]
    assert [(h.pointer, h.location.line, h.location.column) for h in document.problems] == [("/towns/0/id", 1, 43)]
