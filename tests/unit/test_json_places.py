"""`place_in`: the place of one pointer in a JSON text, found without walking the whole text,
must be the place the walk of the whole text gives."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@pytest.mark.parametrize(("pointer", "key"), [("/a", False), ("/a", True), ("/a/x", False), ("/a/y", True),
                                              ("/b/1", False), ("/b/01", False), ("/c", True), ("", False)])
def test_a_key_given_twice_on_the_way_is_placed_as_the_walk_places_it(pointer: str, key: bool) -> None:
    text = '{"a": {"x": 1}, "b": [1, 2], "a": {"y": 2}}'
    assert place_in(text, pointer, key) == _walked(text, pointer, key)


def test_a_record_line_places_its_fields_and_keys() -> None:
    line = '{"@record":"partnership","id":"p1","members":["a","b"],"established":"x1990"}\n'
    assert place_in(line, "/established") == (1, line.index('"x1990"') + 1)
    assert place_in(line, "/established", key=True) == (1, line.index('"established"') + 1)
    assert place_in(line, "/members/1") == (1, line.index('"b"') + 1)
    assert place_in(line, "/status") == (1, 1)  # missing: the record itself
