"""JSON Lines: the header line, one record a line, read as a stream.

Round trips over every readable fixture, the findings of broken lines at their line and
column, duplicate keys found without walking every line, and a file read without ever
being held whole.
"""

from __future__ import annotations

import io
import json
import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citynet_exchange.api import convert, load, validate
from citynet_exchange.engine import Options
from citynet_exchange.equality import same_dataset
from citynet_exchange.formats import Input
from citynet_exchange.plugins import default_host

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
TODAY = Options(today=date(2025, 6, 30))
HEADER = '{"@record": "dataset", "standard": "1.0"}\n'
BREMEN = '{"@record": "town", "id": "bremen", "name": "Bremen", "country": "DE"}\n'
GDANSK = '{"@record": "town", "id": "gdansk", "name": "Gdańsk", "country": "PL"}\n'
TWINNING = '{"@record": "partnership", "id": "p", "kind": "twinning", "members": ["bremen", "gdansk"]}\n'


def places(text: str | bytes, name: str = "t.jsonl") -> list[tuple[str, int | None, int | None, str | None]]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    report = validate(data, format="jsonl", options=TODAY)
    return [(f.code, f.location.line, f.location.column, f.location.pointer) for f in report.findings]


def readable_fixtures() -> list[Any]:
    paths = sorted(p for p in (FIXTURES / "conformance").rglob("*") if p.suffix in (".json", ".yaml")
                   and not p.name.endswith(".expected.json"))
    return [pytest.param(p, id=p.name) for p in paths]


@pytest.mark.parametrize("path", readable_fixtures())
def test_every_fixture_survives_json_lines(path: Path) -> None:
    document = load(str(path))
    if document.data is None:
        pytest.skip("the document cannot be read")
    result = convert(str(path), "jsonl", options=TODAY, allow_lossy=True)
    assert result.output is not None
    if any(f.code == "conversion-loss" for f in result.report.findings):
        pytest.skip("the document holds what JSON Lines cannot (a record that is no object)")
    again = load(result.output, "jsonl")
    assert same_dataset(document.whole(), again.whole())


def test_the_header_comes_first_and_each_record_names_its_kind() -> None:
    data = {"standard": "1.0", "metadata": {"publisher": "x"}, "partnerships": [{"id": "p"}], "towns": [{"id": "t"}]}
    out = io.BytesIO()
    assert default_host().exporters["jsonl"].dump(data, out, None) == []  # type: ignore[arg-type]
    assert out.getvalue().decode().splitlines() == [
        '{"@record":"dataset","standard":"1.0","metadata":{"publisher":"x"}}',
        '{"@record":"town","id":"t"}',
        '{"@record":"partnership","id":"p"}',
    ]


def test_a_clean_file_gives_no_finding_and_counts_its_records() -> None:
    report = validate((HEADER + BREMEN + GDANSK + "\n" + TWINNING).encode(), format="jsonl", options=TODAY)
    assert report.findings == []
    assert report.summary.records == {"town": 2, "network": 0, "partnership": 1, "membership": 0}


def test_broken_lines_are_findings_at_their_line_and_the_others_are_read() -> None:
    text = (HEADER + BREMEN + '{"@record": "town", "id": "gdansk", "name": "Gdańsk" "country": "PL"}\n' + GDANSK
            + '{"@record": "twon", "id": "x"}\n' + '{"id": "y"}\n' + "[1]\n" + HEADER
            + '{"@record": "town", "id": "n", "name": "N", "country": "DE", "x": NaN}\n' + TWINNING)
    assert places(text) == [
        ("syntax-error", 3, 54, None),
        ("invalid-code", 5, 1, None),
        ("missing-field", 6, 1, None),
        ("wrong-type", 7, 1, None),
        ("invalid-value", 8, 1, None),
        ("syntax-error", 9, 67, None),
    ]


def test_a_kind_that_is_no_text_is_an_invalid_code() -> None:
    assert places(HEADER + '{"@record": ["town"], "id": "x"}\n' + '{"@record": 5}\n') == [
        ("invalid-code", 2, 1, None), ("invalid-code", 3, 1, None)]


def test_bytes_that_are_no_utf8_are_a_syntax_error_at_their_column() -> None:
    assert places(HEADER.encode() + b'{"@record": "town", "id": "b\xe9"}\n') == [("syntax-error", 2, 29, None)]


def test_findings_in_records_are_placed_at_the_value_in_its_line() -> None:
    gdansk = '{"@record": "town", "id": "gdansk", "name": "Gdańsk", "country": "XX", "website": "ftp://x"}\n'
    assert places(HEADER + BREMEN + gdansk + TWINNING) == [
        ("unknown-country", 3, 66, "/towns/1/country"),
        ("invalid-format", 3, 83, "/towns/1/website"),
    ]


def test_a_record_whose_required_field_is_broken_is_not_asked_about_by_the_rules() -> None:
    gdansk = '{"@record": "town", "id": "gdansk", "name": "", "country": "XX"}\n'
    assert places(HEADER + BREMEN + gdansk + TWINNING) == [("invalid-value", 3, 45, "/towns/1/name")]


def test_a_reference_to_a_town_defined_further_down_is_no_finding() -> None:
    assert places(HEADER + TWINNING + BREMEN + GDANSK) == []


def test_duplicate_keys_are_found_nested_and_at_the_second_key() -> None:
    text = HEADER + BREMEN.replace('"country": "DE"', '"country": "DE", "location": {"lat": 1, "lat": 2, "lon": 3}') \
        + GDANSK + TWINNING
    assert places(text) == [("duplicate-key", 2, 95, "/towns/0/location/lat")]


def test_colons_in_values_do_not_make_keys_look_repeated() -> None:
    town = '{"@record": "town", "id": "a", "name": "a:b:c", "country": "DE", "website": "https://a.de/x:y"}\n'
    partnership = '{"@record": "partnership", "id": "p", "kind": "twinning", "members": ["a", "bremen"]}\n'
    assert places(HEADER + town + BREMEN + partnership) == []


def test_a_file_without_header_lacks_the_standard_at_its_first_line() -> None:
    assert places(BREMEN + GDANSK + TWINNING) == [("missing-field", 1, None, "")]


def test_a_header_finding_is_placed_in_the_first_line() -> None:
    assert places('{"@record": "dataset", "standard": "2.0"}\n' + BREMEN + GDANSK + TWINNING) == [
        ("invalid-value", 1, 36, "/standard")]


def test_utf8_with_a_byte_order_mark_and_utf16_are_read() -> None:
    text = HEADER + BREMEN + GDANSK + TWINNING
    assert places(b"\xef\xbb\xbf" + text.encode("utf-8")) == []
    assert places(text.encode("utf-16")) == []


def test_numbers_json_has_and_orjson_lacks_are_read() -> None:
    town = '{"@record": "town", "id": "x", "name": "X", "country": "DE", "population": 100000000000000000000000}\n'
    document = load((HEADER + town).encode(), "jsonl")
    assert document.whole()["towns"][0]["population"] == 10**23


def test_nan_cannot_be_written_and_is_a_conversion_loss(tmp_path: Path) -> None:
    path = tmp_path / "nan.yaml"
    path.write_text("standard: '1.0'\ntowns:\n- {id: x, name: X, country: DE, location: {lat: .nan, lon: 8.0}}\n")
    result = convert(str(path), "jsonl", options=TODAY, allow_lossy=True)
    assert [(f.code, f.location.line, f.location.pointer) for f in result.report.findings
            if f.code == "conversion-loss"] == [("conversion-loss", 3, "/towns/0/location/lat")]
    assert b'"lat":null' in (result.output or b"")
    assert math.isnan(load(str(path)).data["towns"][0]["location"]["lat"])


def test_a_file_is_read_line_by_line_never_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.jsonl"
    path.write_text(HEADER + BREMEN + GDANSK + TWINNING * 3, encoding="utf-8")
    def whole(self: Input) -> bytes:
        raise AssertionError("the whole file was read")
    monkeypatch.setattr(Input, "data", property(whole))
    report = validate(str(path), options=TODAY)
    assert [(f.code, f.location.line) for f in report.findings] == [
        ("duplicate-partnership", 5), ("duplicate-id", 5), ("duplicate-partnership", 6), ("duplicate-id", 6)]


def test_files_of_two_formats_are_one_dataset(tmp_path: Path) -> None:
    (tmp_path / "towns.jsonl").write_text(HEADER + BREMEN + GDANSK, encoding="utf-8")
    (tmp_path / "partnerships.yaml").write_text(
        "standard: '1.0'\npartnerships:\n- {id: p, kind: twinning, members: [bremen, danzig]}\n")
    report = validate([str(tmp_path / "towns.jsonl"), str(tmp_path / "partnerships.yaml")], options=TODAY)
    assert [(f.code, Path(f.location.file or "").name, f.location.line) for f in report.findings] == [
        ("unknown-reference", "partnerships.yaml", 3), ("orphan-town", "towns.jsonl", 3)]


def test_keys_given_twice_are_found_in_compact_lines_too() -> None:
    """A compact line is read fast when orjson writes it back byte for byte; a key given twice
    makes the line longer than that."""
    compact = '{"@record":"town","id":"bremen","name":"Bremen","country":"DE","name":"Brema"}\n'
    nested = '{"@record":"town","id":"gdansk","name":"Gdansk","country":"PL","location":{"lat":1.5,"lat":2.5,"lon":3.5}}\n'
    assert places(HEADER + compact + nested + TWINNING) == [
        ("duplicate-key", 2, 64, "/towns/0/name"),
        ("duplicate-key", 3, 86, "/towns/1/location/lat"),
    ]


def test_keys_given_twice_are_found_however_the_line_is_spaced_and_nested() -> None:
    spaced = '{"@record" : "town", "id" : "bremen", "name" : "Bremen", "country" : "DE", "name" : "Brema"}\n'
    sources = ('{"@record": "partnership", "id": "p", "kind": "twinning", "members": ["bremen", "gdansk"], '
               '"sources": [{"title": "a", "title": "b"}]}\n')
    assert places(HEADER + spaced + GDANSK + sources) == [
        ("duplicate-key", 2, 76, "/towns/0/name"),
        ("duplicate-key", 4, 119, "/partnerships/0/sources/0/title"),
    ]


def test_a_record_read_again_is_read_as_the_stream_read_it() -> None:
    """duplicate-partnership reads the first partnership again; an integer beyond 64 bits, which
    orjson would read as a float, is read by Python's reader both times."""
    first = '{"@record": "partnership", "id": "p0", "kind": "twinning", "members": ["bremen", "gdansk"], ' \
            '"extensions": {"ours": {"count": 18446744073709551617}}}\n'
    report = validate((HEADER + BREMEN + GDANSK + first + TWINNING).encode(), format="jsonl", options=TODAY)
    assert report.tool_problems == []
    assert [(f.code, f.location.line) for f in report.findings] == [("duplicate-partnership", 5)]


@pytest.mark.parametrize("separators", [(", ", ": "), (",", ":")], ids=["spaced", "compact"])
@pytest.mark.parametrize("number", [2**64, -(2**63) - 1, 10**30, 2**64 - 1, -(2**63)])
@pytest.mark.parametrize("where", ["population", "location", "extensions", "header"])
def test_an_integer_of_any_size_is_read_exactly(number: int, where: str, separators: tuple[str, str]) -> None:
    """orjson reads integers beyond 64 bits as floats: a line holding one is read by Python's reader."""
    town = {"@record": "town", "id": "t", "name": "T", "country": "DE"}
    header = {"@record": "dataset", "standard": "1.0"}
    if where == "location":
        town["location"] = {"lat": number, "lon": 1.5}
    elif where == "extensions":
        town["extensions"] = {"ours": {"count": [number]}}
    elif where == "header":
        header["metadata"] = {"title": "t", "extensions": {"ours": number}}
    else:
        town[where] = number
    document = load((json.dumps(header, separators=separators) + "\n"
                     + json.dumps(town, separators=separators) + "\n").encode(), "jsonl")
    data = document.whole()
    read = {"population": lambda: data["towns"][0]["population"],
            "location": lambda: data["towns"][0]["location"]["lat"],
            "extensions": lambda: data["towns"][0]["extensions"]["ours"]["count"][0],
            "header": lambda: data["metadata"]["extensions"]["ours"]}[where]()
    assert (type(read), read) == (int, number)


# --- writing as a stream ----------------------------------------------------------------

EXAMPLE = FIXTURES / "examples/raunheim-network-2015.yaml"


def test_a_stream_is_written_to_a_file_record_by_record_never_held_whole(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "in.jsonl"
    assert convert(str(EXAMPLE), "jsonl", output=source).written
    from citynet_exchange.formats import Document

    def whole(self: Document) -> Any:
        raise AssertionError("the document was gathered whole")

    monkeypatch.setattr(Document, "whole", whole)
    result = convert(str(source), "jsonl", output=tmp_path / "out.jsonl")
    assert (result.written, result.output) == (True, None)  # the bytes went to the file as they came
    assert (tmp_path / "out.jsonl").read_bytes() == source.read_bytes()


def test_a_stream_that_would_lose_values_leaves_no_file_unless_lossy_is_allowed(tmp_path: Path) -> None:
    source = tmp_path / "nan.yaml"
    source.write_text(EXAMPLE.read_text(encoding="utf-8").replace("lat: 50.010", "lat: .nan"), encoding="utf-8")
    target = tmp_path / "out.jsonl"
    refused = convert(str(source), "jsonl", output=target)
    assert (refused.written, refused.lost, target.exists()) == (False, 1, False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nan.yaml"]  # no temporary file left
    allowed = convert(str(source), "jsonl", output=target, allow_lossy=True)
    assert allowed.written and '"location":{"lat":null' in target.read_text(encoding="utf-8")


def test_a_stream_that_fails_half_way_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import citynet_exchange_jsonl.writer as writer

    from citynet_exchange.errors import PluginFailure

    target = tmp_path / "out.jsonl"
    target.write_text("old", encoding="utf-8")
    lines = iter(range(3))

    def line(value: Any, pointer: str, lost: list[Any]) -> bytes:
        if next(lines, None) is None:
            raise OSError("disk full")
        return b"{}\n"

    monkeypatch.setattr(writer, "_line", line)
    with pytest.raises(PluginFailure, match="disk full"):
        convert(str(EXAMPLE), "jsonl", output=target)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]
