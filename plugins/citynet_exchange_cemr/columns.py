"""The columns of a CEMR export: what each holds, the name the exporter writes, the variants read.

No public description of the export exists, so the importer accepts the names the
database uses on its pages and their common variants. A header cell matches in any letter
case, with runs of spaces as one, and with umlauts written out (`Gemeindeschluessel`),
as exports through older tools often have them.
"""

from __future__ import annotations

from dataclasses import dataclass

from citynet_exchange.tables.table import normal_name



@dataclass(frozen=True)
class CemrColumn:
    """A column of the table: `key` names what it holds, `header` is the name written,
    `note` explains it to people filling in a template."""

    key: str
    header: str
    note: str
    aliases: tuple[str, ...] = ()

    @property
    def accepted(self) -> str:
        """The other names, for a `missing-column` message."""
        if not self.aliases:
            return "no other name is known"
        *first, last = self.aliases
        return "also named " + (f"{', '.join(first)} or {last}" if first else last)


COLUMNS: tuple[CemrColumn, ...] = (
    CemrColumn("town", "Kommune", "The German municipality (required).",
               ("Deutsche Kommune", "Gemeinde", "Deutsche Gemeinde")),
    CemrColumn("state", "Bundesland", "The municipality's Land, by name or by code (DE-HE)."),
    CemrColumn("ags", "AGS", "Its municipality key (Amtlicher Gemeindeschlüssel), 8 digits, entered as text so "
               "that the leading zero stays.", ("Gemeindeschlüssel",)),
    CemrColumn("partner", "Partnerkommune", "The partner town (required).",
               ("Partnergemeinde", "Ausländische Kommune", "Ausländische Gemeinde")),
    CemrColumn("country", "Land", "The partner town's country, by German name (Frankreich) or ISO code (FR) "
               "(required).", ("Staat",)),
    CemrColumn("kind", "Art", "The kind: P (Partnerschaft), F (Freundschaft), K (Kontakt) or "
               "Projektpartnerschaft; empty where not known.", ("Kategorie", "Partnerschaftsart")),
    CemrColumn("established", "seit", "Since when: 1976, 05.1976 or 14.05.1976.",
               ("Jahr", "Beginn", "Gründungsjahr")),
    CemrColumn("ended", "bis", "Until when, for a partnership that ended or is agreed for a time (1976, 05.1976 "
               "or 14.05.1976).", ("Ende",)),
    CemrColumn("themes", "Themen", "Topics, separated by ';': Kultur; Jugend und Schulen; Wirtschaft ..."),
    CemrColumn("description", "Bemerkung", "Anything else about the partnership."),
)
BY_KEY = {column.key: column for column in COLUMNS}
# Without these no row means anything: the two towns and where the partner lies.
REQUIRED = ("town", "partner", "country")
# What a table needs to be taken for a CEMR export when detecting the format.
SIGNATURE = frozenset({"town", "partner"})
# Keys under `extensions.cemr` that are not columns: topics the importer does not know
# (written back into Themen) and cells past the header (written back past it).
THEMES_KEPT = "Themen"
EXTRA_CELLS = "extra-cells"


def _matched(name: str) -> str:
    text = normal_name(name)
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    return text


_BY_NAME = {_matched(name): column for column in COLUMNS for name in (column.header, *column.aliases)}


def column_of(header: str) -> CemrColumn | None:
    """The column a header cell names, or None for a column the format does not have."""
    return _BY_NAME.get(_matched(header))
