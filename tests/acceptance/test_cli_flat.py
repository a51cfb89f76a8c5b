"""`citynet` with flat partnership tables: the real Wikidata sample, mapping files, and
conversions to and from CSV and workbooks."""

from __future__ import annotations

import csv
import io
import json
import time
from collections import Counter
from pathlib import Path

import pytest

from citynet_exchange.api import differences, load

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "fixtures/realdata/wikidata-twinnings-germany-2017.tsv")
WIKIDATA = str(ROOT / "fixtures/mappings/wikidata-twinnings.yaml")
GERMAN = str(ROOT / "fixtures/flat/staedtepartnerschaften.csv")
GERMAN_MAPPING = str(ROOT / "fixtures/mappings/staedtepartnerschaften.yaml")
VALID = str(ROOT / "fixtures/conformance/valid/flat-partnerships.csv")
TODAY = "--today=2025-06-30"


@pytest.fixture(scope="module")
def sample_report() -> tuple[dict, float]:
    """The JSON report of the real sample, and how long `citynet validate` took."""
    from citynet_exchange.cli import main

    out = io.StringIO()
    started = time.perf_counter()
    with pytest.raises(SystemExit) as exit_, pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", out)
        main(["validate", SAMPLE, "--mapping", WIKIDATA, "--report", "json", TODAY])
    seconds = time.perf_counter() - started
    assert exit_.value.code == 1
    return json.loads(out.getvalue()), seconds


def _at(report: dict, code: str) -> list[tuple[int, str | None]]:
    return [(f["location"]["row"], f["location"]["field"]) for f in report["findings"] if f["code"] == code]


def test_the_wikidata_sample_reads_all_its_rows_in_seconds(sample_report: tuple[dict, float]) -> None:
    report, seconds = sample_report
    with open(SAMPLE, encoding="utf-8", newline="") as fh:
        rows = sum(1 for _ in csv.reader(fh, delimiter="\t")) - 1
    assert rows == 5681
    assert report["summary"]["records"]["partnership"] == 5681
    assert report["summary"]["records"]["town"] == 5902
    assert seconds < 20, f"validating the sample took {seconds:.1f} s"


def test_the_wikidata_sample_shows_its_real_problems(sample_report: tuple[dict, float]) -> None:
    report, _ = sample_report
    assert Counter(f["code"] for f in report["findings"]) == {
        "duplicate-partnership": 745,  # 657 German pairs given in both directions, 88 rows repeated
        "conflicting-value": 179,  # a town with a second coordinate (or population) in a later row
        "possible-district": 181,
        "unknown-column": 2,  # dist, eu: kept under extensions.flat
        "unknown-value": 1,  # the country label t430222130
        "wrong-type": 1,  # the population 15.762 (15,762 with a German thousands separator)
        "duplicate-town": 1,  # two Swiss Stettens 45 km apart, both Hechingen's partners
    }
    # Andernach-Ekeren is in rows 7 and 98: Ekeren has two coordinates in Wikidata.
    assert {(98, "destinationlat"), (98, "destinationlong")} <= set(_at(report, "conflicting-value"))
    (duplicate,) = [f for f in report["findings"] if f["code"] == "duplicate-partnership"
                    and f["location"]["row"] == 98]
    assert [place["row"] for place in duplicate["related"]] == [7]
    assert (5552, "destination_countryLabel") in _at(report, "unknown-value")  # Simferopol
    assert _at(report, "wrong-type") == [(5358, "destinationpopulation")]  # Demre


def test_the_wikidata_sample_asks_about_districts_and_not_about_towns_of_their_own(
        sample_report: tuple[dict, float]) -> None:
    report, _ = sample_report
    flagged = {f["params"]["id"]: f["params"]["larger"] for f in report["findings"] if f["code"] == "possible-district"}
    assert flagged["de-treptow-kopenick"] == "de-berlin"
    assert flagged["de-charlottenburg-wilmersdorf"] == "de-berlin"
    assert flagged["be-ekeren"] == "be-antwerp"
    assert flagged["hu-budafok"] == "hu-budapest"
    assert not {"de-neu-ulm", "de-potsdam", "de-unterfohring", "de-offenbach-am-main", "de-furth"} & set(flagged)


def test_the_sample_converts_to_json_with_extensions_kept(citynet, tmp_path: Path) -> None:
    target = tmp_path / "sample.json"
    result = citynet("convert", SAMPLE, "--mapping", WIKIDATA, "--to", "json", "-o", str(target), TODAY)
    assert result.code == 1  # the findings above, on standard error
    assert "invalid: 747 errors, 180 warnings, 183 info" in result.err
    data = json.loads(target.read_text(encoding="utf-8"))
    first = data["partnerships"][0]
    assert first == {"id": "de-rotenburg-an-der-wumme--be-aalter",
                     "members": ["de-rotenburg-an-der-wumme", "be-aalter"],
                     "kind": "unspecified", "extensions": {"flat": {"dist": "464", "eu": "EU"}}}
    assert data["towns"][0] == {"id": "de-rotenburg-an-der-wumme", "name": "Rotenburg an der Wümme",
                                "country": "DE", "location": {"lat": 53.106944444444, "lon": 9.3969444444444}}


def test_a_mapping_reads_a_german_table_and_the_options_it_names(citynet) -> None:
    result = citynet("validate", GERMAN, "--mapping", GERMAN_MAPPING, TODAY)
    assert result.code == 1
    first, see, summary = result.out.splitlines()
    assert first.startswith(f"{GERMAN}:5 (row 5): error duplicate-partnership partnership "
                            "'de-raunheim--fr-le-teil-2' joins the same towns as partnership 'de-raunheim--fr-le-teil'")
    assert see == f"    see {GERMAN}:2 (row 2)"
    assert summary == "invalid: 1 error, 0 warnings, 0 info in 1 file (16 records)"
    assert "encoding-guessed" not in result.out  # the mapping names the encoding


def test_without_its_mapping_the_german_table_is_not_flat(citynet) -> None:
    result = citynet("validate", GERMAN, "--format", "flat", TODAY)
    assert result.code == 1
    assert "missing-column the table lacks the column town_a.name (or a column a mapping file maps to it, with " \
           "--mapping)" in result.out


@pytest.mark.parametrize(("mapping", "message"), [
    ("columns: {Kommune: town_a.nam}\n", "columns: the target of 'Kommune', 'town_a.nam' is not a column of the flat "
                                         "format; did you mean 'town_a.name'?"),
    ("columns: {}\nextra: 1\n", "extra: is not a key of a mapping file (columns, values, defaults, delimiter, "
                                  "encoding, sheet)"),
])
def test_a_bad_mapping_exits_2_naming_the_file_and_the_key(citynet, tmp_path: Path, mapping: str,
                                                          message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(mapping, encoding="utf-8")
    result = citynet("validate", GERMAN, "--mapping", str(path))
    assert result.code == 2
    assert result.err == f"citynet: error: {path}: {message}\n"


def test_a_clean_table_is_detected_and_valid(citynet) -> None:
    result = citynet("validate", VALID, TODAY)
    assert (result.code, result.out) == (0, "valid: 0 errors, 0 warnings, 0 info in 1 file (10 records)\n")


def test_flat_to_workbook_to_flat_gives_the_same_dataset(citynet, tmp_path: Path) -> None:
    workbook, back = tmp_path / "partnerships.xlsx", tmp_path / "back.csv"
    assert citynet("convert", VALID, "--to", "flat", "-o", str(workbook), TODAY).code == 0
    assert citynet("convert", str(workbook), "--to", "flat", "-o", str(back), TODAY).code == 0
    assert differences(load(VALID).whole(), load(str(back)).whole()) == []
    assert back.read_text(encoding="utf-8").startswith("id,town_a.id,town_a.name,town_a.country,town_a.subdivision,")


def test_json_to_flat_names_what_the_table_cannot_hold(citynet) -> None:
    result = citynet("convert", str(ROOT / "fixtures/examples/raunheim-network-2015.yaml"), "--to", "flat", TODAY,
                     "--allow-lossy")
    assert result.code == 0
    assert result.out.startswith("id,town_a.id,town_a.name,")
    assert "warning conversion-loss the network at /networks/0 cannot be written as a flat partnership table" \
        in result.err


def test_spreadsheet_safe_output(citynet, tmp_path: Path) -> None:
    source = tmp_path / "formula.csv"
    source.write_text("town_a.name,town_a.country,town_b.name,town_b.country\n\"=1+1\",DE,Riga,LV\n",
                      encoding="utf-8")
    result = citynet("convert", str(source), "--to", "flat", "--spreadsheet-safe", TODAY)
    assert "\r\n'=1+1,DE," in result.out.replace("de-1-1--lv-riga,de-1-1,", "\r\n")
    target = tmp_path / "safe.csv"
    target.write_text(result.out, encoding="utf-8", newline="")
    assert load(str(target)).whole()["towns"][0]["name"] == "=1+1"


def test_the_flat_template_reads_back_as_an_empty_table(citynet, tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    assert citynet("template", "--format", "flat", "--to", "csv", "-o", str(template)).code == 0
    header = template.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:3] == ["id", "town_a.id", "town_a.name"]
    result = citynet("validate", str(template), TODAY)
    assert (result.code, result.out) == (0, "valid: 0 errors, 0 warnings, 0 info in 1 file (0 records)\n")
