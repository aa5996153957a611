"""Spreadsheet import: readers, finding the table, column mapping, and the import engine."""
