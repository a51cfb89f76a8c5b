"""The engine's compact index: hash groups, ids defined twice, references made early."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citynet_exchange import index as index_module
from citynet_exchange.index import HashGroups, Index


def _groups(keys: list[object]) -> list[list[int]]:
    hashed = HashGroups()
    for index, key in enumerate(keys):
        hashed.add(key, index)
    return list(hashed.groups())


def test_hash_groups_give_the_records_of_keys_given_more_than_once_in_the_order_of_their_first() -> None:
    assert _groups(["b", "a", "c", "a", "b", "b"]) == [[0, 4, 5], [1, 3]]
    assert _groups(["a", "b", "c"]) == []
    assert _groups([]) == []


def test_keys_that_share_a_hash_share_a_group_for_the_caller_to_tell_apart() -> None:
    assert hash(-1) == hash(-2)  # CPython's one small-integer collision
    assert _groups([-1, 5, -2]) == [[0, 2]]


def test_indexes_are_given_in_order_whatever_order_they_were_added_in() -> None:
    hashed = HashGroups()
    for key, index in (("x", 9), ("y", 4), ("x", 2), ("x", 7)):
        hashed.add(key, index)
    assert list(hashed.groups()) == [[2, 7, 9]]


@given(st.lists(st.integers(min_value=0, max_value=20), max_size=60))
def test_hash_groups_are_the_repeated_keys(keys: list[int]) -> None:
    expected: dict[int, list[int]] = {}
    for index, key in enumerate(keys):
        expected.setdefault(key, []).append(index)
    assert _groups(keys) == [indexes for indexes in expected.values() if len(indexes) > 1]


@pytest.mark.parametrize("parts", [1, 2, 8])
def test_hash_groups_are_the_same_however_many_parts_the_hashes_are_kept_in(
        parts: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(index_module, "_PARTS", parts)
    assert _groups(["b", "a", "c", "a", "b", "b"]) == [[0, 4, 5], [1, 3]]
    assert _groups([-1, 5, -2]) == [[0, 2]]
    assert _groups([*range(40), 7, 3, 7, 38]) == [[3, 41], [7, 40, 42], [38, 43]]


def test_a_partnership_id_given_twice_is_found_on_the_ids_themselves() -> None:
    index = Index()
    ids = ["p1", "p2", "p1", "p3", "p1"]
    for number, record_id in enumerate(ids):
        index.define("partnership", record_id, number)
    index.settle(lambda kind, number: ids[number])
    assert index.duplicates == [("partnership", 2, "p1", 0), ("partnership", 4, "p1", 0)]


def test_references_to_ids_no_record_defines_are_known_at_the_end_and_a_town_defined_twice_is_a_duplicate() -> None:
    index = Index()
    index.refer_all("partnership", 0, {"members": ["a", "b", 3]})
    index.define("town", "a", 0)
    index.define("town", "a", 1)
    index.refer_all("membership", 0, {"town": "a", "network": "n"})
    index.refer_all("membership", 1, {"town": "c", "network": "n"})
    index.define("town", "c", 2)
    index.settle(lambda kind, number: None)
    assert list(index.unknown_references()) == [
        ("partnership", 0, 1, "town"), ("membership", 0, -2, "network"), ("membership", 1, -2, "network"),
    ]
    assert index.duplicates == [("town", 1, "a", 0)]
    assert index.unreferenced("town") == []


def test_references_made_before_their_ids_are_defined_are_known_once_defined() -> None:
    index = Index()  # as a flat table gives them: every row's towns, then the towns
    for row, (a, b) in enumerate([("a", "b"), ("b", "c")]):
        index.refer_all("partnership", row, {"members": [a, b]})
    for number, town in enumerate("abc"):
        index.define("town", town, number)
    assert list(index.unknown_references()) == []
    index.refer_all("membership", 0, {"town": "d", "network": "n"})
    assert list(index.unknown_references()) == [("membership", 0, -1, "town"), ("membership", 0, -2, "network")]


def test_unreferenced_gives_every_record_defining_an_id_nothing_refers_to_in_order() -> None:
    index = Index()
    index.define("town", "a", 0)
    index.refer_all("partnership", 0, {"members": ["z", "b"]})
    index.define("town", "b", 1)
    index.define("town", "a", 2)
    index.define("town", "c", 3)
    index.define("town", "b", 4)
    index.define("town", "later", 5)
    index.settle(lambda kind, number: None)
    assert index.unreferenced("town") == [0, 2, 3, 5]
    assert index.unreferenced("network") == []
