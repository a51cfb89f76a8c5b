"""The `cemr` format: CEMR/RGRE partnership exports read into towns and partnerships, and written back."""

from __future__ import annotations

from dataclasses import asdict
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pycountry
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from citynet_exchange.api import load, validate_data
from citynet_exchange.codelists import codelist
from citynet_exchange.country_names import normal
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Document, Input, ReadOptions, WriteOptions
from citynet_exchange.tables.cells import escape
from citynet_exchange.tables.writing import write_csv
from citynet_exchange_cemr import CemrExporter, CemrImporter
from citynet_exchange_cemr.values import country_cell, state_names

ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "fixtures" / "cemr" / "partnerschaften-beispiel.csv"
EXAMPLE_CP1252 = ROOT / "fixtures" / "cemr" / "partnerschaften-beispiel-cp1252.csv"
EXAMPLE_XLSX = ROOT / "fixtures" / "cemr" / "partnerschaften-beispiel.xlsx"
GERMAN_EXAMPLE = ROOT / "fixtures" / "examples" / "german-partnerships.yaml"
HEADER = ["Kommune", "Bundesland", "AGS", "Partnerkommune", "Land", "Art", "seit", "bis", "Themen", "Bemerkung"]
BREMEN_DANZIG = {"Kommune": "Bremen", "Bundesland": "Bremen", "AGS": "04011000", "Partnerkommune": "Danzig",
                 "Land": "Polen", "Art": "P", "seit": "1976"}
NUMBER_AS_TEXT = "it is a whole number, and the cell holds text"


def table(*rows: Mapping[str, str], header: list[str] = HEADER, delimiter: str = ";") -> bytes:
    """A CEMR table of rows given by column name (missing cells empty)."""
    return write_csv(header, [[row.get(name) for name in header] for row in rows], delimiter=delimiter)


def read(data: bytes, name: str = "export.csv", **options: str) -> Document:
    return load(data, "cemr", name=name, read=ReadOptions(**options))


def one_row(**cells: str) -> Document:
    return read(table({**BREMEN_DANZIG, **cells}))


def places(hits: list[Hit]) -> list[tuple[Any, ...]]:
    return [(h.code, h.location.row, h.location.field, h.pointer) for h in hits]  # type: ignore[union-attr]


def dump(data: Mapping[str, Any], workbook: bool = False) -> tuple[bytes, list[Hit]]:
    out = io.BytesIO()
    lost = CemrExporter().dump(data, out, WriteOptions(workbook=workbook))
    return out.getvalue(), lost


# ---- reading ---------------------------------------------------------------------------

def test_the_example_export_gives_one_town_per_german_town_and_a_partnership_per_row():
    doc = load(EXAMPLE, "cemr")
    assert doc.problems == []
    towns = {town["id"]: town for town in doc.data["towns"]}
    partnerships = doc.data["partnerships"]
    assert len(partnerships) == 21
    assert towns["de-bremen"] == {"id": "de-bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB",
                                  "identifiers": {"ags": "04011000"}}
    assert sum("de-bremen" in p["members"] for p in partnerships) == 5
    assert [t["id"] for t in doc.data["towns"]].count("de-bremen") == 1
    assert partnerships[0] == {
        "id": "de-bremen--pl-danzig", "kind": "twinning", "members": ["de-bremen", "pl-danzig"],
        "established": "1976", "themes": ["peace-and-reconciliation", "civil-society"],
        "description": "Erste Städtepartnerschaft zwischen einer polnischen und einer westdeutschen Stadt.",
    }
    by_id = {p["id"]: p for p in partnerships}
    assert by_id["de-raunheim--fr-le-teil"]["kind"] == "contact"
    assert by_id["de-raunheim--fr-le-teil"]["established"] == "2015-08-28"
    assert by_id["de-wolfsburg--tn-jendouba"]["ended"] == "2020-01"
    assert by_id["de-greifswald--br-pomerode"]["kind"] == "friendship"
    assert by_id["de-greifswald--br-pomerode-2"]["kind"] == "project"  # the same pair again: its own id
    assert towns["gb-derby"]["country"] == "GB" and towns["ru-twer"]["country"] == "RU"


def test_the_cp1252_and_workbook_variants_read_the_same_as_utf8():
    utf8 = load(EXAMPLE, "cemr")
    cp1252 = load(EXAMPLE_CP1252, "cemr")
    workbook = load(EXAMPLE_XLSX, "cemr")
    assert cp1252.data == utf8.data == workbook.data
    assert [h.code for h in cp1252.problems] == ["encoding-guessed"]
    assert workbook.problems == []


@pytest.mark.parametrize("header", [
    ["Kommune", "Partnerkommune", "Land"],
    ["Deutsche Kommune", "Partnergemeinde", "Staat"],
    ["Gemeinde", "Ausländische Kommune", "Land"],
    ["  deutsche   GEMEINDE ", "AUSLÄNDISCHE GEMEINDE", "staat"],
    ["Deutsche Gemeinde", "Auslaendische Gemeinde", "Land"],
])
def test_column_names_and_their_variants_in_any_case(header: list[str]):
    doc = read(table(dict(zip(header, ["Bremen", "Danzig", "Polen"])), header=header))
    assert doc.problems == []
    assert [t["name"] for t in doc.data["towns"]] == ["Bremen", "Danzig"]


@pytest.mark.parametrize("names", [
    ("Bundesland", "AGS", "Art", "seit", "bis", "Themen", "Bemerkung"),
    ("bundesland", "Gemeindeschlüssel", "Kategorie", "Jahr", "Ende", "THEMEN", "bemerkung"),
    ("Bundesland", "Gemeindeschluessel", "Partnerschaftsart", "Beginn", "bis", "Themen", "Bemerkung"),
    ("Bundesland", "AGS", "Art", "Gründungsjahr", "bis", "Themen", "Bemerkung"),
])
def test_optional_columns_and_their_variants(names: tuple[str, ...]):
    header = ["Kommune", "Partnerkommune", "Land", *names]
    values = ["Wolfsburg", "Jendouba", "Tunesien", "Niedersachsen", "03103000", "Projektpartnerschaft", "2017",
              "01.2020", "Stadtentwicklung", "Stadtteilpark"]
    doc = read(table(dict(zip(header, values)), header=header))
    assert doc.problems == []
    assert doc.data["towns"][0]["subdivision"] == "DE-NI"
    assert doc.data["towns"][0]["identifiers"] == {"ags": "03103000"}
    assert doc.data["partnerships"][0] == {
        "id": "de-wolfsburg--tn-jendouba", "kind": "project", "members": ["de-wolfsburg", "tn-jendouba"],
        "established": "2017", "ended": "2020-01", "themes": ["urban-development"], "description": "Stadtteilpark"}


@pytest.mark.parametrize("cell, kind", [
    ("P", "twinning"), ("p", "twinning"), ("Partnerschaft", "twinning"), ("Städtepartnerschaft", "twinning"),
    ("F", "friendship"), ("Freundschaft", "friendship"), ("K", "contact"), ("Kontakt", "contact"),
    ("Projektpartnerschaft", "project"), ("project", "project"), ("", "unspecified"),
])
def test_kinds_by_letter_word_or_code_and_an_empty_cell_is_unspecified(cell: str, kind: str):
    doc = one_row(Art=cell, bis="2030")
    assert doc.problems == []
    assert doc.data["partnerships"][0]["kind"] == kind


def test_every_kind_of_the_code_list_has_a_cemr_name_that_reads_back():
    for code in codelist("partnership-kind").codes:
        assert one_row(Art=code.extra["cemr_code"]).data["partnerships"][0]["kind"] == code.code


@pytest.mark.parametrize("cell, date", [
    ("1976", "1976"), ("05.1976", "1976-05"), ("5.1976", "1976-05"), ("14.05.1976", "1976-05-14"),
    ("1.5.1976", "1976-05-01"), ("1976-05", "1976-05"), ("1976-05-14", "1976-05-14"),
])
def test_dates_german_and_iso(cell: str, date: str):
    doc = one_row(seit=cell)
    assert doc.problems == []
    assert doc.data["partnerships"][0]["established"] == date


@pytest.mark.parametrize("cell", ["Mai 1976", "14.13.1976", "32.01.1976", "ca. 1976", "76"])
def test_an_unreadable_date_is_kept_and_reported_at_its_cell(cell: str):
    doc = one_row(bis=cell)
    assert places(doc.problems) == [("unknown-value", 2, "bis", "/partnerships/0/ended")]
    assert doc.data["partnerships"][0]["ended"] == cell
    report = validate_data(doc.data)
    assert any(f.location.pointer == "/partnerships/0/ended" for f in report.findings)  # the schema's, suppressed


def test_a_day_the_calendar_lacks_is_left_to_the_date_rule():
    doc = one_row(seit="30.02.1976")
    assert doc.problems == []
    assert doc.data["partnerships"][0]["established"] == "1976-02-30"


@pytest.mark.parametrize("cell, themes", [
    ("Kultur", ["culture"]),
    ("Kultur; Sport", ["culture", "sport"]),
    ("Kultur, Sport,Wirtschaft", ["culture", "sport", "economy"]),
    ("kultur; youth-and-schools", ["culture", "youth-and-schools"]),
    ("Industrie, Innovation und Infrastruktur, Kultur", ["sdg-9", "culture"]),
    ("Frieden, Gerechtigkeit und starke Institutionen; Frieden und Versöhnung", ["sdg-16", "peace-and-reconciliation"]),
    ("Kultur;; Kultur", ["culture"]),
])
def test_topics_by_german_label_or_code_separated_by_semicolons_or_commas(cell: str, themes: list[str]):
    doc = one_row(Themen=cell)
    assert doc.problems == []
    assert doc.data["partnerships"][0]["themes"] == themes


def test_an_unknown_topic_is_reported_and_kept_under_extensions():
    doc = one_row(Themen="Kultur, Städtebau; Sportt")
    assert places(doc.problems) == [("unknown-value", 2, "Themen", "/partnerships/0/extensions/cemr/Themen")] * 2
    assert doc.problems[1].params["suggestion"] == "Sport"
    partnership = doc.data["partnerships"][0]
    assert partnership["themes"] == ["culture"]
    assert partnership["extensions"] == {"cemr": {"Themen": "Städtebau; Sportt"}}


@pytest.mark.parametrize("cell, code", [
    ("Frankreich", "FR"), ("Polen", "PL"), ("Vereinigtes Königreich", "GB"), ("Tschechien", "CZ"),
    ("Russland", "RU"), ("Russische Föderation", "RU"), ("Südkorea", "KR"), ("Korea, Republik", "KR"),
    ("FR", "FR"), ("fr", "FR"), ("FRA", "FR"), ("France", "FR"), ("Kosovo", "XK"), ("Elfenbeinküste", "CI"),
])
def test_countries_by_german_name_other_names_and_iso_codes(cell: str, code: str):
    doc = one_row(Land=cell)
    assert doc.problems == []
    assert doc.data["towns"][1]["country"] == code


def test_an_unknown_country_is_kept_and_reported_with_a_suggestion():
    doc = one_row(Land="Frankrech")
    assert places(doc.problems) == [("unknown-value", 2, "Land", "/towns/1/country")]
    assert doc.problems[0].params == {"value": "'Frankrech'", "what": "country", "suggestion": "Frankreich"}
    assert doc.data["towns"][1]["country"] == "Frankrech"


def test_a_country_code_iso_lacks_is_left_to_the_country_rule():
    doc = one_row(Land="UK")
    assert doc.problems == []
    findings = validate_data(doc.data).findings
    assert [(f.code, f.location.pointer) for f in findings] == [("unknown-country", "/towns/1/country")]


def test_german_country_names_read_back_to_their_codes():
    for country in pycountry.countries:
        assert one_row(Land=country_cell(country.alpha_2)).data["towns"][1]["country"] == country.alpha_2


@pytest.mark.parametrize("name", state_names())
def test_every_bundesland_by_its_name(name: str):
    doc = one_row(Bundesland=name, AGS="")
    assert doc.problems == []
    subdivision = doc.data["towns"][0]["subdivision"]
    assert pycountry.subdivisions.get(code=subdivision).name == name


@pytest.mark.parametrize("cell, code", [("Hessen", "DE-HE"), ("hessen", "DE-HE"), ("HE", "DE-HE"), ("DE-HE", "DE-HE"),
                                        ("Nordrhein Westfalen", "DE-NW"), ("Thüringen", "DE-TH")])
def test_bundesland_by_name_or_code(cell: str, code: str):
    assert one_row(Bundesland=cell, AGS="").data["towns"][0]["subdivision"] == code


def test_an_unknown_bundesland_is_kept_and_reported_with_a_suggestion():
    doc = one_row(Bundesland="Hesen", AGS="")
    assert places(doc.problems) == [("unknown-value", 2, "Bundesland", "/towns/0/subdivision")]
    assert doc.problems[0].params["suggestion"] == "Hessen"
    assert doc.data["towns"][0]["subdivision"] == "Hesen"


def test_an_unknown_category_is_kept_and_reported_at_its_cell():
    doc = one_row(Art="X")
    assert places(doc.problems) == [("unknown-value", 2, "Art", "/partnerships/0/kind")]
    assert doc.data["partnerships"][0]["kind"] == "X"
    codes = [f.code for f in validate_data(doc.data).findings]
    assert codes == ["invalid-code"]  # what the importer's finding replaces when reading the table


def test_a_german_town_in_many_rows_is_one_town_matched_by_its_ags_or_name_and_land():
    doc = read(table(BREMEN_DANZIG,
                     {**BREMEN_DANZIG, "Kommune": "Freie Hansestadt Bremen", "Partnerkommune": "Riga",
                      "Land": "Lettland"},
                     {**BREMEN_DANZIG, "AGS": "", "Partnerkommune": "Haifa", "Land": "Israel"}))
    assert [t["id"] for t in doc.data["towns"]] == ["de-bremen", "pl-danzig", "lv-riga", "il-haifa"]
    assert [p["members"][0] for p in doc.data["partnerships"]] == ["de-bremen"] * 3
    assert places(doc.problems) == [("conflicting-value", 3, "Kommune", "/towns/0/name")]  # the first name is kept


def test_a_town_described_differently_in_a_later_row_is_a_conflict_at_that_cell():
    doc = read(table(BREMEN_DANZIG, {**BREMEN_DANZIG, "Bundesland": "Niedersachsen", "Partnerkommune": "Riga"}))
    assert places(doc.problems) == [("conflicting-value", 3, "Bundesland", "/towns/0/subdivision")]
    assert doc.data["towns"][0]["subdivision"] == "DE-HB"


def test_a_town_is_placed_at_the_cell_that_names_it():
    doc = one_row(Partnerkommune="")
    findings = validate_data(doc.data).findings
    assert [(f.code, f.location.pointer) for f in findings] == [("missing-field", "/towns/1")]
    location = doc.locator.locate("/towns/1")
    assert (location.row, location.field, location.line) == (2, "Partnerkommune", 2)


def test_unknown_columns_are_reported_and_kept_under_extensions():
    header = [*HEADER, "Ansprechpartner", ""]
    doc = read(table({**BREMEN_DANZIG, "Ansprechpartner": "'=Senatskanzlei"}, header=header))
    assert places(doc.problems) == [("unknown-column", 1, "Ansprechpartner", None)]
    assert doc.data["partnerships"][0]["extensions"] == {"cemr": {"Ansprechpartner": "=Senatskanzlei"}}


def test_a_column_named_twice_is_a_duplicate_and_kept_under_extensions():
    header = [*HEADER, "Jahr", "Themen"]
    doc = read(table({**BREMEN_DANZIG, "Jahr": "1977", "Themen": "Kultur"}, header=header))
    assert places(doc.problems) == [("duplicate-column", 1, "Jahr", None), ("duplicate-column", 1, "Themen", None)]
    partnership = doc.data["partnerships"][0]
    assert partnership["established"] == "1976"
    assert partnership["extensions"] == {"cemr": {"Jahr": "1977", "Themen (L)": "Kultur"}}


@pytest.mark.parametrize("header, missing", [
    (["Kommune", "Partnerkommune"], ["Land"]),
    (["Bundesland", "Land", "Art"], ["Kommune", "Partnerkommune"]),
    ([], ["Kommune", "Partnerkommune", "Land"]),
])
def test_a_missing_required_column_makes_the_table_unreadable(header: list[str], missing: list[str]):
    doc = read(table({name: "x" for name in header}, header=header) if header else b"")
    assert doc.data is None
    assert [(h.code, h.location.row, h.params["column"]) for h in doc.problems] == \
        [("missing-column", 1, name) for name in missing]


def test_cells_past_the_header_are_reported_and_kept():
    data = table(BREMEN_DANZIG) + b"Bremen;Bremen;04011000;Riga;Lettland;P;1985;;;Bemerkung; mit Semikolon\n"
    doc = read(data)
    assert places(doc.problems) == [("extra-cell", 3, None, "/partnerships/1/extensions/cemr/extra-cells")]
    assert doc.data["partnerships"][1]["extensions"] == {"cemr": {"extra-cells": [" mit Semikolon"]}}
    assert doc.data["partnerships"][1]["description"] == "Bemerkung"


def test_findings_carry_file_line_row_and_column_name():
    data = table(BREMEN_DANZIG) + b'\n;;;"Paris an\nder Seine";Frankrech\n'  # a blank row counts
    (hit,) = read(data, "dir/export.csv").problems
    assert {k: v for k, v in asdict(hit.location).items() if v is not None} == {
        "file": "dir/export.csv", "line": 4, "row": 4, "field": "Land", "pointer": "/towns/3/country"}


def test_workbook_findings_carry_sheet_and_cell():
    data, _ = dump({"standard": "1.0", "towns": [{"id": "a", "name": "Bremen", "country": "DE"},
                                                  {"id": "b", "name": "Paris", "country": "Frankrech"}],
                    "partnerships": [{"id": "p", "kind": "twinning", "members": ["a", "b"]}]}, workbook=True)
    (hit,) = read(data, "export.xlsx").problems
    assert {k: v for k, v in asdict(hit.location).items() if v is not None} == {
        "file": "export.xlsx", "row": 2, "field": "Land", "sheet": "Partnerschaften", "cell": "E2",
        "pointer": "/towns/1/country"}


def test_another_sheet_by_name():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["Hinweis"])
    workbook.create_sheet("Daten").append(["Kommune", "Partnerkommune", "Land"])
    workbook["Daten"].append(["Kiel", "Brest", "Frankreich"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    doc = read(buffer.getvalue(), "export.xlsx", sheet="Daten")
    assert [t["name"] for t in doc.data["towns"]] == ["Kiel", "Brest"]
    assert read(buffer.getvalue(), "export.xlsx").data is None  # the first sheet is no CEMR table


@pytest.mark.parametrize("data, expected", [
    (EXAMPLE.read_bytes(), True),
    (EXAMPLE_CP1252.read_bytes(), True),
    (EXAMPLE_XLSX.read_bytes(), True),
    (table(BREMEN_DANZIG, header=["Deutsche Gemeinde", "Ausländische Gemeinde"], delimiter=","), True),
    ("Gemeindeschlüssel;Ausländische Gemeinde\n".encode("utf-16"), False),
    ("Deutsche Gemeinde;Ausländische Gemeinde\n".encode("utf-16"), True),
    (b"town_a.name,town_a.country,town_b.name,town_b.country,kind\nBremen,DE,Danzig,PL,twinning\n", False),
    (b"Kommune;Land;Art\nBremen;Polen;P\n", False),
    (b'{"standard": "1.0"}', False),
    (b"", False),
])
def test_sniff_wants_a_german_town_and_a_partner_town_column(data: bytes, expected: bool):
    assert CemrImporter().sniff(Input("export", data)) is expected


def test_sniff_reads_only_whole_lines_of_the_head():
    header = "Deutsche Gemeinde;Ausländische Gemeinde;Land\n".encode()
    data = header + "Bremen;Danzig;Polen\n".encode() * 400  # the head ends inside a row
    assert CemrImporter().sniff(Input("export", data))


def test_detected_among_csv_and_xlsx_formats():
    assert load(EXAMPLE).format == "cemr"
    assert load(EXAMPLE_XLSX).format == "cemr"


# ---- writing ---------------------------------------------------------------------------

def test_written_as_semicolon_separated_utf8_with_bom_in_the_columns_of_the_database():
    data, lost = dump(load(GERMAN_EXAMPLE).data)
    text = data.decode("utf-8")
    assert text.startswith("\ufeffKommune;Bundesland;AGS;Partnerkommune;Land;Art;seit;bis;Themen;Bemerkung\r\n")
    assert "\r\nBremen;Bremen;04011000;Gdańsk;Polen;P;1976;;\"Frieden und Versöhnung; Zivilgesellschaft\";" in text
    assert "\r\nWolfsburg;Niedersachsen;03103000;Jendouba;Tunesien;Projektpartnerschaft;;01.2020;" in text
    assert lost


def test_the_example_round_trips_byte_for_byte_through_json():
    doc = load(EXAMPLE, "cemr")
    again = json.loads(json.dumps(doc.data))
    data, lost = dump(again)
    assert lost == []
    assert data == EXAMPLE.read_bytes()


def test_a_workbook_round_trips_and_keeps_text_as_text():
    doc = one_row(Bemerkung="'=HYPERLINK(\"x\")", AGS="04011000")
    data, lost = dump(doc.data, workbook=True)
    assert lost == []
    sheet = load_workbook(io.BytesIO(data)).worksheets[0]
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("04011000", "s")
    assert (sheet["J2"].value, sheet["J2"].data_type) == ('=HYPERLINK("x")', "s")
    assert read(data, "x.xlsx").data == doc.data


@pytest.mark.parametrize("text, cell", [("=SUMME(A1)", "'=SUMME(A1)"), ("+49 421", "'+49 421"),
                                        ("-5", "-5"), ("@home", "'@home"), ("'=x", "''=x"), ("Bremen", "Bremen")])
def test_text_cells_are_spreadsheet_safe_and_read_back_unchanged(text: str, cell: str):
    doc = one_row(Bemerkung=escape(text, True))
    assert doc.data["partnerships"][0]["description"] == text
    data, _ = dump(doc.data)
    assert data.decode("utf-8-sig").splitlines()[1].endswith(";" + cell)


def _pair(members: list[str], *towns: dict[str, Any], **partnership: Any) -> dict[str, Any]:
    return {"standard": "1.0", "towns": list(towns),
            "partnerships": [{"id": "p", "kind": "twinning", "members": members, **partnership}]}


KIEL = {"id": "kiel", "name": "Kiel", "country": "DE", "subdivision": "DE-SH"}
BREST = {"id": "brest", "name": "Brest", "country": "FR"}
LEIPZIG = {"id": "leipzig", "name": "Leipzig", "country": "DE", "subdivision": "DE-SN"}


def _rows(data: bytes) -> list[list[str]]:
    return [line.split(";") for line in data.decode("utf-8-sig").splitlines()[1:]]


def test_the_german_member_is_the_kommune_whichever_its_place():
    data, lost = dump(_pair(["brest", "kiel"], KIEL, BREST))
    assert lost == []
    assert _rows(data) == [["Kiel", "Schleswig-Holstein", "", "Brest", "Frankreich", "P", "", "", "", ""]]


def test_of_two_german_members_the_first_is_the_kommune_and_the_second_loses_its_land():
    data, lost = dump(_pair(["leipzig", "kiel"], KIEL, LEIPZIG))
    assert _rows(data)[0][:5] == ["Leipzig", "Sachsen", "", "Kiel", "Deutschland"]
    assert [(h.pointer, h.params["what"]) for h in lost] == [("/towns/0", "part of town 'kiel' (subdivision)")]


@pytest.mark.parametrize("data, pointer, what", [
    (_pair(["brest", "brest2"], BREST, {**BREST, "id": "brest2"}), "/partnerships/0",
     "partnership 'p' (no member is a German town, and the table's Kommune is German)"),
    (_pair(["kiel", "brest", "leipzig"], KIEL, BREST, LEIPZIG), "/partnerships/0",
     "partnership 'p' (3 members; a row holds two towns)"),
    (_pair(["kiel", "nowhere"], KIEL), "/partnerships/0",
     "partnership 'p' (its member 'nowhere' is not a town of the dataset)"),
    (_pair(["kiel", "brest"], {**KIEL, "name": "#Kiel"}, BREST), "/partnerships/0",
     "partnership 'p' (the Kommune's name starts with '#', and a row starting with '#' is read as a comment)"),
])
def test_a_partnership_without_a_row_is_a_loss(data: dict[str, Any], pointer: str, what: str):
    table_bytes, lost = dump(data)
    assert (lost[0].code, lost[0].pointer, lost[0].params["what"]) == ("conversion-loss", pointer, what)
    assert _rows(table_bytes) == []


def test_each_record_names_all_it_loses_in_one_finding():
    kiel = {**KIEL, "identifiers": {"ags": "01002000", "wikidata": "Q1707"}, "location": {"lat": 54.3, "lon": 10.1},
            "population": 247000}
    brest = {**BREST, "names": {"br": "Brest"}, "subdivision": "FR-29"}
    data = _pair(["kiel", "brest"], kiel, brest, status="active", agreement={"date": "1964"},
                 extensions={"cemr": {"Nummer": "17", "Seite": 3}, "other": {"x": 1}})
    data.update(metadata={"publisher": "Kiel"}, networks=[{"id": "n", "name": "N"}],
                memberships=[{"id": "m", "town": "kiel", "network": "n"}])
    table_bytes, lost = dump(data)
    assert [(h.message, h.pointer, h.params["what"]) for h in lost] == [
        ("lost", "/partnerships/0", "part of partnership 'p' (status, agreement, extensions.other)"),
        ("changed", "/partnerships/0/extensions/cemr/Seite", "the value of extensions.cemr.Seite of partnership 'p'"),
        ("lost", "/towns/0", "part of town 'kiel' (identifiers.wikidata, location, population)"),
        ("lost", "/towns/1", "part of town 'brest' (names, subdivision)"),
        ("lost", "/metadata", "the metadata"),
        ("lost", "/networks", "the list of networks (1 record)"),
        ("lost", "/memberships", "the list of memberships (1 record)"),
    ]
    assert lost[1].params["how"] == NUMBER_AS_TEXT
    assert _rows(table_bytes) == [["Kiel", "Schleswig-Holstein", "01002000", "Brest", "Frankreich", "P", "", "", "",
                                   "", "17", "3"]]


@pytest.mark.parametrize("workbook, town, partnership, pointer, how", [
    (False, {}, {"established": 1976}, "/partnerships/0/established", NUMBER_AS_TEXT),
    (False, {"name": " Kiel "}, {}, "/towns/0/name", "the spaces around it are not kept"),
    (False, {}, {"description": ""}, "/partnerships/0/description", "a table cannot tell an empty text from no value"),
    (True, {}, {"description": "zwei\r\nZeilen"}, "/partnerships/0/description",
     "a workbook cannot hold its control characters or carriage returns"),
    (False, {}, {"themes": ["culture", 7]}, "/partnerships/0/themes/1", NUMBER_AS_TEXT),
])
def test_a_value_that_would_read_back_otherwise_is_a_change_at_its_place(
        workbook: bool, town: dict[str, Any], partnership: dict[str, Any], pointer: str, how: str):
    _, lost = dump(_pair(["kiel", "brest"], {**KIEL, **town}, BREST, **partnership), workbook=workbook)
    assert [(h.code, h.message, h.pointer, h.params["how"]) for h in lost] == \
        [("conversion-loss", "changed", pointer, how)]


def test_a_carriage_return_is_kept_in_csv():
    data, lost = dump(_pair(["kiel", "brest"], KIEL, BREST, description="zwei\r\nZeilen"))
    assert lost == []
    assert read(data).data["partnerships"][0]["description"] == "zwei\r\nZeilen"


def test_a_town_in_no_partnership_is_a_loss():
    data = _pair(["kiel", "brest"], KIEL, BREST, LEIPZIG)
    _, lost = dump(data)
    assert [(h.pointer, h.params["what"]) for h in lost] == \
        [("/towns/2", "town 'leipzig' (in no partnership the table holds)")]


def _table_values(data: Mapping[str, Any]) -> set[tuple[Any, ...]]:
    """What a CEMR row holds of each partnership, with ids replaced by what they name."""
    towns = {t["id"]: t for t in data.get("towns", [])}
    rows = set()
    for p in data.get("partnerships", []):
        if len(p["members"]) != 2:
            continue
        german, partner = sorted((towns[m] for m in p["members"]), key=lambda t: t["country"] != "DE")
        rows.add((german["name"], german.get("subdivision"), (german.get("identifiers") or {}).get("ags"),
                  partner["name"], partner["country"], p["kind"], p.get("established"), p.get("ended"),
                  tuple(p.get("themes", ())), p.get("description")))
    return rows


def test_json_to_cemr_to_json_keeps_every_value_the_table_can_hold():
    original = load(GERMAN_EXAMPLE).data
    table_bytes, lost = dump(original)
    back = read(table_bytes).data
    assert _table_values(back) == _table_values(original)
    assert len(back["partnerships"]) == len(original["partnerships"]) - 1  # the trilateral one is a loss
    assert "partnership 'pittsburgh-vancouver-dortmund' (3 members; a row holds two towns)" in \
        [h.params["what"] for h in lost]


# ---- round trips of generated tables ----------------------------------------------------

GERMAN_TOWNS = [("Bremen", "Bremen", "04011000"), ("Osnabrück", "Niedersachsen", "03404000"),
                ("Raunheim", "Hessen", "06433011"), ("Greifswald", "Mecklenburg-Vorpommern", ""),
                ("Neustadt", "Hessen", ""), ("Neustadt", "Sachsen", "")]
_TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff\ufffd"),
                min_size=1, max_size=12).map(str.strip).filter(bool)
_DATES = st.dates().filter(lambda d: d.year >= 1000).flatmap(lambda d: st.sampled_from(
    [f"{d.year}", f"{d.month:02d}.{d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}"]))
_ROW = st.fixed_dictionaries({
    "german": st.sampled_from(GERMAN_TOWNS),
    "Partnerkommune": _TEXT,
    "Land": st.sampled_from(sorted(c.alpha_2 for c in pycountry.countries)).map(country_cell),
    "Art": st.sampled_from(["P", "F", "K", "Projektpartnerschaft", ""]),
    "seit": st.one_of(st.just(""), _DATES),
    "bis": st.one_of(st.just(""), _DATES),
    "Themen": st.lists(st.sampled_from([c.label_de for c in codelist("theme").codes]), unique=True, max_size=3)
    .map("; ".join),
    "Bemerkung": st.one_of(st.just(""), _TEXT),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ROW, min_size=1, max_size=8))
def test_generated_tables_round_trip_through_the_standard_unchanged(rows: list[dict[str, Any]]):
    spellings: dict[tuple[str, str], str] = {}  # one town is written one way: `Riga` and `RIGA` are one town
    for name, country in [(r["german"][0], "Deutschland") for r in rows] + [(r["Partnerkommune"], r["Land"])
                                                                             for r in rows]:
        assume(spellings.setdefault((normal(name), country), name) == name)
    cells = [[*row["german"], *(escape(row[name], True) or None for name in HEADER[3:])] for row in rows]
    original = write_csv(HEADER, cells, delimiter=";", bom=True)
    doc = read(original)
    assert [h.code for h in doc.problems if h.code != "conflicting-value"] == []
    data, lost = dump(json.loads(json.dumps(doc.data)))
    assert lost == []
    assert data == original


def test_a_file_named_xlsx_that_is_no_workbook_is_said_to_be_one_not_read_as_text() -> None:
    from citynet_exchange import api
    from citynet_exchange.formats import ReadOptions

    document = api.load(b"PK\x03\x04 not really a zip", "cemr", name="Partnerschaften.xlsx", read=ReadOptions())
    assert document.data is None
    assert [(h.code, h.params["problem"][:28]) for h in document.problems] == [
        ("syntax-error", "not a readable XLSX workbook")]
