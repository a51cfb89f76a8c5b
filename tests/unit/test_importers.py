"""The native importers: positions, duplicate keys, encodings, YAML's value forms."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from citynet_exchange.api import load

DOC = '{"standard": "1.0",\n "towns": [\n  {"id": "a~b/c", "name": "Łódź",\n   "country": "PL"}]}\n'


def _place(document, pointer: str, key: bool = False) -> tuple[int | None, int | None]:
    location = document.locator.locate(pointer, key=key)
    return location.line, location.column


def test_json_positions_of_values_and_keys():
    doc = load(DOC.encode(), "json", name="t.json")
    assert doc.problems == []
    assert _place(doc, "/towns/0") == (3, 3)
    assert _place(doc, "/towns/0/name") == (3, 27)
    assert _place(doc, "/towns/0/name", key=True) == (3, 19)
    assert _place(doc, "/towns/0/country") == (4, 15)
    assert _place(doc, "/towns/0/population") == (3, 3)  # absent: the record


@pytest.mark.parametrize("encoding, bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                           ("utf-16-be", b"\xfe\xff")])
def test_json_with_byte_order_mark_is_read(encoding: str, bom: bytes):
    doc = load(bom + DOC.encode(encoding), name="t.json")
    assert doc.whole()["towns"][0]["name"] == "Łódź"
    assert _place(doc, "/towns/0/country") == (4, 15)


def test_json_duplicate_keys_nested_and_escaped():
    text = '{"standard": "1.0", "towns": [{"id": "x", "names": {"pl": "A", "pl": "B"}}], "standard": "1.0"}'
    doc = load(text.encode(), "json", name="d.json")
    found = [(h.code, h.pointer, h.location.line, h.location.column) for h in doc.problems]
    assert found == [("duplicate-key", "/towns/0/names/pl", 1, 64), ("duplicate-key", "/standard", 1, 78)]


def test_invalid_utf8_is_a_syntax_finding_at_its_place():
    doc = load(b'{"standard": "1.0",\n "x": "\xff"}', "json", name="b.json")
    (hit,) = doc.problems
    assert (hit.code, hit.location.line, hit.location.column) == ("syntax-error", 2, 8)
    assert "not valid UTF-8" in hit.params["problem"]


YAML = """\
standard: "1.0"
towns:
  - id: oslo
    name: Oslo
    country: NO
    population: 0x10
    identifiers: {geonames: 3143244}
    description: 2001-05-03
  - id: oslo
    name: on
"""


def test_yaml_core_schema_keeps_norway_and_dates_as_text():
    doc = load(YAML.encode(), "yaml", name="t.yaml")
    town = doc.whole()["towns"][0]
    assert town["country"] == "NO"
    assert town["population"] == 16
    assert town["identifiers"]["geonames"] == 3143244
    assert town["description"] == "2001-05-03"
    assert doc.whole()["towns"][1]["name"] == "on"
    assert _place(doc, "/towns/1/name") == (10, 11)
    assert _place(doc, "/towns/1/name", key=True) == (10, 5)


def test_yaml_duplicate_key_and_object_tag_are_findings_not_code():
    text = "standard: '1.0'\nmetadata: !!python/object/apply:os.system ['echo hi']\nstandard: '1.0'\n"
    doc = load(text.encode(), "yaml", name="t.yaml")
    found = [(h.code, h.location.line, h.location.column, h.pointer) for h in doc.problems]
    assert found == [("syntax-error", 2, 11, "/metadata"), ("duplicate-key", 3, 1, "/standard")]


def test_yaml_syntax_error_has_line_and_column():
    doc = load(b"standard: '1.0'\ntowns:\n  - id: a\n   name: b\n", "yaml", name="t.yaml")
    (hit,) = doc.problems
    assert (hit.code, hit.location.line, hit.location.column) == ("syntax-error", 4, 4)
    assert doc.data is None


def test_json_places_found_record_by_record_are_those_of_the_whole_walk():
    """The JSON reader walks only the records findings are in; every value and key of every
    fixture is placed as walking the whole text places it."""
    from citynet_exchange.json_positions import TextLocator, walk

    fixtures = Path(__file__).resolve().parents[2] / "fixtures"
    for path in sorted(fixtures.rglob("*.json")):
        try:
            text = path.read_text(encoding="utf-8-sig")
            json.loads(text, parse_constant=float)
            positions, duplicates = walk(text)
        except ValueError:
            continue  # not UTF-8, not JSON (NaN, a syntax error)
        if duplicates or path.name.endswith(".expected.json"):
            continue
        locator = TextLocator(str(path), text)
        for pointer, (value, key) in reversed(list(positions.items())):
            assert (locator.locate(pointer).line, locator.locate(pointer).column) == value, (path, pointer)
            if key is not None:
                assert (locator.locate(pointer, key=True).line, locator.locate(pointer, key=True).column) == key
