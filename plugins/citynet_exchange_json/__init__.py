"""Native JSON: a dataset document as one JSON object (the standard's own form), read record
by record (`reader`)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Document, Exporter, Importer, Input, WriteOptions
from citynet_exchange.json_writing import finite

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class JsonImporter(Importer):
    name = "json"
    title = "citynet-exchange JSON document"
    extensions = (".json",)

    def sniff(self, source: Input) -> bool:
        head = source.head
        for bom in _BOMS:
            head = head.removeprefix(bom)
        return head.replace(b"\x00", b"").lstrip()[:1] == b"{"

    def load(self, source: Input) -> Document:
        from citynet_exchange_json.reader import read  # when a JSON file is read, not at every start

        return read(source)


class JsonExporter(Exporter):
    name = "json"
    title = "citynet-exchange JSON document"
    extension = ".json"

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        data, lost = finite(data, "", "JSON")
        out.write(json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n")
        return lost


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(JsonImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JsonExporter())
