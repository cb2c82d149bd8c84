"""Reading an uploaded file: a CSV or XLSX table whose first row names the template's columns.

A file that cannot be used raises ValidationError; nothing is written.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from impactlog.logbook.io.importers.columns import REQUIRED_COLUMNS, columns_for
from impactlog.network.services import Band

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200  # more than any template has; the rest of a row is not read


@dataclass
class Table:
    """The rows of an uploaded file, keyed by column, with their row numbers in the file."""

    name: str
    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _csv_lines(data: bytes) -> Iterator[Sequence[Any]]:
    if b"\x00" in data:
        raise ValidationError(_("Upload a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and upload it again.")
        ) from None
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # spreadsheets in many languages write ";"
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ValidationError(_("The file could not be read as CSV.")) from error


def _xlsx_lines(data: bytes) -> Iterator[Sequence[Any]]:
    unreadable = _("The file could not be opened as an XLSX workbook.")
    if not data.startswith(b"PK\x03\x04"):
        raise ValidationError(unreadable)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings of other programs' files
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken file can fail in many places inside openpyxl
        raise ValidationError(unreadable) from error
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True, max_col=MAX_COLUMNS)
    except Exception as error:
        raise ValidationError(unreadable) from error
    finally:
        workbook.close()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(name: str, data: bytes, bands: list[Band]) -> Table:
    """The rows of an uploaded file for a network counting in `bands`. A file that cannot be
    used raises ValidationError."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    readers = {"csv": _csv_lines, "xlsx": _xlsx_lines}
    if extension_of(name) not in readers:
        raise ValidationError(_("Upload a CSV or XLSX file."))
    lines = readers[extension_of(name)](data)
    header = next(lines, None)
    if header is None:
        raise ValidationError(_("The file is empty."))
    columns = [str(value).strip().lower() if not blank(value) else "" for value in header]
    _check_columns(columns, columns_for(bands))
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=2):
        values = {column: value for column, value in zip(columns, line, strict=False) if column}
        if all(blank(value) for value in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ValidationError(
                _("The file has more than %(count)s rows. Split it into smaller files.")
                % {"count": MAX_ROWS}
            )
        rows.append((number, values))
    if not rows:
        raise ValidationError(_("The file has no sessions below the column names."))
    return Table(name=name, columns=[c for c in columns if c], rows=rows)


def _check_columns(columns: list[str], allowed: list[str]) -> None:
    named = [column for column in columns if column]
    twice = sorted({column for column in named if named.count(column) > 1})
    if twice:
        raise ValidationError(
            _("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(twice)}
        )
    unknown = [column for column in named if column not in allowed]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Use the column names of the template.")
            % {"columns": ", ".join(unknown)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in named]
    if missing:
        raise ValidationError(
            _("The first row must name the columns. Missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
