"""The built-in semantic rules: what the JSON Schema cannot say about a dataset.

Each module holds the rules about one subject; this module only registers them.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.rules import Rule
from citynet_exchange_rules import countries, date_rules, districts, identifiers, partnerships, references, towns

RULES: tuple[Rule, ...] = (
    *references.RULES,
    *date_rules.RULES,
    *countries.RULES,
    *identifiers.RULES,
    *towns.RULES,
    *districts.RULES,
    *partnerships.RULES,
)


@hookimpl
def citynet_register_rules(register: Callable[[Rule], None]) -> None:
    for rule in RULES:
        register(rule)
