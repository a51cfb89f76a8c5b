"""The tables of a CSV package and the columns of its metadata table."""

from __future__ import annotations

from citynet_exchange.model import KINDS, Dataset, Metadata
from citynet_exchange.tables.columns import Column, columns_of

METADATA = "metadata"
TABLES = (METADATA, *(key for key, _model in KINDS.values()))
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
# The dataset's own fields in metadata.csv: the standard version, the metadata, extensions.
DATASET_COLUMNS: tuple[Column, ...] = (
    Column("standard", ("standard",), "text"),
    *(Column(c.name, ("metadata", *c.path), c.form) for c in columns_of(Metadata)),
    Column("extensions", ("extensions",), "json"),
)
STANDARD = Dataset.model_fields["standard"].annotation.__args__[0]  # type: ignore[union-attr]
