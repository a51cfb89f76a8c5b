"""Rule `identifier-format`: register ids of towns and networks in the form their register uses."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Record, RuleContext, rule

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


@rule(
    "identifier-format", Severity.ERROR, "A register id does not have its register's form",
    {
        "form": "'{value}' is not a valid {scheme} id: use {form}",
        "german-only": "the {scheme} is a German key, but the town's country is {country}",
        "ags-ars": "AGS '{value}' does not match ARS '{ars}', which gives the AGS '{expected}'",
        "nuts-country": "NUTS code '{value}' is not of {country}; its NUTS codes start with {expected}",
        "lau-ags": "the LAU code of a German town is its AGS '{ags}', not '{value}'",
    },
)
def identifier_format(ctx: RuleContext) -> Iterator[Hit]:
    """Ids in public registers let others link the data, so each must have its register's form:
    Wikidata Q24879, GeoNames 2944388, AGS of 8 and ARS of 12 digits (German towns only, the
    AGS being ARS digits 1-5 and 10-12), NUTS starting with the country's NUTS code (Greece EL,
    United Kingdom UK); the LAU of a German town is its AGS. Copy the id from the register."""
    for town in ctx.of("town"):
        if town.model.identifiers is not None:
            yield from _town_hits(town)
    for network in ctx.of("network"):
        if network.model.identifiers is not None:
            yield from _form_hits(network, network.model.identifiers, ("wikidata",))


def well_formed(scheme: str, value: str | None) -> bool:
    return value is not None and FORMS[scheme][0].fullmatch(value) is not None


def _form_hits(record: Record[Any], identifiers: Any, schemes: tuple[str, ...]) -> Iterator[Hit]:
    for scheme in schemes:
        value = getattr(identifiers, scheme)
        if value is not None and not well_formed(scheme, value):
            _, label, form = FORMS[scheme]
            yield record.hit("form", field=f"identifiers/{scheme}", value=value, scheme=label, form=form)


def _town_hits(town: Record[Any]) -> Iterator[Hit]:
    ids, country = town.model.identifiers, town.model.country
    german = country == "DE"
    for scheme in GERMAN_ONLY:
        if getattr(ids, scheme) is not None and not german:
            yield town.hit("german-only", field=f"identifiers/{scheme}", scheme=FORMS[scheme][1],
                           country=country)
    yield from _form_hits(town, ids, ("wikidata", "geonames", "nuts", *(GERMAN_ONLY if german else ())))
    if german:
        yield from _german_hits(town, ids)
    if well_formed("nuts", ids.nuts):
        expected = NUTS_COUNTRY.get(country, country)
        if ids.nuts[:2] != expected:
            yield town.hit("nuts-country", field="identifiers/nuts", value=ids.nuts, country=country,
                           expected=expected)


def _german_hits(town: Record[Any], ids: Any) -> Iterator[Hit]:
    """AGS, ARS and LAU of a German town must agree with each other."""
    if well_formed("ags", ids.ags) and well_formed("ars", ids.ars):
        expected = ids.ars[:5] + ids.ars[9:]
        if ids.ags != expected:
            yield town.hit(
                "ags-ars", field="identifiers/ags", related=[f"{town.pointer}/identifiers/ars"],
                value=ids.ags, ars=ids.ars, expected=expected,
            )
    if ids.lau is None:
        return
    if ids.ags is not None and ids.lau != ids.ags:
        yield town.hit("lau-ags", field="identifiers/lau", related=[f"{town.pointer}/identifiers/ags"],
                       value=ids.lau, ags=ids.ags)
    elif ids.ags is None and not well_formed("ags", ids.lau):
        yield town.hit("form", field="identifiers/lau", value=ids.lau, scheme="LAU (the AGS, for Germany)",
                       form=FORMS["ags"][2])


RULES = (identifier_format,)
