"""`place_in`: the place of one pointer in a JSON text, found without walking the whole text,
must be the place the walk of the whole text gives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citynet_exchange.api import load
from citynet_exchange.formats import PositionLocator
from citynet_exchange.json_positions import place_in, walk

KEYS = st.sampled_from(["a", "b", "id", "~", "/", "a/b", "m~0", "~1", "", "é", "0", "01"])
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=5)),
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)),
    max_leaves=12,
)
TOKENS = st.sampled_from(["a", "b", "id", "~0", "~1", "a~1b", "m~00", "~01", "", "é", "0", "1", "3", "01", "x", "~"])


def _walked(text: str, pointer: str, key: bool) -> tuple[int | None, int | None]:
    place = PositionLocator("f", lambda: walk(text)[0]).locate(pointer, key=key)
    return place.line, place.column


@settings(max_examples=400, deadline=None)
@given(value=VALUES, indent=st.sampled_from([None, 1]), tokens=st.lists(TOKENS, max_size=4), key=st.booleans())
def test_a_place_is_the_one_the_walk_of_the_whole_text_gives(value: Any, indent: int | None, tokens: list[str],
                                                             key: bool) -> None:
    text = json.dumps(value, indent=indent, ensure_ascii=False)
    pointer = "".join(f"/{token}" for token in tokens)
    assert place_in(text, pointer, key) == _walked(text, pointer, key)


@pytest.mark.parametrize(("pointer", "key"), [("/a", False), ("/a", True), ("/a/x", False), ("/a/y", True)])
def test_a_key_given_twice_on_the_way_is_left_to_the_walk(pointer: str, key: bool) -> None:
    text = '{"a": {"x": 1}, "b": [1, 2], "a": {"y": 2}}'
    assert place_in(text, pointer, key) is None
    assert place_in(text, "/b/1") == _walked(text, "/b/1", False) == (1, text.index("2]") + 1)
    assert place_in(text, "/b/01") == _walked(text, "/b/01", False) == (1, text.index("[1") + 1)  # the array


@pytest.mark.parametrize("key", [False, True])
def test_a_json_lines_finding_on_a_key_given_twice_is_placed_by_the_walk(tmp_path: Path, key: bool) -> None:
    line = '{"@record":"town","id":"t","name":"A","country":"DE","location":{"lat":1,"lat":2}}'
    path = tmp_path / "twice.jsonl"
    path.write_text('{"@record":"dataset","standard":"1.0"}\n' + line + "\n", encoding="utf-8")
    document = load(str(path))
    list(document.records())
    place = document.locator.locate("/towns/0/location/lat", key=key)
    assert (place.line, place.column) == (2, _walked(line, "/location/lat", key)[1])


def test_a_json_document_places_a_records_value_as_the_walk_of_its_record_does(tmp_path: Path) -> None:
    text = ('{"standard": "1.0",\n "towns": [\n  {"id": "a", "name": "A", "country": "DE"},\n'
            '  {"id": "b", "name": "B",\n   "country": "FR", "location": {"lat": 1, "lon": 2}}\n ]\n}\n')
    path = tmp_path / "d.json"
    path.write_text(text, encoding="utf-8")
    document = load(str(path))
    assert [document.locator.locate(p, key=k).line for p, k in
            [("/towns/1/location/lon", False), ("/towns/1/country", True), ("/towns/1/type", False),
             ("/towns/01", False), ("/towns/0/name", False)]] == [5, 5, 4, 2, 3]
    assert document.locator.locate("/towns/1/location/lon").column == text.splitlines()[4].index("2}") + 1


def test_a_record_line_places_its_fields_and_keys() -> None:
    line = '{"@record":"partnership","id":"p1","members":["a","b"],"established":"x1990"}\n'
    assert place_in(line, "/established") == (1, line.index('"x1990"') + 1)
    assert place_in(line, "/established", key=True) == (1, line.index('"established"') + 1)
    assert place_in(line, "/members/1") == (1, line.index('"b"') + 1)
    assert place_in(line, "/status") == (1, 1)  # missing: the record itself


@settings(max_examples=150, deadline=None)
@given(towns=st.lists(st.dictionaries(KEYS, VALUES, max_size=4), min_size=1, max_size=3),
       indent=st.sampled_from([None, 1]), index=st.sampled_from(["0", "1", "2", "01"]),
       tokens=st.lists(TOKENS, max_size=3), key=st.booleans())
def test_a_json_documents_places_are_those_of_the_walk_of_the_whole_text(
        tmp_path_factory: pytest.TempPathFactory, towns: list[Any], indent: int | None, index: str,
        tokens: list[str], key: bool) -> None:
    text = json.dumps({"standard": "1.0", "towns": towns}, indent=indent, ensure_ascii=False)
    path = tmp_path_factory.mktemp("doc") / "d.json"
    path.write_text(text, encoding="utf-8")
    pointer = f"/towns/{index}" + "".join(f"/{token}" for token in tokens)
    place = load(str(path)).locator.locate(pointer, key=key)
    assert (place.line, place.column) == _walked(text, pointer, key)
