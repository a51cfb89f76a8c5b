"""Hostile and broken input: nothing crashes, nothing hangs, nothing is lost, nothing leaks.

`fixtures/hostile/expected.yaml` names every input of the corpus, the options it is read
with, and the exact outcome it must give: the exit code and every finding's code and place
(line, column, pointer, row, field, sheet, cell, subject, and the member of a zip; a key left
out is null). The inputs are the small files of `fixtures/hostile/` and the big ones
`GENERATED` writes into a temporary folder (a 10-MB cell, 100,000 levels of nesting, a zip
holding a 1-GB member, workbooks).

Each case runs `citynet` in this process under a time guard: a hang fails the case after
`TIME_LIMIT` seconds instead of stalling the run. A second test runs the whole corpus in
one child process with an audit hook and an address-space limit, and fails on any network
access, any file opened outside the allowed places, any process started, or a
MemoryError.
"""

from __future__ import annotations

import json
import mimetypes
import os
import re
import shutil
import signal
import subprocess
import sys
import sysconfig
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

import citynet_exchange
from citynet_exchange.cli import main
from citynet_exchange.resources import schema_dir

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "fixtures" / "hostile"
TABLE = CORPUS / "expected.yaml"
PLACE_KEYS = ("line", "column", "pointer", "row", "field", "sheet", "cell", "subject")
TODAY = "2025-06-30"
TIME_LIMIT = 60  # seconds a case may take on a busy 2-core machine; each takes under 5
MEMORY_LIMIT = 3 << 30  # bytes of address space for the child; reading the 1-GB zip member alone needs more
FLAT_HEADER = b"town_a.name,town_a.country,town_b.name,town_b.country,established\n"
TEN_MB = 10 << 20


# --- the inputs too big to commit -------------------------------------------------------------

def _nested(opening: str, closing: str, depth: int) -> str:
    return opening * depth + closing * depth


def _workbook(path: Path, build: Callable[[Any], None]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    build(workbook)
    workbook.save(path)


def _flat_sheet(sheet: Any, *rows: list[Any]) -> None:
    sheet.append(FLAT_HEADER.decode().strip().split(","))
    for row in rows:
        sheet.append(row)


def _formula(workbook: Any) -> None:
    """A formula openpyxl wrote: no value computed and stored with it, as a script leaves it."""
    _flat_sheet(workbook.active, ['=CONCAT("Bre", "men")', "DE", "Gdańsk", "PL", "1976"])


def _merged(workbook: Any) -> None:
    """Bremen written once in a cell merged over two rows: the lower row's cell is empty."""
    _flat_sheet(workbook.active, ["Bremen", "DE", "Gdańsk", "PL", "1976"], [None, "DE", "Riga", "LV", "1985"])
    workbook.active.merge_cells("A2:A3")


def _hidden(workbook: Any) -> None:
    """A hidden first sheet of notes before the visible table."""
    workbook.active.title = "notes"
    workbook.active.append(["filled in by the twinning office"])
    workbook.active.sheet_state = "hidden"
    _flat_sheet(workbook.create_sheet("twinnings"), ["Bremen", "DE", "Gdańsk", "PL", "1976"])


def _zip_bomb(path: Path) -> None:
    """A CSV package with a member of 1 GB of zeros, 1 MB compressed, besides its tables."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("metadata.csv", "field,value\nstandard,1.0\npublisher,Bremen\n")
        archive.writestr("towns.csv", "id,name,country\nbremen,Bremen,DE\n")
        with archive.open("attachment.bin", "w", force_zip64=True) as member:
            zeros = bytes(1 << 20)
            for _ in range(1024):
                member.write(zeros)


GENERATED: dict[str, Callable[[Path], None]] = {
    "big-cell.csv": lambda p: p.write_bytes(FLAT_HEADER + b'"' + b"x" * TEN_MB + b'",DE,Gdansk,PL,1976\n'),
    "big-header.csv": lambda p: p.write_bytes(b"x" * TEN_MB + b",town_a.country\nBremen,DE\n"),
    "deep.json": lambda p: p.write_text('{"standard": "1.0", "x": ' + _nested("[", "]", 100_000) + "}"),
    "deep.yaml": lambda p: p.write_text('standard: "1.0"\nx: ' + _nested("[", "]", 100_000) + "\n"),
    "deep-mappings.yaml": lambda p: p.write_text('standard: "1.0"\nx: ' + _nested("{a: ", "}", 100_000) + "\n"),
    "deep.jsonl": lambda p: p.write_text('{"@record": "dataset", "standard": "1.0", "metadata": {"publisher": "B"}}\n'
                                         '{"@record": "town", "id": "b", "name": "B", "country": "DE", "x": '
                                         + _nested("[", "]", 100_000) + "}\n"),
    "deep.jsonld": lambda p: p.write_text('{"@id": "http://a", "http://p": ' + _nested("[", "]", 100_000) + "}"),
    "deep.ttl": lambda p: p.write_text("<http://a> <http://p> " + _nested("[ <http://p> ", " ]", 100_000) + " .\n"),
    # json.loads reads this deep; the YAML writer cannot write it
    "deep-900.json": lambda p: p.write_text('{"standard": "1.0", "metadata": {"publisher": "B"}, "extensions": '
                                            '{"b": ' + _nested("[", "]", 900) + "}}"),
    "zip-bomb.zip": _zip_bomb,
    "formula.xlsx": lambda p: _workbook(p, _formula),
    "merged-cells.xlsx": lambda p: _workbook(p, _merged),
    "hidden-sheet.xlsx": lambda p: _workbook(p, _hidden),
}


def materialise(folder: Path) -> Path:
    """The whole corpus in one folder: the committed files copied, the big ones generated."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in CORPUS.iterdir():
        if path.name != TABLE.name:
            shutil.copyfile(path, folder / path.name)
    for name, generate in GENERATED.items():
        generate(folder / name)
    return folder


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialise(tmp_path_factory.mktemp("hostile"))


# --- the table ---------------------------------------------------------------------------------

def cases() -> list[dict[str, Any]]:
    return yaml.safe_load(TABLE.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def case_id(case: dict[str, Any]) -> str:
    return " ".join([case.get("command", "validate"), case["file"], *case.get("options", [])])


def argv(case: dict[str, Any], corpus: Path, out: Path) -> list[str]:
    """The command line of a case: `validate` with a JSON report, or `convert` to a file in `out`."""
    path = str(corpus / case["file"])
    if case.get("command", "validate") == "validate":
        return ["validate", path, "--report", "json", "--today", TODAY, *case.get("options", [])]
    target = out / f"{case['file']}.{case['options'][case['options'].index('--to') + 1]}"
    return ["convert", path, "-o", str(target), "--today", TODAY, *case.get("options", [])]


Place = tuple[Any, ...]


def expected_places(case: dict[str, Any]) -> list[Place]:
    return sorted(((f["code"], f.get("member"), *(f.get(k) for k in PLACE_KEYS)) for f in case.get("findings", [])),
                  key=repr)


def member(file: str | None, path: str) -> str | None:
    """The member of a zip a finding is in (its file is `<zip>/<member>`), else None."""
    return file.removeprefix(path + "/") if file and file != path else None


_TEXT_FINDING = re.compile(r"^(?P<file>.+?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?(?: \([^)]*\))?: "
                           r"(?:error|warning|info) (?P<code>[a-z][a-z0-9-]*) ")  # "(row 2, column x)" of tables


def reported_places(case: dict[str, Any], path: str, out: str, err: str) -> list[Place]:
    """validate: the JSON report's findings; convert: the text findings on standard error, which
    carry file, line and column (the corpus converts only text formats)."""
    if case.get("command", "validate") == "validate":
        findings = json.loads(out)["findings"] if out else []
        return sorted(((f["code"], member(f["location"]["file"], path), *(f["location"][k] for k in PLACE_KEYS))
                       for f in findings), key=repr)
    places = []
    for line in err.splitlines():
        match = _TEXT_FINDING.match(line)
        if match:
            places.append((match["code"], member(match["file"], path),
                           *(int(match[k]) if match[k] else None for k in ("line", "column")),
                           *(None,) * (len(PLACE_KEYS) - 2)))
    return sorted(places, key=repr)


class Hang(Exception):
    pass


@contextmanager
def time_guard(seconds: int) -> Iterator[None]:
    """Fail a case that runs longer than `seconds` (SIGALRM: the main thread, on Unix)."""
    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("case", cases(), ids=case_id)
def test_each_hostile_input_gives_exactly_its_outcome(case: dict[str, Any], corpus: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    with time_guard(TIME_LIMIT), pytest.raises(SystemExit) as exited:
        main(argv(case, corpus, tmp_path))
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "internal error" not in err, err
    places = reported_places(case, str(corpus / case["file"]), out, err)
    assert (exited.value.code, places) == (case["exit"], expected_places(case)), err
    if "output" in case:
        written = (tmp_path / f"{case['file']}.{case['output']['format']}").read_bytes()
        assert_output(case["output"], written)
    else:  # a conversion that would lose values, or could not read its input, writes nothing
        assert list(tmp_path.iterdir()) == []


def _no_constant(word: str) -> Any:
    raise AssertionError(f"the output holds {word}, which JSON has no number for")


def assert_output(expected: dict[str, Any], written: bytes) -> None:
    """What a conversion wrote: strict JSON (no NaN, no Infinity), holding the values named."""
    lines = written.decode("utf-8").splitlines() if expected["format"] == "jsonl" else [written.decode("utf-8")]
    documents = [json.loads(line, parse_constant=_no_constant) for line in lines if line.strip()]
    for pointer, value in expected.get("values", {}).items():
        line, _, inner = pointer.partition(":") if expected["format"] == "jsonl" else ("0", "", pointer)
        found: Any = documents[int(line)]
        for token in inner.strip("/").split("/") if inner.strip("/") else []:
            found = found[int(token)] if isinstance(found, list) else found[token]
        assert found == value and type(found) is type(value), pointer


def test_the_table_names_every_file_of_the_corpus_and_only_those() -> None:
    named = {case["file"] for case in cases()}
    files = {p.name for p in CORPUS.iterdir() if p != TABLE} | set(GENERATED)
    assert sorted(named ^ files) == []
    for case in cases():
        assert set(case) <= {"file", "command", "options", "exit", "findings", "output", "note"}, case_id(case)
        assert case["exit"] in (0, 1, 2), case_id(case)  # never 3, an internal error
        for finding in case.get("findings", []):
            assert set(finding) <= {"code", "member", *PLACE_KEYS}, case_id(case)


# --- no network, no stray files, no processes -----------------------------------------------

_AUDITED = r'''
import json, os, resource, sys

cases, allowed, limit = json.loads(sys.stdin.read())
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
events = []
NETWORK = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
           "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect")
PROCESSES = ("os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "subprocess.Popen", "pty.spawn")

def hook(event, args):
    if event in NETWORK or event in PROCESSES:
        events.append([event, repr(args)[:200]])
    elif event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if not any(path == root or path.startswith(root + os.sep) for root in allowed):
            events.append([event, path])

sys.addaudithook(hook)
from citynet_exchange.cli import main
import io, contextlib
results = []
for argv in cases:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
        try:
            main(argv)
        except SystemExit as exc:
            results.append([argv[1], exc.code, "MemoryError" in err.getvalue()])
print(json.dumps({"events": events, "results": results}))
'''


def allowed_roots(corpus: Path, out: Path) -> list[str]:
    """Where running the corpus may open files: the inputs, the output folder, the package and
    its plugins, the published standard it reads (schema/, the source tree's for an editable
    install), the standard library (and the zip of it that `sys.path` names, looked for at
    start-up) and site-packages (libraries and their metadata), the system's MIME type tables that the standard library's `mimetypes` reads, and the null
    device. Nothing else: not the home folder, not /etc, not the working directory."""
    import citynet_exchange_json  # the built-in plugins live beside it

    package = Path(citynet_exchange.__file__).parent
    plugins = Path(citynet_exchange_json.__file__).parents[1]
    roots = {corpus, out, package, plugins, schema_dir(), Path(os.devnull), *map(Path, mimetypes.knownfiles)}
    roots |= {Path(sysconfig.get_path(name)) for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    roots.add(Path(sys.base_prefix, "lib", f"python{sys.version_info.major}{sys.version_info.minor}.zip"))
    return sorted({os.path.realpath(root) for root in roots})


def audited(commands: list[list[str]], corpus: Path, out: Path) -> dict[str, Any]:
    """Run the commands in one child process under the audit hook: the events it recorded, and
    per command (input, exit code, whether a MemoryError was reported)."""
    payload = json.dumps([commands, allowed_roots(corpus, out), MEMORY_LIMIT])
    done = subprocess.run([sys.executable, "-c", _AUDITED], input=payload, capture_output=True, text=True,
                          cwd=out, timeout=TIME_LIMIT * 10)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def test_control_the_audit_sees_a_file_opened_outside_the_allowed_places(corpus: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "towns.yaml"
    outside.parent.mkdir()
    shutil.copyfile(corpus / "utf16.yaml", outside)
    (tmp_path / "out").mkdir()
    report = audited([["validate", str(outside)]], corpus, tmp_path / "out")
    assert ["open", os.path.realpath(outside)] in report["events"]


def test_the_corpus_touches_no_network_no_other_file_and_starts_no_process(corpus: Path, tmp_path: Path) -> None:
    commands = [argv(case, corpus, tmp_path) for case in cases()]
    report = audited(commands, corpus, tmp_path)
    assert report["events"] == []
    assert [r for r in report["results"] if r[1] not in (0, 1, 2) or r[2]] == []
    assert len(report["results"]) == len(commands)
    assert not (tmp_path / "citynet-pwned.txt").exists()
