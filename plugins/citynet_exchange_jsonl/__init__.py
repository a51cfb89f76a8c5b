"""JSON Lines: a dataset one record a line, read and written as a stream.

The first line is the dataset's header, `{"@record": "dataset", "standard": "1.0", ...}`,
holding every top-level field but the record lists; each further line is one record, its
kind named by the key `@record` (`town`, `network`, `partnership`, `membership`), which no
field of the standard uses. A validator reads it line by line, so a dataset of millions of
records is checked in memory that grows with its ids, not its size; a line that cannot be
read is a finding at that line, and the others are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Document, Exporter, Importer, Input, WriteOptions

_KIND_KEY = b'"@record"'


class JsonlImporter(Importer):
    name = "jsonl"
    title = "citynet-exchange JSON Lines"
    extensions = (".jsonl", ".ndjson")

    def sniff(self, source: Input) -> bool:
        first = source.head.removeprefix(b"\xef\xbb\xbf").lstrip().split(b"\n", 1)[0]
        return first.startswith(b"{") and _KIND_KEY in first

    def load(self, source: Input) -> Document:
        from citynet_exchange_jsonl.reader import Reader  # orjson and the reader: only when read

        return Reader(source, self.name).document


class JsonlExporter(Exporter):
    name = "jsonl"
    title = "citynet-exchange JSON Lines"
    extension = ".jsonl"

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        from citynet_exchange_jsonl.writer import write

        return write(data, out)


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(JsonlImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JsonlExporter())
