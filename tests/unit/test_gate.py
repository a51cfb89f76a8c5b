"""The gate of a record kind (`citynet_exchange.gate`): which rules' quiet schemas refuse a
sound record that fails it, found the short way once a set of refusing rules has been met,
must be what checking each quiet schema alone finds."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from citynet_exchange import gate as gate_module
from citynet_exchange.gate import Gate
from citynet_exchange.structure import Compiled, Structure

QUIET = {
    "short-name": {"properties": {"name": {"maxLength": 5}}},
    "at-home": {"properties": {"country": {"const": "DE"}}},
    "small": {"properties": {"population": {"maximum": 1000}}},
}
TOWNS = [{"id": f"t{n}", "name": name, "country": country, "population": population}
         for n, (name, country, population) in enumerate(itertools.product(
             ["Ulm", "Bremerhaven"], ["DE", "FR"], [500, 50_000]))]


def _refusing_each(town: dict[str, Any]) -> frozenset[str]:
    return frozenset(code for code, schema in QUIET.items() if not Compiled(schema).is_valid(town))


@pytest.mark.parametrize("order", list(itertools.permutations(range(len(TOWNS)), 3))[::24])
def test_the_rules_refusing_a_record_are_those_whose_schemas_refuse_it_alone(order: tuple[int, ...]) -> None:
    gate = Gate(Structure(), "town", QUIET)
    towns = [TOWNS[n] for n in order] + TOWNS + TOWNS[::-1]
    assert [gate.refusing(town) for town in towns] == [_refusing_each(town) for town in towns]
    assert [gate.passes(town) for town in TOWNS] == [not _refusing_each(town) for town in TOWNS]


def test_a_few_sets_of_refusing_rules_are_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gate_module, "REMEMBERED", 2)
    gate = Gate(Structure(), "town", QUIET)
    checked: list[str] = []
    for town in TOWNS:
        gate.refusing(town)
    # Set aside: a set of every code (nothing is left to check at once) and sets past the cap.
    assert [sorted(codes) for codes, _others in gate._others] == [["small"], ["at-home"]]
    for code, check in list(gate._each.items()):
        gate._each[code] = lambda town, code=code, check=check: checked.append(code) or check(town)
    # A town only `small` refuses is checked against the others at once, then by `small` alone.
    assert gate.refusing(TOWNS[1]) == {"small"}
    assert checked == ["small"]
