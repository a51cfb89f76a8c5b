"""The built-in semantic rules (plugin `citynet_exchange_rules`), one dataset per behaviour.

Every test validates a small dataset through the public API and asserts the exact findings
of one code: where they point and which places they name as related.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citynet_exchange.api import validate_data
from citynet_exchange.engine import Options
from citynet_exchange.findings import Finding, Severity
from citynet_exchange.geography import distance_km
from citynet_exchange.plugins import default_host
from citynet_exchange.structure_words import STRUCTURAL_RULES
from citynet_exchange_rules.towns import SAME_TOWN_KM, Told, distinct

TODAY = date(2025, 6, 30)
STRUCTURAL = {info.code for info in STRUCTURAL_RULES}

RULE_SEVERITIES = {
    "possible-district": Severity.INFO,
    "duplicate-id": Severity.ERROR,
    "unknown-reference": Severity.ERROR,
    "self-partnership": Severity.ERROR,
    "duplicate-partnership": Severity.ERROR,
    "date-order": Severity.ERROR,
    "invalid-date": Severity.ERROR,
    "unknown-country": Severity.ERROR,
    "subdivision-mismatch": Severity.ERROR,
    "identifier-format": Severity.ERROR,
    "coordinates": Severity.ERROR,
    "future-date": Severity.WARNING,
    "status-conflict": Severity.WARNING,
    "open-ended-friendship": Severity.WARNING,
    "duplicate-town": Severity.WARNING,
    "orphan-town": Severity.INFO,
}


def town(town_id: str, country: str = "DE", name: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"id": town_id, "name": name or town_id.capitalize(), "country": country, **fields}


def twinning(pid: str, *members: str, kind: str = "twinning", **fields: Any) -> dict[str, Any]:
    return {"id": pid, "kind": kind, "members": list(members), **fields}


def dataset(*towns: dict[str, Any], partnerships: tuple[dict[str, Any], ...] = (), **more: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"standard": "1.0", "towns": list(towns), **more}
    if partnerships:
        data["partnerships"] = list(partnerships)
    return data


def findings(data: dict[str, Any], code: str, *, structural_ok: bool = False) -> list[Finding]:
    """The findings of `code`; the dataset must otherwise be structurally sound (unless said)."""
    report = validate_data(data, options=Options(today=TODAY))
    assert report.tool_problems == []
    if not structural_ok:
        assert [f.code for f in report.findings if f.code in STRUCTURAL] == []
    return [f for f in report.findings if f.code == code]


def places(data: dict[str, Any], code: str, **kwargs: Any) -> list[tuple[str | None, list[str | None]]]:
    """(pointer, related pointers) of every finding of `code`."""
    return [(f.location.pointer, [r.pointer for r in f.related]) for f in findings(data, code, **kwargs)]


BREMEN = town("bremen", subdivision="DE-HB", identifiers={"ags": "04011000", "ars": "040110000000",
                                                          "wikidata": "Q24879", "nuts": "DE501"})
GDANSK = town("gdansk", "PL", "Gdańsk", identifiers={"wikidata": "Q1792", "geonames": "3099434", "nuts": "PL633"})
RIGA = town("riga", "LV")
CLEAN = dataset(
    BREMEN, GDANSK, RIGA,
    partnerships=(
        twinning("bremen-gdansk", "bremen", "gdansk", established="1976-04-12", status="active",
                 agreement={"date": "1976-04-12"}, sources=[{"title": "RGRE", "accessed": "2024-05"}]),
        twinning("bremen-riga", "bremen", "riga", kind="friendship", established="1985", ended="1995",
                 status="ended"),
    ),
    networks=[{"id": "eurocities", "name": "Eurocities", "identifiers": {"wikidata": "Q1377150"}}],
    memberships=[{"id": "m1", "town": "bremen", "network": "eurocities", "since": "1986", "until": "2024"}],
)


# --- the catalogue -----------------------------------------------------------------------


def test_catalogue_lists_every_rule_with_its_severity_and_no_plugin_problem() -> None:
    host = default_host()
    assert host.problems == []
    catalogue = {info.code: info for info in host.catalogue()}
    assert {code: catalogue[code].severity for code in RULE_SEVERITIES} == RULE_SEVERITIES
    assert host.rules.keys() == RULE_SEVERITIES.keys()


@pytest.mark.parametrize("code", sorted(RULE_SEVERITIES))
def test_every_rule_explains_itself(code: str) -> None:
    info = default_host().rules[code]
    assert info.title and info.messages
    assert 60 < len(info.explanation) < 600


def test_a_clean_dataset_has_no_findings() -> None:
    report = validate_data(CLEAN, options=Options(today=TODAY))
    assert [(f.code, f.location.pointer) for f in report.findings] == []
    assert report.tool_problems == []


# --- ids and references ------------------------------------------------------------------


def test_duplicate_id_is_on_the_later_record_and_names_the_first() -> None:
    data = dataset(BREMEN, GDANSK, town("bremen", name="Bremen II"), town("bremen", name="Bremen III"))
    found = findings(data, "duplicate-id")
    assert [(f.location.pointer, [r.pointer for r in f.related]) for f in found] == [
        ("/towns/2/id", ["/towns/0"]),
        ("/towns/3/id", ["/towns/0"]),
    ]
    assert found[0].message == "the town id 'bremen' is already used by another town"
    assert found[0].record is not None and found[0].record.id == "bremen"


def test_duplicate_id_counts_structurally_broken_records() -> None:
    data = dataset({"id": "bremen", "name": "Bremen"}, BREMEN)  # the first lacks its country
    assert places(data, "duplicate-id", structural_ok=True) == [("/towns/1/id", ["/towns/0"])]


def test_same_id_in_two_kinds_is_no_duplicate() -> None:
    data = dataset(BREMEN, GDANSK, partnerships=(twinning("bremen", "bremen", "gdansk"),))
    assert places(data, "duplicate-id") == []


def test_unknown_reference_points_at_the_member_and_at_membership_fields() -> None:
    data = dataset(
        BREMEN, GDANSK,
        partnerships=(twinning("p", "bremen", "gdansk", "danzig"),),
        networks=[{"id": "eurocities", "name": "Eurocities"}],
        memberships=[
            {"id": "m1", "town": "bremn", "network": "eurocities"},
            {"id": "m2", "town": "bremen", "network": "iclei"},
        ],
    )
    assert places(data, "unknown-reference") == [
        ("/memberships/0/town", []),
        ("/memberships/1/network", []),
        ("/partnerships/0/members/2", []),
    ]


def test_unknown_reference_is_said_of_the_records_that_have_a_sound_form() -> None:
    """The index notes the references of every record; a record without a sound form (a
    required field missing) is not spoken of, one with a broken optional field is."""
    data = dataset(BREMEN, partnerships=(
        {"id": "p", "members": ["bremen", "nowhere"]},
        twinning("q", "bremen", "nowhere", established="not a date"),
    ))
    assert places(data, "unknown-reference", structural_ok=True) == [("/partnerships/1/members/1", [])]


def test_a_broken_town_is_still_defined_for_references() -> None:
    data = dataset({"id": "gdansk", "name": "Gdańsk"}, BREMEN, partnerships=(twinning("p", "bremen", "gdansk"),))
    assert places(data, "unknown-reference", structural_ok=True) == []


def test_orphan_town_is_a_town_nothing_refers_to() -> None:
    data = dataset(
        BREMEN, GDANSK, RIGA, town("kiel"),
        partnerships=(twinning("p", "bremen", "gdansk"),),
        networks=[{"id": "n", "name": "Eurocities"}],
        memberships=[{"id": "m", "town": "riga", "network": "n"}],
    )
    found = findings(data, "orphan-town")
    assert [(f.location.pointer, f.severity) for f in found] == [("/towns/3", "info")]


def test_each_record_of_a_town_id_nothing_refers_to_is_an_orphan_and_one_without_a_sound_form_is_not() -> None:
    data = dataset(
        town("kiel"), BREMEN, town("kiel"), {"id": "lost", "name": 3}, town("rostock"), GDANSK,
        partnerships=(twinning("p", "bremen", "gdansk"),),
    )
    found = findings(data, "orphan-town", structural_ok=True)
    assert [f.location.pointer for f in found] == ["/towns/0", "/towns/2", "/towns/4"]


def test_a_broken_partnership_still_refers_to_its_towns() -> None:
    data = dataset(BREMEN, GDANSK, partnerships=({"id": "p", "kind": "twining", "members": ["bremen", "gdansk"]},))
    assert places(data, "orphan-town", structural_ok=True) == []


# --- dates -------------------------------------------------------------------------------


def test_invalid_date_covers_every_date_field_of_records() -> None:
    data = dataset(
        BREMEN, GDANSK,
        partnerships=(twinning("p", "bremen", "gdansk", established="2021-02-30", ended="2023-02-29",
                               agreement={"date": "2021-04-31"}, sources=[{"accessed": "2024-02-29"},
                                                                          {"accessed": "2022-06-31"}]),),
        networks=[{"id": "n", "name": "N"}],
        memberships=[{"id": "m", "town": "bremen", "network": "n", "since": "2019-02-29", "until": "2020-02-29"}],
    )
    assert places(data, "invalid-date") == [
        ("/memberships/0/since", []),
        ("/partnerships/0/agreement/date", []),
        ("/partnerships/0/ended", []),
        ("/partnerships/0/established", []),
        ("/partnerships/0/sources/1/accessed", []),
    ]


def test_date_order_compares_at_known_precision() -> None:
    data = dataset(
        BREMEN, GDANSK, RIGA,
        partnerships=(
            twinning("p0", "bremen", "gdansk", established="1976-05", ended="1976"),  # same year: in order
            twinning("p1", "bremen", "riga", established="1990", ended="1989-12-31"),
            twinning("p2", "gdansk", "riga", established="1990-03-02", ended="1990-03-01"),
        ),
        networks=[{"id": "n", "name": "N"}],
        memberships=[
            {"id": "m0", "town": "bremen", "network": "n", "since": "2001", "until": "2000"},
            {"id": "m1", "town": "gdansk", "network": "n", "since": "2001", "until": "2001-01"},
        ],
    )
    assert places(data, "date-order") == [
        ("/memberships/0/until", ["/memberships/0/since"]),
        ("/partnerships/1/ended", ["/partnerships/1/established"]),
        ("/partnerships/2/ended", ["/partnerships/2/established"]),
    ]


def test_date_order_skips_dates_the_calendar_lacks() -> None:
    data = dataset(BREMEN, GDANSK, partnerships=(twinning("p", "bremen", "gdansk", established="2021-02-30",
                                                          ended="2020"),))
    assert places(data, "date-order") == []


def test_future_date_counts_a_partial_date_only_when_it_certainly_lies_ahead_and_spares_end_dates() -> None:
    data = dataset(
        BREMEN, GDANSK, RIGA,
        partnerships=(
            twinning("p0", "bremen", "gdansk", established="2025", agreement={"date": "2025-06"},
                     sources=[{"accessed": "2025-06-30"}]),  # may all be today or earlier
            twinning("p1", "bremen", "riga", kind="project", established="2025-07", ended="2026",
                     agreement={"date": "2025-07-01"}, sources=[{"accessed": "2025-12"}]),
        ),
        networks=[{"id": "n", "name": "N"}],
        memberships=[{"id": "m", "town": "riga", "network": "n", "since": "2030", "until": "2031-01-01"}],
    )
    found = findings(data, "future-date")
    assert [f.location.pointer for f in found] == [
        "/memberships/0/since",
        "/partnerships/1/agreement/date",
        "/partnerships/1/established",
        "/partnerships/1/sources/0/accessed",
    ]
    assert found[0].message == "2030 is in the future (today is 2025-06-30)"


def test_metadata_dates_are_checked_too() -> None:
    data = dataset(BREMEN, metadata={"publisher": "P", "created": "2031-02", "sources": [{"accessed": "2023-02-29"}]})
    assert places(data, "future-date") == [("/metadata/created", [])]
    assert places(data, "invalid-date") == [("/metadata/sources/0/accessed", [])]
    assert findings(data, "future-date")[0].record is None


# --- countries and subdivisions ----------------------------------------------------------


def test_unknown_country_with_hints_for_other_lists_codes() -> None:
    data = dataset(town("a", "ZZ"), town("b", "UK"), town("c", "EL"), town("d", "GB"))
    found = findings(data, "unknown-country")
    assert [f.location.pointer for f in found] == ["/towns/0/country", "/towns/1/country", "/towns/2/country"]
    assert found[1].message == "'UK' is not an ISO 3166-1 alpha-2 country code; use 'GB'"


def test_kosovo_and_norway_are_countries() -> None:
    data = dataset(town("pristina", "XK"), town("oslo", "NO", subdivision="NO-03"))
    assert places(data, "unknown-country") == []
    assert places(data, "subdivision-mismatch") == []


def test_a_subdivision_of_an_unknown_country_is_an_unknown_country() -> None:
    data = dataset(town("a", "DE", subdivision="ZZ-01"))
    assert places(data, "unknown-country") == [("/towns/0/subdivision", [])]
    assert places(data, "subdivision-mismatch") == []


def test_subdivision_mismatch_unknown_code_or_other_country() -> None:
    data = dataset(
        town("bremen", "DE", subdivision="DE-HB"),
        town("a", "DE", subdivision="DE-XX"),
        town("b", "DE", subdivision="PL-22"),
        town("c", "XK", subdivision="XK-01"),
    )
    assert places(data, "subdivision-mismatch") == [
        ("/towns/1/subdivision", []),
        ("/towns/2/subdivision", ["/towns/2/country"]),
        ("/towns/3/subdivision", []),
    ]


# --- identifiers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("country", "scheme", "value"),
    [
        ("DE", "wikidata", "Q0123"),
        ("DE", "wikidata", "24879"),
        ("DE", "geonames", "02944388"),
        ("DE", "ags", "17011000"),
        ("DE", "ags", "4011000"),
        ("DE", "ars", "04011000000"),
        ("DE", "nuts", "de501"),
        ("DE", "nuts", "DE5011"),
    ],
)
def test_identifier_format_points_at_the_malformed_value(country: str, scheme: str, value: str) -> None:
    data = dataset(town("t", country, identifiers={scheme: value}))
    assert places(data, "identifier-format") == [(f"/towns/0/identifiers/{scheme}", [])]


def test_well_formed_identifiers_pass() -> None:
    data = dataset(
        BREMEN,
        town("athens", "GR", identifiers={"nuts": "EL303", "geonames": "264371"}),
        town("derby", "GB", identifiers={"nuts": "UKF11", "lau": "E06000015"}),
        town("pristina", "XK", identifiers={"nuts": "XK0"}),
        town("berlin", identifiers={"ags": "11000000", "lau": "11000000"}),
        town("kiel", identifiers={"lau": "01002000"}),
    )
    assert places(data, "identifier-format") == []


def test_german_keys_belong_to_german_towns_only() -> None:
    data = dataset(town("gdansk", "PL", identifiers={"ags": "04011000", "ars": "bad"}))
    found = findings(data, "identifier-format")
    assert [f.location.pointer for f in found] == ["/towns/0/identifiers/ags", "/towns/0/identifiers/ars"]
    assert found[0].message == "the AGS is a German key, but the town's country is PL"


def test_ags_must_agree_with_ars() -> None:
    data = dataset(town("t", identifiers={"ags": "04011000", "ars": "040110000001"}))
    found = findings(data, "identifier-format")
    assert [(f.location.pointer, [r.pointer for r in f.related]) for f in found] == [
        ("/towns/0/identifiers/ags", ["/towns/0/identifiers/ars"])
    ]
    assert found[0].params["expected"] == "04011001"


def test_nuts_must_start_with_the_countrys_nuts_code() -> None:
    data = dataset(town("a", "GR", identifiers={"nuts": "GR303"}), town("b", "PL", identifiers={"nuts": "DE501"}))
    assert places(data, "identifier-format") == [
        ("/towns/0/identifiers/nuts", []),
        ("/towns/1/identifiers/nuts", []),
    ]


def test_lau_of_a_german_town_is_its_ags() -> None:
    data = dataset(
        town("a", identifiers={"ags": "04011000", "lau": "04011001"}),
        town("b", identifiers={"lau": "DE04011000"}),
    )
    assert places(data, "identifier-format") == [
        ("/towns/0/identifiers/lau", ["/towns/0/identifiers/ags"]),
        ("/towns/1/identifiers/lau", []),
    ]


def test_network_wikidata_id_is_checked() -> None:
    data = dataset(networks=[{"id": "n", "name": "N", "identifiers": {"wikidata": "q1"}}])
    assert places(data, "identifier-format") == [("/networks/0/identifiers/wikidata", [])]


# --- towns -------------------------------------------------------------------------------


def test_coordinates_out_of_range_or_not_finite() -> None:
    data = dataset(
        town("a", location={"lat": 90.0, "lon": -180.0}),
        town("b", location={"lat": 90.5, "lon": 180.01}),
        town("c", location={"lat": float("nan"), "lon": float("inf")}),
    )
    assert places(data, "coordinates") == [
        ("/towns/1/location/lat", []),
        ("/towns/1/location/lon", []),
        ("/towns/2/location/lat", []),
        ("/towns/2/location/lon", []),
    ]


def test_duplicate_town_ignores_case_and_spacing_and_names_the_first() -> None:
    data = dataset(
        town("bremen", name="Bremen", subdivision="DE-HB"),
        town("bremen-2", name=" BREMEN ", subdivision="DE-HB"),
        town("bremen-pl", "PL", name="Bremen"),
        town("bremen-3", name="Bremen"),  # no subdivision: another key
    )
    found = findings(data, "duplicate-town")
    assert [(f.location.pointer, [r.pointer for r in f.related]) for f in found] == [("/towns/1", ["/towns/0"])]
    assert found[0].message == (
        "town 'bremen-2' has the same name, country and subdivision as town 'bremen'"
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"location": {"lat": 49.35, "lon": 8.14}}, {"location": {"lat": 54.11, "lon": 10.81}}),  # 570 km apart
        ({"identifiers": {"wikidata": "Q1"}, "location": {"lat": 54.11, "lon": 10.81}},
         {"identifiers": {"wikidata": "Q2"}, "location": {"lat": 54.12, "lon": 10.80}}),
    ],
)
def test_towns_of_one_name_far_apart_or_with_other_wikidata_ids_are_different(
    first: dict[str, Any], second: dict[str, Any]
) -> None:
    data = dataset(town("neustadt-1", name="Neustadt", **first), town("neustadt-2", name="Neustadt", **second))
    assert places(data, "duplicate-town") == []


def test_a_duplicate_town_is_named_after_the_first_it_cannot_be_told_from() -> None:
    data = dataset(
        town("neustadt-weinstrasse", name="Neustadt", location={"lat": 49.35, "lon": 8.14}),
        town("neustadt-holstein", name="Neustadt", identifiers={"wikidata": "Q1"},
             location={"lat": 54.11, "lon": 10.81}),
        town("neustadt-b", name="Neustadt", identifiers={"wikidata": "Q1"}, location={"lat": 54.12, "lon": 10.80}),
        town("neustadt-c", name="Neustadt"),
    )
    assert places(data, "duplicate-town") == [("/towns/2", ["/towns/1"]), ("/towns/3", ["/towns/0"])]


def test_one_town_id_given_twice_is_no_duplicate_town_but_a_duplicate_id() -> None:
    data = dataset(town("neustadt", name="Neustadt"), town("neustadt", name="Neustadt"), town("neu", name="Neustadt"))
    assert places(data, "duplicate-town") == [("/towns/2", ["/towns/0"])]
    assert places(data, "duplicate-id") == [("/towns/1/id", ["/towns/0"])]


def test_nearby_towns_of_one_name_are_duplicates() -> None:
    data = dataset(
        town("neustadt", name="Neustadt", location={"lat": 54.11, "lon": 10.81}),
        town("neustadt-i-h", name="Neustadt", location={"lat": 54.10, "lon": 10.82}),
    )
    assert places(data, "duplicate-town") == [("/towns/1", ["/towns/0"])]


LATITUDES = st.one_of(st.floats(-90, 90), st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([-90.0, 90.0]))
LONGITUDES = st.one_of(st.floats(-180, 180), st.floats(allow_nan=True, allow_infinity=True))
TOLD = st.tuples(st.sampled_from([0, 1, 2, "Q-1"]), LATITUDES, LONGITUDES)


@settings(max_examples=2000, deadline=None)
@given(a=TOLD, b=TOLD, north=st.one_of(st.none(), st.floats(-0.6, 0.6)), east=st.one_of(st.none(), st.floats(-2, 2)))
def test_towns_are_told_apart_as_the_haversine_alone_tells_them(a: Told, b: Told, north: float | None,
                                                                east: float | None) -> None:
    """`distinct` spares the haversine for towns far apart north to south; it must decide as
    the haversine does, also near 50 km, at the poles and for latitudes out of range."""
    if north is not None:  # b near a, around the 50 km a town of one name may lie within
        b = (b[0], a[1] + north, a[2] + east if east is not None else b[2])
    located = all(map(math.isfinite, (a[1], a[2], b[1], b[2])))
    by_haversine = located and distance_km({"lat": a[1], "lon": a[2]}, {"lat": b[1], "lon": b[2]}) > SAME_TOWN_KM
    assert distinct(a, b) == (bool(a[0] and b[0] and a[0] != b[0]) or by_haversine)


# --- partnerships ------------------------------------------------------------------------


def test_self_partnership_points_at_the_repeated_member() -> None:
    data = dataset(BREMEN, GDANSK, partnerships=(twinning("p", "bremen", "gdansk", "bremen", "bremen"),))
    found = findings(data, "self-partnership")
    assert [f.location.pointer for f in found] == ["/partnerships/0/members/2", "/partnerships/0/members/3"]
    assert found[0].message == "town 'bremen' is already a member at members/0"


def test_duplicate_partnership_in_any_member_order() -> None:
    data = dataset(
        BREMEN, GDANSK, RIGA,
        partnerships=(
            twinning("p0", "bremen", "gdansk", established="1976"),
            twinning("p1", "gdansk", "bremen", established="1976-05"),  # partial dates overlap
            twinning("p2", "bremen", "gdansk", kind="friendship", ended="2000"),  # other kind
            twinning("p3", "bremen", "gdansk", "riga"),  # other members
        ),
    )
    found = findings(data, "duplicate-partnership")
    assert [(f.location.pointer, [r.pointer for r in f.related]) for f in found] == [
        ("/partnerships/1", ["/partnerships/0"])
    ]
    assert found[0].params == {"id": "p1", "first": "p0", "first_at": "/partnerships/0", "kind": "twinning"}


def test_partnerships_apart_in_time_are_no_duplicates_but_a_missing_date_overlaps() -> None:
    data = dataset(
        BREMEN, GDANSK,
        partnerships=(
            twinning("p0", "bremen", "gdansk", established="1950", ended="1960"),
            twinning("p1", "bremen", "gdansk", established="1961"),  # renewed after the end
            twinning("p2", "gdansk", "bremen", established="1960-06"),  # within 1960: overlaps p0
            twinning("p3", "bremen", "gdansk"),  # no dates: overlaps p0
        ),
    )
    assert places(data, "duplicate-partnership") == [
        ("/partnerships/2", ["/partnerships/0"]),
        ("/partnerships/3", ["/partnerships/0"]),
    ]


def test_status_conflict() -> None:
    data = dataset(
        BREMEN, GDANSK,
        partnerships=(
            twinning("p0", "bremen", "gdansk", status="active", ended="2020"),
            twinning("p1", "bremen", "gdansk", status="dormant", ended="2025-06-30", established="2021"),
            twinning("p2", "bremen", "gdansk", status="ended", established="2021"),
            twinning("p3", "bremen", "gdansk", status="active", ended="2025", established="2021"),  # may end later
            twinning("p4", "bremen", "gdansk", status="ended", ended="2020", established="2010"),
            twinning("p5", "bremen", "gdansk", status="dormant", established="2010"),
        ),
    )
    found = findings(data, "status-conflict")
    assert [(f.location.pointer, [r.pointer for r in f.related]) for f in found] == [
        ("/partnerships/0/status", ["/partnerships/0/ended"]),
        ("/partnerships/1/status", ["/partnerships/1/ended"]),
        ("/partnerships/2/status", []),
    ]
    assert found[0].message == "status is 'active', but the partnership ended 2020"


def test_open_ended_friendship_and_project() -> None:
    data = dataset(
        BREMEN, GDANSK, RIGA,
        partnerships=(
            twinning("p0", "bremen", "gdansk", kind="friendship"),
            twinning("p1", "bremen", "riga", kind="project", ended="2024"),
            twinning("p2", "gdansk", "riga", kind="project"),
            twinning("p3", "gdansk", "bremen", kind="contact"),
        ),
    )
    assert places(data, "open-ended-friendship") == [("/partnerships/0/kind", []), ("/partnerships/2/kind", [])]


def test_the_country_codes_read_from_pycountrys_data_are_pycountrys() -> None:
    import pycountry

    from citynet_exchange_rules.countries import _countries, _subdivisions

    assert _countries() == {c.alpha_2 for c in pycountry.countries} | {"XK"}
    assert _subdivisions() == {s.code for s in pycountry.subdivisions}


def test_towns_of_one_name_at_latitudes_out_of_range_are_compared_without_failing() -> None:
    """At 91 and 89 degrees and opposite longitudes, rounding left the haversine's `h` below 0
    and its square root failed: duplicate-town broke (exit 3) where `coordinates` reports both."""
    data = dataset(town("neustadt-1", name="Neustadt", location={"lat": 91.0, "lon": 0.0}),
                   town("neustadt-2", name="Neustadt", location={"lat": 89.0, "lon": 180.0}))
    report = validate_data(data, options=Options(today=TODAY))
    assert report.tool_problems == []
    assert [(f.code, f.location.pointer) for f in report.findings if f.code != "orphan-town"] == [
        ("coordinates", "/towns/0/location/lat"), ("duplicate-town", "/towns/1"),
    ]


def _scope(fetch_many: Any = None) -> Any:
    from citynet_exchange.index import Index
    from citynet_exchange.rules import Record, Scope

    return Scope(today=date(2025, 6, 30), metadata=None, index=Index(),
                 fetch=lambda kind, index: Record(kind, index, {"id": f"{kind}-{index}"}), fetch_many=fetch_many)


def test_fetch_all_asks_for_a_batch_at_a_time_and_gives_the_records_in_the_order_asked() -> None:
    from citynet_exchange.rules import FETCH_BATCH

    asked: list[list[int]] = []

    def fetch_many(kind: str, indexes: list[int]) -> list[Any]:
        asked.append(indexes)
        return [None if index % 7 == 0 else _scope().fetch(kind, index) for index in indexes]

    wanted = range(FETCH_BATCH * 2 + 5, 0, -1)
    records = _scope(fetch_many).fetch_all("town", iter(wanted))
    assert asked == []  # nothing is read before it is asked for
    assert [None if r is None else r.id for r in records] == [None if i % 7 == 0 else f"town-{i}" for i in wanted]
    assert [len(batch) for batch in asked] == [FETCH_BATCH, FETCH_BATCH, 5]
    assert [r.id for r in _scope().fetch_all("town", [3, 1])] == ["town-3", "town-1"]  # one by one without it


def test_a_record_read_again_after_the_pass_is_its_sound_form_without_a_second_check(
        monkeypatch: pytest.MonkeyPatch) -> None:
    from collections.abc import Callable, Iterable

    from citynet_exchange import hookimpl
    from citynet_exchange.findings import Hit
    from citynet_exchange.plugins import load_host
    from citynet_exchange.rules import Checker, Rule, checker_rule
    from citynet_exchange.structure import Structure

    seen: list[Any] = []

    @checker_rule("read-again", Severity.INFO, "Reads every town again", {"again": "{id}"})
    class ReadAgain(Checker):
        kinds = frozenset()

        def end(self) -> Iterable[Hit]:
            seen.extend(None if town is None else town.data for town in self.scope.fetch_all("town", range(3)))
            return []

    class Mine:
        @staticmethod
        @hookimpl
        def citynet_register_rules(register: Callable[[Rule], None]) -> None:
            register(ReadAgain)

    checked: list[int] = []
    record = Structure.record
    monkeypatch.setattr(Structure, "record", lambda self, kind, index, raw, refused=False: (
        checked.append(index), record(self, kind, index, raw, refused))[1])
    towns = [{"id": "a", "name": "Ulm", "country": "DE", "population": "many"},  # a broken optional field
             {"id": "b", "name": 7, "country": "DE"},  # a broken required one: no sound form
             {"id": "c", "name": "Bonn", "country": "DE"}]
    report = validate_data({"standard": "1.0", "towns": towns}, options=Options(today=date(2025, 6, 30)),
                           host=load_host({"mine": Mine}))
    assert seen == [{"id": "a", "name": "Ulm", "country": "DE"}, None, towns[2]]
    assert checked == [0, 1]  # in the pass only
    assert {f.code for f in report.findings} >= {"wrong-type"} and report.tool_problems == []
