"""Reading a streamed document in a child process: the same report as reading it here."""

from __future__ import annotations

import io
import os
import sys
import threading
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from benchmark_scripts import generate
from citynet_exchange import read_ahead
from citynet_exchange.api import validate
from citynet_exchange.engine import Options, validate_documents
from citynet_exchange.findings import Finding, Hit
from citynet_exchange.formats import Document, FileLocator
from citynet_exchange.limits import Limits
from citynet_exchange.plugins import default_host
from citynet_exchange.report import Report

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="documents are read ahead on Linux only")



@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A flat table and a JSON Lines file of the benchmark's kind, 3,000 partnerships with
    errors planted: past the records after which the quiet schemas are compiled."""
    folder = tmp_path_factory.mktemp("read-ahead")
    generate.write(generate.generate(3000), folder, ["jsonl", "flat"])
    return folder / "flat.csv", folder / "dataset.jsonl"


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Read every streamed document ahead; the pids of the children forked. (Threads other
    tests left running would keep this process from forking.)"""
    monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "always")
    monkeypatch.setattr(read_ahead.threading, "active_count", lambda: 1)
    pids: list[int] = []
    fork = read_ahead._Child._fork

    def counted(child: read_ahead._Child, judge: Any) -> None:
        fork(child, judge)
        assert child.pid is not None
        pids.append(child.pid)

    monkeypatch.setattr(read_ahead._Child, "_fork", counted)
    return pids


def _said(report: Report) -> list[tuple[Any, ...]]:
    return [(f.code, f.message, f.location, f.related) for f in report.findings] + \
        [(p.source, p.message) for p in report.tool_problems]


def _here(monkeypatch: pytest.MonkeyPatch, *paths: Path, **kwargs: Any) -> Report:
    with monkeypatch.context() as here:
        here.setenv(read_ahead.READ_AHEAD_ENV, "off")
        return validate([str(p) for p in paths], **kwargs)


def _gone(pids: list[int]) -> bool:
    """Whether every child has ended and been waited for."""
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
    return True


@pytest.mark.parametrize("which", [0, 1], ids=["flat", "jsonl"])
def test_a_big_file_read_ahead_gives_the_report_read_here_gives(which: int, files: tuple[Path, Path], forks: list[int],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = files[which]
    ahead = validate(str(path))
    assert len(forks) == 1 and _gone(forks)
    here = _here(monkeypatch, path)
    # duplicate-id and duplicate-partnership read records again from the child, at the end
    assert {f.code for f in ahead.findings} >= {"duplicate-id", "duplicate-partnership", "date-order"}
    assert all(f.location.line for f in ahead.findings)  # placed by the child, which holds the importer
    assert _said(ahead) == _said(here)


@pytest.mark.parametrize("ahead", [True, False], ids=["child-judges", "parent-judges"])
def test_records_the_child_judged_give_the_report_records_judged_here_give(
        ahead: bool, files: tuple[Path, Path], forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_ahead._Server, "_ahead", lambda _server: ahead)
    verdicts: list[Any] = []
    judged = read_ahead._Child.judged

    def counted(child: read_ahead._Child, judge: Any) -> Iterator[tuple[str, int, Any, Any]]:
        for row in judged(child, judge):
            verdicts.append(row[3])
            yield row

    monkeypatch.setattr(read_ahead._Child, "judged", counted)
    report = validate(str(files[1]))
    assert len(verdicts) == sum(report.summary.records.values())
    if ahead:  # sound and quiet (0), refused by some quiet schema (a bit each), not sound: explained
        assert None not in verdicts and {type(v) for v in verdicts} == {int, tuple}
        assert min(v for v in verdicts if type(v) is int) == 0 and max(v for v in verdicts if type(v) is int) > 0
        explained = [Hit(*fields) for verdict in verdicts if type(verdict) is tuple for fields in verdict]
        structural = [f for f in report.findings if f.code in {"wrong-type", "missing-field", "invalid-code"}]
        assert len(explained) >= len(structural) > 0
        assert {h.pointer for h in explained} >= {f.location.pointer for f in structural}
    else:
        assert set(verdicts) == {None}
    assert _said(report) == _said(_here(monkeypatch, files[1]))


def test_the_child_judges_while_the_parent_has_half_a_pipe_to_read() -> None:
    reading, writing = os.pipe()
    capacity = read_ahead._widen(writing)
    with os.fdopen(reading, "rb") as _parent, os.fdopen(writing, "wb", buffering=0) as frames:
        server = read_ahead._Server(_stream([]), frames, io.BytesIO(), capacity, None)
        frames.write(b"x" * (capacity // 2 - 1))
        assert not server._ahead()
        frames.write(b"x")
        assert server._ahead()


def test_two_files_read_ahead_at_once_each_by_its_child(files: tuple[Path, Path], forks: list[int],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    ahead = validate([str(f) for f in files], together=False)
    assert len(forks) == 2 and _gone(forks)  # the second child holds none of the first one's pipes
    assert _said(ahead) == _said(_here(monkeypatch, *files, together=False))


def test_a_cap_on_records_stops_the_child_and_it_still_places_the_findings(
        files: tuple[Path, Path], forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    options = Options(limits=Limits(records=3000))
    ahead = validate(str(files[0]), options=options)
    here = _here(monkeypatch, files[0], options=options)
    assert "limit-exceeded" in {f.code for f in ahead.findings}
    assert _said(ahead) == _said(here) and len(forks) == 1 and _gone(forks)


def _stream(records: list[tuple[str, int, Any]], fail_at: int | None = None,
            problems: list[Hit] | None = None) -> Document:
    """A streamed document of the records given, its importer raising at record `fail_at`."""
    document = Document("s.jsonl", "jsonl", {"standard": "1.0"}, FileLocator("s.jsonl"))

    def stream() -> Iterator[tuple[str, int, Any]]:
        for number, record in enumerate(records):
            if number == fail_at:
                raise ValueError(f"record {number} cannot be read")
            if problems and number == 1:
                document.problems.extend(problems)
            yield record

    document.stream, document.fetch = stream, lambda _kind, index: records[index][2]
    return document


def _town(number: int, **fields: Any) -> tuple[str, int, Any]:
    return "town", number, {"id": f"t{number}", "name": f"Town {number}", "country": "DE", **fields}


def _validated(document: Document) -> Report:
    return validate_documents([document], default_host(), Options())


def test_an_importer_failing_in_the_child_is_the_tool_problem_it_is_here() -> None:
    records = [_town(n) for n in range(600)]
    here = _validated(_stream(records, fail_at=500))
    document = read_ahead.ahead(_stream(records, fail_at=500))
    try:
        ahead = _validated(document)
    finally:
        read_ahead.close(document)
    assert [p.message for p in ahead.tool_problems] == [p.message for p in here.tool_problems]
    assert "ValueError: record 500 cannot be read" in ahead.tool_problems[0].message
    assert _said(ahead) == _said(here)


class _Unmade(Exception):
    """An exception pickle writes but cannot make again (its constructor takes two values)."""

    def __init__(self, row: int, problem: str):
        super().__init__(f"row {row}: {problem}")


def test_an_exception_that_cannot_cross_is_said_in_its_words() -> None:
    child = read_ahead._Child(_stream([_town(0)]))
    child.document.stream = lambda: (_ for _ in ()).throw(_Unmade(3, "no sense"))
    try:
        with pytest.raises(RuntimeError, match="_Unmade: row 3: no sense"):
            list(child.records())
    finally:
        child.close()


def test_values_marshal_cannot_carry_come_across_pickled_and_problems_before_their_record() -> None:
    problem = Hit(code="syntax-error", message="syntax", params={"problem": "x"}, pointer="/towns/1/name")
    records = [_town(0), _town(1, population=Decimal("12.5")), _town(2)]
    here = _validated(_stream(records, problems=[problem]))
    document = read_ahead.ahead(_stream(records, problems=[problem]))
    try:
        ahead = _validated(document)
        assert document.problems == [problem]
        assert document.record("town", 1)["population"] == Decimal("12.5")  # fetched from the child
    finally:
        read_ahead.close(document)
    assert _said(ahead) == _said(here)
    assert any(f.code == "wrong-type" for f in ahead.findings)  # the Decimal reached the checks


def test_small_files_and_read_ahead_off_are_read_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(read_ahead.threading, "active_count", lambda: 1)
    streamed = _stream([_town(0)])
    assert not read_ahead.wanted(streamed, read_ahead.READ_AHEAD_BYTES - 1)
    assert read_ahead.wanted(streamed, read_ahead.READ_AHEAD_BYTES)
    monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "off")
    assert not read_ahead.wanted(streamed, read_ahead.READ_AHEAD_BYTES)
    monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "")
    monkeypatch.setattr(read_ahead.os, "sched_getaffinity", lambda _pid: {0})  # one core: nothing to overlap
    assert not read_ahead.wanted(streamed, read_ahead.READ_AHEAD_BYTES)
    monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "always")
    assert read_ahead.wanted(streamed, 0)
    assert not read_ahead.wanted(Document("d.json", "json", {}, FileLocator("d.json")), 0)  # not streamed


def test_findings_name_their_file_as_the_child_placed_them(files: tuple[Path, Path], forks: list[int]) -> None:
    findings: list[Finding] = validate(str(files[1])).findings
    assert {f.location.file for f in findings} == {str(files[1])}


def test_a_process_running_threads_reads_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(read_ahead.READ_AHEAD_ENV, "always")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not read_ahead.wanted(_stream([_town(0)]), read_ahead.READ_AHEAD_BYTES)
    finally:
        stop.set()
        thread.join()


def test_the_places_of_all_findings_are_asked_of_the_child_at_once(files: tuple[Path, Path], forks: list[int],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[int] = []
    ask = read_ahead._Child.ask

    def counted(child: read_ahead._Child, request: int, value: Any) -> Any:
        asked.append(request)
        return ask(child, request, value)

    monkeypatch.setattr(read_ahead._Child, "ask", counted)
    report = validate(str(files[1]))
    assert len(report.findings) > 10
    # once for the hits the document places itself (structure, the importer's problems), once
    # for the rules' hits placed through the dataset
    assert asked.count(read_ahead._LOCATE) == 2


def test_a_record_fetched_in_the_middle_of_a_pass_and_a_second_pass() -> None:
    records = [_town(n) for n in range(2000)]
    document = read_ahead.ahead(_stream(records))
    try:
        read = []
        for kind, index, raw in document.records():
            read.append((kind, index, raw))
            if index == 300:  # the child is further on: its frames wait while the answer comes
                assert document.record("town", 7) == records[7][2]
                assert document.locator.locate("/towns/3").file == "s.jsonl"
        assert read == records
        assert list(document.records()) == records  # a second pass, asked of the same child
    finally:
        read_ahead.close(document)


def test_the_towns_nothing_refers_to_are_fetched_from_the_child_a_batch_at_a_time(
        tmp_path: Path, forks: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    """A register of towns alone: each is an orphan, read again for its finding; one request
    for each `FETCH_BATCH` towns, not a wait on the child for each."""
    path = tmp_path / "towns.jsonl"
    path.write_text('{"@record": "dataset", "standard": "1.0"}\n' + "".join(
        f'{{"@record": "town", "id": "t{n}", "name": "Town {n}", "country": "DE"}}\n' for n in range(2500)))
    asked: list[tuple[int, Any]] = []
    ask = read_ahead._Child.ask

    def counted(child: read_ahead._Child, request: int, value: Any) -> Any:
        asked.append((request, value))
        return ask(child, request, value)

    monkeypatch.setattr(read_ahead._Child, "ask", counted)
    report = validate(str(path))
    assert [f.location.line for f in report.findings if f.code == "orphan-town"] == list(range(2, 2502))
    fetched = [value for request, value in asked if request == read_ahead._FETCH]
    assert [(kind, len(indexes)) for kind, indexes in fetched] == [("town", 1024), ("town", 1024), ("town", 452)]
    assert _said(report) == _said(_here(monkeypatch, path))
