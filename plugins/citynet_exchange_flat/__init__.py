"""The flat format: a table of partnerships, one row each, both towns described inline.

This is how most registries and Wikidata queries publish twinnings. The same importer reads
CSV and TSV (encoding, delimiter, header case and spacing, quoted line breaks: the core
reader) and the first visible sheet of an XLSX workbook (or `--sheet`); the exporter writes CSV, or
a workbook with `-o out.xlsx`.

Columns
    `id`, `kind`, `established`, `ended`, `status`, `themes`, `agreement.date`,
    `agreement.council_resolution`, `agreement.document`, `description`, `sources`,
    `extensions` (the Partnership columns of `citynet_exchange.tables.columns`, without
    `members`), and for each town the Town columns prefixed `town_a.` and `town_b.`:
    `town_a.id`, `town_a.name`, `town_a.country`, `town_a.subdivision`, `town_a.type`,
    `town_a.identifiers.wikidata`, `town_a.location.lat`, `town_a.names.pl` ... Names match
    in any letter case. Only the towns' names and countries are required: without one of
    those columns the table is not read (`missing-column`). A table without a `kind`
    column lists links of no stated kind: `kind` is `unspecified`, the code list's value for
    that; an empty `kind` cell of a table that has the column is a missing value.

Values
    Countries are ISO codes or names in seven languages (`Frankreich`, `Poland`); a
    subdivision is an ISO 3166-2 code or a first-level subdivision's name (`Hessen`). A value
    that cannot be translated stays as written and is an `unknown-value` finding at its cell.
    A column the format does not know is an `unknown-column` info; its values are kept under
    the partnership's `extensions.flat`, beside what an `extensions` column (JSON) holds.
    Text that `--spreadsheet-safe` prefixed with an apostrophe is read back without it.

Towns and ids
    Rows describing the same town (same id, a shared identifier, or same name and country and
    subdivision within 25 km: there are many Neustadts) give one Town (`TownRegistry`); a
    later row that disagrees is a `conflicting-value` finding at its cell. Ids given are
    used; a town without one gets `<country>-<name>` (`de-raunheim`), a partnership without
    one `<town a>--<town b>` (`de-raunheim--fr-vaux-le-penil`), which stays the same when
    rows are sorted or added, unlike a row number; a pair given again gets `-2`. Rows are
    never merged: B–A after A–B, or A–B twice, stays two partnerships, and rule
    `duplicate-partnership` reports the second at its row.

Mapping files (`--mapping FILE`, which implies `--format flat`)
    A YAML file that lets any partnership table be read::

        delimiter: tab                  # optional; also encoding, sheet (options given win)
        columns:                        # the table's column -> the canonical column
          origincityLabel: town_a.name
          destination_countryLabel: town_b.country
        values:                         # per canonical column: text in the table -> value
          kind: {Partnerschaft: twinning, Freundschaft: friendship}
        defaults:                       # per canonical column: the value where the table
          kind: unspecified             # lacks the column or the cell is empty
          town_a.country: DE

    Every scalar is read as text. Value maps match any letter case and spacing and apply to
    each value of a `;` list; defaults are written as a cell would hold them. A canonical
    column named as such in the table needs no entry. The file is checked strictly: an
    unknown key, a target that is no column, a default its column cannot hold or a key given
    twice is a usage error (exit 2) naming the file and the key.

Export
    One row per bilateral partnership; columns that are empty in every row are left out
    (the ids, kind, names and countries never are). Partnerships of more than two towns,
    towns in no bilateral partnership, networks, memberships, the metadata and fields the
    standard lacks are `conversion-loss` findings. A workbook gets drop-down lists for the
    coded columns; `citynet template` writes the empty table with a note on every column.
"""

from __future__ import annotations

from collections.abc import Callable

from citynet_exchange import hookimpl
from citynet_exchange.formats import DeferredExporter, DeferredImporter, Exporter, Importer

NAME = "flat"


class FlatImporter(DeferredImporter):
    name = NAME
    title = "Flat partnership table: a row per partnership, both towns inline (CSV, TSV or XLSX)"
    extensions = (".csv", ".tsv", ".xlsx")
    options = frozenset({"encoding", "delimiter", "sheet", "mapping"})
    module = "citynet_exchange_flat.importer"


class FlatExporter(DeferredExporter):
    name = NAME
    title = "Flat partnership table: a row per bilateral partnership, both towns inline (CSV or XLSX)"
    extension = ".csv"
    options = frozenset({"workbook", "spreadsheet_safe"})
    module = "citynet_exchange_flat.exporter"


@hookimpl
def citynet_register_importers(register: Callable[[Importer], None]) -> None:
    register(FlatImporter())


@hookimpl
def citynet_register_exporters(register: Callable[[Exporter], None]) -> None:
    register(FlatExporter())
