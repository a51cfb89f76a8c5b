"""The conformance corpus: documents with the findings a conforming validator must give.

`fixtures/conformance/valid/` holds documents that give no finding at all (today =
2025-06-30). `fixtures/conformance/invalid/<code>--<case>.<ext>` (or a folder of that name
holding a CSV package) each give exactly the findings of the sidecar
`<same stem>.expected.json`:

    {"today": "2025-06-30", "read": {"format": "cemr", "encoding": "cp1252", ...},
     "findings": [{"code": ..., "line": ..., "column": ..., "pointer": ...,
                   "row": ..., "field": ..., "sheet": ..., "cell": ...}]}

`read` (optional) names the format and reading options (a `mapping` path is relative to
the sidecar); of a finding's keys, `row`, `field`, `sheet` and `cell` (the places of a
table) may be left out where they are null.

The expected places were worked out by hand from the text, not copied from the
validator's output: a value's finding is at the value, a missing field's at the record
(the line and column where its object starts), an unknown field's at the key, and a
syntax error has no pointer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from citynet_exchange import engine, read_ahead
from citynet_exchange.api import validate
from citynet_exchange.engine import Options
from citynet_exchange.findings import Severity
from citynet_exchange.formats import ReadOptions
from citynet_exchange.plugins import default_host

ROOT = Path(__file__).resolve().parents[2] / "fixtures"
VALID = ROOT / "conformance" / "valid"
INVALID = ROOT / "conformance" / "invalid"
EXAMPLES = ROOT / "examples"
DOCUMENT_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl", ".csv", ".tsv", ".txt", ".xlsx", ".zip", ".ttl", ".nt", ".nq",
                     ".trig", ".rdf", ".jsonld")
PLACE_KEYS = ("line", "column", "pointer", "row", "field", "sheet", "cell")
DEFAULT_TODAY = "2025-06-30"
SIDECAR = ".expected.json"

# Finding codes that validating a document cannot give: `conversion-loss` comes only from
# `convert` writing a format that cannot hold a value, so the corpus cannot show it.
NOT_FROM_VALIDATION = frozenset({"conversion-loss"})

# Fixtures whose expectation the validator does not meet yet: known validator bugs,
# reported to the lead. Remove an entry when its bug is fixed (the strict xfail fails then).
KNOWN_BUGS: dict[str, str] = {}


def documents(folder: Path) -> list[Path]:
    """The documents of a folder: files, and folders holding a CSV package."""
    return sorted(p for p in folder.iterdir()
                  if p.is_dir() or (p.suffix in DOCUMENT_SUFFIXES and not p.name.endswith(SIDECAR)))


def sidecar_of(document: Path) -> Path:
    stem = document.name if document.is_dir() else document.name[: -len(document.suffix)]
    return document.with_name(stem + SIDECAR)


def code_of(document: Path) -> str:
    return document.name.split("--", 1)[0]


def run(document: Path, today: str = DEFAULT_TODAY, read: dict[str, str] | None = None) -> Any:
    read = dict(read or {})
    format_ = read.pop("format", None)
    if "mapping" in read:
        read["mapping"] = str(document.parent / read["mapping"])
    return validate(str(document), format=format_, options=Options(today=date.fromisoformat(today)),
                    read=ReadOptions(**read))


Place = tuple[Any, ...]


def _sorted(places: list[Place]) -> list[Place]:
    return sorted(places, key=lambda t: tuple("" if v is None else str(v).zfill(8) for v in t))


def places(findings: Any) -> list[Place]:
    return _sorted([(f.code, *(getattr(f.location, k) for k in PLACE_KEYS)) for f in findings])


def expected_places(sidecar: dict[str, Any]) -> list[Place]:
    return _sorted([(f["code"], *(f.get(k) for k in PLACE_KEYS)) for f in sidecar["findings"]])


def invalid_params() -> list[Any]:
    params = []
    for doc in documents(INVALID):
        marks = []
        if doc.name in KNOWN_BUGS:
            marks.append(pytest.mark.xfail(reason=KNOWN_BUGS[doc.name], strict=True))
        params.append(pytest.param(doc, id=doc.name, marks=marks))
    return params


@pytest.fixture(params=["rules-asked", "quiet-schemas", "read-ahead", "judged-ahead"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each document four times: as a small file is checked, every rule asked of every
    record; as a big one is, past the records after which rules are not asked of those their
    quiet schemas accept (`Checker.quiet_schema`); and, for a format that streams, read by a
    child process while this one checks the records, as a big file is (`read_ahead`), the
    records judged by this process, or by the child (as when it runs ahead). All must give
    the same findings."""
    if request.param == "quiet-schemas":
        monkeypatch.setattr(engine, "QUIET_AFTER", 0)
    if request.param in ("read-ahead", "judged-ahead"):
        monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "always")
        monkeypatch.setattr(read_ahead.threading, "active_count", lambda: 1)  # threads other tests left
        monkeypatch.setattr(read_ahead._Server, "_ahead", lambda _server: request.param == "judged-ahead")


@pytest.mark.parametrize("document", documents(VALID), ids=lambda p: p.name)
@pytest.mark.usefixtures("reading")
def test_valid_document_gives_no_finding(document: Path) -> None:
    report = run(document)
    assert report.tool_problems == []
    assert places(report.findings) == []


@pytest.mark.parametrize("document", invalid_params())
@pytest.mark.usefixtures("reading")
def test_invalid_document_gives_exactly_the_expected_findings(document: Path) -> None:
    sidecar = json.loads(sidecar_of(document).read_text(encoding="utf-8"))
    report = run(document, sidecar.get("today", DEFAULT_TODAY), sidecar.get("read"))
    assert report.tool_problems == []
    assert places(report.findings) == expected_places(sidecar)


def test_every_invalid_document_has_a_well_formed_sidecar_named_for_a_known_code() -> None:
    codes = {info.code for info in default_host().catalogue()}
    for doc in documents(INVALID):
        assert "--" in doc.name, f"{doc.name}: name it <code>--<case>{doc.suffix}"
        assert code_of(doc) in codes, f"{doc.name}: {code_of(doc)!r} is not a code of the rule catalogue"
        sidecar = json.loads(sidecar_of(doc).read_text(encoding="utf-8"))
        assert set(sidecar) <= {"today", "read", "findings"}
        date.fromisoformat(sidecar.get("today", DEFAULT_TODAY))
        assert any(f["code"] == code_of(doc) for f in sidecar["findings"]), f"{doc.name}: no {code_of(doc)} finding"
        for finding in sidecar["findings"]:
            assert {"code", "line", "column", "pointer"} <= set(finding) <= {"code", *PLACE_KEYS}, doc.name
            assert finding["code"] in codes
            assert finding["pointer"] in (None, "") or finding["pointer"].startswith("/"), doc.name
    for sidecar in INVALID.glob("*" + SIDECAR):
        stem = sidecar.name[: -len(SIDECAR)]
        assert any((INVALID / (stem + s)).exists() for s in ("", *DOCUMENT_SUFFIXES)), f"{sidecar.name} has no document"


def test_every_code_of_the_catalogue_has_an_invalid_document() -> None:
    covered = {code_of(doc) for doc in documents(INVALID)}
    catalogue = {info.code for info in default_host().catalogue()}
    assert NOT_FROM_VALIDATION <= catalogue
    assert sorted(catalogue - NOT_FROM_VALIDATION - covered) == []


@pytest.mark.parametrize("code", ["syntax-error", "duplicate-key"])
def test_format_level_codes_are_covered_in_yaml_and_json(code: str) -> None:
    suffixes = {doc.suffix for doc in documents(INVALID) if code_of(doc) == code}
    assert {".yaml", ".json"} <= suffixes


def test_the_valid_corpus_covers_every_field_of_the_standard() -> None:
    """The full-featured document uses every field of every object, so that a field the
    validator mishandles cannot hide."""
    from citynet_exchange.model import (
        Agreement, Coordinates, Dataset, Membership, Metadata, Network, NetworkIdentifiers, Partnership,
        Source, Town, TownIdentifiers,
    )
    from citynet_exchange.api import load

    data = load(str(VALID / "full-featured.yaml")).whole()
    seen: dict[str, set[str]] = {}

    def note(model: str, obj: dict[str, Any]) -> None:
        seen.setdefault(model, set()).update(obj)

    note("Dataset", data)
    note("Metadata", data["metadata"])
    for src in data["metadata"]["sources"]:
        note("Source", src)
    for kind, model in (("towns", "Town"), ("networks", "Network"), ("partnerships", "Partnership"),
                        ("memberships", "Membership")):
        for record in data[kind]:
            note(model, record)
            for src in record.get("sources", []):
                note("Source", src)
            if "identifiers" in record:
                note("TownIdentifiers" if kind == "towns" else "NetworkIdentifiers", record["identifiers"])
            if "location" in record:
                note("Coordinates", record["location"])
            if "agreement" in record:
                note("Agreement", record["agreement"])
    for model in (Agreement, Coordinates, Dataset, Membership, Metadata, Network, NetworkIdentifiers,
                  Partnership, Source, Town, TownIdentifiers):
        assert set(model.model_fields) - seen.get(model.__name__, set()) == set(), model.__name__


@pytest.mark.parametrize("example", documents(EXAMPLES), ids=lambda p: p.name)
@pytest.mark.usefixtures("reading")
def test_examples_have_no_error(example: Path) -> None:
    report = run(example, "2026-01-01")
    assert report.tool_problems == []
    errors = [f for f in report.findings if f.severity == Severity.ERROR]
    assert errors == []


@pytest.mark.usefixtures("reading")
def test_raunheim_example_is_clean() -> None:
    report = run(EXAMPLES / "raunheim-network-2015.yaml", "2026-01-01")
    assert places(report.findings) == []


@pytest.mark.usefixtures("reading")
def test_german_example_warns_only_of_unknown_end_dates() -> None:
    """Friendships and projects are time-limited; where the source gives no end the
    open-ended-friendship warning is a real gap in the data, and the only finding."""
    report = run(EXAMPLES / "german-partnerships.yaml", "2026-01-01")
    assert {(f.code, f.location.pointer) for f in report.findings} == {
        ("open-ended-friendship", "/partnerships/1/kind"),  # Greifswald-Pomerode friendship
        ("open-ended-friendship", "/partnerships/2/kind"),  # their climate partnership
        ("open-ended-friendship", "/partnerships/11/kind"),  # Karlsruhe-Nagpur IURC pairing
    }
