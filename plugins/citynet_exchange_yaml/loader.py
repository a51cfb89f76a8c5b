"""YAML to plain data, with the line and column of every value and key.

YAML 1.2 core-schema scalars, so that `NO` stays Norway's country code and `05315000`
is not read as an octal number: only true/false are booleans, and dates stay text (the
standard's partial dates are strings). Only plain data is built: a tag that would
construct an object is reported, never executed. A key given twice in one mapping is a
finding, not a silent last-wins.
"""

from __future__ import annotations

import math
import re
from typing import Any

import yaml

from citynet_exchange.findings import Hit, Location, pointer_token
from citynet_exchange.formats import Position

Positions = dict[str, tuple[Position, Position | None]]

_CORE = "tag:yaml.org,2002:"
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


class _Composer(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer, _Resolver):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        _Resolver.__init__(self)


class Problem(Exception):
    """The text is not YAML: nothing can be read."""

    def __init__(self, message: str, line: int | None, column: int | None):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _pos(node: yaml.Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str, file: str) -> tuple[Any, Positions, list[Hit]]:
    """Plain data, positions by JSON Pointer, and problems met on the way."""
    try:
        node = _Composer(text).get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise Problem(problem, mark.line + 1 if mark else None, mark.column + 1 if mark else None) from exc
    except yaml.YAMLError as exc:  # reader errors: control characters and the like
        raise Problem(str(exc), None, None) from exc
    if node is None:
        raise Problem("the file holds no data", 1, 1)
    builder = _Builder(file)
    return builder.build(node, ""), builder.positions, builder.problems


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
        if tag == "str":
            return value
        if tag == "null":
            return None
        if tag == "bool":
            return value.lower() == "true"
        if tag == "int":
            base = 16 if value.startswith("0x") else 8 if value.startswith("0o") else 10
            return int(value[2:] if base != 10 else value, base)
        if tag == "float":
            special = value.lower().lstrip("+")
            if special in (".inf", "-.inf", ".nan"):
                return {".inf": math.inf, "-.inf": -math.inf, ".nan": math.nan}[special]
            return float(value)
        self._unsupported_tag(node, pointer, "the value is read as text")
        return value

    def _unsupported_tag(self, node: yaml.Node, pointer: str, consequence: str) -> None:
        self._problem("syntax-error", "syntax", node, pointer=pointer, problem=f"the YAML tag {node.tag} is not supported; {consequence}")

    def _problem(self, code: str, message: str, node: yaml.Node, pointer: str | None = None, **params: Any) -> None:
        line, column = _pos(node)
        self.problems.append(Hit(code=code, message=message, params=params, pointer=pointer,
                                 location=Location(file=self.file, line=line, column=column, pointer=pointer)))
