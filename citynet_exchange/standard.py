"""Builds the published standard from the models: the JSON Schemas of a dataset and of a
report, and the standard's documentation (`schema/README.md`).

Run `python -m citynet_exchange.standard` after changing a model or a code list; a test
fails while the files in `schema/` differ from what this module builds.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema

from citynet_exchange import STANDARD_VERSION
from citynet_exchange.resources import DATASET_SCHEMA, REPORT_SCHEMA

SCHEMA_BASE = "https://citynet-exchange.org/schema/"
DRAFT = "https://json-schema.org/draft/2020-12/schema"


class _Generator(GenerateJsonSchema):
    """Pydantic's generator, with a title on every property."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return True

    def dict_schema(self, schema: Any) -> dict[str, Any]:
        """Keys with a pattern: `propertyNames`, so that JSON Schema rejects a bad key as
        pydantic does (pydantic's own `patternProperties` would let it pass)."""
        result = super().dict_schema(schema)
        patterns = result.pop("patternProperties", None)
        if patterns:
            ((pattern, values),) = patterns.items()
            result["propertyNames"] = {"pattern": pattern}
            result["additionalProperties"] = values
        return result


def _schema(model: type[Any], name: str, title: str) -> dict[str, Any]:
    body = TypeAdapter(model).json_schema(schema_generator=_Generator)
    return {"$schema": DRAFT, "$id": SCHEMA_BASE + name, **body, "title": title}


def dataset_schema() -> dict[str, Any]:
    from citynet_exchange.model import Dataset

    schema = _schema(Dataset, DATASET_SCHEMA, f"citynet-exchange dataset, standard {STANDARD_VERSION}")
    schema["examples"] = [
        {
            "standard": STANDARD_VERSION,
            "metadata": {"publisher": "Freie Hansestadt Bremen", "license": "CC-BY-4.0"},
            "towns": [
                {"id": "bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB"},
                {"id": "gdansk", "name": "Gdańsk", "country": "PL"},
            ],
            "partnerships": [
                {"id": "bremen-gdansk", "kind": "twinning", "members": ["bremen", "gdansk"], "established": "1976"}
            ],
        }
    ]
    return schema


def report_schema() -> dict[str, Any]:
    from citynet_exchange.report import Report

    return _schema(Report, REPORT_SCHEMA, "citynet-exchange validation report 1.0")


def dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def build() -> dict[str, str]:
    """Every generated file of `schema/`, by name."""
    from citynet_exchange.plugins import builtin_host
    from citynet_exchange.standard_docs import render_readme

    dataset = dataset_schema()
    host = builtin_host()
    files = {
        DATASET_SCHEMA: dump(dataset),
        REPORT_SCHEMA: dump(report_schema()),
        "README.md": render_readme(dataset, host.catalogue(), host.publications.values()),
    }
    clash = set(files) & set(host.publications)
    assert not clash, f"a plugin publishes a file of the core: {clash}"
    return files | {name: publication.build() for name, publication in sorted(host.publications.items())}


def main() -> None:
    from citynet_exchange.outputs import write_atomically
    from citynet_exchange.resources import schema_dir

    target = schema_dir()
    for name, text in build().items():
        path = Path(target, name)
        write_atomically(path, text.encode("utf-8"))
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
