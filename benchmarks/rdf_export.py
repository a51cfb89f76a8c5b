"""Benchmark: exporting a large dataset to RDF, streamed versus through an rdflib graph.

    python benchmarks/rdf_export.py [--partnerships 100000] [--towns 50000]

Each way runs in a child process of its own, so that its peak memory (max RSS) is its
own. Prints a table of seconds, megabytes of peak memory and output size.
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import subprocess
import sys
import time
from typing import Any

WAYS = {
    "turtle, streamed": "stream:turtle",
    "n-triples, streamed": "stream:nt",
    "turtle, rdflib graph": "graph:turtle",
    "n-triples, rdflib graph": "graph:nt",
}


def dataset(partnerships: int, towns: int) -> dict[str, Any]:
    """A synthetic dataset of the given size, with the fields real data has."""
    return {
        "standard": "1.0",
        "metadata": {"publisher": "benchmark"},
        "towns": [{"id": f"t{i}", "name": f"Town {i}", "country": "DE" if i % 2 else "FR",
                   "identifiers": {"wikidata": f"Q{i + 1}"}, "location": {"lat": 50 + i / towns, "lon": 8.5},
                   "population": 1000 + i} for i in range(towns)],
        "partnerships": [{"id": f"p{i}", "kind": "twinning", "members": [f"t{i % towns}", f"t{(i * 7 + 1) % towns}"],
                          "established": str(1950 + i % 70), "themes": ["culture"]} for i in range(partnerships)],
    }


def run(way: str, partnerships: int, towns: int) -> dict[str, float]:
    """One way, in this process: the figures as JSON on standard output."""
    from citynet_exchange_rdf.serialise import write
    from citynet_exchange_rdf.vocab import DEFAULT_BASE
    from citynet_exchange_rdf.writer import TripleWriter

    data = dataset(partnerships, towns)
    mode, serialisation = way.split(":")
    out = io.BytesIO()
    start = time.perf_counter()
    triples = TripleWriter(DEFAULT_BASE, serialisation, serialisation).triples(data)
    if mode == "stream":
        write(triples, serialisation, out)
    else:
        from rdflib import Graph

        graph = Graph()
        for triple in triples:
            graph.add(triple)
        out.write(graph.serialize(format=serialisation, encoding="utf-8"))
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": seconds, "peak_mb": peak_mb, "output_mb": len(out.getvalue()) / 1e6}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--towns", type=int, default=50_000)
    parser.add_argument("--way", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        print(json.dumps(run(args.way, args.partnerships, args.towns)))
        return
    print(f"{args.partnerships} partnerships, {args.towns} towns")
    print(f"{'way':<26} {'seconds':>8} {'peak MB':>8} {'output MB':>10}")
    for label, way in WAYS.items():
        child = subprocess.run([sys.executable, __file__, "--way", way, "--partnerships", str(args.partnerships),
                                "--towns", str(args.towns)], capture_output=True, text=True, check=True)
        figures = json.loads(child.stdout)
        print(f"{label:<26} {figures['seconds']:>8.1f} {figures['peak_mb']:>8.0f} {figures['output_mb']:>10.1f}")


if __name__ == "__main__":
    main()
