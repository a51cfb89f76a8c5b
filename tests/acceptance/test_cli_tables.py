"""The command line on tables: reading options on validate and convert alike, packages in
folders, zips and workbooks, templates, and what a table cannot carry."""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[2]
CP1252 = str(ROOT / "fixtures/cemr/partnerschaften-beispiel-cp1252.csv")
RAUNHEIM = str(ROOT / "fixtures/examples/raunheim-network-2015.yaml")
TODAY = "--today=2025-06-30"


def codes(report_text: str) -> list[str]:
    return [line.split(" ")[2] for line in report_text.splitlines() if line.count(" ") > 2 and ": " in line
            and not line.startswith(("    ", "valid", "invalid"))]


def test_encoding_is_detected_or_named_on_validate_and_convert_alike(citynet, tmp_path: Path) -> None:
    guessed = citynet("validate", CP1252, TODAY, "--select", "encoding-guessed")
    assert guessed.code == 0 and "it was read as Windows-1252" in guessed.out
    named = citynet("convert", CP1252, "--to", "json", "--encoding", "cp1252", "-o", str(tmp_path / "a.json"), TODAY)
    assert "encoding-guessed" not in named.err and named.code == 0
    wrong = citynet("convert", CP1252, "--to", "json", "--encoding", "utf-8", "-o", str(tmp_path / "b.json"), TODAY)
    assert wrong.code == 1
    undecodable = [line for line in wrong.err.splitlines() if "syntax-error" in line]
    assert undecodable and all("(row " in line and ", column " in line for line in undecodable)
    assert (tmp_path / "b.json").exists()  # written all the same, with the replaced letters named
    unknown = citynet("convert", CP1252, "--to", "json", "--encoding", "klingon")
    assert unknown.code == 2 and "--encoding 'klingon'" in unknown.err


def test_an_option_a_format_does_not_take_is_a_usage_error(citynet) -> None:
    result = citynet("validate", RAUNHEIM, "--sheet", "x")
    assert result.code == 2 and "the yaml format takes no --sheet" in result.err
    result = citynet("convert", RAUNHEIM, "--to", "json", "--spreadsheet-safe")
    assert result.code == 2 and "the json format cannot take --spreadsheet-safe" in result.err
    result = citynet("convert", RAUNHEIM, "--to", "yaml", "-o", "out.xlsx")
    assert result.code == 2 and "cannot take a workbook (.xlsx)" in result.err


def test_a_package_goes_to_a_folder_a_zip_and_a_workbook_and_back(citynet, tmp_path: Path) -> None:
    folder = tmp_path / "package"
    folder.mkdir()
    assert citynet("convert", RAUNHEIM, "--to", "csv", "-o", str(folder)).code == 0
    assert sorted(p.name for p in folder.iterdir()) == [
        "memberships.csv", "metadata.csv", "networks.csv", "partnerships.csv", "towns.csv"]
    assert citynet("convert", str(folder), "--to", "csv", "-o", str(tmp_path / "p.zip")).code == 0
    assert "towns.csv" in zipfile.ZipFile(tmp_path / "p.zip").namelist()
    assert citynet("convert", str(tmp_path / "p.zip"), "--to", "csv", "-o", str(tmp_path / "p.xlsx")).code == 0
    assert load_workbook(tmp_path / "p.xlsx").sheetnames == [
        "metadata", "towns", "networks", "partnerships", "memberships"]
    assert citynet("convert", str(tmp_path / "p.xlsx"), "--to", "yaml", "-o", str(tmp_path / "back.yaml")).code == 0
    assert citynet("validate", str(tmp_path / "back.yaml")).out.startswith("valid: 0 errors")


def test_a_folder_that_is_no_package_is_a_usage_error(citynet, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    result = citynet("validate", str(tmp_path))
    assert result.code == 2 and "is a folder that holds no file a loaded format reads" in result.err


def test_templates_of_every_table_format_come_back_valid(citynet, tmp_path: Path) -> None:
    for format_ in ("csv", "flat", "cemr"):
        for to in ("xlsx", "csv"):
            out = tmp_path / f"{format_}-template.{'zip' if (format_, to) == ('csv', 'csv') else to}"
            assert citynet("template", "--format", format_, "--to", to, "-o", str(out)).code == 0, (format_, to)
            result = citynet("validate", str(out), "--format", format_)
            assert result.code == 0 and result.out.startswith("valid: 0 errors"), (format_, to, result.out)
    workbook = load_workbook(tmp_path / "flat-template.xlsx")
    assert workbook.worksheets[0].data_validations.dataValidation  # drop-down lists of coded columns
    assert workbook["notes"]["A1"].value == "table"


def test_a_template_of_a_format_that_is_no_table_is_a_usage_error(citynet) -> None:
    result = citynet("template", "--format", "yaml")
    assert result.code == 2 and "templates exist for: cemr, csv, flat" in result.err


def test_what_a_flat_table_cannot_hold_is_a_finding_and_exit_1_and_nothing_is_written(citynet,
                                                                                    tmp_path: Path) -> None:
    target = tmp_path / "flat.csv"
    target.write_text("old", encoding="utf-8")
    result = citynet("convert", RAUNHEIM, "--to", "flat", "-o", str(target), TODAY)
    assert result.code == 1
    assert "conversion-loss" in codes(result.err)
    assert result.err.endswith(f"citynet: nothing was written: the flat format cannot hold all of {RAUNHEIM} "
                               "(20 conversion-loss above); --allow-lossy writes it without those values\n")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["flat.csv"]
