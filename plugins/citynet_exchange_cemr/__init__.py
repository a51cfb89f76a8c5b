"""The `cemr` format: exports of the CEMR/RGRE partnership database of German municipalities.

No public description of the export exists. The importer reads the column names the
database uses on its pages and their common variants (`columns`), from CSV in any of the
encodings and delimiters the table reader detects, or from the first visible sheet of a workbook
(`--sheet NAME` for another). Cells are read without the spaces around them.

Reading. Each row is one bilateral partnership between the German town (Kommune; country
DE, subdivision from its Bundesland, `identifiers.ags` from its AGS) and the foreign town
(Partnerkommune, country from Land). Towns are gathered across rows by the core's
`TownRegistry`, so a German town in many rows is one Town (its AGS matches it across rows;
a row that describes it differently is a `conflicting-value` finding). Town ids come from
the registry (`de-bremen`); a partnership's id joins its two towns' ids
(`de-bremen--pl-danzig`, `-2` for a pair named again), so that ids survive re-sorting the
table. Values are translated (`values`): kinds by the partnership-kind code list (an empty
cell is `unspecified`), German and ISO dates to partial dates, topics by the theme code
list's German labels, countries and Bundesländer to ISO codes. A value that cannot be
translated is kept as it is in its field and is an `unknown-value` finding at its cell;
an unknown topic's text is kept under the partnership's `extensions.cemr.Themen`; a value
that already has the form of a code (`UK`, `DE-XX`) is left to the rules, which say more
about it. Columns the format lacks (and a column repeating one it has) are findings, and
their cells are kept under `extensions.cemr.<column>`; cells past the header under
`extensions.cemr.extra-cells`. A missing Kommune, Partnerkommune or Land column makes the
table unreadable (no document).

Writing. `--to cemr` writes the columns Kommune;Bundesland;AGS;Partnerkommune;Land;Art;
seit;bis;Themen;Bemerkung (and the columns kept under `extensions.cemr`), `;`-separated,
UTF-8 with a byte-order mark, text cells always spreadsheet-safe; `-o x.xlsx` writes a
workbook, `citynet template --format cemr` an empty one to fill in. The German member of a
partnership is the Kommune (of two German members, the first). What the table has no
place for is a `conversion-loss` finding, one per record naming all its fields; a value
that would read back otherwise (a number where the table holds text, spaces around a
name) is one at that value. Record ids are not written: the table names towns, and
reading it back makes ids from the names; nor is the order of a partnership's members,
which has no meaning.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.formats import DeferredExporter, DeferredImporter, Exporter, Importer

NAME = "cemr"


class CemrImporter(DeferredImporter):
    name = NAME
    title = "CEMR/RGRE partnership database export (CSV or XLSX)"
    extensions = (".csv", ".xlsx")
    options = frozenset({"encoding", "delimiter", "sheet"})
    module = "citynet_exchange_cemr.importer"


class CemrExporter(DeferredExporter):
    name = NAME
    title = "CEMR/RGRE partnership table: ;-separated CSV in UTF-8 with BOM, or a workbook"
    extension = ".csv"
    options = frozenset({"workbook", "spreadsheet_safe"})  # spreadsheet-safe always
    module = "citynet_exchange_cemr.exporter"


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(CemrImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(CemrExporter())
