"""The speed and scale benchmark: citynet and its peer tools on the same files, in one run.

    python benchmarks/run.py --size 10k|100k|1m [--data DIR] [--only NAME,...] [--markdown PATH]

Generates the data if it is missing (benchmarks/generate.py, cached in benchmarks/data/<size>/),
then runs every tool in a child process of its own and measures its wall time and its peak
memory (the child's max RSS from os.wait4, or the largest sum of the PSS of the child and the
processes it started, sampled every 500 ms, if larger). Every citynet validation is checked against the
findings the generator planted, and every peer's output for a sign that it did its work: a
row that did less than it should is FAIL, and the run exits 1. Prints a Markdown table, the
targets of issue "Speed and scale", and the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import tempfile
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BIN = Path(sys.executable).parent  # the tools installed beside this Python (the venv's)
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
RDF_SIZES = ("10k", "100k")  # Turtle and the RDF peers: rdflib would need many GB at 1m
VARIANT_SIZES = ("10k", "100k")  # files with a finding a record (`VARIANTS`): 1m would take minutes a run
TODAY = "2026-11-30"
STARTUP_RUNS = 5
SCHEMA = ROOT / "schema" / "citynet-exchange-1.0.schema.json"
SHAPES = ROOT / "schema" / "shapes.ttl"

# The Python the baselines and the rdflib/pySHACL peers run, each as `python -c CODE ARGS`.
READ_JSONL = """
import sys, orjson
with open(sys.argv[1], "rb") as f:
    print(sum(1 for line in f if orjson.loads(line) is not None), "records")
"""
READ_CSV = """
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    print(sum(1 for _row in csv.DictReader(f)), "rows")
"""
READ_JSON = """
import sys, orjson
with open(sys.argv[1], "rb") as f:
    data = orjson.loads(f.read())
print(len(data["towns"]) + len(data["partnerships"]), "records")
"""
RDFLIB_PARSE = """
import sys
from rdflib import Graph
print(len(Graph().parse(sys.argv[1], format="turtle")), "triples")
"""
# The graph citynet's exporter describes, built and serialised the rdflib way.
RDFLIB_SERIALISE = """
import sys, orjson
from rdflib import Graph
from citynet_exchange_rdf.vocab import DEFAULT_BASE
from citynet_exchange_rdf.writer import TripleWriter
with open(sys.argv[1], "rb") as f:
    data = orjson.loads(f.read())
graph = Graph()
for triple in TripleWriter(DEFAULT_BASE, "Turtle", "turtle").triples(data):
    graph.add(triple)
graph.serialize(destination=sys.argv[2], format="turtle", encoding="utf-8")
print(len(graph), "triples")
"""
# The options citynet's --shacl gives pySHACL: no inference, no imports.
PYSHACL = """
import sys
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH
data = Graph().parse(sys.argv[1], format="turtle")
shapes = Graph().parse(sys.argv[2], format="turtle")
conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", advanced=False,
                                   allow_warnings=True, do_owl_imports=False)
print(conforms, len(set(report.objects(None, SH.result))), "results")
"""


@dataclass
class Outcome:
    """What one run of a command gave."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool = False


@dataclass
class Row:
    """One line of the table: a command, what its result must show, what it is compared with."""

    key: str
    what: str
    tool: str
    command: list[str]
    check: Callable[[Outcome], str]  # a note on the result; "FAIL ..." or "not available" when so
    baseline: str | None = None
    peer: str | None = None
    timeout: float = 3600.0
    runs: int = 1  # start-up rows: the best of several
    cwd: Path | None = None
    outcome: Outcome | None = None
    note: str = ""

    @property
    def failed(self) -> bool:
        return self.note.startswith("FAIL")

    @property
    def measured(self) -> bool:
        return self.outcome is not None and not self.outcome.timed_out and not self.note.startswith(("FAIL", "not"))


# Runs a command and writes its wall time, exit code and peak memory as JSON. The runner starts
# this small process, which starts the command: Linux counts the memory of the process a child
# is started from into the child's peak RSS, and the runner's own memory grows with the outputs
# it reads. The peak is the larger of the command's own max RSS (os.wait4) and the largest sum
# of the proportional set sizes (PSS: a page two processes share counts half in each) of the
# command and the processes it started (citynet reads a big file in a second process),
# sampled every 500 ms from /proc: reading a process's PSS walks its page tables, some 6 ms
# for a process of 1.2 GB, and the sampler must not take much of a core from what it measures.
MEASURE = """
import json, os, subprocess, sys, threading, time
out, err, result, *command = sys.argv[1:]

def tree_kb(root):
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parents.setdefault(int(f.read().rsplit(")", 1)[1].split()[1]), []).append(int(name))
            except OSError:
                pass
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                total += next((int(line.split()[1]) for line in f if line.startswith("Pss:")), 0)
        except OSError:
            pass
        todo += parents.get(pid, [])
    return total

with open(out, "wb") as stdout, open(err, "wb") as stderr:
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=stdout, stderr=stderr)
    sampled, done = [0], threading.Event()
    def sample():
        while not done.wait(0.5):
            sampled[0] = max(sampled[0], tree_kb(child.pid))
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    done.set()
    sampler.join()
child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4, not by Popen
peak_mb = max(usage.ru_maxrss, sampled[0]) / 1024
with open(result, "w") as f:
    json.dump({"seconds": seconds, "peak_mb": peak_mb, "returncode": child.returncode}, f)
"""
OUTPUT_LIMIT = 64 * 2**20  # what a check reads of an output: some tools print the data they reject


def measure(command: list[str], timeout: float, cwd: Path, work: Path) -> Outcome:
    """Runs `command` through `MEASURE` in a process group of its own, killed at `timeout`."""
    out, err, result = (work / name for name in ("stdout", "stderr", "result.json"))
    result.unlink(missing_ok=True)
    wrapper = subprocess.Popen([sys.executable, "-c", MEASURE, str(out), str(err), str(result), *command],
                               cwd=cwd, start_new_session=True)
    timer = threading.Timer(timeout, os.killpg, (wrapper.pid, signal.SIGKILL))
    timer.start()
    wrapper.wait()
    timer.cancel()
    stdout, stderr = (_read(path) for path in (out, err))
    if not result.exists():
        return Outcome(timeout, 0.0, wrapper.returncode, stdout, stderr, timed_out=True)
    figures = json.loads(result.read_text(encoding="utf-8"))
    return Outcome(figures["seconds"], figures["peak_mb"], figures["returncode"], stdout, stderr)


def _read(path: Path) -> str:
    with open(path, "rb") as f:
        return f.read(OUTPUT_LIMIT).decode("utf-8", "replace")


def run_rows(table: list[Row], work: Path) -> None:
    """Each row as many times as it asks, keeping its fastest run, in rounds: every row once,
    then again, so that a busy spell of the shared machine falls on citynet and on the peer it
    is compared with alike, not on all the runs of one of them."""
    for round_ in range(max((row.runs for row in table), default=0)):
        for row in table:
            if round_ >= row.runs or (row.outcome is not None and row.outcome.timed_out):
                continue
            print(f"{row.key} ...", end=" ", file=sys.stderr, flush=True)
            outcome = measure(row.command, row.timeout, row.cwd or work, work)
            print(f"{outcome.seconds:.2f} s, {outcome.peak_mb:.0f} MB", file=sys.stderr)
            if row.outcome is None or outcome.seconds < row.outcome.seconds:
                row.outcome = outcome
    for row in table:
        assert row.outcome is not None
        row.note = f"stopped after {row.timeout / 60:.0f} min: skipped" if row.outcome.timed_out \
            else row.check(row.outcome)
        print(f"{row.key}: {row.outcome.seconds:.2f} s, {row.outcome.peak_mb:.0f} MB: {row.note}", file=sys.stderr)


# Checks: what each command's result must show


def last_line(outcome: Outcome) -> str:
    lines = outcome.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def exits_ok(outcome: Outcome) -> str:
    if outcome.returncode != 0:
        return f"FAIL: exit {outcome.returncode}: {outcome.stderr.strip()[-300:]}"
    return last_line(outcome)


def citynet_findings(report: Path, expected: dict[str, int]) -> Callable[[Outcome], str]:
    """citynet validate: the counts per code in its JSON report must be the planted ones."""

    def check(outcome: Outcome) -> str:
        if outcome.returncode == 2:
            return "not available: " + (outcome.stderr.strip().splitlines() or ["exit 2"])[-1][:200]
        if outcome.returncode not in (0, 1) or not report.exists():
            return f"FAIL: exit {outcome.returncode}: {outcome.stderr.strip()[-300:]}"
        findings = json.loads(report.read_text(encoding="utf-8"))
        report.unlink()
        counts = Counter(f["code"] for f in findings["findings"])
        if findings.get("tool_problems"):
            return f"FAIL: tool problems: {findings['tool_problems']}"
        if counts != Counter(expected):
            codes = sorted(set(counts) | set(expected))
            diff = ", ".join(f"{c} {counts.get(c, 0)} (expected {expected.get(c, 0)})"
                             for c in codes if counts.get(c, 0) != expected.get(c, 0))
            return f"FAIL: {diff}"
        return f"{sum(counts.values())} findings as planted"

    return check


def frictionless_errors(flat: dict[str, int]) -> Callable[[Outcome], str]:
    """It must find each planted error a Table Schema can express: an empty required cell
    (a town's name), a value outside an enum (kind), a repeated unique id. Calendar dates,
    ISO country lists and references between records are beyond it."""
    wanted = sum(flat.get(code, 0) for code in ("missing-field", "invalid-code", "duplicate-id"))

    def check(outcome: Outcome) -> str:
        try:
            result = json.loads(outcome.stdout)
            errors = [e for task in result["tasks"] for e in task["errors"]] + result["errors"]
        except (ValueError, KeyError):
            return f"FAIL: exit {outcome.returncode}: {outcome.stderr.strip()[-300:]}"
        if len(errors) != wanted:
            kinds = ", ".join(f"{n} {kind}" for kind, n in Counter(e["type"] for e in errors).items())
            return f"FAIL: {kinds or 'no error'} (expected {wanted}): {errors[0]['message'] if errors else ''}"
        return f"{len(errors)} errors, each planted one it can see"

    return check


def jsonschema_errors(outcome: Outcome) -> str:
    """It must call the document invalid (it reports the best match of each failing list)."""
    if outcome.returncode != 1 or not outcome.stdout.startswith("Schema validation errors were encountered"):
        return f"FAIL: exit {outcome.returncode}: {(outcome.stdout[:200] + outcome.stderr[-300:]).strip()}"
    places = [line.split("::", 1)[1].split(":", 1)[0] for line in outcome.stdout.splitlines()
              if line.startswith("  ") and "::$" in line]
    return f"invalid: {', '.join(places)}"


def shacl_results(outcome: Outcome) -> str:
    if outcome.returncode != 0:
        return f"FAIL: exit {outcome.returncode}: {outcome.stderr.strip()[-300:]}"
    conforms, results, _word = last_line(outcome).split()
    return f"{results} results" if conforms == "False" and int(results) > 0 else "FAIL: found no error"


def converted(target: Path) -> Callable[[Outcome], str]:
    def check(outcome: Outcome) -> str:
        if outcome.returncode not in (0, 1) or not target.exists():
            return f"FAIL: exit {outcome.returncode}: {outcome.stderr.strip()[-300:]}"
        size = target.stat().st_size
        target.unlink()
        return f"{size / 1e6:.1f} MB of Turtle"

    return check


# The data


def ensure_data(size: str, data: Path) -> dict[str, dict[str, int]]:
    """The dataset of a size, generated if missing or older than the generator; the
    findings expected per format."""
    formats = ["jsonl", "json", "flat", *(["turtle"] if size in RDF_SIZES else [])]
    expected = data / "expected.json"
    generator = HERE / "generate.py"
    fresh = expected.exists() and expected.stat().st_mtime >= generator.stat().st_mtime \
        and set(json.loads(expected.read_text(encoding="utf-8"))) >= set(formats)
    if not fresh:
        print(f"generating the {size} dataset in {data} ...", file=sys.stderr)
        subprocess.run([sys.executable, str(generator), "--partnerships", str(SIZES[size]), "--out", str(data),
                        "--formats", ",".join(formats)], check=True)
    small = data / "small.yaml"
    if not small.exists():
        make_small_yaml(small)
    found = json.loads(expected.read_text(encoding="utf-8"))
    if size in VARIANT_SIZES:
        found.update({name: make_variant(name, data, SIZES[size], generator) for name in VARIANTS})
    return found  # type: ignore[no-any-return]


def _wrong(record: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """Every partnership's date of establishment with an `x` before it: one invalid-format each."""
    if record.get("@record") == "partnership" and isinstance(record.get("established"), str):
        return {**record, "established": "x" + record["established"]}, "invalid-format"
    return record, None


def _towns(record: dict[str, Any]) -> tuple[dict[str, Any] | None, str | None]:
    """The header and the towns, without the partnerships: every town an orphan."""
    kind = record.get("@record")
    return (None, None) if kind == "partnership" else (record, "orphan-town" if kind == "town" else None)


# Files made from a clean dataset, as real ones often are (by their name): what each record
# becomes (None: left out) and the code of the finding it must then give.
VARIANTS: dict[str, Callable[[dict[str, Any]], tuple[dict[str, Any] | None, str | None]]] = {
    "wrong": _wrong,  # an export wrong in one way throughout
    "towns": _towns,  # a register of towns alone
}


def make_variant(name: str, data: Path, partnerships: int, generator: Path) -> dict[str, int]:
    """`<name>.jsonl`, a clean dataset changed by `VARIANTS[name]`, and the findings it must give,
    kept beside it in `<name>-expected.json`."""
    target, counts = data / f"{name}.jsonl", data / f"{name}-expected.json"
    if counts.exists() and counts.stat().st_mtime >= generator.stat().st_mtime:
        return json.loads(counts.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
    import orjson

    print(f"writing {target} ...", file=sys.stderr)
    found: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, str(generator), "--partnerships", str(partnerships), "--clean",
                        "--formats", "jsonl", "--out", folder], check=True)
        with open(Path(folder) / "dataset.jsonl", "rb") as clean, open(target, "wb") as out:
            for line in clean:
                record, code = VARIANTS[name](orjson.loads(line))
                if record is not None:
                    out.write(orjson.dumps(record) + b"\n")
                found.update([code] if code else [])
    counts.write_text(json.dumps(dict(found)), encoding="utf-8")
    return dict(found)


def make_small_yaml(target: Path) -> None:
    """A clean 20-record YAML file (7 towns, 13 partnerships), for start-up time."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, str(HERE / "generate.py"), "--partnerships", "13", "--towns", "7",
                        "--clean", "--formats", "json", "--out", folder], check=True)
        subprocess.run([str(BIN / "citynet"), "convert", str(Path(folder) / "dataset.json"), "--to", "yaml",
                        "-o", str(target)], check=True)


def rows(size: str, data: Path, work: Path, expected: dict[str, dict[str, int]]) -> list[Row]:
    """Every row of the table, in the order they run and print."""
    python, citynet = sys.executable, str(BIN / "citynet")
    jsonl, flat, document, ttl = (str(data / name) for name in ("dataset.jsonl", "flat.csv", "dataset.json",
                                                                   "dataset.ttl"))

    def validate(key: str, file: str, fmt: str, *options: str) -> tuple[list[str], Callable[[Outcome], str]]:
        """`fmt`: the key of the findings expected in `expected` (a format, or `wrong`)."""
        report = work / f"{key}.json"
        command = [citynet, "validate", file, *options, "--today", TODAY, "--report", "json", "-o", str(report)]
        return command, citynet_findings(report, expected.get(fmt, {}))

    table = [
        Row("read-jsonl", "JSON Lines", "baseline: orjson, line by line", [python, "-c", READ_JSONL, jsonl],
            exits_ok),
        Row("citynet-jsonl", "JSON Lines", "citynet validate --format jsonl",
            *validate("citynet-jsonl", jsonl, "jsonl", "--format", "jsonl"), baseline="read-jsonl"),
    ]
    if size in VARIANT_SIZES:
        for name, what in (("wrong", "JSON Lines, a bad date a partnership"), ("towns", "JSON Lines, towns alone")):
            file = str(data / f"{name}.jsonl")
            table += [
                Row(f"read-{name}", what, "baseline: orjson, line by line", [python, "-c", READ_JSONL, file],
                    exits_ok),
                Row(f"citynet-{name}", what, "citynet validate --format jsonl",
                    *validate(f"citynet-{name}", file, name, "--format", "jsonl"), baseline=f"read-{name}"),
            ]
    table += [
        Row("read-csv", "flat CSV", "baseline: csv.DictReader", [python, "-c", READ_CSV, flat], exits_ok),
        Row("citynet-flat", "flat CSV", "citynet validate --format flat",
            *validate("citynet-flat", flat, "flat", "--format", "flat"), baseline="read-csv", peer="frictionless"),
        Row("frictionless", "flat CSV", "frictionless validate --schema tableschema.json",
            [str(BIN / "frictionless"), "validate", "flat.csv", "--schema", "tableschema.json", "--json",
             "--limit-errors", "1000000000"], frictionless_errors(expected.get("flat", {})), baseline="read-csv",
            cwd=data),  # frictionless refuses absolute paths as unsafe
        Row("read-json", "JSON document", "baseline: orjson.loads", [python, "-c", READ_JSON, document], exits_ok),
        Row("citynet-json", "JSON document", "citynet validate",
            *validate("citynet-json", document, "json"), baseline="read-json", peer="check-jsonschema"),
        Row("check-jsonschema", "JSON document", "check-jsonschema --schemafile (the standard's schema)",
            [str(BIN / "check-jsonschema"), "--schemafile", str(SCHEMA), document], jsonschema_errors,
            baseline="read-json", timeout=600),
    ]
    if size in RDF_SIZES:
        converted_ttl = work / "citynet.ttl"
        rdflib_ttl = work / "rdflib.ttl"
        streamed_ttl = work / "citynet-streamed.ttl"
        table += [
            Row("rdflib-parse", "Turtle", "baseline: rdflib parse", [python, "-c", RDFLIB_PARSE, ttl], exits_ok),
            Row("citynet-ttl", "Turtle", "citynet validate", *validate("citynet-ttl", ttl, "turtle"),
                baseline="rdflib-parse", peer="pyshacl"),
            Row("pyshacl", "Turtle", "pySHACL with schema/shapes.ttl", [python, "-c", PYSHACL, ttl, str(SHAPES)],
                shacl_results, baseline="rdflib-parse", timeout=900),
            Row("rdflib-serialise", "JSON to Turtle", "rdflib: build the graph, serialise",
                [python, "-c", RDFLIB_SERIALISE, document, str(rdflib_ttl)], converted(rdflib_ttl),
                baseline="read-json"),
            Row("citynet-convert", "JSON to Turtle", "citynet convert --to turtle --allow-lossy",
                # the planted errors include values RDF cannot say: without --allow-lossy nothing is written
                [citynet, "convert", document, "--to", "turtle", "--allow-lossy", "-o", str(converted_ttl),
                 "--today", TODAY],
                converted(converted_ttl), baseline="read-json", peer="rdflib-serialise"),
            Row("citynet-stream-ttl", "JSON Lines to Turtle", "citynet convert --to turtle --allow-lossy "
                "(streamed)", [citynet, "convert", jsonl, "--to", "turtle", "--allow-lossy", "-o",
                               str(streamed_ttl), "--today", TODAY],
                converted(streamed_ttl), baseline="read-jsonl", peer="rdflib-serialise"),
        ]
    table += [
        Row("version", "start-up", f"citynet --version (best of {STARTUP_RUNS})", [citynet, "--version"], exits_ok,
            runs=STARTUP_RUNS),
        Row("yaml-20", "start-up", f"citynet validate, 20-record YAML (best of {STARTUP_RUNS})",
            [citynet, "validate", str(data / "small.yaml"), "--today", TODAY], exits_ok, runs=STARTUP_RUNS),
    ]
    return table


# The report


@dataclass(frozen=True)
class Target:
    """A goal of the issue: `row`'s seconds against `against`'s (or absolute), at a size."""

    text: str
    row: str
    limit: float
    against: str | None = None  # a row key; None: the limit is in seconds
    size: str | None = None  # None: any size
    peak_mb: float | None = None


TARGETS = (
    Target("1M partnerships, JSON Lines: citynet validate ≤ 3× the orjson read-only baseline, peak ≤ 400 MB",
           "citynet-jsonl", 3.0, "read-jsonl", "1m", peak_mb=400),
    Target("1M-row flat CSV: citynet validate ≤ 0.5× frictionless validate", "citynet-flat", 0.5, "frictionless",
           "1m"),
    Target("100k-partnership JSON document: citynet validate ≤ 0.15× check-jsonschema", "citynet-json", 0.15,
           "check-jsonschema", "100k"),
    Target("100k partnerships to Turtle: citynet convert ≤ 0.2× rdflib build + serialise", "citynet-convert", 0.2,
           "rdflib-serialise", "100k"),
    Target("20-record YAML: citynet validate ≤ 0.3 s wall", "yaml-20", 0.3),
    Target("citynet --version ≤ 0.15 s", "version", 0.15),
)


def ratio(row: Row, other: str | None, by_key: dict[str, Row]) -> float | None:
    reference = by_key.get(other) if other else None
    if reference is None or not row.measured or not reference.measured:
        return None
    assert row.outcome is not None and reference.outcome is not None
    return row.outcome.seconds / reference.outcome.seconds


def times(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}×"


def table_lines(table: list[Row]) -> list[str]:
    by_key = {row.key: row for row in table}
    lines = ["| what | tool | seconds | peak MB | ratio to baseline | ratio to peer | check |",
             "|---|---|---:|---:|---:|---:|---|"]
    for row in table:
        if row.outcome is None:
            continue
        measured = row.measured or row.failed
        seconds = f"{row.outcome.seconds:.2f}" if measured else "–"
        peak = f"{row.outcome.peak_mb:.0f}" if measured else "–"
        peer = times(ratio(row, row.peer, by_key))
        if peer:
            peer += f" ({row.peer})"
        check = row.note.replace("|", "\\|")
        lines.append(f"| {row.what} | {row.tool} | {seconds} | {peak} | {times(ratio(row, row.baseline, by_key))} "
                     f"| {peer} | {check} |")
    return lines


def target_lines(table: list[Row], size: str) -> list[str]:
    by_key = {row.key: row for row in table}
    lines = []
    for target in TARGETS:
        row = by_key.get(target.row)
        if row is None or not row.measured:
            lines.append(f"- {target.text}: not measured in this run")
            continue
        assert row.outcome is not None
        value = row.outcome.seconds if target.against is None else ratio(row, target.against, by_key)
        if value is None:
            lines.append(f"- {target.text}: not measured in this run ({target.against} did not run)")
            continue
        shown = f"{value:.2f} s" if target.against is None else f"{value:.2f}×"
        if target.peak_mb is not None:
            shown += f", peak {row.outcome.peak_mb:.0f} MB"
        if target.size is not None and target.size != size:
            lines.append(f"- {target.text}: not evaluated, the target is for {target.size}; at {size}: {shown}")
            continue
        misses = [f"{value / target.limit:.2f} times the limit"] if value > target.limit else []
        if target.peak_mb is not None and row.outcome.peak_mb > target.peak_mb:
            misses.append(f"peak {row.outcome.peak_mb / target.peak_mb:.2f} times the limit")
        verdict = f"**missed** by {', '.join(misses)}" if misses else "**met**"
        lines.append(f"- {target.text}: {shown}: {verdict}")
    return lines


def machine_lines(size: str, at: str) -> list[str]:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    except OSError:
        pass
    versions = []
    for name in ("citynet-exchange", "orjson", "frictionless", "check-jsonschema", "rdflib", "pyshacl"):
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} not installed")
    return [f"- size: {size} ({SIZES[size]:,} partnerships, {SIZES[size] // 2:,} towns); citynet at {at}",
            f"- machine: {cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}; {', '.join(versions)}",
            f"- date: {datetime.now().astimezone().isoformat(timespec='minutes')}"]


def commit() -> str:
    """The commit citynet runs from, and whether its code has changes not committed yet."""
    def git(*args: str) -> str:
        result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "an unknown commit"
    changed = git("status", "--porcelain", "--", "citynet_exchange", "plugins")
    return head + (" with uncommitted changes" if changed else "")


def report(table: list[Row], size: str, at: str) -> str:
    skipped = [f"- {row.tool}: {row.note}" for row in table if row.note.startswith(("stopped", "not available"))]
    fewest = min((row.runs for row in table), default=1)
    runs = [f"- each row: the fastest of {fewest} runs"] if fewest > 1 else []
    parts = [f"## {size}", "", *machine_lines(size, at), *runs, "", *table_lines(table), "",
             "Targets:", "", *target_lines(table, size)]
    if skipped:
        parts += ["", "Notes:", "", *skipped]
    return "\n".join(parts) + "\n"


def compile_bytecode() -> None:
    """Compile the project's modules as installing it does: an editable install under
    PYTHONDONTWRITEBYTECODE would otherwise compile every module on every start, which the
    start-up rows would measure instead of citynet."""
    import compileall

    for folder in ("citynet_exchange", "plugins"):
        compileall.compile_dir(HERE.parent / folder, quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), required=True)
    parser.add_argument("--data", type=Path, help="default: benchmarks/data/<size>")
    parser.add_argument("--only", help="comma-separated row names (run with --list to see them)")
    parser.add_argument("--list", action="store_true", help="list the row names and exit")
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    parser.add_argument("--runs", type=int, default=1,
                        help="run each row this many times, in rounds, and keep the fastest (a shared machine's "
                             "noise only adds)")
    args = parser.parse_args()
    data = (args.data or HERE / "data" / args.size).resolve()
    with tempfile.TemporaryDirectory(prefix="citynet-bench-") as folder:
        expected = {} if args.list else ensure_data(args.size, data)
        table = rows(args.size, data, Path(folder), expected)
        if args.list:
            print("\n".join(f"{row.key:18} {row.what}: {row.tool}" for row in table))
            return
        only = set(args.only.split(",")) if args.only else None
        unknown = (only or set()) - {row.key for row in table}
        if unknown:
            parser.error(f"no such rows: {', '.join(sorted(unknown))} (see --list)")
        table = [replace(row, runs=max(row.runs, args.runs)) for row in table if only is None or row.key in only]
        at = commit()  # when the run starts: the code may change while it runs
        compile_bytecode()
        run_rows(table, Path(folder))
    text = report(table, args.size, at)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if any(row.failed for row in table):
        sys.exit(1)


if __name__ == "__main__":
    main()
