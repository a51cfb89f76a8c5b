"""The published standard in schema/ is what the models, code lists and rules build."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from citynet_exchange.codelists import all_codelists, codelist
from citynet_exchange.resources import DATASET_SCHEMA, schema_dir
from citynet_exchange.standard import build


@pytest.mark.parametrize("name", sorted(build()))
def test_generated_file_is_up_to_date(name: str):
    """Fails after a change to a model, code list or rule until `python -m citynet_exchange.standard` runs."""
    assert (schema_dir() / name).read_text(encoding="utf-8") == build()[name], (
        f"schema/{name} is out of date: run `python -m citynet_exchange.standard`")


def test_dataset_schema_is_a_valid_2020_12_schema_with_stable_id():
    schema = json.loads((schema_dir() / DATASET_SCHEMA).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$id"] == "https://citynet-exchange.org/schema/citynet-exchange-1.0.schema.json"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    for example in schema["examples"]:
        Draft202012Validator(schema).validate(example)


def _objects(schema: dict) -> dict[str, dict]:
    return {"Dataset": schema, **schema["$defs"]}


def test_every_property_has_a_title_and_description_and_objects_are_closed():
    schema = json.loads((schema_dir() / DATASET_SCHEMA).read_text(encoding="utf-8"))
    for name, obj in _objects(schema).items():
        assert obj.get("additionalProperties") is False, name
        for field, prop in obj["properties"].items():
            assert prop.get("title"), f"{name}.{field} has no title"
            assert prop.get("description") or prop.get("$ref"), f"{name}.{field} has no description"


def test_code_values_are_kebab_case_with_both_labels():
    """A list of countries taken from elsewhere keeps ISO 3166-1 codes, as the `country` field does."""
    import re

    for code_list in all_codelists():
        form = r"[A-Z]{2}" if code_list.about.get("codes") == "ISO 3166-1 alpha-2" else r"[a-z0-9]+(-[a-z0-9]+)*"
        for code in code_list.codes:
            assert re.fullmatch(form, code.code), code.code
            assert code.label_en and code.label_de and code.definition, code.code


def test_a_code_list_taken_from_elsewhere_names_its_source_and_validity():
    about = codelist("oda-recipients").about
    assert about["valid_from"] == "2024-01-01" and about["valid_to"] == "2025-12-31"
    assert about["source"].startswith("https://www.oecd.org/")
    codes = codelist("oda-recipients").values
    assert len(codes) == 141 and len(set(codes)) == 141
    assert {"NR", "MS", "GY", "PA", "XK", "PS"} <= set(codes)  # on the list for 2024 and 2025
    assert not {"CL", "UY", "SC", "CK", "AG", "RU", "DE"} & set(codes)  # graduated, or never on it


def test_documentation_lists_every_code_and_rule():
    readme = (schema_dir() / "README.md").read_text(encoding="utf-8")
    for code_list in all_codelists():
        assert f"### Code list `{code_list.name}`" in readme
        for code in code_list.codes:
            assert f"| `{code.code}` |" in readme
    for code in ("duplicate-partnership", "orphan-town", "unknown-field"):
        assert f"| `{code}` |" in readme


def test_rule_documentation_is_up_to_date_and_every_code_has_an_example() -> None:
    """Fails after a change to a rule or the conformance corpus until
    `python -m citynet_exchange.rules_docs` runs."""
    from citynet_exchange import rules_docs
    from citynet_exchange.plugins import builtin_host

    assert rules_docs.TARGET.read_text(encoding="utf-8") == rules_docs.build(), \
        "docs/rules.md is out of date: run `python -m citynet_exchange.rules_docs`"
    triggers = rules_docs.examples()
    missing = [r.code for r in builtin_host().catalogue() if r.code != "conversion-loss" and not triggers.get(r.code)]
    assert missing == []
