"""Native JSON: a dataset document as one JSON object (the standard's own form)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from json_source_map import calculate

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import (
    Document, Exporter, FileLocator, Importer, Input, Position, PositionLocator, decode_text, syntax_hit,
)

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
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            hit = syntax_hit(source.name, exc.lineno, exc.colno, exc.msg)
            return Document(source.name, self.name, None, FileLocator(source.name), [hit])
        return Document(source.name, self.name, data, PositionLocator(source.name, _positions(text)))


def _positions(text: str) -> Callable[[], Mapping[str, tuple[Position, Position | None]]]:
    """Line and column of every value and key, computed only when a finding needs one."""

    def build() -> dict[str, tuple[Position, Position | None]]:
        return {
            pointer: (
                (entry.value_start.line + 1, entry.value_start.column + 1),
                (entry.key_start.line + 1, entry.key_start.column + 1) if entry.key_start else None,
            )
            for pointer, entry in calculate(text).items()
        }

    return build


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
