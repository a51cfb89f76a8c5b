"""The standard's code lists, kept as data in `schema/codelists/*.csv`.

The models, the JSON Schema enums and the documentation are all built from these files,
so a code exists in exactly one place. A list taken from elsewhere (the OECD's list of ODA
recipients) says where from in a JSON file of the same name beside it: its source, edition
and validity, which the documentation shows.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, Any

from citynet_exchange.resources import schema_dir

BASE_COLUMNS = ("code", "label_en", "label_de", "definition")


@dataclass(frozen=True)
class Code:
    code: str
    label_en: str
    label_de: str
    definition: str
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]
    about: Mapping[str, str] = field(default_factory=dict)  # source, edition, valid_from ... (`<name>.json`)

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)


@cache
def codelist(name: str) -> CodeList:
    path = schema_dir() / "codelists" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    codes = tuple(
        Code(
            code=row["code"],
            label_en=row["label_en"],
            label_de=row["label_de"],
            definition=row["definition"],
            extra={k: v for k, v in row.items() if k not in BASE_COLUMNS},
        )
        for row in rows
    )
    about = path.with_suffix(".json")
    return CodeList(name=name, codes=codes,
                    about=json.loads(about.read_text(encoding="utf-8")) if about.is_file() else {})


def all_codelists() -> list[CodeList]:
    return [codelist(p.stem) for p in sorted((schema_dir() / "codelists").glob("*.csv"))]


def literal_of(name: str) -> Any:
    """A `Literal[...]` type of the list's codes, for the pydantic models."""
    return Literal[codelist(name).values]  # type: ignore[valid-type]
