"""The flat format: a table of partnerships with both towns inline, mapping files, the export,
and rule `possible-district` that such tables call for."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.equality import differences
from citynet_exchange.errors import UsageError
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Input, ReadOptions, WriteOptions
from citynet_exchange.structure import check_structure
from citynet_exchange.tables.reading import read_csv
from citynet_exchange.tables.towns import slug
from dataset_strategies import datasets

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2025, 6, 30)
HEADER = "town_a.name,town_a.country,town_b.name,town_b.country,kind,established\n"
DOCUMENTS = sorted(
    p for folder in ("fixtures/examples", "fixtures/conformance/valid", "tests/acceptance/examples")
    for p in (ROOT / folder).iterdir() if p.suffix in (".yaml", ".json")
)


@dataclass
class Read:
    """A table read whole: the document with its records, and the problems met reading it."""

    data: Any
    problems: list[Hit]


def load(text: str | bytes, **read: str) -> Read:
    data = text.encode() if isinstance(text, str) else text
    document = api.load(data, "flat", name="t.csv", read=ReadOptions(**read))
    return Read(document.whole(), document.problems)  # the rows are streamed: problems are known once read


def found(text: str | bytes, **read: str) -> list[tuple[str, int | None, str | None]]:
    """(code, row, column name) of each finding, in report order."""
    data = text.encode() if isinstance(text, str) else text
    report = api.validate(data, format="flat", read=ReadOptions(**read), options=Options(today=TODAY))
    return [(f.code, f.location.row, f.location.field) for f in report.findings]


def mapping_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "mapping.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def to_flat(data: dict[str, Any], **write: bool) -> api.Conversion:
    return api.convert(io.BytesIO(json.dumps(data).encode()), "flat", format="json", write=WriteOptions(**write),
                       allow_lossy=True)


# --- reading ---------------------------------------------------------------------------

def test_rows_become_towns_gathered_by_name_and_partnerships_between_them() -> None:
    document = load(" Town_A.Name ,TOWN_A.COUNTRY,town_a.subdivision,town_b.name,town_b.country,town_b.names.de,"
                    "town_b.location.lat,town_b.population,kind,themes\n"
                    "Bremen,Deutschland,Bremen,Gdańsk,Polen,Danzig,\"54,35\",470000,twinning,culture; sport\n"
                    "Bremen,DE,HB,Riga,LV,,56.95,,twinning,\n")
    assert document.problems == []
    assert document.data["towns"] == [
        {"id": "de-bremen", "name": "Bremen", "country": "DE", "subdivision": "DE-HB"},
        {"id": "pl-gdansk", "name": "Gdańsk", "country": "PL", "names": {"de": "Danzig"},
         "location": {"lat": 54.35}, "population": 470000},
        {"id": "lv-riga", "name": "Riga", "country": "LV", "location": {"lat": 56.95}},
    ]
    assert document.data["partnerships"] == [
        {"id": "de-bremen--pl-gdansk", "members": ["de-bremen", "pl-gdansk"], "kind": "twinning",
         "themes": ["culture", "sport"]},
        {"id": "de-bremen--lv-riga", "members": ["de-bremen", "lv-riga"], "kind": "twinning"},
    ]


def test_a_reversed_or_repeated_pair_stays_two_partnerships_and_is_reported_at_its_row() -> None:
    text = HEADER + "Raunheim,DE,Le Teil,FR,twinning,1985\nLe Teil,FR,Raunheim,DE,twinning,1985\n" \
                    "Raunheim,DE,Trofarello,IT,twinning,\nRaunheim,DE,Trofarello,IT,twinning,\n"
    assert len(load(text).data["partnerships"]) == 4
    report = api.validate(text.encode(), format="flat", options=Options(today=TODAY))
    duplicates = [(f.location.row, [r.row for r in f.related], f.params["id"]) for f in report.findings]
    assert duplicates == [(3, [2], "fr-le-teil--de-raunheim"), (5, [4], "de-raunheim--it-trofarello-2")]


def test_towns_of_one_name_are_one_town_when_near_and_two_when_far_apart() -> None:
    text = ("town_a.name,town_a.country,town_a.location.lat,town_a.location.lon,town_b.name,town_b.country\n"
            "Neustadt,DE,49.35,8.14,Mâcon,FR\n"  # Neustadt an der Weinstraße
            "Neustadt,DE,54.11,10.81,Rosenthal,DE\n"  # Neustadt in Holstein, 530 km north
            "Neustadt,DE,49.36,8.14,Lincoln,GB\n")  # the first again, 1 km off
    document = load(text)
    assert [(t["id"], t["location"]["lat"]) for t in document.data["towns"] if t["name"] == "Neustadt"] == [
        ("de-neustadt", 49.35), ("de-neustadt-2", 54.11)]
    assert [p["members"][0] for p in document.data["partnerships"]] == ["de-neustadt", "de-neustadt-2", "de-neustadt"]
    assert found(text) == [("conflicting-value", 4, "town_a.location.lat")]


def test_given_ids_are_used_and_generated_ones_avoid_them() -> None:
    text = ("id,town_a.id,town_a.name,town_a.country,town_b.name,town_b.country\n"
            ",hb,Bremen,DE,Gdańsk,PL\nhb--pl-gdansk,hb,Bremen,DE,Gdańsk,PL\n,hb,Bremen,DE,Gdańsk,PL\n")
    document = load(text)
    assert [t["id"] for t in document.data["towns"]] == ["hb", "pl-gdansk"]
    assert [p["id"] for p in document.data["partnerships"]] == ["hb--pl-gdansk-2", "hb--pl-gdansk", "hb--pl-gdansk-3"]


def test_a_table_is_streamed_and_a_partnership_read_again_is_the_one_streamed(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(GERMAN.replace("Kommune;", "id;Kommune;").replace("\nRaunheim;Le", "\nrt;Raunheim;Le")
                    .replace("\nR", "\n;R"), encoding="utf-8")
    document = api.load(str(path), read=ReadOptions(mapping=mapping_file(tmp_path, MAPPING)))
    assert document.data == {"standard": "1.0"}  # the records are read from the file as they are asked for
    streamed = list(document.records())
    assert [(kind, index, document.record(kind, index)) for kind, index, _ in streamed] == streamed
    assert [(p["id"], p["kind"]) for kind, _, p in streamed if kind == "partnership"] == [
        ("rt", "twinning"), ("de-raunheim--it-trofarello", "contact"), ("de-russelsheim-am-main--fr-evreux", "twinning")]
    assert list(document.records()) == streamed


def test_a_member_is_placed_at_the_cell_that_names_its_town() -> None:
    text = ("id,town_a.id,town_a.name,town_a.country,town_b.id,town_b.name,town_b.country\n"
            "p1,hb,Bremen,DE,,Bremen,DE\np2,hb,Bremen,DE,hb,Bremen,DE\n")
    assert found(text) == [("self-partnership", 2, "town_b.name"), ("duplicate-partnership", 3, None),
                           ("self-partnership", 3, "town_b.id")]


def test_an_unknown_country_is_kept_as_written_and_reported_once_at_its_cell() -> None:
    text = HEADER + "Heidelberg,DE,Simferopol,t430222130,unspecified,\nHeidelberg,DE,Bordeaux,Frankreichh,twinning,\n"
    document = load(text)
    assert document.data["towns"][1]["country"] == "t430222130"
    report = api.validate(text.encode(), format="flat", options=Options(today=TODAY))
    assert [(f.code, f.location.row, f.location.field, f.location.pointer, f.message) for f in report.findings] == [
        ("unknown-value", 2, "town_b.country", "/towns/1/country", "'t430222130' is not a known country"),
        ("unknown-value", 3, "town_b.country", "/towns/2/country",
         "'Frankreichh' is not a known country; did you mean FR?"),
    ]


def test_unknown_and_duplicate_columns_keep_their_values_under_extensions_flat() -> None:
    text = ("town_a.name,town_a.country,town_b.name,town_b.country,Bürgermeister,TOWN_B.NAME,extensions\n"
            'Bremen,DE,Gdańsk,PL,Andreas Bovenschulte,Danzig,"{""ours"": 1}"\n')
    (partnership,) = load(text).data["partnerships"]
    assert partnership["extensions"] == {"ours": 1, "flat": {"Bürgermeister": "Andreas Bovenschulte",
                                                             "TOWN_B.NAME": "Danzig"}}
    assert found(text) == [("duplicate-column", 1, "TOWN_B.NAME"), ("unknown-column", 1, "Bürgermeister")]


def test_an_extensions_cell_that_cannot_take_the_unknown_columns_is_kept_with_them() -> None:
    text = ("town_a.name,town_a.country,town_b.name,town_b.country,Note,extensions\n"
            'Bremen,DE,Riga,LV,x,"{""flat"": {""a"": 1}}"\nBremen,DE,Kiel,DE,y,"{""flat"": 1}"\n')
    first, second = (p["extensions"] for p in load(text).data["partnerships"])
    assert first == {"flat": {"a": 1, "Note": "x"}}
    assert second == {"flat": {"Note": "y", "extensions": '{"flat": 1}'}}
    assert found(text) == [("unknown-column", 1, "Note"), ("unknown-value", 3, "extensions")]


def test_a_missing_required_column_reads_no_row() -> None:
    document = load("town_a.name,town_b.name,town_b.country,Bürgermeister\nBremen,Gdańsk,PL,x\n")
    assert document.data is None
    assert [(h.code, h.params["column"]) for h in document.problems] == [("missing-column", "town_a.country")]


def test_without_a_kind_column_links_are_unspecified_and_an_empty_kind_cell_is_missing() -> None:
    assert load(HEADER.replace("kind,", "") + "Bremen,DE,Gdańsk,PL,1976\n").data["partnerships"][0]["kind"] == \
        "unspecified"
    assert found(HEADER + "Bremen,DE,Gdańsk,PL,,1976\n") == [("missing-field", 2, "kind")]


def test_an_empty_town_name_is_reported_in_every_row_that_lacks_it() -> None:
    text = HEADER + "Bremen,DE,,PL,twinning,\nKiel,DE,,PL,twinning,\n"
    assert found(text) == [("missing-field", 2, "town_b.name"), ("missing-field", 3, "town_b.name")]


def test_spreadsheet_safe_text_and_numbers_read_back() -> None:
    text = HEADER.replace("established", "description") + "'=Bremen,DE,'@home,PL,twinning,'-5\n"
    document = load(text)
    assert [t["name"] for t in document.data["towns"]] == ["=Bremen", "@home"]
    assert document.data["partnerships"][0]["description"] == "-5"


@pytest.mark.parametrize(("head", "flat"), [
    ("Town_A.Name;town_b.NAME;x\n", True),
    ("town_a.name,town_b.country\n", False),
    ("Kommune;Partnerkommune\n", False),
])
def test_sniffing_looks_for_both_towns_names(head: str, flat: bool) -> None:
    from citynet_exchange_flat import FlatImporter

    assert FlatImporter().sniff(Input("t.csv", head.encode())) is flat
    assert FlatImporter().sniff(Input("t.csv", head.encode(), ReadOptions(mapping="m.yaml")))


# --- mapping files ---------------------------------------------------------------------

GERMAN = ("Kommune;Partnerstadt;Staat;Art;Themen;seit\n"
          "Raunheim;Le Teil;Frankreich;Partnerschaft;KULTUR; jugend;1985\n"
          "Raunheim;Trofarello;Italien;Kontakt;;\n"
          "Rüsselsheim am Main;Évreux;Frankreich;Partnerschaft;;1963\n").replace("KULTUR; jugend", '"KULTUR; jugend"')
MAPPING = """\
delimiter: semicolon
columns: {Kommune: town_a.name, Partnerstadt: town_b.name, Staat: town_b.country, Art: kind, Themen: themes,
          seit: established}
values:
  kind: {Partnerschaft: twinning, Kontakt: contact}
  themes: {Kultur: culture, Jugend: youth-and-schools}
defaults: {town_a.country: Deutschland, town_a.type: municipality}
"""


def test_a_mapping_renames_columns_translates_values_and_fills_defaults(tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    document = load(GERMAN.encode("cp1252"), mapping=mapping)
    assert [h.code for h in document.problems] == ["encoding-guessed"]
    assert document.data["towns"][0] == {"id": "de-raunheim", "name": "Raunheim", "country": "DE",
                                         "type": "municipality"}
    assert [(p["kind"], p.get("themes"), p.get("established")) for p in document.data["partnerships"]] == [
        ("twinning", ["culture", "youth-and-schools"], "1985"), ("contact", None, None), ("twinning", None, "1963")]


def test_a_default_country_reads_the_subdivision_cells_and_a_cell_wins_over_its_default(tmp_path: Path) -> None:
    """A side's subdivision is read after its country, which may come from the mapping's
    defaults; a cell that is given wins over the default, an empty one takes it."""
    table = ("town_a.name,town_a.subdivision,town_a.country,town_b.name,town_b.country,kind\n"
             "Bremen,Bremen,,Gdańsk,PL,twinning\n"
             "Ulm,Baden-Württemberg,,Cham,FR,twinning\n"
             "Wels,Oberösterreich,AT,Cham,FR,twinning\n")
    mapping = mapping_file(tmp_path, "defaults: {town_a.country: Deutschland}\n")
    document = load(table.encode(), mapping=mapping)
    assert document.problems == []
    towns = {town["name"]: (town["country"], town.get("subdivision")) for town in document.data["towns"]}
    assert towns == {"Bremen": ("DE", "DE-HB"), "Ulm": ("DE", "DE-BW"), "Wels": ("AT", "AT-4"),
                     "Gdańsk": ("PL", None), "Cham": ("FR", None)}


def test_options_given_win_over_the_mapping_file(tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING + "encoding: utf-8\n")
    document = load(GERMAN.replace(";", "|"), mapping=mapping, delimiter="pipe")
    assert len(document.data["partnerships"]) == 3


def test_a_column_the_mapping_reads_from_but_the_table_lacks_is_named(tmp_path: Path) -> None:
    mapping = mapping_file(tmp_path, MAPPING)
    document = load(GERMAN.replace("Staat", "Land"), mapping=mapping)
    assert [h.message for h in document.problems] == ["missing"]
    assert document.problems[0].params == {"column": "town_b.country", "accepted": "the mapping reads it from Staat"}


@pytest.mark.parametrize(("text", "message"), [
    ("colums: {}\n", "colums: is not a key of a mapping file (columns, values, defaults, delimiter, encoding, sheet)"),
    ("columns: {Stadt: town_a.nam}\n", "columns: the target of 'Stadt', 'town_a.nam' is not a column of the flat "
                                       "format; did you mean 'town_a.name'?"),
    ("defaults: {town_b.country: Atlantis}\n", "the default for 'town_b.country', 'Atlantis', is not a country"),
    ("defaults: {town_b.population: many}\n", "the default for 'town_b.population', 'many', is not int text"),
    ("values: {kind: twinning}\n", "values.kind: must be a mapping of keys to texts"),
    ("columns: {Stadt: town_a.name, Stadt: town_b.name}\n", ":1:31: the mapping file is not valid YAML: the key "
                                                              "'Stadt' is given twice"),
    ("columns: [Stadt\n", "the mapping file is not valid YAML"),
    ("- town_a.name\n", "a mapping file is a YAML mapping with the keys"),
    ("delimiter: '::'\n", "delimiter: '::' is not one character"),
    ("encoding: klingon\n", "encoding: 'klingon' is not an encoding Python knows"),
])
def test_a_bad_mapping_is_a_usage_error_naming_the_file_and_the_key(tmp_path: Path, text: str, message: str) -> None:
    mapping = mapping_file(tmp_path, text)
    with pytest.raises(UsageError) as error:
        load(HEADER, mapping=mapping)
    assert str(error.value).startswith(mapping)
    assert message in str(error.value)


# --- workbooks ---------------------------------------------------------------------------

BILATERAL = {
    "standard": "1.0",
    "towns": [{"id": "bremen", "name": "Bremen", "country": "DE", "names": {"pl": "Brema"},
               "location": {"lat": 53.076, "lon": 8.807}},
              {"id": "gdansk", "name": "Gdańsk", "country": "PL"}],
    "partnerships": [{"id": "bremen-gdansk", "kind": "twinning", "members": ["bremen", "gdansk"],
                      "established": "1976", "agreement": {"council_resolution": True}}],
}


def test_a_workbook_is_read_from_its_first_sheet_or_the_one_named_with_cell_places() -> None:
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(to_flat(BILATERAL, workbook=True).output))
    workbook.create_sheet("other", 0).append(["town_a.name", "town_a.country", "town_b.name", "town_b.country"])
    workbook["other"].append(["Kiel", "DE", "Brest", "Frankreichh"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = api.validate(buffer.getvalue(), format="flat", options=Options(today=TODAY))
    assert [(f.code, f.location.sheet, f.location.cell) for f in report.findings] == [("unknown-value", "other", "D2")]
    document = api.load(buffer.getvalue(), "flat", read=ReadOptions(sheet="partnership table"))
    assert differences(BILATERAL, document.whole()) == []


def test_sheet_is_refused_for_a_csv_file() -> None:
    with pytest.raises(UsageError, match="is not a workbook"):
        load(HEADER, sheet="Tabelle1")


# --- writing -----------------------------------------------------------------------------

def test_a_row_per_bilateral_partnership_with_only_the_columns_that_hold_values() -> None:
    result = to_flat(BILATERAL)
    assert result.output.decode().splitlines() == [
        "id,town_a.id,town_a.name,town_a.names.pl,town_a.country,town_a.location.lat,town_a.location.lon,"
        "town_b.id,town_b.name,town_b.country,kind,established,agreement.council_resolution",
        "bremen-gdansk,bremen,Bremen,Brema,DE,53.076,8.807,gdansk,Gdańsk,PL,twinning,1976,true",
    ]
    assert result.report.findings == []


def test_what_a_partnership_table_cannot_hold_is_a_conversion_loss_at_its_value() -> None:
    data = api.load(str(ROOT / "fixtures/examples/raunheim-network-2015.yaml")).whole()
    data["partnerships"].append({"id": "three", "kind": "contact", "members": ["raunheim", "le-teil", "trofarello"]})
    data["partnerships"].append({"id": "ghost", "kind": "contact", "members": ["raunheim", "atlantis"],
                                 "colour": "blue"})
    result = to_flat(data)
    lost = {f.location.pointer for f in result.report.findings if f.code == "conversion-loss"}
    towns_in_rows = {m for p in data["partnerships"] if len(p["members"]) == 2 for m in p["members"]}
    assert lost == {
        "/metadata", "/partnerships/2", "/partnerships/3/members/1", "/partnerships/3/colour",
        *(f"/networks/{i}" for i in range(len(data["networks"]))),
        *(f"/memberships/{i}" for i in range(len(data["memberships"]))),
        *(f"/towns/{i}" for i, t in enumerate(data["towns"]) if t["id"] not in towns_in_rows),
    }
    assert "partnership at /partnerships/2, with 3 members, cannot be written as a flat partnership table" in \
        next(f.message for f in result.report.findings if f.location.pointer == "/partnerships/2")


def test_spreadsheet_safe_export_neutralises_formulas_and_reads_back_exactly() -> None:
    data = json.loads(json.dumps(BILATERAL))
    data["towns"][1]["name"] = "=HYPERLINK(\"http://x\")"
    data["partnerships"][0]["description"] = "+49 421 361"
    result = to_flat(data, spreadsheet_safe=True)
    text = result.output.decode()
    assert "'=HYPERLINK" in text and "'+49 421 361" in text and ",53.076," in text
    assert differences(data, load(result.output).data) == []


def test_a_workbook_export_offers_the_codes_of_coded_columns() -> None:
    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(to_flat(BILATERAL, workbook=True).output))["partnership table"]
    assert [c.value for c in sheet[1]][:3] == ["id", "town_a.id", "town_a.name"]
    assert {str(v.sqref) for v in sheet.data_validations.dataValidation} == {"K2:K1000", "M2:M1000"}  # kind, bool


def test_the_template_has_every_simple_column_with_a_note_and_the_codes() -> None:
    from citynet_exchange_flat import FlatExporter

    (sheet,) = FlatExporter().template()
    assert {"town_a.name", "town_b.country", "kind", "agreement.date"} <= set(sheet.header)
    assert "town_a.sources" not in sheet.header and sheet.rows == []
    assert sheet.notes["town_b.name"] == "Town B: The town's name in its own official language."
    assert sheet.choices["kind"][0] == "twinning" and "city-district" in sheet.choices["town_a.type"]
    assert read_csv("t.csv", ",".join(sheet.header).encode()).header == sheet.header


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_fixture_round_trips_or_names_what_it_loses(document: Path) -> None:
    original = api.load(str(document)).whole()
    result = api.convert(str(document), "flat", allow_lossy=True)
    lost = {f.location.pointer for f in result.report.findings if f.code == "conversion-loss"}
    back = load(result.output).data
    if not lost:
        assert differences(original, back) == []
    else:
        assert not lost & {f"/partnerships/{i}" for i, p in enumerate(original.get("partnerships") or [])
                           if isinstance(p, dict) and len(p.get("members", [])) == 2}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(bilateral_only=True))
def test_any_valid_bilateral_dataset_survives_json_to_flat_csv_to_json(data: dict[str, Any]) -> None:
    assert check_structure(data) == []
    result = to_flat(data)
    assert [f.message for f in result.report.findings if f.code == "conversion-loss"] == []
    assert differences(data, load(result.output).data) == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(datasets(bilateral_only=True))
def test_any_valid_bilateral_dataset_survives_a_workbook_or_says_what_changed(data: dict[str, Any]) -> None:
    result = to_flat(data, workbook=True)
    if not [f for f in result.report.findings if f.code == "conversion-loss"]:
        back = api.load(result.output, "flat", name="t.xlsx").whole()
        assert differences(data, back) == []


# --- rule possible-district --------------------------------------------------------------

def town(name: str, lat: float, lon: float, population: int | None = None, **fields: Any) -> dict[str, Any]:
    town_id = slug(name)
    return {"id": town_id, "name": name, "country": "DE", "location": {"lat": lat, "lon": lon},
            **({"population": population} if population else {}), **fields}


def districts(*towns: dict[str, Any]) -> list[tuple[str, str, float]]:
    report = api.validate_data({"standard": "1.0", "towns": list(towns)}, options=Options(select=frozenset(
        {"possible-district"})))
    return [(f.record.id, f.params["larger"], f.params["km"]) for f in report.findings]


BERLIN = town("Berlin", 52.5167, 13.3833, 3_469_849)


def test_a_town_in_reach_of_a_city_with_a_district_share_of_its_population_is_asked_about() -> None:
    assert districts(BERLIN, town("Treptow-Köpenick", 52.45, 13.5667), town("Spandau", 52.5358, 13.2, 231_120),
                     town("Potsdam", 52.4, 13.0667, 171_810)) == [
        ("treptow-kopenick", "berlin", 14.5), ("spandau", "berlin", 12.6)]


def test_towns_that_say_what_they_are_or_differ_in_size_or_country_are_not_asked_about() -> None:
    assert districts(
        BERLIN,
        town("Mitte", 52.52, 13.40, type="city-district"), town("Teltow", 52.40, 13.27, type="municipality"),
        town("Kleinmachnow", 52.41, 13.22, 20_562),  # 170 times smaller: a suburb
        town("Ulm", 48.4, 9.9833, 126_329), town("Neu-Ulm", 48.3833, 10.0, 58_978),  # half Ulm's size
        {**town("Szczecin Old Town", 52.51, 13.39), "country": "PL"},  # another country
        town("Brandenburg", 52.5, 13.4, 2_500_000, type="region"), town("Kreuzberg", 52.499, 13.403),
    ) == [("kreuzberg", "berlin", 2.4)]
