"""JSON Lines: a dataset one record a line, read and written as a stream.

The first line is the dataset's header, `{"@record": "dataset", "standard": "1.0", ...}`,
holding every top-level field but the record lists; each further line is one record, its
kind named by the key `@record` (`town`, `network`, `partnership`, `membership`), which no
field of the standard uses. A validator reads it line by line, so a dataset of millions of
records is checked in memory that grows with its ids, not its size; a line that cannot be
read is a finding at that line, and the others are still read.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.formats import DeferredExporter, DeferredImporter, Exporter, Importer, Input

_KIND_KEY = b'"@record"'


class JsonlImporter(DeferredImporter):
    name = "jsonl"
    title = "citynet-exchange JSON Lines"
    extensions = (".jsonl", ".ndjson")
    module = "citynet_exchange_jsonl.reader"

    def sniff(self, source: Input) -> bool:
        first = source.head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
        return first.startswith(b"{") and _KIND_KEY in first


class JsonlExporter(DeferredExporter):
    name = "jsonl"
    title = "citynet-exchange JSON Lines"
    extension = ".jsonl"
    module = "citynet_exchange_jsonl.writer"
    streams = True


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(JsonlImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JsonlExporter())
