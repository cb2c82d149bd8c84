"""Importing historical sessions of one unit from a CSV or XLSX file.

`columns` names the template's columns (from `fields.SESSION`) and builds the template;
`reading.read_table` checks the file and its column names; `parsing` turns each row into a
`SessionInput`; `applying.analyse` is the dry run and `applying.run_import` the import, all in one
transaction; `uploads` keeps the file between the two. Reading and analysing write nothing.
"""
