"""Native YAML: the dataset document written in YAML, the form people edit by hand."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, BinaryIO

import yaml

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import (
    Document, Exporter, FileLocator, Importer, Input, PositionLocator, WriteOptions, decode_text,
)
from citynet_exchange_yaml.loader import Problem, compose, reads_as_text

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
            return Document(source.name, self.name, None, FileLocator(source.name), [exc.hit])
        return Document(source.name, self.name, data, PositionLocator(source.name, lambda: positions), problems)


class YamlExporter(Exporter):
    name = "yaml"
    title = "citynet-exchange YAML document"
    extension = ".yaml"

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        try:
            text = yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
        except RecursionError:  # PyYAML's writer recurses; JSON is read some hundreds of levels deeper
            return [Hit(code="conversion-loss", message="lost", pointer="",
                        params={"what": "the document, nested too deeply for the YAML writer,", "format": "YAML"})]
        out.write(text.encode("utf-8"))
        return []


_SPECIAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\r]")


class _Dumper(yaml.SafeDumper):
    """PyYAML writes YAML 1.1; text that YAML 1.2 would read as a number (`06433008`, an
    AGS) is quoted, so that the file reads back as it was written."""

    def represent_str(self, data: str) -> yaml.ScalarNode:
        node = super().represent_str(data)
        if _SPECIAL.search(data):  # line breaks YAML readers normalise: escaped in double quotes
            node.style = '"'
        elif node.style is None and not reads_as_text(data):
            node.style = "'"
        return node


_Dumper.add_representer(str, _Dumper.represent_str)


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(YamlImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(YamlExporter())
