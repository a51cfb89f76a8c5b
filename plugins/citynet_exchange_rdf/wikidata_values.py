"""Wikidata's values as the standard's: dates at their precision, points, counts, codes, names.

Wikidata writes every date as an `xsd:dateTime` and says in a separate value node how much
of it is known (`wikibase:timePrecision`: 9 the year, 10 the month, 11 the day). Without
that node a date-time on 1 January at midnight is taken for a year, the way Wikidata writes
a date known to the year (as is its own `1976-00-00`); a year or year-month without a day
(`xsd:gYear`, `xsd:gYearMonth`) is what it says, and any other date, an `xsd:date` on
1 January too, is a day. A value the standard cannot hold raises `Unreadable`, whose text
says why.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from rdflib import Literal, Namespace, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from citynet_exchange.dates import PartialDate
from citynet_exchange_rdf.vocab import SCHEMA, normal_schema

WIKIBASE = Namespace("http://wikiba.se/ontology#")
PQV = Namespace("http://www.wikidata.org/prop/qualifier/value/")

YEAR, MONTH, DAY = 9, 10, 11  # Wikidata's time precisions
_COARSE = {6: "the millennium", 7: "the century", 8: "the decade"}
_DATE = re.compile(r"^\+?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(T00:00:00(?:\.0+)?)?(?:T[\d:.]+)?(?:Z|[+-]\d{2}:\d{2})?$")
_POINT = re.compile(r"^\s*Point\s*\(\s*(\S+)\s+(\S+)\s*\)\s*$", re.I)
_INTEGERS = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.nonNegativeInteger, XSD.positiveInteger}
_DIGITS = {"ags": 8, "ars": 12}  # German keys: the Land (01-16) leads, so only its zero can be lost
LABELS = (RDFS.label, SCHEMA.name, SKOS.prefLabel)


class Unreadable(ValueError):
    """A value the standard cannot hold as it is."""


def partial_date(value: Literal, precision: int | None) -> str:
    """`YYYY`, `YYYY-MM` or `YYYY-MM-DD` of a Wikidata time value at its precision."""
    match = _DATE.match(str(value))
    if match is None:
        raise Unreadable("it is not a date of the years 0001 to 9999")
    year, month, day, midnight = match.groups()
    if precision is None:
        new_year = month in (None, "00", "01") and day in (None, "00", "01") and (midnight or month is None)
        precision = YEAR if new_year else MONTH if day in (None, "00") else DAY
    if precision < YEAR:
        known = _COARSE.get(precision, "more than a millennium")
        raise Unreadable(f"Wikidata knows it to {known} only (precision {precision}); the standard needs the year")
    text = "-".join([year, month or "00", day or "00"][: precision - YEAR + 1])
    try:
        return str(PartialDate.parse(text))
    except ValueError:
        raise Unreadable(f"{text} is not a date of the calendar") from None


def point(value: Literal) -> dict[str, float]:
    """The location of a WKT `Point(longitude latitude)` on Earth."""
    match = _POINT.match(str(value))
    try:
        lon, lat = (float(match[1]), float(match[2])) if match else (None, None)
    except ValueError:
        lon = lat = None
    if lon is None or lat is None:
        raise Unreadable("it is not a point on Earth, Point(longitude latitude)")
    return {"lat": lat, "lon": lon}


def count(value: Literal) -> int:
    """A whole number from Wikidata's quantities (`+569352`, an xsd:decimal)."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise Unreadable("it is not a number") from None
    if number != number.to_integral_value() or number < 0:
        raise Unreadable("it is not a whole number of inhabitants")
    return int(number)


def code(value: URIRef | Literal, scheme: str) -> str:
    """An identifier as text. A German key typed as a number has lost its leading zero (AGS
    09162000 reads as 9162000); it is put back only where one digit is missing, as every
    Land code below 10 has exactly one."""
    text = str(value)
    digits = _DIGITS.get(scheme)
    if isinstance(value, Literal) and value.datatype in _INTEGERS and digits and len(text) == digits - 1:
        return "0" + text
    return text


def names(labels: Iterable[tuple[URIRef, Literal]]) -> tuple[str | None, dict[str, str]]:
    """The name (an untagged label, else the English one, else the first by language tag) and
    the names in the other languages, from (predicate, label) pairs."""
    by_language: dict[str, str] = {}
    ranked = sorted(((LABELS.index(URIRef(normal_schema(str(p)))), str(label.language or ""), str(label))
                     for p, label in labels), key=lambda item: (item[1], item[0], item[2]))
    for _rank, language, text in ranked:
        by_language.setdefault(language, text)
    for preferred in ("", "en", *sorted(by_language)):
        if preferred in by_language:
            name = by_language.pop(preferred)
            return name, by_language
    return None, {}
