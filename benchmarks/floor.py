"""What the least a JSON Lines validation must do costs, stage by stage, in one process.

    python benchmarks/floor.py benchmarks/data/1m/dataset.jsonl [--runs 3]

Each stage runs over the whole file and adds one piece of work to the stage before it:

1. read: every line read and parsed with orjson (the benchmark's read-only baseline);
2. exact: each line written back and compared, to know orjson read it as JSON means it
   (and the record's kind taken out and numbered);
3. structure: the compiled check of the published schema (jsonschema-rs), a record at a time;
4. index: the ids every record defines and those partnerships refer to (`Index`);
5. duplicates: the keys the duplicate rules compare (a town's name, country and subdivision;
   a partnership's kind and members), noted as hashes (`HashGroups`).

No rule runs, no finding is made and nothing is sent between processes: the last stage is
a floor under `citynet validate`, and the ratios say how far above the read-only baseline
that floor already lies. Two processes can at best share its CPU time, and handing a record
from one to the other costs time of its own.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from citynet_exchange.index import HashGroups, Index
from citynet_exchange.structure import Structure

STAGES = ("read", "exact", "structure", "index", "duplicates")


def run(path: Path, stages: int) -> int:
    """The first `stages` stages over the file; the number of records."""
    loads, dumps = orjson.loads, orjson.dumps
    checks = {kind: compiled.is_valid for kind, compiled in Structure(10_000).kinds.items()}
    index, towns, partnerships = Index(), HashGroups(), HashGroups()
    counts: dict[str, int] = {}
    records = 0
    for line in _lines(path):
        value = loads(line)
        records += 1
        if stages < 2:
            continue
        exact = dumps(value) == line.rstrip(b"\r\n")
        kind = value.pop("@record")
        number = counts[kind] = counts.get(kind, -1) + 1
        if stages < 3 or not exact:
            continue
        sound = checks[kind](value)
        if stages < 4:
            continue
        record_id = value.get("id")
        if type(record_id) is str:
            index.define(kind, record_id, number)
        index.refer_all(kind, number, value)
        if stages < 5 or not sound:
            continue
        if kind == "town":
            name = " ".join(unicodedata.normalize("NFC", value["name"]).casefold().split())
            towns.add((name, value["country"], value.get("subdivision")), number)
        elif kind == "partnership":
            partnerships.add((value["kind"], frozenset(value["members"])), number)
    if stages >= 4:
        index.settle(lambda _kind, _number: None)
        list(index.unknown_references())
    if stages >= 5:
        towns.groups(), partnerships.groups()
    return records


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as stream:
        next(stream)  # the header
        yield from stream


def timed(work: Callable[[], Any], runs: int) -> tuple[float, float]:
    """The fastest of `runs` runs: (wall seconds, CPU seconds)."""
    best = (float("inf"), float("inf"))
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        best = min(best, (time.perf_counter() - wall, time.process_time() - cpu))
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a JSON Lines dataset (benchmarks/generate.py writes them)")
    parser.add_argument("--runs", type=int, default=1, help="run each stage this many times and keep the fastest")
    args = parser.parse_args(argv)
    gc.disable()  # as citynet does while it validates
    records = run(args.path, 1)
    print(f"{args.path}: {records:,} records\n")
    print("| stage | wall s | CPU s | µs a record | × read |")
    print("|---|---:|---:|---:|---:|")
    baseline = None
    for number, stage in enumerate(STAGES, 1):
        wall, cpu = timed(lambda: run(args.path, number), args.runs)
        baseline = baseline or wall
        print(f"| {number}. {stage} | {wall:.2f} | {cpu:.2f} | {wall / records * 1e6:.2f} | {wall / baseline:.2f} |")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
