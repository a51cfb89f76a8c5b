"""The CSV package: one table per record kind, in a folder, a zip or a workbook.

`towns.csv`, `networks.csv`, `partnerships.csv` and `memberships.csv` hold the records,
one row each, with the columns of `citynet_exchange.tables.columns`; `metadata.csv` holds
the dataset's own fields as `field,value` rows. A workbook holds the same tables as
sheets of those names. Every value of a dataset has a cell, so JSON -> package -> JSON
gives the same dataset.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.formats import DeferredExporter, DeferredImporter, Exporter, Importer

NAME = "csv"


class PackageImporter(DeferredImporter):
    name = NAME
    title = "CSV package: a table per record kind (folder, zip or workbook)"
    extensions = (".zip", ".xlsx")
    options = frozenset({"encoding", "delimiter"})
    folders = True
    module = "citynet_exchange_csv.reader"


class PackageExporter(DeferredExporter):
    name = NAME
    title = "CSV package: a table per record kind (a zip, a folder, or a workbook)"
    extension = ".zip"
    options = frozenset({"workbook", "spreadsheet_safe"})
    binary = True
    module = "citynet_exchange_csv.writer"


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(PackageImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(PackageExporter())
