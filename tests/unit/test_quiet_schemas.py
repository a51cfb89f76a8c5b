"""The rules' quiet schemas (`Checker.quiet_schema`): a record one accepts is not shown to the
rule, so a quiet schema may refuse records its rule says nothing of, but must never accept
one the rule would report. Checked here on records drawn near every edge the rules know
(the calendar, today, the ranges of coordinates, the forms of codes and ids, NaN), and on
the typical records a big file is made of, which the schemas are there to accept."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citynet_exchange import engine, hookimpl
from citynet_exchange.api import validate_data
from citynet_exchange.engine import Options
from citynet_exchange.findings import Hit, Severity
from citynet_exchange.index import Index
from citynet_exchange.plugins import Host, default_host, load_host
from citynet_exchange.rules import Checker, Record, Rule, Scope, record_rule
from citynet_exchange.structure import Structure

TODAYS = [date(2025, 6, 30), date(2024, 2, 29), date(2025, 1, 1), date(2025, 12, 31)]
STRUCTURE = Structure(1_000_000)


@cache
def checkers(today: date) -> dict[str, Checker]:
    scope = Scope(today=today, metadata=None, index=Index(), fetch=lambda kind, index: None)
    return {code: rule.checker(scope) for code, rule in default_host().rules.items()}


@cache
def gate(today: date, code: str, kind: str) -> Callable[[Any], bool] | None:
    schema = checkers(today)[code].quiet_schema().get(kind)
    return None if schema is None else STRUCTURE.gate(kind, [schema])


def quiet_rules(kind: str) -> list[str]:
    return [code for code, checker in checkers(TODAYS[0]).items() if kind in checker.quiet_schema()]


def reported(today: date, code: str, kind: str, record: Mapping[str, Any]) -> list[Any]:
    return list(checkers(today)[code].see(Record(kind, 0, record)) or [])


# Values at the edges the rules look at.
YEARS = st.one_of(st.sampled_from([0, 1, 999, 2023, 2024, 2025, 2026, 9999]), st.integers(0, 9999))
DATES = st.one_of(
    YEARS.map(lambda y: f"{y:04d}"),
    st.tuples(YEARS, st.integers(0, 13)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}"),
    st.tuples(YEARS, st.integers(0, 13), st.integers(0, 32)).map(lambda t: f"{t[0]:04d}-{t[1]:02d}-{t[2]:02d}"),
    st.sampled_from(["", "2020-1-1", "2020-02-29\n", "２０２０", "1976-05-14T00:00", "20200101"]),
    st.none(),
)
SOURCES = st.one_of(st.none(), st.lists(st.fixed_dictionaries({}, optional={"accessed": DATES}), max_size=3))
COUNTRIES = st.sampled_from(["DE", "FR", "GB", "PL", "XK", "UK", "EL", "XX", "AA", "de", "D"])
SUBDIVISIONS = st.sampled_from(["DE-HB", "DE-BY", "FR-NOR", "GB-ENG", "PL-02", "UK-ENG", "EL-A", "XX-1", "DE-XX",
                                "DE-HB\n", "FR", "-HB", None])
COORDINATES = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                        st.sampled_from([90.0, -90.0, 90.0001, 180.0, -180.0, 180.0001, 0, 91, -181]))
IDS = st.sampled_from(["Q1", "Q24879", "Q0", "Q01", "q1", "Q", "Q1\n", "Q1٣", "2944388", "02944388", "04011000",
                       "040110000000", "04011000000", "17011000", "DE501", "UK123", "EL30", "de501", "", None])
TOWNS = st.fixed_dictionaries(
    {"id": st.just("t"), "name": st.sampled_from(["Bremen", "Ulm"]), "country": COUNTRIES},
    optional={
        "subdivision": SUBDIVISIONS,
        "identifiers": st.one_of(st.none(), st.dictionaries(
            st.sampled_from(["wikidata", "geonames", "ags", "ars", "lau", "nuts"]), IDS, max_size=4)),
        "location": st.one_of(st.none(), st.fixed_dictionaries({"lat": COORDINATES, "lon": COORDINATES})),
        "population": st.integers(0, 10**6),
        "sources": SOURCES,
    },
)
PARTNERSHIPS = st.fixed_dictionaries(
    {"id": st.just("p"), "kind": st.sampled_from(["twinning", "friendship", "project", "contact", "unspecified"]),
     "members": st.lists(st.sampled_from(["a", "b", "c"]), min_size=2, max_size=4)},
    optional={
        "established": DATES, "ended": DATES, "status": st.sampled_from(["active", "dormant", "ended", None]),
        "agreement": st.one_of(st.none(), st.fixed_dictionaries({}, optional={"date": DATES})),
        "sources": SOURCES,
    },
)
MEMBERSHIPS = st.fixed_dictionaries({"id": st.just("m"), "town": st.just("a"), "network": st.just("n")},
                                    optional={"since": DATES, "until": DATES, "sources": SOURCES})
NETWORKS = st.fixed_dictionaries({"id": st.just("n"), "name": st.just("Eurocities")},
                                 optional={"identifiers": st.one_of(st.none(), st.fixed_dictionaries(
                                     {}, optional={"wikidata": IDS})), "sources": SOURCES})
RECORDS = {"town": TOWNS, "partnership": PARTNERSHIPS, "membership": MEMBERSHIPS, "network": NETWORKS}


@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_every_kind_has_rules_with_quiet_schemas(kind: str) -> None:
    assert quiet_rules(kind)


@pytest.mark.parametrize("kind", sorted(RECORDS))
@settings(max_examples=600, deadline=None)
@given(data=st.data())
def test_a_quiet_schema_accepts_no_record_its_rule_reports(kind: str, data: st.DataObject) -> None:
    record = data.draw(RECORDS[kind])
    today = data.draw(st.sampled_from(TODAYS))
    for code in quiet_rules(kind):
        check = gate(today, code, kind)
        if check is not None and check(record):
            assert reported(today, code, kind, record) == [], (code, record)


TYPICAL = {
    "town": {"id": "fr-cham-0", "name": "Cham", "country": "FR", "subdivision": "FR-NOR", "type": "municipality",
             "identifiers": {"wikidata": "Q5241", "geonames": "2944388"}, "location": {"lat": 44.006, "lon": 3.812},
             "population": 11120, "website": "https://www.cham.fr",
             "sources": [{"title": "Register", "accessed": "2024-05-31"}]},
    "partnership": {"id": "p1", "kind": "twinning", "members": ["a", "b"], "established": "1976-05-14",
                    "status": "active", "agreement": {"date": "1976-05-14", "council_resolution": True}},
    "membership": {"id": "m1", "town": "a", "network": "n", "since": "2004", "until": "2030"},
    "network": {"id": "n", "name": "Eurocities", "identifiers": {"wikidata": "Q1377302"}},
}


@pytest.mark.parametrize("kind", sorted(TYPICAL))
def test_every_quiet_schema_accepts_a_typical_record(kind: str) -> None:
    today = TODAYS[0]
    assert [code for code in quiet_rules(kind) if not gate(today, code, kind)(TYPICAL[kind])] == []


def test_the_partnerships_that_end_are_quiet_when_they_say_so() -> None:
    """Only date-order, which compares the two dates, still sees a partnership that gives both."""
    today = TODAYS[0]
    for record in ({"id": "p", "kind": "friendship", "members": ["a", "b"], "established": "2001",
                    "ended": "2005", "status": "ended"},
                   {"id": "p", "kind": "project", "members": ["a", "b"], "established": "2020", "ended": "2027-12-31",
                    "status": "active"}):
        refused = [code for code in quiet_rules("partnership") if not gate(today, code, "partnership")(record)]
        assert refused == ["date-order"]
        assert gate(today, "date-order", "partnership")({k: v for k, v in record.items() if k != "ended"})


@pytest.mark.parametrize(("code", "kind", "record"), [
    ("invalid-date", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b"], "established": "2021-02-29"}),
    ("invalid-date", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b"], "established": "0000"}),
    ("future-date", "membership", {"id": "m", "town": "a", "network": "n", "since": "2025-07-01"}),
    ("future-date", "town", {"id": "t", "name": "Ulm", "country": "DE", "sources": [{"accessed": "2031"}]}),
    ("status-conflict", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b"], "status": "ended"}),
    ("status-conflict", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b"], "ended": "2024",
                                        "status": "active"}),
    ("open-ended-friendship", "partnership", {"id": "p", "kind": "friendship", "members": ["a", "b"]}),
    ("date-order", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b"], "established": "2001-05",
                                   "ended": "2001-04-30"}),
    ("self-partnership", "partnership", {"id": "p", "kind": "twinning", "members": ["a", "b", "a"]}),
    ("coordinates", "town", {"id": "t", "name": "Ulm", "country": "DE", "location": {"lat": 10.0, "lon": 180.5}}),
    ("unknown-country", "town", {"id": "t", "name": "Ulm", "country": "UK"}),
    ("unknown-country", "town", {"id": "t", "name": "Ulm", "country": "DE", "subdivision": "EL-A"}),
    ("identifier-format", "town", {"id": "t", "name": "Ulm", "country": "FR", "identifiers": {"wikidata": "Q0"}}),
    ("subdivision-mismatch", "town", {"id": "t", "name": "Ulm", "country": "DE", "subdivision": "FR-NOR"}),
    ("subdivision-mismatch", "town", {"id": "t", "name": "Ulm", "country": "DE", "subdivision": "DE-XX"}),
    ("identifier-format", "network", {"id": "n", "name": "N", "identifiers": {"wikidata": "24879"}}),
])
def test_a_record_its_rule_reports_is_refused(code: str, kind: str, record: dict[str, Any]) -> None:
    today = TODAYS[0]
    assert reported(today, code, kind, record)
    assert not gate(today, code, kind)(record)


def _host_with(*rules: Rule) -> Host:
    class Mine:
        @staticmethod
        @hookimpl
        def citynet_register_rules(register: Callable[[Rule], None]) -> None:
            for rule in rules:
                register(rule)

    return load_host({"mine": Mine})


def _long_name(quiet: Mapping[str, Any], asked: list[int]) -> Rule:
    @record_rule("long-name", Severity.INFO, "A long name", {"long": "{name} is long"}, kinds={"town"},
                 quiet=lambda scope: quiet)
    def long_name(town: Record, scope: Scope) -> list[Hit] | None:
        asked.append(town.index)
        return [town.hit("long", field="name", name=town.data["name"])] if len(town.data["name"]) > 5 else None

    return long_name


TOWNS_NAMED = {"standard": "1.0", "towns": [
    {"id": f"t{index}", "name": name, "country": "DE", **extra}
    for index, (name, extra) in enumerate([("Ulm", {}), ("Ulm", {}), ("Ulm", {}), ("Bremerhaven", {}),
                                           ("Ulm", {"extensions": {"mine": {}}}), ("Ulm", {})])]}


def test_a_rule_is_not_asked_of_the_records_its_quiet_schema_accepts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "QUIET_AFTER", 2)
    asked: list[int] = []
    host = _host_with(_long_name({"town": {"properties": {"name": {"maxLength": 5}}}}, asked))
    report = validate_data(TOWNS_NAMED, options=Options(today=TODAYS[0]), host=host)
    # Asked of the first two towns, before the schemas are compiled; then of the town the
    # schema refuses, and of the town with extensions, whose structure is looked at closely.
    assert asked == [0, 1, 3, 4]
    assert [(f.code, f.location.pointer) for f in report.findings] == [("long-name", "/towns/3/name")]
    assert report.tool_problems == []


def test_a_record_another_rules_quiet_schema_refuses_is_still_not_shown_to_this_rule(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "QUIET_AFTER", 2)
    asked: list[int] = []
    asked_abroad: list[int] = []

    @record_rule("abroad", Severity.INFO, "A town abroad", {"abroad": "{country}"}, kinds={"town"},
                 quiet=lambda scope: {"town": {"properties": {"country": {"const": "DE"}}}})
    def abroad(town: Record, scope: Scope) -> list[Hit] | None:
        asked_abroad.append(town.index)
        return [town.hit("abroad", field="country", country=town.data["country"])] if town.data["country"] != "DE" \
            else None

    host = _host_with(_long_name({"town": {"properties": {"name": {"maxLength": 5}}}}, asked), abroad)
    towns = [{"id": f"t{index}", "name": "Ulm", "country": "DE"} for index in range(5)]
    towns[2]["country"], towns[3]["name"], towns[4]["name"] = "FR", "Bremerhaven", "Aschaffenburg"
    towns[4]["country"] = "AT"
    report = validate_data({"standard": "1.0", "towns": towns}, options=Options(today=TODAYS[0]), host=host)
    # Town 2 fails the gate on abroad's quiet schema alone: long-name is not asked of it.
    assert (asked, asked_abroad) == ([0, 1, 3, 4], [0, 1, 2, 4])
    assert [(f.code, f.location.pointer) for f in report.findings] == [
        ("abroad", "/towns/2/country"), ("long-name", "/towns/3/name"), ("abroad", "/towns/4/country"),
        ("long-name", "/towns/4/name")]


@pytest.mark.parametrize("quiet", [{"town": {"type": "no-such-type"}}, {"town": {"pattern": "("}}])
def test_a_quiet_schema_that_does_not_compile_is_its_rules_failure(monkeypatch: pytest.MonkeyPatch,
                                                                    quiet: Mapping[str, Any]) -> None:
    monkeypatch.setattr(engine, "QUIET_AFTER", 2)
    asked: list[int] = []
    report = validate_data(TOWNS_NAMED, options=Options(today=TODAYS[0]), host=_host_with(_long_name(quiet, asked)))
    assert asked == [0, 1]
    assert [p.source for p in report.tool_problems] == ["rule long-name of plugin mine (Mine)"]
    assert report.tool_problems[0].message.startswith(
        "ValueError: its quiet schema for town records cannot be compiled: ")
