"""A record's verdict: what its structure and the rules' quiet schemas say of it, in one call.

A rule may give, for a record kind, a quiet schema (`Checker.quiet_schema`): a record that
satisfies it is one the rule has nothing to say of. For a big file, the structure of a kind
and the quiet schemas of the rules that see it are compiled into one check (a gate), so that
most records cost one compiled call and are shown only to the rules without a quiet schema.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from citynet_exchange.structure import Compiled, Structure


class Verdicts:
    """By record kind, once compiled (`compile`): the gate (False: no rule has a quiet schema),
    the quiet schemas by rule code, and, for a sound record the gate refuses, each quiet
    schema's own check (compiled when first needed)."""

    def __init__(self, structure: Structure):
        self.structure = structure
        self.gates: dict[str, Callable[[Any], bool] | bool] = {}
        self.quiet: dict[str, dict[str, Mapping[str, Any]]] = {}
        self._each_quiet: dict[str, list[Callable[[Any], bool]]] = {}
        self._valid = {kind: compiled.is_valid for kind, compiled in structure.kinds.items()}

    def judge(self, kind: str, raw: Any) -> int:
        """-1: the record is not sound; else the quiet schemas (of `quiet[kind]`) it fails, a bit
        each (most records: 0)."""
        gate = self.gates.get(kind)
        if gate and gate(raw):
            return 0
        if not self._valid[kind](raw):
            return -1
        if not gate:
            return 0  # no quiet schemas (yet): every rule sees it
        checks = self._each_quiet.get(kind)
        if checks is None:
            checks = self._each_quiet[kind] = [Compiled(schema).is_valid for schema in self.quiet[kind].values()]
        return sum(1 << bit for bit, check in enumerate(checks) if not check(raw))

    def quiet_codes(self, kind: str, verdict: int) -> set[str]:
        """The rules whose quiet schema a sound record of `kind` with this `verdict` satisfies."""
        return {code for bit, code in enumerate(self.quiet.get(kind, ())) if not verdict >> bit & 1}

    def compile(self, kind: str, schemas: Mapping[str, Mapping[str, Any]]) -> dict[str, ValueError]:
        """The gate of `kind`, of its structure and the quiet `schemas` (by rule code), for the
        records still to come; why each schema that does not compile cannot, by rule code (it
        is left out)."""
        kept = dict(schemas)
        failures: dict[str, ValueError] = {}

        def compiled() -> Callable[[Any], bool] | None:
            return self.structure.gate(kind, list(kept.values())) if kept else None

        try:
            gate = compiled()
        except Exception:  # some quiet schema does not compile: each is compiled alone to find which
            for code, schema in schemas.items():
                failure = _compile_failure(schema, kind)
                if failure is not None:
                    failures[code] = failure
                    del kept[code]
            gate = compiled()
        self.gates[kind] = False if gate is None else gate
        if gate is not None:
            self.quiet[kind] = kept
        return failures


def _compile_failure(schema: Mapping[str, Any], kind: str) -> ValueError | None:
    """Why a rule's quiet schema for `kind` cannot be compiled, if it cannot."""
    try:
        Compiled(schema)
    except Exception as exc:
        reason = (str(exc).splitlines() or [type(exc).__name__])[0]
        failure = ValueError(f"its quiet schema for {kind} records cannot be compiled: {reason}")
        failure.__cause__ = exc
        return failure
    return None
