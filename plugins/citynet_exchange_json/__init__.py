"""Native JSON: a dataset document as one JSON object (the standard's own form)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit, Location
from citynet_exchange.formats import (
    Document, Exporter, FileLocator, Importer, Input, PositionLocator, decode_text, syntax_hit,
)
from citynet_exchange_json.positions import escape, walk

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


class JsonImporter(Importer):
    name = "json"
    title = "citynet-exchange JSON document"
    extensions = (".json",)

    def sniff(self, head: bytes) -> bool:
        for bom in _BOMS:
            head = head.removeprefix(bom)
        return head.replace(b"\x00", b"").lstrip()[:1] == b"{"

    def load(self, source: Input) -> Document:
        text, problem = decode_text(source)
        if text is None:
            return Document(source.name, self.name, None, FileLocator(source.name), [problem] if problem else [])
        repeated = False

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            nonlocal repeated
            result = dict(items)
            repeated = repeated or len(result) != len(items)
            return result

        try:
            data = json.loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            hit = syntax_hit(source.name, exc.lineno, exc.colno, exc.msg)
            return Document(source.name, self.name, None, FileLocator(source.name), [hit])
        except RecursionError:
            hit = syntax_hit(source.name, None, None, "the values are nested too deeply to read")
            return Document(source.name, self.name, None, FileLocator(source.name), [hit])
        if not repeated:
            return Document(source.name, self.name, data, PositionLocator(source.name, lambda: walk(text)[0]))
        positions, duplicates = walk(text)
        problems = [
            Hit(code="duplicate-key", message="duplicate", params={"name": name}, pointer=f"{pointer}/{escape(name)}",
                location=Location(file=source.name, line=line, column=column, pointer=f"{pointer}/{escape(name)}"))
            for pointer, name, (line, column) in duplicates
        ]
        return Document(source.name, self.name, data, PositionLocator(source.name, lambda: positions), problems)


class JsonExporter(Exporter):
    name = "json"
    title = "citynet-exchange JSON document"
    extension = ".json"

    def dump(self, data: Mapping[str, Any], out: BinaryIO) -> list[Hit]:
        out.write(json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8") + b"\n")
        return []


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(JsonImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(JsonExporter())
