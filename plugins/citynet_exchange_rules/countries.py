"""Rules about country and subdivision codes, checked against ISO 3166 as pycountry ships it."""

from __future__ import annotations

import importlib.util
import json
import os
from functools import cache
from typing import Any

from citynet_exchange.findings import Hit, Severity
from citynet_exchange.rules import Record, Scope, record_rule

# User-assigned code in common use (Kosovo), accepted though ISO 3166-1 does not list it.
ACCEPTED_EXTRA = frozenset({"XK"})
# Codes that other lists use for a country, with its ISO 3166-1 code.
_ISO_FOR = {"UK": "GB", "EL": "GR"}


@cache
def _countries() -> frozenset[str]:
    return frozenset(entry["alpha_2"] for entry in _iso_3166("1")) | ACCEPTED_EXTRA


@cache
def _subdivisions() -> frozenset[str]:
    return frozenset(entry["code"] for entry in _iso_3166("2"))


def _iso_3166(part: str) -> list[dict[str, str]]:
    """ISO 3166-1 or -2 as pycountry ships it (Debian's iso-codes), read from its data file:
    importing pycountry and building its objects takes a tenth of a second, a start-up cost
    that checking a small file should not pay. A test holds this to pycountry's own answer."""
    folder = importlib.util.find_spec("pycountry").submodule_search_locations[0]  # type: ignore[union-attr,index]
    with open(os.path.join(folder, "databases", f"iso3166-{part}.json"), "rb") as data:
        return json.load(data)[f"3166-{part}"]  # type: ignore[no-any-return]


@cache
def _country_quiet() -> dict[str, Any]:
    """Towns whose country, and the country part of whose subdivision, are known codes."""
    codes = "|".join(sorted(_countries()))
    return {"properties": {"country": {"pattern": f"^(?:{codes})$"},
                           "subdivision": {"anyOf": [{"type": "null"}, {"pattern": f"^(?:{codes})-"}]}}}


@cache
def _subdivision_quiet() -> dict[str, Any]:
    """Towns without a subdivision, or with one of their own country's codes: one branch a
    country, each a list of codes (compiled, this costs a fifth of the rule's call)."""
    by_country: dict[str, list[str]] = {}
    for code in sorted(_subdivisions()):
        by_country.setdefault(code.split("-")[0], []).append(code)
    return {"anyOf": [{"properties": {"subdivision": {"type": "null"}}},
                      *({"properties": {"country": {"const": country}, "subdivision": {"enum": codes}},
                         "required": ["country", "subdivision"]} for country, codes in by_country.items())]}


def known_country(code: str) -> bool:
    return code in _countries()


@record_rule(
    "unknown-country", Severity.ERROR, "A country code is not in ISO 3166-1",
    {
        "country": "'{code}' is not an ISO 3166-1 alpha-2 country code",
        "country-suggest": "'{code}' is not an ISO 3166-1 alpha-2 country code; use '{suggestion}'",
        "subdivision": "the country part '{code}' of subdivision '{subdivision}' is not an ISO 3166-1 code",
    },
    kinds={"town"},
    quiet=lambda _scope: {"town": _country_quiet()},
)
def unknown_country(town: Record, scope: Scope) -> list[Hit] | None:
    """A town's country is an ISO 3166-1 alpha-2 code (XK is accepted for Kosovo), as is the
    part of its subdivision before the hyphen. Other lists' codes are not: the United Kingdom
    is GB and Greece GR (UK and EL are their NUTS codes)."""
    known = _countries()
    code = town.data["country"]
    subdivision = town.data.get("subdivision")
    prefix = subdivision.split("-")[0] if subdivision is not None else None
    if code in known and (prefix is None or prefix in known):
        return None
    hits = []
    if code not in known:
        suggestion = _ISO_FOR.get(code)
        if suggestion:
            hits.append(town.hit("country-suggest", field="country", code=code, suggestion=suggestion))
        else:
            hits.append(town.hit("country", field="country", code=code))
    if prefix is not None and prefix not in known:
        hits.append(town.hit("subdivision", field="subdivision", code=prefix, subdivision=subdivision))
    return hits


@record_rule(
    "subdivision-mismatch", Severity.ERROR, "A subdivision is unknown or of another country",
    {
        "unknown": "'{subdivision}' is not an ISO 3166-2 subdivision code",
        "country": "subdivision '{subdivision}' lies in {prefix}, but the town's country is {country}",
    },
    kinds={"town"},
    quiet=lambda _scope: {"town": _subdivision_quiet()},
)
def subdivision_mismatch(town: Record, scope: Scope) -> list[Hit] | None:
    """A town's subdivision must be an ISO 3166-2 code of the town's own country, such as DE-HB
    for a town in Bremen, Germany. Fix the code, or the country if that is the wrong one."""
    subdivision = town.data.get("subdivision")
    if subdivision is None or subdivision in _subdivisions() and subdivision.startswith(town.data["country"] + "-"):
        return None
    prefix = subdivision.split("-")[0]
    if not known_country(prefix):
        return None  # reported by unknown-country
    if prefix != town.data["country"]:
        return [town.hit("country", field="subdivision", related=[f"{town.pointer}/country"],
                         subdivision=subdivision, prefix=prefix, country=town.data["country"])]
    return [town.hit("unknown", field="subdivision", subdivision=subdivision)]


RULES = (unknown_country, subdivision_mismatch)
