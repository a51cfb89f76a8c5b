"""YAML to plain data, with the line and column of every value and key.

YAML 1.2 core-schema scalars, so that `NO` stays Norway's country code and `05315000`
is not read as an octal number: only true/false are booleans, and dates stay text (the
standard's partial dates are strings). Only plain data is built: a tag that would
construct an object is reported, never executed. A key given twice in one mapping is a
finding, not a silent last-wins.

Hostile documents are stopped before they cost: aliases that would repeat more values than
`MAX_REPEATED` (the "billion laughs", nine aliases of nine aliases ...) are refused before
anything is built, an alias inside the value it names is a syntax error rather than an
endless value, and so are nesting too deep for the recursive composer and numbers that
Python cannot hold as written (`1e400`, read as infinity; an integer of more digits than
`int()` takes), and half of a surrogate pair, which is no character.
"""

from __future__ import annotations

import math
import re
import sys
from typing import Any

import yaml

from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange.formats import Position, refusal, surrogate_problem, syntax_hit

Positions = dict[str, tuple[Position, Position | None]]

_CORE = "tag:yaml.org,2002:"
MAX_REPEATED = 100_000  # values aliases may repeat in all; a dataset reusing a source a few times needs hundreds
_COLLECTION_TAGS = (_CORE + "map", _CORE + "seq")


class _Resolver(yaml.resolver.Resolver):
    yaml_implicit_resolvers: dict[str, list[tuple[str, re.Pattern[str]]]] = {}


for _tag, _regexp, _first in (
    ("null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+.0123456789")),
):
    _Resolver.add_implicit_resolver(_CORE + _tag, re.compile(_regexp), _first)


def reads_as_text(text: str) -> bool:
    """Whether a plain (unquoted) scalar of this text reads back as text under YAML 1.2."""
    return _Resolver().resolve(yaml.ScalarNode, text, (True, False)) == _CORE + "str"


class Problem(Exception):
    """The text cannot be read: `hit` says why and where."""

    def __init__(self, hit: Hit):
        super().__init__(hit.params.get("problem") or hit.params.get("why"))
        self.hit = hit


class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver):
    """PyYAML's composer, noting each alias (the node it names and where it stands) and
    refusing an alias inside the value it names, which would make that value endless."""

    def __init__(self, text: str, file: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)
        self.file = file
        self.aliases: list[tuple[yaml.Node, yaml.Mark, str]] = []  # node, place, anchor
        self._open: list[str] = []  # anchors of the collections being composed

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            if event.anchor in self._open:
                raise Problem(syntax_hit(self.file, event.start_mark.line + 1, event.start_mark.column + 1,
                                         f"the alias *{event.anchor} stands inside the value it names, which "
                                         "would make that value endless"))
            node = super().compose_node(parent, index)
            self.aliases.append((node, event.start_mark, event.anchor))
            return node
        if event.anchor is None:
            return super().compose_node(parent, index)
        self._open.append(event.anchor)
        try:
            return super().compose_node(parent, index)
        finally:
            self._open.pop()


def _pos(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str, file: str) -> tuple[Any, Positions, list[Hit]]:
    """Plain data, positions by JSON Pointer, and problems met on the way."""
    try:
        composer = _Composer(text, file)  # its reader checks the characters first
        node = composer.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise Problem(syntax_hit(file, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                                 problem)) from exc
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (a NUL byte ...)
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        raise Problem(syntax_hit(file, line, column, f"the character U+{exc.character:04X} is not allowed in "
                                 f"YAML ({exc.reason})")) from exc
    except RecursionError:
        raise Problem(syntax_hit(file, None, None, "the values are nested too deeply to read")) from None
    if node is None:
        raise Problem(syntax_hit(file, 1, 1, "the file holds no data"))
    _check_repeats(composer.aliases, file)
    builder = _Builder(file)
    return builder.build(node, ""), builder.positions, builder.problems


def _check_repeats(aliases: list[tuple[yaml.Node, yaml.Mark, str]], file: str) -> None:
    """Refuse aliases that repeat more than `MAX_REPEATED` values in all, at the alias that
    passes it: the values are counted on the composed nodes, which aliases share, before
    any is built (an alias inside an aliased value counts each time that value is repeated)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is None:
            children = [n for pair in node.value for n in pair] if isinstance(node, yaml.MappingNode) \
                else node.value if isinstance(node, yaml.SequenceNode) else []
            known = sizes[id(node)] = 1 + sum(size(child) for child in children)
        return known

    repeated = 0
    for node, mark, anchor in aliases:
        repeated += size(node)
        if repeated > MAX_REPEATED:
            raise Problem(refusal(file, f"the alias *{anchor}", f"the document's aliases repeat more than "
                                  f"{MAX_REPEATED:,} values in all, a way to exhaust memory that no dataset "
                                  "needs; write the values out", mark.line + 1, mark.column + 1))


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.positions: Positions = {}
        self.problems: list[Hit] = []

    def build(self, node: yaml.Node, pointer: str, key: Position | None = None) -> Any:
        self.positions[pointer] = (_pos(node), key)
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
            self._unsupported_tag(node, pointer, "the value is read as plain data")
        if isinstance(node, yaml.MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                name = str(self._scalar(key_node, pointer)) if isinstance(key_node, yaml.ScalarNode) else None
                if name is None:
                    self._problem("syntax-error", "syntax", key_node, problem="a key must be a plain value")
                    continue
                member = f"{pointer}/{pointer_token(name)}"
                if name in result:
                    self._problem("duplicate-key", "duplicate", key_node, pointer=member, name=name)
                result[name] = self.build(value_node, member, _pos(key_node))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, f"{pointer}/{i}") for i, item in enumerate(node.value)]
        return self._scalar(node, pointer)

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        tag, value = node.tag.removeprefix(_CORE), node.value
        problem = surrogate_problem(value)  # an escape in double quotes ("\\ud800") writes one
        if problem:
            raise Problem(syntax_hit(self.file, *_pos(node), problem))
        if tag == "str":
            return value
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() == "true"
        if tag == "int":
            base = 16 if value.startswith("0x") else 8 if value.startswith("0o") else 10
            try:
                return int(value[2:] if base != 10 else value, base)
            except ValueError:  # more digits than int() takes
                raise Problem(syntax_hit(self.file, *_pos(node), f"a whole number of {len(value)} digits is too "
                                         f"long to read (at most {sys.get_int_max_str_digits()} digits)")) from None
        if tag == "float":
            special = value.lower().lstrip("+")
            if special in (".inf", "-.inf", ".nan"):
                return {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}[special]
            number = float(value)
            if math.isinf(number):
                raise Problem(syntax_hit(self.file, *_pos(node), f"{value} is too large a number to read (numbers "
                                         "end near 1.8e308; write .inf for infinity)"))
            return number
        self._unsupported_tag(node, pointer, "the value is read as text")
        return value

    def _unsupported_tag(self, node: yaml.Node, pointer: str, consequence: str) -> None:
        self._problem("syntax-error", "syntax", node, pointer=pointer, problem=f"the YAML tag {node.tag} is not supported; {consequence}")

    def _problem(self, code: str, message: str, node: yaml.Node, pointer: str | None = None, **params: Any) -> None:
        line, column = _pos(node)
        self.problems.append(Hit(code=code, message=message, params=params, pointer=pointer,
                                 location=Location(file=self.file, line=line, column=column, pointer=pointer)))
