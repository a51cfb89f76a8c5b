"""Country and subdivision names in several languages, to ISO codes.

Tables name countries in words ("Frankreich", "Belgium", "Vereinigtes Königreich"). The
names come from pycountry: the ISO 3166 names and their translations (the iso-codes
project's). `FORMER_NAMES` adds only names that ISO has dropped but registries still
write (Swaziland, Turkey, Russland ...) and Kosovo, which ISO 3166 lacks (XK).
"""

from __future__ import annotations

import difflib
import gettext
import re
import unicodedata
from collections import defaultdict
from functools import cache, lru_cache

import pycountry

LANGUAGES = ("en", "de", "fr", "nl", "it", "es", "pl")
FORMER_NAMES = {
    "Kosovo": "XK", "Kosovo, Republic of": "XK", "Republik Kosovo": "XK",
    "Swaziland": "SZ", "Turkey": "TR", "Russia": "RU", "Russland": "RU", "Macedonia": "MK",
    "Republic of Macedonia": "MK", "Mazedonien": "MK", "Czech Republic": "CZ", "Tschechische Republik": "CZ",
    "Great Britain": "GB", "Großbritannien": "GB", "England": "GB", "Scotland": "GB", "Schottland": "GB",
    "Wales": "GB", "Northern Ireland": "GB", "Nordirland": "GB", "USA": "US", "Weißrussland": "BY",
    "Holland": "NL", "Cape Verde": "CV", "Kapverden": "CV", "Ivory Coast": "CI", "Elfenbeinküste": "CI",
    "East Timor": "TL", "Burma": "MM",
}


def normal(text: str) -> str:
    """A name as compared: letter case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@cache
def _country_index() -> dict[str, str]:
    names: dict[str, set[str]] = defaultdict(set)
    heads: dict[str, set[str]] = defaultdict(set)  # "Palästina" of "Palästina, Staat"
    translations = [_translation(lang) for lang in LANGUAGES]
    for country in pycountry.countries:
        english = {country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)}
        for name in filter(None, english):
            for translation in translations:
                translated = translation.gettext(name)
                names[normal(translated)].add(country.alpha_2)
                heads[normal(translated.split(",")[0])].add(country.alpha_2)
        names[normal(country.alpha_3)].add(country.alpha_2)
    index = {name: codes.pop() for name, codes in heads.items() if len(codes) == 1}
    index.update({name: codes.pop() for name, codes in names.items() if len(codes) == 1})
    index.update({normal(name): code for name, code in FORMER_NAMES.items()})
    return index


@lru_cache(maxsize=4096)  # a table names the same countries in row after row
def country_code(text: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country code (alpha-2 or alpha-3) or name, or None."""
    stripped = text.strip()
    if re.fullmatch(r"[A-Za-z]{2}", stripped):
        code = stripped.upper()
        return code if code == "XK" or pycountry.countries.get(alpha_2=code) else None
    return _country_index().get(normal(stripped))


@lru_cache(maxsize=4096)  # some milliseconds a call: a broken table repeats one bad name in row after row
def country_suggestion(text: str) -> str | None:
    """The known country name closest to a misspelt one, for a message."""
    match = difflib.get_close_matches(normal(text), list(_country_index()), n=1, cutoff=0.8)
    return match[0] if match else None


@cache
def _subdivision_index(country: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for subdivision in pycountry.subdivisions.get(country_code=country) or ():
        if subdivision.parent_code is None:  # first-level subdivisions only
            index[normal(subdivision.name)] = subdivision.code
            index[normal(subdivision.code)] = subdivision.code
            index[normal(subdivision.code.split("-", 1)[1])] = subdivision.code
    return index


@lru_cache(maxsize=4096)
def subdivision_code(country: str, text: str) -> str | None:
    """The ISO 3166-2 code of a first-level subdivision named in its own language (`Hessen`
    -> `DE-HE`) or by its code (`DE-HE`, `HE`), or None."""
    return _subdivision_index(country.upper()).get(normal(text))


@cache
def _translation(language: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language], fallback=True)


def country_name(code: str, language: str = "en") -> str:
    """A country's short name in a language (`DE`, "de" -> `Deutschland`; `KR` -> `Südkorea`):
    ISO's common name where it has one. A code ISO lacks (XK) gets its former-names entry."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        return next((name for name, known in FORMER_NAMES.items() if known == code.upper()), code)
    return _translation(language).gettext(getattr(country, "common_name", None) or country.name)
