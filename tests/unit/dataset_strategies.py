"""Hypothesis strategies for valid datasets, for the round-trip properties of the formats.

Texts are drawn from all of Unicode (quotes, delimiters, line breaks, leading `=` and
apostrophes included), since those are what break tables; ids, codes and dates from
their published forms.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from citynet_exchange.codelists import codelist

IDS = st.from_regex(r"\A[a-z0-9][a-z0-9_.~-]{0,11}\Z")
TEXT = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=30)
DATES = st.one_of(
    st.integers(1800, 2030).map(lambda y: f"{y:04d}"),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.isoformat()[:7]),
)
COUNTRIES = st.sampled_from(["DE", "FR", "PL", "GB", "TR", "UA", "NI", "XK"])


def codes(name: str) -> st.SearchStrategy[str]:
    return st.sampled_from(codelist(name).values)


def optional(fields: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    """A dict holding any subset of the fields."""
    return st.fixed_dictionaries({}, optional=fields)


SOURCES = st.lists(optional({"title": TEXT, "url": st.just("https://example.org/a?b=1;c"), "accessed": DATES,
                             "note": TEXT}), min_size=1, max_size=2)
RECORD = {"description": TEXT, "sources": SOURCES, "extensions": st.just({"ours": {"n": [1, "x"]}})}


def towns(ids: list[str]) -> st.SearchStrategy[list[dict[str, Any]]]:
    town = st.fixed_dictionaries(
        {"name": TEXT, "country": COUNTRIES},
        optional={
            **RECORD,
            "names": st.dictionaries(st.sampled_from(["en", "pl", "de-CH"]), TEXT, min_size=1),
            "subdivision": st.just("DE-HB"), "type": codes("town-type"),
            "identifiers": optional({"wikidata": st.from_regex(r"\AQ[1-9][0-9]{0,6}\Z"),
                                     "geonames": st.from_regex(r"\A[1-9][0-9]{0,7}\Z"),
                                     "ags": st.just("04011000")}),
            "location": st.fixed_dictionaries({"lat": st.floats(-90, 90), "lon": st.floats(-180, 180)}),
            "population": st.integers(0, 10**8), "website": st.just("https://example.org/town"),
        },
    )
    return st.tuples(*[town.map(lambda t, i=i: {"id": i, **t}) for i in ids]).map(list)


@st.composite
def datasets(draw: st.DrawFn, *, bilateral_only: bool = False) -> dict[str, Any]:
    """A valid dataset; with `bilateral_only`, every partnership has two members and every
    town is in one (what a two-town table can hold)."""
    town_ids = draw(st.lists(IDS, min_size=2, max_size=6, unique=True))
    data: dict[str, Any] = {"standard": "1.0", "towns": draw(towns(town_ids))}
    sizes = st.just(2) if bilateral_only else st.integers(2, min(4, len(town_ids)))
    partnerships = []
    for index in range(draw(st.integers(0 if not bilateral_only else 1, 4))):
        size = draw(sizes)
        members = draw(st.lists(st.sampled_from(town_ids), min_size=size, max_size=size, unique=True))
        fields = draw(optional({**RECORD, "established": DATES, "ended": DATES, "status": codes("partnership-status"),
                                "themes": st.lists(codes("theme"), min_size=1, max_size=3, unique=True),
                                "agreement": optional({"date": DATES, "council_resolution": st.booleans(),
                                                       "document": TEXT})}))
        partnerships.append({"id": f"p{index}", "kind": draw(codes("partnership-kind")), "members": members, **fields})
    if bilateral_only:
        used = {m for p in partnerships for m in p["members"]}
        data["towns"] = [t for t in data["towns"] if t["id"] in used]
    else:
        data["metadata"] = draw(optional({"title": TEXT, "license": st.just("CC0-1.0"), "created": DATES,
                                          "sources": SOURCES}).map(lambda m: {"publisher": "p", **m}))
        network = {"id": "net", "name": draw(TEXT), **draw(optional({"acronym": TEXT, "type": codes("network-type"),
                                                                     "scope": codes("network-scope")}))}
        data["networks"] = [network]
        data["memberships"] = [{"id": f"m-{t}", "town": t, "network": "net",
                                **draw(optional({"role": codes("membership-role"), "since": DATES}))}
                               for t in town_ids[:2]]
    data["partnerships"] = partnerships
    return data
