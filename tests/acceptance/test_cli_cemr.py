"""`citynet` on CEMR/RGRE exports: validating them with places in the table, converting both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).parents[2]
CEMR = ROOT / "fixtures" / "cemr"
EXAMPLE = CEMR / "partnerschaften-beispiel.csv"
FAULTY = CEMR / "partnerschaften-mit-fehlern.csv"
GERMAN_EXAMPLE = ROOT / "fixtures" / "examples" / "german-partnerships.yaml"
TODAY = "--today=2025-06-30"


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def test_the_example_export_is_valid_with_warnings_at_their_cells(citynet, in_root):
    result = citynet("validate", "fixtures/cemr/partnerschaften-beispiel.csv", TODAY)
    assert result.code == 0
    assert result.out == (
        "fixtures/cemr/partnerschaften-beispiel.csv:19 (row 19, column Art): warning open-ended-friendship "
        "kind 'friendship' is limited in time, but no ended date is given\n"
        "fixtures/cemr/partnerschaften-beispiel.csv:20 (row 20, column Art): warning open-ended-friendship "
        "kind 'project' is limited in time, but no ended date is given\n"
        "valid: 0 errors, 2 warnings, 0 info in 1 file (52 records)\n")


def test_every_problem_of_a_faulty_export_at_its_row_and_column(citynet):
    result = citynet("validate", str(FAULTY), TODAY, "--report", "json")
    assert result.code == 1
    found = [(f["code"], f["location"]["row"], f["location"]["field"]) for f in json.loads(result.out)["findings"]]
    assert found == [
        ("unknown-column", 1, "Ansprechpartner"),
        ("unknown-value", 3, "Kategorie"),
        ("identifier-format", 4, "Gemeindeschlüssel"),
        ("unknown-value", 4, "Staat"),
        ("unknown-value", 5, "Jahr"),
        ("unknown-value", 5, "Themen"),
        ("unknown-value", 5, "Bundesland"),
        ("conflicting-value", 6, "Bundesland"),
        ("duplicate-partnership", 7, None),
    ]


def test_the_cp1252_export_is_read_with_a_note_or_as_named(citynet):
    guessed = citynet("validate", str(CEMR / "partnerschaften-beispiel-cp1252.csv"), TODAY, "--select",
                      "encoding-guessed")
    assert guessed.code == 0
    assert "info encoding-guessed the file is not UTF-8; it was read as Windows-1252" in guessed.out
    named = citynet("validate", str(CEMR / "partnerschaften-beispiel-cp1252.csv"), TODAY, "--encoding", "cp1252",
                    "--select", "encoding-guessed")
    assert named.out == "valid: 0 errors, 0 warnings, 0 info in 1 file (52 records)\n"


def test_a_wrong_delimiter_leaves_the_required_columns_missing(citynet):
    result = citynet("validate", str(EXAMPLE), "--format", "cemr", "--delimiter", "comma", TODAY)
    assert result.code == 1
    assert result.out.count("error missing-column") == 3
    assert "the table lacks the column Land (also named Staat); no row can be read without it" in result.out


def test_convert_to_json_and_back_gives_the_same_table(citynet, tmp_path: Path):
    as_json, back = tmp_path / "export.json", tmp_path / "export.csv"
    to_json = citynet("convert", str(EXAMPLE), "--from", "cemr", "--to", "json", "-o", str(as_json), TODAY)
    assert to_json.code == 0
    data = json.loads(as_json.read_text(encoding="utf-8"))
    assert data["towns"][0] == {"id": "de-bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB",
                                "identifiers": {"ags": "04011000"}}
    to_cemr = citynet("convert", str(as_json), "--to", "cemr", "-o", str(back), TODAY)
    assert to_cemr.code == 0
    assert back.read_bytes() == EXAMPLE.read_bytes()


def test_convert_to_stdout_writes_the_table(citynet):
    result = citynet("convert", str(EXAMPLE), "--to", "cemr", TODAY)
    assert result.code == 0
    assert result.out.startswith("\ufeffKommune;Bundesland;AGS;Partnerkommune;Land;Art;seit;bis;Themen;Bemerkung")


def test_what_the_table_cannot_hold_is_named_on_standard_error(citynet, tmp_path: Path):
    target = tmp_path / "german.csv"
    result = citynet("convert", str(GERMAN_EXAMPLE), "--to", "cemr", "-o", str(target), TODAY)
    assert result.code == 1
    assert (f"{GERMAN_EXAMPLE}:307:5: error conversion-loss partnership 'pittsburgh-vancouver-dortmund' "
            "(3 members; a row holds two towns) cannot be written as a CEMR table and is missing from the output"
            ) in result.err
    assert f"{GERMAN_EXAMPLE}:26:5: error conversion-loss part of town 'bremen' (type, location)" in result.err
    assert "the list of memberships (7 records) cannot be written" in result.err
    assert not target.exists()
    lossy = citynet("convert", str(GERMAN_EXAMPLE), "--to", "cemr", "-o", str(target), TODAY, "--allow-lossy")
    assert lossy.code == 0
    assert f"{GERMAN_EXAMPLE}:26:5: warning conversion-loss part of town 'bremen' (type, location)" in lossy.err
    assert target.read_text(encoding="utf-8-sig").count("\n") == 16  # header and 15 bilateral partnerships


def test_a_workbook_is_written_and_read_back_with_sheet_and_cell(citynet, tmp_path: Path):
    workbook = tmp_path / "export.xlsx"
    assert citynet("convert", str(FAULTY), "--to", "cemr", "-o", str(workbook), TODAY).code == 1
    sheet = load_workbook(workbook).worksheets[0]
    assert sheet.title == "Partnerschaften"
    assert [c.value for c in sheet[1]][:3] == ["Kommune", "Bundesland", "AGS"]
    assert sheet["K2"].value == "=Senatskanzlei" and sheet["K2"].data_type == "s"
    result = citynet("validate", str(workbook), TODAY, "--select", "unknown-value", "--report", "json")
    places = [(f["location"]["sheet"], f["location"]["cell"], f["location"]["field"])
              for f in json.loads(result.out)["findings"]]
    assert places == [("Partnerschaften", "F3", "Art"), ("Partnerschaften", "E4", "Land"),
                      ("Partnerschaften", "G5", "seit"), ("Partnerschaften", "I5", "Themen"),
                      ("Partnerschaften", "B5", "Bundesland")]


def test_a_sheet_that_does_not_exist_or_a_sheet_of_a_csv_is_a_usage_error(citynet):
    workbook = str(CEMR / "partnerschaften-beispiel.xlsx")
    assert citynet("validate", workbook, "--sheet", "Partnerschaften", TODAY).code == 0
    missing = citynet("validate", workbook, "--format", "cemr", "--sheet", "Tabelle1")
    assert missing.code == 2
    assert "has no sheet 'Tabelle1'; its sheets: Partnerschaften, lists" in missing.err
    csv = citynet("validate", str(EXAMPLE), "--format", "cemr", "--sheet", "Tabelle1")
    assert csv.code == 2
    assert "--sheet names a worksheet, and this is not a workbook" in csv.err


def test_the_plugin_registers_an_importer_and_an_exporter(citynet):
    plugins = {p["name"]: p for p in json.loads(citynet("plugins", "--json").out)}
    assert plugins["cemr"]["status"] == "loaded"
    assert plugins["cemr"]["registered"] == {"importers": ["cemr"], "exporters": ["cemr"]}


def test_a_filled_in_template_validates_as_cemr(citynet, tmp_path: Path):
    template = citynet("template", "--format", "cemr", "--to", "csv")
    assert template.code == 0
    header, notes = template.out.splitlines()
    assert header == "\ufeffKommune;Bundesland;AGS;Partnerkommune;Land;Art;seit;bis;Themen;Bemerkung"
    assert notes.startswith("# The German municipality (required).")
    filled = tmp_path / "filled.csv"
    filled.write_text(template.out + "Kiel;Schleswig-Holstein;01002000;Brest;Frankreich;P;1964;;Kultur;\n",
                      encoding="utf-8")
    assert citynet("validate", str(filled), TODAY).out == "valid: 0 errors, 0 warnings, 0 info in 1 file (3 records)\n"
    workbook = tmp_path / "template.xlsx"
    assert citynet("template", "--format", "cemr", "-o", str(workbook)).code == 0
    assert load_workbook(workbook).sheetnames == ["Partnerschaften", "notes", "lists"]
