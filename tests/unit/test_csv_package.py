"""The CSV package: reading its tables, writing them, and losing nothing in between."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.equality import differences
from citynet_exchange.formats import WriteOptions
from citynet_exchange.structure import check_structure
from dataset_strategies import datasets

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = sorted(
    p for folder in ("fixtures/examples", "fixtures/conformance/valid", "fixtures/conformance/invalid",
                     "tests/acceptance/examples")
    for p in (ROOT / folder).iterdir()
    if p.suffix in (".yaml", ".json") and not p.name.endswith(".expected.json")
)


def package(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def round_trip(data: Any, workbook: bool) -> tuple[Any, api.Conversion]:
    result = api.convert(io.BytesIO(_json(data)), "csv", format="json", write=WriteOptions(workbook=workbook),
                         allow_lossy=True)
    assert result.output is not None
    back = api.load(result.output, "csv", name="out.xlsx" if workbook else "out.zip")
    return back.whole(), result


def _json(data: Any) -> bytes:
    import json

    return json.dumps(data, ensure_ascii=False).encode()


@pytest.mark.parametrize("workbook", [False, True], ids=["zip", "xlsx"])
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_fixture_round_trips_or_names_what_it_loses(document: Path, workbook: bool) -> None:
    original = api.load(str(document))
    if original.whole() is None:
        pytest.skip("the document cannot be read")
    result = api.convert(str(document), "csv", write=WriteOptions(workbook=workbook), allow_lossy=True)
    back = api.load(result.output, "csv", name="out.xlsx" if workbook else "out.zip").whole()
    lost = {f.location.pointer for f in result.report.findings if f.code == "conversion-loss"}
    if not lost:
        assert differences(original.whole(), back) == []
    else:  # only invalid documents lose anything
        assert not api.validate(str(document)).valid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_json_to_csv_package_to_json(data: dict[str, Any]) -> None:
    assert check_structure(data) == []
    back, result = round_trip(data, workbook=False)
    assert [f for f in result.report.findings if f.code == "conversion-loss"] == []
    assert differences(data, back) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets())
def test_any_valid_dataset_survives_a_workbook_or_says_what_changed(data: dict[str, Any]) -> None:
    back, result = round_trip(data, workbook=True)
    changed = [f.location.pointer for f in result.report.findings if f.code == "conversion-loss"]
    if not changed:
        assert differences(data, back) == []


def test_a_package_made_by_hand_reads_with_rows_and_columns() -> None:
    data = package({
        "towns.csv": "ID ,Name,Country, population \nbremen,Bremen,DE,569352\ngdansk,Gdańsk,PL,many\n",
        "partnerships.csv": "id;kind;members;established\nbremen-gdansk;twinning;bremen; gdansk;1976\n",
        "README.txt": "not a table",
    })
    document = api.load(data, name="pkg.zip")
    assert document.format == "csv"
    assert document.whole()["standard"] == "1.0"  # no metadata.csv: the standard this reads
    assert document.whole()["towns"][0] == {"id": "bremen", "name": "Bremen", "country": "DE", "population": 569352}
    report = api.validate(data, format="csv", options=Options())
    found = {(f.code, f.location.file, f.location.row, f.location.field) for f in report.findings}
    assert ("wrong-type", "<bytes>/towns.csv", 3, "population") in found
    assert ("unknown-column", "<bytes>/README.txt", None, None) in found
    assert ("extra-cell", "<bytes>/partnerships.csv", 2, None) in found


def test_record_tables_are_streamed_and_a_record_read_again_is_the_one_streamed(tmp_path: Path) -> None:
    towns = tmp_path / "towns.csv"
    towns.write_text("id,name,country,population\nbremen,Bremen,DE,569352\nriga,Riga,LV,\"6,05\"\n", encoding="utf-8")
    document = api.load(str(towns), "csv")
    assert document.data == {"standard": "1.0"}  # the rows are read from the file as they are asked for
    streamed = list(document.records())
    assert [(kind, index, document.record(kind, index)) for kind, index, _ in streamed] == streamed
    assert [raw["population"] for _, _, raw in streamed] == [569352, "6,05"]
    report = api.validate(str(towns), format="csv")
    assert [(f.code, f.location.row, f.location.line, f.location.field) for f in report.findings
            if f.code != "orphan-town"] == [("wrong-type", 3, 3, "population")]


def test_a_missing_required_column_makes_only_that_table_unreadable() -> None:
    data = package({"towns.csv": "id,country\nbremen,DE\n", "networks.csv": "id,name\nnet,Eurocities\n"})
    report = api.validate(data, format="csv")
    missing = [(f.code, f.location.row, f.params) for f in report.findings if f.code == "missing-column"]
    assert missing == [("missing-column", 1, {"column": "name", "accepted": "a required field"})]
    assert {kind: n for kind, n in report.summary.records.items() if n} == {"network": 1}


def test_unknown_columns_are_kept_under_extensions_and_written_back() -> None:
    data = package({"towns.csv": "id,name,country,Bürgermeister\nbremen,Bremen,DE,Andreas Bovenschulte\n"})
    document = api.load(data, "csv")
    assert document.whole()["towns"][0]["extensions"] == {"csv": {"Bürgermeister": "Andreas Bovenschulte"}}
    report = api.validate(data, format="csv")
    assert [(f.code, f.severity.value, f.location.field) for f in report.findings if f.code != "orphan-town"] == [
        ("unknown-column", "info", "Bürgermeister")]
    back, _ = round_trip(document.whole(), workbook=False)
    assert differences(document.whole(), back) == []


def test_folder_output_and_folder_input(tmp_path: Path) -> None:
    source = ROOT / "fixtures/examples/raunheim-network-2015.yaml"
    result = api.convert(str(source), "csv", output=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "memberships.csv", "metadata.csv", "networks.csv", "partnerships.csv", "towns.csv"]
    assert differences(api.load(str(source)).whole(), api.load(str(tmp_path)).whole()) == []
    assert result.report.findings == []


def test_spreadsheet_safe_cells_read_back_exactly() -> None:
    data = {"standard": "1.0", "towns": [
        {"id": "a", "name": "=HYPERLINK(\"http://x\")", "country": "DE", "description": "-5",
         "location": {"lat": -33.5, "lon": -70.25}},
        {"id": "b", "name": "'@home", "country": "FR", "description": "+49 421 361"}]}
    result = api.convert(io.BytesIO(_json(data)), "csv", format="json",
                         write=WriteOptions(spreadsheet_safe=True))
    towns = zipfile.ZipFile(io.BytesIO(result.output)).read("towns.csv").decode()
    assert "'=HYPERLINK" in towns and "''@home" in towns and "'+49 421 361" in towns
    assert ",-5," in towns and "-33.5" in towns and "'-33.5" not in towns  # numbers stay numbers
    assert differences(data, api.load(result.output, "csv").whole()) == []
    assert differences(data, round_trip(data, workbook=True)[0]) == []  # workbooks need no escaping


def test_text_starting_with_a_hash_is_data_not_a_comment_row() -> None:
    data = {"standard": "1.0", "towns": [{"id": "a", "name": "#1 Town", "country": "DE"}]}
    back, _ = round_trip({**data, "networks": [{"id": "#", "name": "x"}]}, workbook=False)
    assert (back["towns"], back["networks"][0]["id"]) == (data["towns"], "#")


def test_one_table_of_a_package_reads_alone_and_another_csv_is_told_what_a_package_is() -> None:
    towns = b"id,name,country\nbremen,Bremen,DE\n"
    assert api.load(towns, "csv", name="data/towns.csv").whole()["towns"] == [
        {"id": "bremen", "name": "Bremen", "country": "DE"}]
    other = api.load(towns, "csv", name="data/partner.csv")
    assert other.whole() is None
    assert [h.code for h in other.problems] == ["syntax-error"]
    assert "a package is a folder, a zip or a workbook" in other.problems[0].params["problem"]
