"""Reading and writing tables (CSV text and XLSX workbooks) for the tabular formats.

Every tabular importer reads through here, so that encodings, delimiters, header names,
row numbers and cell places are handled once and reported alike: `read_table` turns an
input into a `Table`, `TableLocator` maps JSON Pointers back to rows and cells, `columns`
flattens records into columns and back, `write_tables` writes CSV or a workbook.
"""
