"""Rules about country and subdivision codes, checked against ISO 3166 as pycountry ships it."""

from __future__ import annotations

from collections.abc import Iterator

import pycountry

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import RuleContext, rule

# User-assigned code in common use (Kosovo), accepted though ISO 3166-1 does not list it.
ACCEPTED_EXTRA = frozenset({"XK"})
# Codes that other lists use for a country, with its ISO 3166-1 code.
_ISO_FOR = {"UK": "GB", "EL": "GR"}


def known_country(code: str) -> bool:
    return code in ACCEPTED_EXTRA or pycountry.countries.get(alpha_2=code) is not None


@rule(
    "unknown-country", Severity.ERROR, "A country code is not in ISO 3166-1",
    {
        "country": "'{code}' is not an ISO 3166-1 alpha-2 country code",
        "country-suggest": "'{code}' is not an ISO 3166-1 alpha-2 country code; use '{suggestion}'",
        "subdivision": "the country part '{code}' of subdivision '{subdivision}' is not an ISO 3166-1 code",
    },
)
def unknown_country(ctx: RuleContext) -> Iterator[Hit]:
    """A town's country is an ISO 3166-1 alpha-2 code (XK is accepted for Kosovo), as is the
    part of its subdivision before the hyphen. Other lists' codes are not: the United Kingdom
    is GB and Greece GR (UK and EL are their NUTS codes)."""
    for town in ctx.of("town"):
        code = town.model.country
        if not known_country(code):
            suggestion = _ISO_FOR.get(code)
            if suggestion:
                yield town.hit("country-suggest", field="country", code=code, suggestion=suggestion)
            else:
                yield town.hit("country", field="country", code=code)
        subdivision = town.model.subdivision
        if subdivision is not None and not known_country(prefix := subdivision.split("-")[0]):
            yield town.hit("subdivision", field="subdivision", code=prefix, subdivision=subdivision)


@rule(
    "subdivision-mismatch", Severity.ERROR, "A subdivision is unknown or of another country",
    {
        "unknown": "'{subdivision}' is not an ISO 3166-2 subdivision code",
        "country": "subdivision '{subdivision}' lies in {prefix}, but the town's country is {country}",
    },
)
def subdivision_mismatch(ctx: RuleContext) -> Iterator[Hit]:
    """A town's subdivision must be an ISO 3166-2 code of the town's own country, such as DE-HB
    for a town in Bremen, Germany. Fix the code, or the country if that is the wrong one."""
    for town in ctx.of("town"):
        subdivision = town.model.subdivision
        if subdivision is None:
            continue
        prefix = subdivision.split("-")[0]
        if not known_country(prefix):
            continue  # reported by unknown-country
        if prefix != town.model.country:
            yield town.hit(
                "country", field="subdivision", related=[f"{town.pointer}/country"],
                subdivision=subdivision, prefix=prefix, country=town.model.country,
            )
        elif pycountry.subdivisions.get(code=subdivision) is None:
            yield town.hit("unknown", field="subdivision", subdivision=subdivision)


RULES = (unknown_country, subdivision_mismatch)
