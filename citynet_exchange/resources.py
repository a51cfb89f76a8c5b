"""Where the published standard (schema/) lives at run time.

A wheel carries it inside the package (`citynet_exchange/schema`, force-included by
hatch); an editable install does not, so we fall back to the repository's `schema/`.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATASET_SCHEMA = "citynet-exchange-1.0.schema.json"
REPORT_SCHEMA = "report-1.0.schema.json"
CONTEXT = "context.jsonld"  # the JSON-LD context of the standard
CONTEXT_IRI = "https://citynet-exchange.org/schema/context.jsonld"  # resolved from here, never fetched
VOCABULARY = "vocabulary.ttl"
SHAPES = "shapes.ttl"


@cache
def schema_dir() -> Path:
    packaged = Path(__file__).parent / "schema"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "schema"


@cache
def load_json(name: str) -> Any:
    return json.loads((schema_dir() / name).read_text(encoding="utf-8"))
