"""The gate of one record kind: its structure and the quiet schemas of the rules that see it
(`Checker.quiet_schema`), compiled into one check, so that a sound record no such rule has
anything to say about costs one call, however many rules there are."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from citynet_exchange.structure import Compiled, Structure

# The sets of refusing rules remembered per kind, each with a check of the other quiet
# schemas: a few sets cover the records a gate refuses (such as German towns, whose AGS and
# ARS one rule compares and JSON Schema cannot).
REMEMBERED = 4


class Gate:
    """`passes`: whether a record is sound and every quiet schema accepts it. For a sound
    record that fails it, `refusing` names the rules whose quiet schemas refuse it."""

    def __init__(self, structure: Structure, kind: str, schemas: Mapping[str, Mapping[str, Any]]):
        """`schemas`: the quiet schemas by rule code."""
        self.passes = structure.gate(kind, list(schemas.values()))
        self.codes = frozenset(schemas)
        self._schemas = schemas
        self._each: dict[str, Callable[[Any], bool]] = {}  # each quiet schema's own check, compiled when first asked
        self._others: list[tuple[frozenset[str], Callable[[Any], bool]]] = []

    def refusing(self, record: Any) -> frozenset[str]:
        """The codes of the rules whose quiet schemas refuse a sound record. Once a set of
        codes has refused a record, the next one is first checked against the other schemas
        at once, so that only the set's own are checked one by one."""
        if not self._each:
            self._each = {code: Compiled(schema).is_valid for code, schema in self._schemas.items()}
        for left_out, others in self._others:
            if others(record):
                return frozenset(code for code in left_out if not self._each[code](record))
        refused = frozenset(code for code, check in self._each.items() if not check(record))
        others = [schema for code, schema in self._schemas.items() if code not in refused]
        if refused and others and len(self._others) < REMEMBERED:
            self._others.append((refused, Compiled({"allOf": others}).is_valid))
        return refused
