"""The CSV package: one table per record kind, in a folder, a zip or a workbook.

`towns.csv`, `networks.csv`, `partnerships.csv` and `memberships.csv` hold the records,
one row each, with the columns of `citynet_exchange.tables.columns`; `metadata.csv` holds
the dataset's own fields as `field,value` rows. A workbook holds the same tables as
sheets of those names. Every value of a dataset has a cell, so JSON -> package -> JSON
gives the same dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, BinaryIO

from citynet_exchange import hookimpl
from citynet_exchange.findings import Hit
from citynet_exchange.formats import Document, Exporter, Importer, Input, WriteOptions

if TYPE_CHECKING:
    from citynet_exchange.tables.workbook import Sheet

NAME = "csv"


class PackageImporter(Importer):
    name = NAME
    title = "CSV package: a table per record kind (folder, zip or workbook)"
    extensions = (".zip", ".xlsx")
    options = frozenset({"encoding", "delimiter"})
    folders = True

    def sniff(self, source: Input) -> bool:
        from citynet_exchange_csv import package  # the tables and their libraries: only when a table is read

        return package.sniff(source)

    def load(self, source: Input) -> Document:
        from citynet_exchange_csv import package

        return package.load(source)


class PackageExporter(Exporter):
    name = NAME
    title = "CSV package: a table per record kind (a zip, a folder, or a workbook)"
    extension = ".zip"
    options = frozenset({"workbook", "spreadsheet_safe"})
    binary = True

    def dump(self, data: Mapping[str, Any], out: BinaryIO, options: WriteOptions) -> list[Hit]:
        from citynet_exchange_csv import package

        return package.dump(data, out, options)

    def template(self) -> list[Sheet]:
        from citynet_exchange_csv import package

        return package.template()


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(PackageImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(PackageExporter())
