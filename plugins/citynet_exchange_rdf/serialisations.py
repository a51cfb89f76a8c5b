"""The RDF serialisations and how to tell them apart, without importing rdflib: the plugin
registers its importers and exporters from this, and only reading or writing RDF pays for
rdflib."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from citynet_exchange.formats import Input


@dataclass(frozen=True)
class Serialisation:
    """An RDF serialisation: its name for `--from`, file extensions and rdflib parser."""

    name: str
    extensions: tuple[str, ...]
    parser: str
    quads: bool = False  # may hold named graphs: read into a Dataset, then merged into one graph


SERIALISATIONS: dict[str, Serialisation] = {s.name: s for s in (
    Serialisation("turtle", (".ttl",), "turtle"),
    Serialisation("nt", (".nt",), "nt"),
    Serialisation("nquads", (".nq",), "nquads", quads=True),
    Serialisation("trig", (".trig",), "trig", quads=True),
    Serialisation("rdf-xml", (".rdf", ".owl", ".xml"), "xml"),
    Serialisation("json-ld", (".jsonld", ".json-ld"), "json-ld", quads=True),
)}

# Written by the plugin's own writer as the triples come (`serialise`), not through an rdflib graph.
STREAMED = frozenset({"nt", "turtle", "trig"})

_XML = re.compile(r"\s*<(\?xml|!--|!DOCTYPE|[A-Za-z_][\w.-]*:RDF\b|RDF\b)")
_JSON_LD = re.compile(r'\s*[\[{][\s\S]*"@(context|id|graph|type)"\s*:')
_DIRECTIVE = re.compile(r"^[ \t]*(@prefix|@base|prefix|base)\b", re.I | re.M)
_TERM = r'(<[^>\s]*>|_:\S+|"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?)'
_STATEMENT = re.compile(rf"^[ \t]*{_TERM}[ \t]+<[^>\s]*>[ \t]+{_TERM}(?P<graph>[ \t]+{_TERM})?[ \t]*\.[ \t]*(#.*)?$",
                        re.M)
_GRAPH_BLOCK = re.compile(r"^[ \t]*(graph[ \t]+)?(<[^>\s]*>|[\w-]*:[\w.-]*|_:[\w.-]+)?[ \t]*\{", re.I | re.M)


def detect(source: Input) -> str | None:
    """The serialisation of an input: by its extension, else by its first bytes; None when
    neither says (plain JSON, CSV and YAML are not taken for RDF)."""
    suffix = Path(source.name).suffix.lower()
    for serialisation in SERIALISATIONS.values():
        if suffix in serialisation.extensions:
            return serialisation.name
    text = _head_text(source)
    if _XML.match(text):
        return "rdf-xml"
    if _JSON_LD.match(text):
        return "json-ld"
    statements = list(_STATEMENT.finditer(text))
    directive = _DIRECTIVE.search(text)
    if not (statements or directive):
        return None
    if _GRAPH_BLOCK.search(text):
        return "trig"
    if directive:
        return "turtle"
    return "nquads" if any(s["graph"] for s in statements) else "nt"


def _head_text(source: Input) -> str:
    head = source.head
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="replace")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="replace")
