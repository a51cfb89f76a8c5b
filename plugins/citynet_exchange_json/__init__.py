"""Native JSON: a dataset document as one JSON object (the standard's own form)."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange.formats import (
    Document, Exporter, WriteOptions, FileLocator, Importer, Input, PositionLocator, decode_text, syntax_hit,
)
from citynet_exchange.json_writing import finite
from citynet_exchange.json_positions import NotJson, TextLocator, loads, walk

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
        text, problem = decode_text(source)
        if text is None:
            return self._unreadable(source, problem)
        repeated = False

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            nonlocal repeated
            result = dict(items)
            repeated = repeated or len(result) != len(items)
            return result

        try:
            data = loads(text, object_pairs_hook=pairs)
        except json.JSONDecodeError as exc:
            return self._unreadable(source, syntax_hit(source.name, exc.lineno, exc.colno, exc.msg))
        except RecursionError:
            return self._unreadable(source, syntax_hit(source.name, None, None,
                                                       "the values are nested too deeply to read"))
        except NotJson as exc:
            line, column = exc.position
            return self._unreadable(source, syntax_hit(source.name, line, column, exc.problem))
        if not repeated:
            return Document(source.name, self.name, data, TextLocator(source.name, text))
        positions, duplicates = walk(text)
        problems = [
            Hit(code="duplicate-key", message="duplicate", params={"name": name}, pointer=key_pointer,
                location=Location(file=source.name, line=line, column=column, pointer=key_pointer))
            for pointer, name, (line, column) in duplicates
            for key_pointer in [f"{pointer}/{pointer_token(name)}"]
        ]
        return Document(source.name, self.name, data, PositionLocator(source.name, lambda: positions), problems)

    def _unreadable(self, source: Input, problem: Hit | None) -> Document:
        return Document(source.name, self.name, None, FileLocator(source.name), [problem] if problem else [])


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
