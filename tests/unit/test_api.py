"""The public API: loading from paths, bytes and streams, and values a format cannot hold."""

from __future__ import annotations

import importlib
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import pytest

import citynet_exchange as cx
from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Exporter, WriteOptions
from citynet_exchange.plugins import load_host

EXAMPLE = Path(__file__).parents[1] / "acceptance" / "examples" / "bremen.yaml"
TRILATERAL = b"""\
standard: "1.0"
towns:
  - {id: a, name: A, country: DE}
  - {id: b, name: B, country: FR}
  - {id: c, name: C, country: PL}
partnerships:
  - id: abc
    kind: project
    ended: "2020"
    members: [a, b, c]
"""


class PairsExporter(Exporter):
    """Partnerships as town pairs: a format that has no room for a third member."""

    name = "pairs"
    title = "Town pairs"
    extension = ".txt"

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        lost = []
        for index, partnership in enumerate(data.get("partnerships") or []):
            first, second, *rest = partnership["members"]
            out.write(f"{first} {second}\n".encode())
            lost += [Hit(code="conversion-loss", message="lost", pointer=f"/partnerships/{index}/members/{2 + i}",
                         params={"what": f"member '{m}' of partnership '{partnership['id']}'", "format": "pairs"})
                     for i, m in enumerate(rest)]
        return lost


class PairsPlugin:
    @staticmethod
    @hookimpl
    def citynet_register_exporters(register):
        register(PairsExporter())


def test_a_value_the_output_cannot_hold_is_a_finding_at_its_place_in_the_input_and_nothing_is_written(
        tmp_path: Path):
    host = load_host({"yaml": importlib.import_module("citynet_exchange_yaml"), "pairs": PairsPlugin})
    result = cx.convert(TRILATERAL, "pairs", format="yaml", host=host, output=tmp_path / "pairs.txt")
    assert (result.output, result.lost) == (None, 1)
    (lost,) = result.report.findings
    assert (lost.code, lost.severity, lost.location.line, lost.location.column) == ("conversion-loss", "error", 10, 21)
    assert lost.message == "member 'c' of partnership 'abc' cannot be written as pairs and is missing from the output"
    assert result.report.valid is False
    assert list(tmp_path.iterdir()) == []


def test_allow_lossy_writes_and_makes_each_loss_a_warning(tmp_path: Path):
    host = load_host({"yaml": importlib.import_module("citynet_exchange_yaml"), "pairs": PairsPlugin})
    result = cx.convert(TRILATERAL, "pairs", format="yaml", host=host, output=tmp_path / "pairs.txt",
                        allow_lossy=True)
    assert (result.output, result.lost) == (b"a b\n", 1)
    assert (tmp_path / "pairs.txt").read_bytes() == b"a b\n"
    assert [(f.code, f.severity, f.location.line) for f in result.report.findings] == [("conversion-loss", "warning", 10)]
    assert result.report.valid is True


def test_load_from_path_bytes_and_stream_give_the_same_data():
    from_path = cx.load(EXAMPLE)
    from_bytes = cx.load(EXAMPLE.read_bytes(), name="bremen.yaml")
    from_stream = cx.load(io.BytesIO(EXAMPLE.read_bytes()), "yaml")
    assert from_path.whole() == from_bytes.whole() == from_stream.whole()
    assert from_path.name == str(EXAMPLE) and from_stream.name == "<stream>"


def test_validate_data_reports_pointers_without_lines():
    report = cx.validate_data({"standard": "1.0", "towns": [{"id": "x", "name": "X", "country": "ZZ"}]},
                              options=cx.Options(select=frozenset({"unknown-country"})))
    (finding,) = report.findings
    assert (finding.location.file, finding.location.line, finding.location.pointer) == ("<data>", None,
                                                                                         "/towns/0/country")


def test_folder_and_missing_file_are_usage_errors(tmp_path: Path):
    with pytest.raises(cx.UsageError, match="is a folder"):
        cx.load(tmp_path)
    with pytest.raises(cx.UsageError, match="no such file"):
        cx.validate([tmp_path / "none.yaml"])
