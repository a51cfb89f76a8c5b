"""JSON-LD made safe to hand to rdflib: no context left that it would fetch.

rdflib's JSON-LD parser fetches every context named by a string (a URL, or a local file
path) and every `@import`, wherever it stands and even when a context is passed in. So the
whole document is inspected first: the standard's own context IRI is replaced by the
context shipped with the package, any other named context or `@import` is refused.

Two costs are capped on the way. A document nested deeper than any dataset needs is
refused before a recursive parser meets it. So is one whose own contexts define more
terms than any dataset needs: rdflib copies every term of the active context for each use
of a scoped term, so its time grows with terms times uses (a 417 kB document with 6,000 of
each took 1.6 s; ten times the size takes a hundred times as long).
"""

from __future__ import annotations

import copy
import json
from typing import Any

from citynet_exchange.findings import Hit
from citynet_exchange.formats import refusal, syntax_hit
from citynet_exchange.json_positions import NotJson, loads
from citynet_exchange.resources import CONTEXT, CONTEXT_IRI, load_json
from citynet_exchange_rdf.safety_hits import place_of

MAX_DEPTH = 64  # a dataset nests about ten levels; JSON-LD's @graph and @list add a few
MAX_TERMS = 1000  # in the document's own contexts; the standard's has about a hundred
_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"
_NOT_FETCHED = (f"contexts are not fetched; inline the context in the document (the standard's own, "
                f"{CONTEXT_IRI}, is known)")


def safe_jsonld(text: str, file: str) -> tuple[str | None, list[Hit]]:
    """The document to hand to rdflib, with the standard's context inlined; or None and the
    hits that say why it is not read."""
    try:
        data = loads(text)
    except json.JSONDecodeError as exc:
        return None, [syntax_hit(file, exc.lineno, exc.colno, exc.msg)]
    except NotJson as exc:
        return None, [syntax_hit(file, *exc.position, exc.problem)]
    except RecursionError:
        return None, [_too_deep(file)]
    ours, refusals = _inspect(data, text, file)
    if refusals:
        return None, refusals
    if ours:
        standard = standard_context()
        for node in ours:
            context = node["@context"]
            node["@context"] = ([standard if item == CONTEXT_IRI else item for item in context]
                                if isinstance(context, list) else standard)
    return json.dumps(_exact(data), ensure_ascii=False), []


def _exact(value: Any) -> Any:
    """The document with each integer beyond 64 bits written as a typed value (`exact_integer`).
    (The nesting is capped by `_inspect` before this recursion.)"""
    if isinstance(value, dict):
        if _beyond_64_bits(value.get("@value")):
            return {**value, "@value": str(value["@value"]), "@type": value.get("@type", _INTEGER)}
        return {key: _exact(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_exact(item) for item in value]
    return exact_integer(value)


def exact_integer(value: Any) -> Any:
    """The value, or for an integer beyond 64 bits the JSON-LD typed value that keeps it: a JSON
    reader may take such a number for a double and change it, as orjson does (rdflib reads
    and writes JSON with orjson where it is installed)."""
    return {"@value": str(value), "@type": _INTEGER} if _beyond_64_bits(value) else value


def _beyond_64_bits(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63


def _inspect(data: Any, text: str, file: str) -> tuple[list[dict[str, Any]], list[Hit]]:
    """The objects whose `@context` names the standard's, and the refusals: every other named
    context, every `@import`, nesting deeper than `MAX_DEPTH`, more than `MAX_TERMS` terms.
    A walk without recursion over the document as written (the standard's context is
    inlined only afterwards, so its terms are not counted)."""
    ours: list[dict[str, Any]] = []
    refusals: list[tuple[int, int, Hit]] = []  # with their place, to sort them
    terms = 0
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return [], [_too_deep(file)]
        if isinstance(node, dict):
            context = node.get("@context")
            for item in context if isinstance(context, list) else [context]:
                if item == CONTEXT_IRI:
                    ours.append(node)
                elif isinstance(item, str):
                    refusals.append(_refused(f"the context {item!r}", item, text, file))
                elif isinstance(item, dict):
                    terms += sum(1 for key in item if not key.startswith("@"))
            if "@import" in node:
                refusals.append(_refused(f"the @import {node['@import']!r}", node["@import"], text, file))
            stack += [(value, depth + 1) for value in node.values()]
        elif isinstance(node, list):
            stack += [(value, depth + 1) for value in node]
    if terms > MAX_TERMS:
        return [], [refusal(file, "the JSON-LD document", f"its contexts define {terms} terms, more than the "
                            f"{MAX_TERMS} any dataset needs (rdflib copies them for every use of a scoped term)")]
    return ours, [hit for _line, _column, hit in sorted(refusals, key=lambda refused: refused[:2])]


def standard_context() -> Any:
    """The standard's own context from the installed package (a copy: rdflib may change what
    it is given, and `load_json` keeps one object for every caller)."""
    document = load_json(CONTEXT)
    return copy.deepcopy(document.get("@context", document) if isinstance(document, dict) else document)


def _refused(what: str, value: Any, text: str, file: str) -> tuple[int, int, Hit]:
    """A refusal at the first place the refused value is written in the text, where it can be
    found as written (with its place first, for sorting)."""
    offset = text.find(json.dumps(value, ensure_ascii=False)) if isinstance(value, str) else -1
    line, column = place_of(text, offset) if offset >= 0 else (None, None)
    return line or 0, column or 0, refusal(file, what, _NOT_FETCHED, line, column)


def _too_deep(file: str) -> Hit:
    return refusal(file, "the JSON-LD document", f"it is nested more than {MAX_DEPTH} levels deep, more than "
                                                 "any dataset needs")
