"""Native YAML: the dataset document written in YAML, the form people edit by hand."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

import yaml

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import (
    Document, Exporter, FileLocator, Importer, Input, PositionLocator, WriteOptions, decode_text, syntax_hit,
)
from citynet_exchange_yaml.loader import Problem, compose

_TEXT_START = (b"standard", b"metadata", b"towns", b"networks", b"partnerships", b"memberships", b"---", b"#")


class YamlImporter(Importer):
    name = "yaml"
    title = "citynet-exchange YAML document"
    extensions = (".yaml", ".yml")

    def sniff(self, source: Input) -> bool:
        head = source.head
        return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(_TEXT_START)

    def load(self, source: Input) -> Document:
        text, problem = decode_text(source)
        if text is None:
            return Document(source.name, self.name, None, FileLocator(source.name), [problem] if problem else [])
        try:
            data, positions, problems = compose(text, source.name)
        except Problem as exc:
            hit = syntax_hit(source.name, exc.line, exc.column, exc.message)
            return Document(source.name, self.name, None, FileLocator(source.name), [hit])
        return Document(source.name, self.name, data, PositionLocator(source.name, lambda: positions), problems)


class YamlExporter(Exporter):
    name = "yaml"
    title = "citynet-exchange YAML document"
    extension = ".yaml"

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        text = yaml.safe_dump(dict(data), sort_keys=False, allow_unicode=True, width=100)
        out.write(text.encode("utf-8"))
        return []


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(YamlImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(YamlExporter())
