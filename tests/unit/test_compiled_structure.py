"""The compiled structural checks give exactly the findings of the published schema.

The engine checks records one at a time with a compiled validator (`structure.Structure`,
jsonschema-rs), and asks python-jsonschema for the details only where a record fails. The
reference is `check_structure`: python-jsonschema running the published schema over the
whole document. Every fixture document and every hand-made edge case of
`test_schema_models_agree` must give the same hits both ways, pointer for pointer and
message for message, so the fast path can never pass what the standard fails.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from citynet_exchange.api import load
from citynet_exchange.formats import Document, FileLocator
from citynet_exchange.structure import Compiled, Structure, _not_null, check_structure
from tests.unit.test_schema_models_agree import CASES, ECMA_CASES, SPLIT_CASES, fixture_documents

STRUCTURE = Structure()


def compiled_hits(data: Any) -> list[tuple[str | None, str | None, str, tuple[tuple[str, Any], ...]]]:
    document = Document("<data>", "data", data, FileLocator("<data>"))
    hits = STRUCTURE.header.hits(document.header(), "")
    for kind, index, raw in document.records():
        hits += STRUCTURE.record(kind, index, raw)
    return sorted(_key(h) for h in hits)


def reference_hits(data: Any) -> list[tuple[str | None, str | None, str, tuple[tuple[str, Any], ...]]]:
    return sorted(_key(h) for h in check_structure(data))


def _key(hit: Any) -> tuple[str | None, str | None, str, tuple[tuple[str, Any], ...]]:
    return hit.code, hit.pointer, hit.message, tuple(sorted((k, repr(v)) for k, v in hit.params.items()))


@pytest.mark.parametrize("path", fixture_documents())
def test_fixtures_give_the_published_schemas_findings(path: Path) -> None:
    data = load(str(path)).whole()
    if data is None:
        pytest.skip("the document cannot be read (syntax error)")
    assert compiled_hits(data) == reference_hits(data)


EDGE_CASES = [*CASES, *ECMA_CASES, *((case, data, True) for case, data, _reason in SPLIT_CASES)]


@pytest.mark.parametrize("data", [pytest.param(data, id=case) for case, data, _valid in EDGE_CASES])
def test_edge_cases_give_the_published_schemas_findings(data: Any) -> None:
    assert compiled_hits(data) == reference_hits(data)


# Values the compiled validator fails though the published schema takes them: for these the
# details are asked of python-jsonschema, which finds nothing, so only time is lost.
STRICTER = {"nan-coordinate": "jsonschema-rs takes no NaN as a number; YAML's .nan reads as one"}


@pytest.mark.parametrize("case, data", [pytest.param(case, data, id=case) for case, data, _valid in EDGE_CASES])
def test_the_compiled_verdict_is_the_published_schemas(case: str, data: Any) -> None:
    """Each record and the header are valid to the compiled validator exactly when the
    published schema finds nothing in them (but for the known stricter cases)."""
    document = Document("<data>", "data", data, FileLocator("<data>"))
    parts = [(STRUCTURE.header, document.header())] + [(STRUCTURE.kinds[kind], raw)
                                                       for kind, _index, raw in document.records()]
    compiled_valid = all(compiled.is_valid(value) for compiled, value in parts)
    reference_valid = reference_hits(data) == []
    assert (compiled_valid, reference_valid) == ((False, True) if case in STRICTER else (reference_valid,) * 2)


def test_the_values_of_an_enum_are_not_read_as_schemas() -> None:
    """Capping texts and rewriting `$` walk the schema's keywords, not an enum's values."""
    compiled = Compiled({"properties": {"kept": {"enum": [{"type": "string", "pattern": "a(?!\\n)$"}]}}}, 5)
    assert compiled.is_valid({"kept": {"type": "string", "pattern": "a(?!\\n)$"}})
    assert not compiled.is_valid({"kept": {"type": "string", "pattern": "a$"}})


def test_a_broken_record_is_explained_field_by_field_in_the_published_schemas_order() -> None:
    partnership = {"id": "p 1", "kind": "twining", "members": ["a"], "established": "x1990", "status": 3,
                   "agreement": {"date": "1990-13"}, "nmae": "x"}
    data = {"standard": "1.0", "partnerships": [partnership]}
    reference = [_key(h) for h in check_structure(data) if (h.pointer or "").startswith("/partnerships/0")]
    assert [_key(h) for h in STRUCTURE.record("partnership", 0, partnership)] == reference
    assert [(code, pointer) for code, pointer, *_rest in reference] == [
        ("unknown-field", "/partnerships/0/nmae"), ("invalid-format", "/partnerships/0/id"),
        ("invalid-code", "/partnerships/0/kind"), ("invalid-value", "/partnerships/0/members"),
        ("invalid-format", "/partnerships/0/established"), ("invalid-code", "/partnerships/0/status"),
        ("wrong-type", "/partnerships/0/status"), ("invalid-format", "/partnerships/0/agreement/date")]


def test_a_wrong_value_met_again_is_said_of_each_record_it_is_in() -> None:
    towns = [{"id": f"t{index}", "name": "Ulm", "country": "DE", "population": -1, "website": "www.ulm.de"}
             for index in range(3)]
    data = {"standard": "1.0", "towns": towns}
    structure = Structure()  # its python-jsonschema errors of each value kept from the first town
    hits = [_key(h) for index, town in enumerate(towns) for h in structure.record("town", index, town)]
    assert hits == [_key(h) for h in check_structure(data) if (h.pointer or "").startswith("/towns/")]
    assert [(code, pointer) for code, pointer, *_rest in hits] == [
        (code, f"/towns/{index}/{field}") for index in range(3)
        for code, field in (("invalid-value", "population"), ("invalid-format", "website"))]


def test_an_optional_fields_values_are_explained_by_its_schema_without_the_null() -> None:
    date = {"type": "string", "pattern": "^[0-9]{4}$"}
    assert _not_null({"anyOf": [date, {"type": "null"}], "title": "Ended", "$defs": {}}) == {"$defs": {}, **date}
    assert _not_null({"anyOf": [date, {"type": "integer"}, {"type": "null"}]}) is None  # two that are not null
    assert _not_null({"anyOf": [date, {"type": "null"}], "minLength": 1}) is None  # a check beside the anyOf
    assert _not_null(date) is None
    record = {"id": "p", "kind": "twinning", "members": ["a", "b"], "ended": "1990-13", "status": 5}
    data = {"standard": "1.0", "partnerships": [record]}
    assert [_key(h) for h in STRUCTURE.record("partnership", 0, record)] == [_key(h) for h in check_structure(data)]
