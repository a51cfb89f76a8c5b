"""The caps on what a run reads: each is a finding that names the cap, never a crash."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.errors import UsageError
from citynet_exchange.limits import Limits, count, parse_options

TODAY = date(2025, 6, 30)
TOWNS = {"standard": "1.0", "towns": [{"id": f"t{i}", "name": name, "country": "DE"}
                                     for i, name in enumerate(["Bremen", "Kiel", "Hamburg"])]}


def found(data: bytes | Path, limits: Limits, format: str = "json") -> list[tuple[str, str | None, int | None]]:
    report = api.validate(data, format=format, options=Options(today=TODAY, limits=limits))
    return [(f.code, f.location.pointer, f.location.line) for f in report.findings if f.code != "orphan-town"]


@pytest.mark.parametrize(("text", "value"), [("5000", 5000), ("500k", 500_000), ("2GiB", 2 * 2**30),
                                             (" 3 MB ", 3_000_000), (7, 7)])
def test_a_count_is_a_number_with_an_optional_unit(text: object, value: int) -> None:
    assert count(text, "x") == value


@pytest.mark.parametrize("text", ["0", "-1", "lots", "5 parsecs", True])
def test_anything_else_is_a_usage_error_naming_the_place(text: object) -> None:
    with pytest.raises(UsageError, match="^--limit records: .* is not a positive count"):
        count(text, "--limit records")


def test_limit_options_set_the_caps_they_name() -> None:
    assert parse_options(("records=10", "text_chars=2k")) == Limits(records=10, text_chars=2000)
    with pytest.raises(UsageError, match="'rows' is not a limit; the limits: input-bytes, unpacked-bytes"):
        parse_options(("rows=10",))
    with pytest.raises(UsageError, match="NAME=VALUE"):
        parse_options(("records",))


def test_a_file_past_the_input_cap_is_not_read() -> None:
    data = json.dumps(TOWNS).encode()
    document = api.load(data, "json", limits=Limits(input_bytes=len(data) - 1))
    assert document.data is None
    assert [(h.code, h.params["limit"]) for h in document.problems] == [("limit-exceeded", "input-bytes")]


def test_records_past_the_cap_are_not_read() -> None:
    assert found(json.dumps(TOWNS).encode(), Limits(records=2)) == [("limit-exceeded", "/towns/2", 1)]


def test_a_long_text_and_deep_values_are_findings_at_their_place() -> None:
    town = {"id": "t", "name": "x" * 11, "country": "DE", "extensions": {"a": {"b": {"c": [1]}}}}
    data = json.dumps({"standard": "1.0", "towns": [town]}, indent=1).encode()
    assert found(data, Limits(text_chars=10, depth=4)) == [
        ("limit-exceeded", "/towns/0/name", 6), ("limit-exceeded", "/towns/0/extensions/a/b/c", 11)]


def test_a_csv_cell_past_the_text_cap_stops_the_table_at_its_row(tmp_path: Path) -> None:
    towns = tmp_path / "towns.csv"
    towns.write_bytes(b"id,name,country\nt1,Bremen,DE\nt2," + b"x" * 50 + b",DE\n")
    before = csv.field_size_limit()
    assert found(towns, Limits(text_chars=20), "csv") == [("limit-exceeded", None, 3)]
    assert csv.field_size_limit() == before  # the csv module's cap is every reader's: it is set back


def test_a_zip_unpacking_past_the_cap_is_not_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("towns.csv", "id,name,country\n" + "t,Bremen,DE\n" * 1000)
    assert found(buffer.getvalue(), Limits(unpacked_bytes=1000), "csv") == [("limit-exceeded", None, None)]
