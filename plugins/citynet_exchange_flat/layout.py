"""The columns of a flat partnership table: the partnership's own, then each town's.

The columns come from the models (`columns_of`), so a field added to the standard gets its
column here too: the partnership's fields but `members` (the two towns take their place),
and every Town column twice, prefixed `town_a.` and `town_b.`.
"""

from __future__ import annotations

from citynet_exchange.model import Partnership, Town
from citynet_exchange.tables.columns import Column, columns_of
from citynet_exchange.tables.from_rows import Binding, bind
from citynet_exchange.tables.table import Table

FORMAT_WORDS = "a flat partnership table"
SHEET = "partnership table"  # not "partnerships": that sheet name makes a workbook a CSV package
SIDES = ("town_a", "town_b")
# The towns' fields a row cannot do without; the partnership's kind defaults to `unspecified`.
REQUIRED_TOWN_FIELDS = ("name", "country")

OWN_COLUMNS: tuple[Column, ...] = tuple(c for c in columns_of(Partnership) if c.path != ("members",))
TOWN_COLUMNS: tuple[Column, ...] = columns_of(Town)


def side_columns(side: str) -> tuple[Column, ...]:
    """The Town columns of one side: `town_a.name`, `town_a.location.lat` ..."""
    return tuple(Column(f"{side}.{c.name}", (side, *c.path), c.form) for c in TOWN_COLUMNS)


# In the order an export writes them: the id, the two towns, the rest of the partnership.
COLUMNS: tuple[Column, ...] = (OWN_COLUMNS[0], *side_columns(SIDES[0]), *side_columns(SIDES[1]), *OWN_COLUMNS[1:])
REQUIRED: tuple[str, ...] = tuple(f"{side}.{name}" for side in SIDES for name in REQUIRED_TOWN_FIELDS)


def column_named(name: str) -> Binding | None:
    """The canonical column a name means, as `bind` matches a header (any letter case,
    `town_a.names.<tag>` included); None for a name that is no column of the format."""
    (binding,) = bind(Table(file="", header=[name], rows=[]), COLUMNS)
    return binding if binding.path is not None else None


def canonical_name(binding: Binding) -> str:
    """The canonical name of a bound column (`town_a.location.lat`); empty for an unknown one."""
    return ".".join(binding.path or ())
