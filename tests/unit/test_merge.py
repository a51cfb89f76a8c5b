"""Many files as one dataset: records counted across them are read again from each's own file."""

from __future__ import annotations

from citynet_exchange.formats import Document, FileLocator
from citynet_exchange.merge import Span


def test_records_read_again_across_files_come_each_from_its_file() -> None:
    span = Span()
    for name, count, start in (("a.json", 2, 0), ("b.json", 3, 2)):
        towns = [{"id": f"{name}-{n}"} for n in range(count)]
        span.add(Document(name, "json", {"towns": towns}, FileLocator(name)), {"town": start})
    assert [r["id"] for r in span.records_at("town", [4, 0, 2, 1, 3])] == \
        ["b.json-2", "a.json-0", "b.json-0", "a.json-1", "b.json-1"]
    assert span.record("town", 3) == {"id": "b.json-1"}
