"""Fuzzing: mutated bytes, fed to every importer, give findings or a usage error, never a crash.

Each target is an importer and valid seed files of its format (a CSV package as a zip, as a
folder's members and as one table alone; tables as CSV and as workbooks; every RDF
serialisation; a Wikidata graph). Hypothesis mutates a seed (bytes flipped, deleted,
repeated; bytes that break formats inserted: quotes, brackets, NUL, byte-order marks, a
DOCTYPE, deep nesting; truncation; two seeds spliced; lines duplicated), inside a zip member
for the formats that are zips, and the input is converted through the public API: read,
every record streamed past the checks and rules, written in another format. The outcome
must be clean: a `UsageError` (the format cannot be told, say), or a report whose findings
all name the input, and no tool problem (a rule that failed). A hang fails under the same
time guard as the hostile corpus; a slow example fails the deadline.

Settings come from a Hypothesis profile: `ci` (the default) runs 100 derandomised examples
per target, the same on every run, so that CI is reproducible and the module takes about
20 s on a 2-core machine (1,900 inputs); `CITYNET_FUZZ=long` runs many random ones for a developer hunting
crashes, with Hypothesis's example database so a failure found is tried first next time. A
failure prints the target and the exact bytes (the members of a folder or zip) that broke it.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citynet_exchange import api
from citynet_exchange.engine import Options
from citynet_exchange.errors import PluginFailure, UsageError
from citynet_exchange.formats import WriteOptions
from test_hostile import time_guard

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
TIME_LIMIT = 30  # seconds one example may run before it counts as a hang; each takes well under 1

_COMMON = {"deadline": timedelta(seconds=10), "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("ci", max_examples=100, derandomize=True, database=None, **_COMMON)
settings.register_profile("long", max_examples=1500, **_COMMON)
PROFILE = os.environ.get("CITYNET_FUZZ", "ci")

# Bytes that break parsers: quoting and nesting, encodings, markup, YAML and RDF syntax, numbers.
INTERESTING = [
    b'"', b"'", b"{", b"}", b"[", b"]", b"(", b")", b",", b";", b"\t", b":", b"\\", b"\n", b"\r", b"\r\n",
    b"\x00", b"\xff", b"\xfe", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xef\xbb\xbf", b"\xff\xfe",
    b"\xfe\xff", "\u2028".encode(), "\u202e".encode(), b"\\u0000", b"\\ud800",
    b'<!DOCTYPE r [<!ENTITY e "x">]>', b"&e;", b"&", b"&#0;", b"<", b">", b"</", b"<![CDATA[",
    b"- ", b"? ", b"*a", b"&a ", b"!!python/object/apply:os.system ['x']", b"!!binary", b"|", b"%YAML 1.1\n",
    b"---\n", b"...\n", b"#", b"@context", b'"@context": "http://x.invalid/"', b'"@id": ""', b"@prefix x: <y> .",
    b"@base <file:///etc/> .", b"_:b", b"^^", b"<>", b"a", b".", b"1e400", b"-0", b".nan", b"NaN", b"9" * 40,
    b"null", b"true", b"=", b"=1+2", b"PK\x03\x04",
]
NESTING = [b"[", b"{", b'{"a":', b"- ", b"[ <p> ", b"(", b"<a>", b"{a: "]


@dataclass(frozen=True)
class Target:
    """An importer and the seeds it is fuzzed from; an input is written as `name` (a file, or a
    folder when the seed is one), `output` the format the conversion writes."""

    format: str
    output: str
    seeds: Callable[[], list[Seed]]


@dataclass(frozen=True)
class Seed:
    name: str
    content: bytes = b""
    members: Mapping[str, bytes] | None = None  # a folder's files
    zipped: bool = False  # a zip (a workbook too): its members are mutated, then zipped again


@dataclass(frozen=True)
class Case:
    """One input; its repr is what a failure prints to reproduce it."""

    format: str | None  # None: detected, as `citynet validate` does without --format
    name: str
    content: bytes = b""
    members: Mapping[str, bytes] | None = field(default=None)


def _files(*paths: str) -> Callable[[], list[Seed]]:
    return lambda: [Seed(Path(p).name, (FIXTURES / p).read_bytes(), zipped=p.endswith((".zip", ".xlsx")))
                    for p in paths]


@cache
def _converted(path: str, to: str, workbook: bool = False) -> bytes:
    """A seed made by the exporters from a fixture (no workbook or zip of every format is committed)."""
    output = api.convert(FIXTURES / path, to, write=WriteOptions(workbook=workbook)).output
    assert output is not None
    return output


def _package_members() -> dict[str, bytes]:
    return dict(_unzip(_converted("conformance/valid/full-featured.yaml", "csv")))


def _unzip(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


TEXT_TABLES = ["conformance/valid/flat-partnerships.csv", "flat/staedtepartnerschaften.csv"]
TARGETS: dict[str, Target] = {
    "json": Target("json", "yaml", _files("conformance/valid/minimal-bilateral.json",
                                          "conformance/valid/utf8-bom.json")),
    "yaml": Target("yaml", "csv", _files("conformance/valid/multilateral.yaml", "conformance/valid/partial-dates.yaml",
                                         "conformance/valid/yaml-core-schema.yaml", "hostile/aliases-reused.yaml")),
    "jsonl": Target("jsonl", "flat", _files("conformance/valid/minimal.jsonl", "hostile/duplicate-key.jsonl")),
    "csv-zip": Target("csv", "json", lambda: [Seed("package.zip", _converted("conformance/valid/multilateral.yaml",
                                                                              "csv"), zipped=True)]),
    "csv-folder": Target("csv", "jsonl", lambda: [Seed("package", members=_package_members())]),
    "csv-table": Target("csv", "yaml", lambda: [Seed(n, d) for n, d in _package_members().items()]),
    "csv-xlsx": Target("csv", "json", lambda: [Seed("package.xlsx", _converted(
        "conformance/valid/multilateral.yaml", "csv", workbook=True), zipped=True)]),
    "flat-csv": Target("flat", "cemr", _files(*TEXT_TABLES)),
    "flat-xlsx": Target("flat", "json", lambda: [Seed("flat.xlsx", _converted(TEXT_TABLES[0], "flat", workbook=True),
                                                      zipped=True)]),
    "cemr-csv": Target("cemr", "turtle", _files("conformance/valid/cemr-variants.csv",
                                                "cemr/partnerschaften-beispiel-cp1252.csv")),
    "cemr-xlsx": Target("cemr", "flat", _files("cemr/partnerschaften-beispiel.xlsx")),
    "turtle": Target("turtle", "jsonl", _files("rdf/twinning.ttl", "rdf/shacl-example.ttl")),
    "nt": Target("nt", "yaml", _files("rdf/twinning.nt")),
    "nquads": Target("nquads", "json", _files("rdf/twinning.nq")),
    "trig": Target("trig", "json", _files("rdf/twinning.trig")),
    "rdf-xml": Target("rdf-xml", "json-ld", _files("rdf/twinning.rdf")),
    "json-ld": Target("json-ld", "rdf-xml", _files("rdf/twinning.jsonld", "rdf/hostile-scoped-context.jsonld")),
    "wikidata": Target("rdf", "csv", _files("rdf/wikidata-twinnings.ttl",
                                            "conformance/invalid/conflicting-value--rdf-wikidata-start.ttl")),
}


@st.composite
def mutated(draw: st.DrawFn, data: bytes, others: list[bytes]) -> bytes:
    """`data` after one to four mutations."""
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        how = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "splice", "line", "nest"]))
        if how == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
        elif how == "insert":
            data = data[:at] + draw(st.sampled_from(INTERESTING)) + data[at:]
        elif how == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 64)):]
        elif how == "truncate":
            data = data[:at]
        elif how == "splice":
            other = draw(st.sampled_from(others))
            data = data[:at] + other[draw(st.integers(0, len(other))):]
        elif how == "line":  # a line repeated, as a copy and paste gone wrong does
            lines = data.splitlines(keepends=True) or [b""]
            line = draw(st.integers(0, len(lines) - 1))
            data = b"".join(lines[:line] + [lines[line]] * draw(st.integers(2, 50)) + lines[line:])
        elif how == "nest":
            depth = draw(st.integers(2, 3000))
            data = data[:at] + draw(st.sampled_from(NESTING)) * depth + data[at:]
    return data


@st.composite
def cases(draw: st.DrawFn, target: Target) -> Case:
    """An input mutated from one of the target's seeds, its format named or (now and then) detected."""
    seeds = target.seeds()
    seed = draw(st.sampled_from(seeds))
    format = draw(st.sampled_from([target.format, target.format, None]))
    others = [s.content for s in seeds if s.content] or [b"x"]
    if seed.members is None and not (seed.zipped and draw(st.integers(0, 9))):  # a zip's raw bytes, now and then
        return Case(format, seed.name, draw(mutated(seed.content, others)))
    members = dict(seed.members or _unzip(seed.content))
    member = draw(st.sampled_from(sorted(members)))
    members[member] = draw(mutated(members[member], list(members.values())))
    if seed.members is not None:
        return Case(format, seed.name, members=members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return Case(format, seed.name, buffer.getvalue())


def converted_cleanly(case: Case, output: str) -> None:
    """Convert the input through the API; a clean outcome or an assertion error saying why not."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, case.name)
        if case.members is None:
            path.write_bytes(case.content)
        else:
            path.mkdir()
            for name, payload in case.members.items():
                (path / name).write_bytes(payload)
        try:
            with time_guard(TIME_LIMIT):
                conversion = api.convert(path, output, format=case.format, options=Options(today=date(2025, 6, 30)))
        except UsageError:
            return
    report = conversion.report
    assert report.tool_problems == [], report.tool_problems
    unplaced = [f for f in report.findings if not (f.location.file or "").startswith(str(path))]
    assert unplaced == [], unplaced


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_input_gives_findings_never_a_crash(name: str) -> None:
    target = TARGETS[name]

    @settings(settings.get_profile(PROFILE))
    @given(cases(target))
    def fuzz(case: Case) -> None:
        converted_cleanly(case, target.output)

    fuzz()


def test_control_a_crash_in_an_importer_fails_the_fuzzing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The property can fail: an importer that raises is no clean outcome."""
    importer = api.default_host().importers["json"]

    def load(source: object) -> object:
        raise ValueError("a bug")

    monkeypatch.setattr(importer, "load", load)
    with pytest.raises(PluginFailure, match="the json importer of plugin json .*failed on .*ValueError: a bug"):
        converted_cleanly(Case("json", "x.json", b"{}"), "yaml")
