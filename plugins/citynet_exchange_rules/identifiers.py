"""Rule `identifier-format`: register ids of towns and networks in the form their register uses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Record, Scope, record_rule

# scheme -> (pattern, label for messages, the form in words)
FORMS: dict[str, tuple[re.Pattern[str], str, str]] = {
    "wikidata": (re.compile(r"^Q[1-9]\d*$"), "Wikidata", "Q and a number, such as Q24879"),
    "geonames": (re.compile(r"^[1-9]\d*$"), "GeoNames", "a number without leading zero, such as 2944388"),
    "ags": (re.compile(r"^(0[1-9]|1[0-6])\d{6}$"), "AGS", "8 digits, the first two a Land 01-16: 04011000"),
    "ars": (re.compile(r"^(0[1-9]|1[0-6])\d{10}$"), "ARS", "12 digits, the first two a Land 01-16: 040110000000"),
    "nuts": (re.compile(r"^[A-Z]{2}[A-Z0-9]{0,3}$"), "NUTS", "2 capitals, then up to 3 capitals or digits: DE501"),
}
GERMAN_ONLY = ("ags", "ars")
# NUTS country parts that differ from ISO 3166-1.
NUTS_COUNTRY = {"GR": "EL", "GB": "UK"}


@record_rule(
    "identifier-format", Severity.ERROR, "A register id does not have its register's form",
    {
        "form": "'{value}' is not a valid {scheme} id: use {form}",
        "german-only": "the {scheme} is a German key, but the town's country is {country}",
        "ags-ars": "AGS '{value}' does not match ARS '{ars}', which gives the AGS '{expected}'",
        "nuts-country": "NUTS code '{value}' is not of {country}; its NUTS codes start with {expected}",
        "lau-ags": "the LAU code of a German town is its AGS '{ags}', not '{value}'",
    },
    kinds={"town", "network"},
    quiet=lambda _scope: _QUIET,
)
def identifier_format(record: Record, scope: Scope) -> list[Hit] | None:
    """Ids in public registers let others link the data, so each must have its register's form:
    Wikidata Q24879, GeoNames 2944388, AGS of 8 and ARS of 12 digits (German towns only, the
    AGS being ARS digits 1-5 and 10-12), NUTS starting with the country's NUTS code (Greece EL,
    United Kingdom UK); the LAU of a German town is its AGS. Copy the id from the register."""
    ids = record.data.get("identifiers")
    if ids is None:
        return None
    hits = _town_hits(record, ids) if record.kind == "town" else _form_hits(record, ids, ("wikidata",))
    return list(hits) or None


# Ids in the forms of the registers that apply anywhere; the German keys and NUTS codes,
# which must agree with the town's country and each other, are left to the rule.
_ANYWHERE = {"wikidata": {"pattern": "^Q[1-9][0-9]*$"}, "geonames": {"pattern": "^[1-9][0-9]*$"}}
_QUIET = {
    "town": {"properties": {"identifiers": {"properties": _ANYWHERE,
                                            "propertyNames": {"not": {"enum": [*GERMAN_ONLY, "lau", "nuts"]}}}}},
    "network": {"properties": {"identifiers": {"properties": {"wikidata": _ANYWHERE["wikidata"]}}}},
}


def well_formed(scheme: str, value: str | None) -> bool:
    return value is not None and FORMS[scheme][0].fullmatch(value) is not None


def _form_hits(record: Record, ids: Mapping[str, Any], schemes: tuple[str, ...]) -> Iterator[Hit]:
    for scheme in schemes:
        value = ids.get(scheme)
        if value is not None and not well_formed(scheme, value):
            _, label, form = FORMS[scheme]
            yield record.hit("form", field=f"identifiers/{scheme}", value=value, scheme=label, form=form)


def _town_hits(town: Record, ids: Mapping[str, Any]) -> Iterator[Hit]:
    country = town.data["country"]
    german = country == "DE"
    for scheme in GERMAN_ONLY:
        if ids.get(scheme) is not None and not german:
            yield town.hit("german-only", field=f"identifiers/{scheme}", scheme=FORMS[scheme][1],
                           country=country)
    yield from _form_hits(town, ids, ("wikidata", "geonames", "nuts", *(GERMAN_ONLY if german else ())))
    if german:
        yield from _german_hits(town, ids)
    nuts = ids.get("nuts")
    if well_formed("nuts", nuts):
        expected = NUTS_COUNTRY.get(country, country)
        if nuts[:2] != expected:
            yield town.hit("nuts-country", field="identifiers/nuts", value=nuts, country=country,
                           expected=expected)


def _german_hits(town: Record, ids: Mapping[str, Any]) -> Iterator[Hit]:
    """AGS, ARS and LAU of a German town must agree with each other."""
    ags, ars, lau = ids.get("ags"), ids.get("ars"), ids.get("lau")
    if well_formed("ags", ags) and well_formed("ars", ars):
        expected = ars[:5] + ars[9:]
        if ags != expected:
            yield town.hit(
                "ags-ars", field="identifiers/ags", related=[f"{town.pointer}/identifiers/ars"],
                value=ags, ars=ars, expected=expected,
            )
    if lau is None:
        return
    if ags is not None and lau != ags:
        yield town.hit("lau-ags", field="identifiers/lau", related=[f"{town.pointer}/identifiers/ags"],
                       value=lau, ags=ags)
    elif ags is None and not well_formed("ags", lau):
        yield town.hit("form", field="identifiers/lau", value=lau, scheme="LAU (the AGS, for Germany)",
                       form=FORMS["ags"][2])


RULES = (identifier_format,)
