"""Finding codes of reading tables (CSV and workbooks), shared by every tabular importer.

Like the structural codes they belong to the core, so that every table format reports the
same problem under the same code.
"""

from __future__ import annotations

from citynet_exchange.findings import Severity
from citynet_exchange.rules import RuleInfo

TABLE_RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "encoding-guessed", Severity.INFO, "The table is not in UTF-8; its encoding was guessed",
        "Tables are read as UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark. "
        "Other bytes are read as Windows-1252, what spreadsheet programs on Windows write; if letters "
        "look wrong, name the encoding with --encoding.",
        {"guessed": "the file is not UTF-8; it was read as {encoding} (name another with --encoding)"},
    ),
    RuleInfo(
        "missing-column", Severity.ERROR, "A required column is missing",
        "A table needs the columns that hold the required fields of its records (the ids and names of "
        "towns, say); without them no row can be read. Column names are matched ignoring letter case "
        "and surrounding spaces.",
        {"missing": "the table lacks the column {column} ({accepted}); no row can be read without it"},
    ),
    RuleInfo(
        "duplicate-column", Severity.ERROR, "Two columns hold the same field",
        "Each field has one column; of two columns meaning the same field, the second is not read "
        "and its values are kept under the record's extensions.",
        {"duplicate": "column {column} holds the same field as column {first}; its values are kept under "
                      "extensions"},
    ),
    RuleInfo(
        "unknown-column", Severity.INFO, "A column or property is not part of the format",
        "A column (or RDF property) the importer does not know is not lost: its values are kept under "
        "each record's `extensions`, keyed by the importer's name, and written back by the same format.",
        {
            "unknown": "column {column} is not part of the {format} format; its values are kept under "
                       "extensions.{format}",
            "unknown-table": "{table} is not a table of the {format} format ({known}); it was not read",
            "unknown-predicate": "{predicate} is not a property of the standard's vocabulary; its values are "
                                 "kept under extensions.{format}",
        },
    ),
    RuleInfo(
        "extra-cell", Severity.ERROR, "A row has more cells than the header",
        "Every row has one cell per header column. Cells past the last column usually come from an "
        "unquoted delimiter inside a value; they are kept under the record's extensions.",
        {"extra": "the row has {count} cells, the header {columns}; the cells past the header are kept "
                  "under extensions"},
    ),
    RuleInfo(
        "unknown-value", Severity.ERROR, "A value cannot be translated",
        "The importer translates names and abbreviations (country names, category letters, German "
        "states, topics) into the standard's codes; a value it does not know is kept as it is, and "
        "must be corrected to one of the values it knows or to the code itself.",
        {
            "unknown": "{value} is not a known {what}",
            "unknown-suggest": "{value} is not a known {what}; did you mean {suggestion}?",
            "unreadable": "{value} cannot be read as {what}: {problem}",
        },
    ),
    RuleInfo(
        "conflicting-value", Severity.WARNING, "The same fact is given twice, differently",
        "Where the input states one fact in several places (a town described in several rows of a table, "
        "a twinning stated from both sides in Wikidata), the first is kept; a different value elsewhere "
        "is not carried over, and this finding says so. Correct the input so that they agree.",
        {
            "conflict": "{field} of town '{town}' is {value} here but {kept} in row {first_row}, which is kept",
            "conflict-statement": "{field} of {kind} '{id}' is {value} in this statement but {kept} in the "
                                  "statement of {first}, which is kept",
        },
    ),
)
