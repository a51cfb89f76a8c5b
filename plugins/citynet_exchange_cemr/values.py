"""Cell values of a CEMR export and the standard's values, both ways.

Each translation comes from a maintained source rather than a hand table, so that a code
added to the standard or to ISO 3166 is known here too: kinds from the partnership-kind
code list (its `cemr_code` and German label), topics from the theme code list's German
labels, countries from pycountry's German names, Bundesländer from ISO 3166-2 as
pycountry names them. Dates are German (`14.05.1976`, `05.1976`, `1976`).

`*_value` reads a cell (None: not a known value), `*_cell` writes one; a value that is not
a known code is written as it is, so that nothing is lost.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from functools import cache

import pycountry

from citynet_exchange.codelists import codelist
from citynet_exchange.country_names import country_code, country_name, country_suggestion, normal, subdivision_code
from citynet_exchange.dates import PATTERN as ISO_DATE
from citynet_exchange.tables.cells import join_list

_ISO_DATE = re.compile(ISO_DATE)
_GERMAN_DATE = re.compile(r"(?:(?:(?P<day>\d{1,2})\.)?(?P<month>\d{1,2})\.)?(?P<year>\d{4})")
DATE_FORMS = "write a year (1976), a month (05.1976) or a day (14.05.1976)"


def closest(text: str, names: Iterable[str]) -> str | None:
    """The name most like a misspelt one, for a suggestion in a message."""
    by_normal = {normal(name): name for name in names}
    match = difflib.get_close_matches(normal(text), list(by_normal), n=1, cutoff=0.75)
    return by_normal[match[0]] if match else None


# ---- kinds ---------------------------------------------------------------------------

@cache
def _kinds() -> dict[str, str]:
    """Accepted names -> kind: the code, the CEMR letter, the German label with and without
    its `Städte` prefix (`Partnerschaft` for `Städtepartnerschaft`)."""
    names: dict[str, str] = {}
    for code in codelist("partnership-kind").codes:
        for name in (code.code, code.extra.get("cemr_code", ""), code.label_de, code.label_de.removeprefix("Städte")):
            if name:
                names[normal(name)] = code.code
    return names


def kind_value(cell: str) -> str | None:
    """An empty cell says nothing about the kind: `unspecified`."""
    return _kinds().get(normal(cell)) if cell else "unspecified"


def kind_cell(kind: str) -> str:
    by_code = {code.code: code.extra.get("cemr_code", "") for code in codelist("partnership-kind").codes}
    return by_code.get(kind, kind)


def kind_names() -> list[str]:
    return [code.extra["cemr_code"] for code in codelist("partnership-kind").codes if code.extra.get("cemr_code")]


# ---- dates ---------------------------------------------------------------------------

def date_value(cell: str) -> str | None:
    """A German or ISO date as a partial date; a day the calendar lacks (30.02.) is kept for
    the `invalid-date` rule to report."""
    if _ISO_DATE.match(cell):
        return cell
    match = _GERMAN_DATE.fullmatch(cell)
    if match is None:
        return None
    day, month = (int(part) if part else None for part in match.group("day", "month"))
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return "-".join([match["year"], *(f"{part:02d}" for part in (month, day) if part)])


def date_cell(value: str) -> str:
    return ".".join(reversed(value.split("-"))) if _ISO_DATE.match(value) else value


# ---- topics --------------------------------------------------------------------------

@cache
def _themes() -> dict[str, str]:
    return {normal(name): code.code for code in codelist("theme").codes for name in (code.code, code.label_de)}


def theme_labels() -> list[str]:
    return [code.label_de for code in codelist("theme").codes]


def _longest_theme(pieces: list[str], start: int) -> tuple[int, str | None]:
    """The end of the longest run of comma-separated pieces from `start` that names a theme
    (labels such as `Industrie, Innovation und Infrastruktur` hold commas themselves)."""
    for end in range(len(pieces), start, -1):
        code = _themes().get(normal(", ".join(pieces[start:end])))
        if code is not None:
            return end, code
    return start + 1, None


def theme_values(cell: str) -> tuple[list[str], list[str]]:
    """The theme codes a `;`- or `,`-separated cell names, and the topics it names that are
    not themes."""
    codes: list[str] = []
    unknown: list[str] = []
    for part in cell.split(";"):
        pieces = [piece.strip() for piece in part.split(",") if piece.strip()]
        start = 0
        while start < len(pieces):
            end, code = _longest_theme(pieces, start)
            if code is None:
                unknown.append(pieces[start])
            elif code not in codes:
                codes.append(code)
            start = end
    return codes, unknown


def themes_cell(themes: list[str], kept: str | None) -> str:
    """Theme codes as German labels, then the topics kept as text."""
    labels = {code.code: code.label_de for code in codelist("theme").codes}
    return join_list([labels.get(code, code) for code in themes] + ([kept] if kept else []))


# ---- places --------------------------------------------------------------------------

def country_cell(code: str) -> str:
    """The German name of a country (its short common name where ISO has one: Südkorea)."""
    return country_name(code, "de")


def country_hint(cell: str) -> str | None:
    """The German name of the country a misspelt name most likely means."""
    near = country_suggestion(cell)
    code = country_code(near) if near else None
    return country_cell(code) if code else None


def state_value(cell: str) -> str | None:
    return subdivision_code("DE", cell)


def state_cell(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=code)
    return subdivision.name if subdivision is not None else code


def state_names() -> list[str]:
    """The Länder by name, for a message and the workbook's drop-down list."""
    return sorted(s.name for s in pycountry.subdivisions.get(country_code="DE") or () if s.parent_code is None)
