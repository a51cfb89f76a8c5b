"""Reading and writing tables (CSV text and XLSX workbooks) for the tabular formats.

Every tabular importer reads through here, so that encodings, delimiters, header names,
row numbers, cell places and the table finding codes (`codes`) are handled once and
reported alike: `reading` and `workbook` turn bytes into a `table.Table`, whose
`TableLocator` maps JSON Pointers back to rows and cells; `columns` derives the columns of
record tables from the standard's models, `from_rows` reads records from rows and
`to_rows` writes them; `towns` gathers towns described inline; `cells` holds list cells and
formula escaping, `writing` CSV and zip output, `template` submission templates.
"""
