"""Reading an uploaded file: a CSV or XLSX table whose first row names the template's columns.

A file that cannot be used raises ValidationError (`TooLarge` for one over the size limits);
nothing is written. Every limit is enforced while reading, before the work it would cost: a
workbook's sheet is first scanned as a stream with expat (`_scan_sheet`) so that a
`<dimension>`, a row or a cell past the row limit, a part that unpacks to more than
`MAX_UNPACKED_BYTES` or one that declares a DTD, is refused at once; blank rows count towards
the limit like any other.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any
from xml.parsers import expat

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import load_workbook

from impactlog.logbook.io.importers.columns import REQUIRED_COLUMNS, columns_for
from impactlog.network.services import Band

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000  # rows below the column names, blank ones included
MAX_COLUMNS = 200  # more than any template has; the rest of a row is not read
# No part of a workbook may unpack to more than this (a sheet of 10,000 full rows is ~10 MB).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
NAMES_SHOWN = 10  # names listed in a message before "and N more"
NAME_SHOWN = 40  # characters of one name in a message

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


class TooLarge(ValidationError):
    """The file is over a size limit: answered with 413."""


@dataclass
class Table:
    """The rows of an uploaded file, keyed by column, with their row numbers in the file."""

    name: str
    columns: list[str]
    rows: Iterable[tuple[int, dict[str, Any]]]  # a list once read; read as used once kept


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def listed(names: Sequence[str], shown: int = NAMES_SHOWN) -> str:
    """`names` joined for a message, the first `shown` of them (each cut to NAME_SHOWN
    characters) and a count of the rest."""
    names = [name if len(name) <= NAME_SHOWN else name[: NAME_SHOWN - 1] + "…" for name in names]
    if len(names) <= shown:
        return ", ".join(names)
    rest = len(names) - shown
    return ngettext("%(names)s … and %(count)s more", "%(names)s … and %(count)s more", rest) % {
        "names": ", ".join(names[:shown]),
        "count": number_format(rest, force_grouping=True),
    }


def _too_many_rows() -> TooLarge:
    return TooLarge(
        _("The file has more than %(count)s rows. Split it into smaller files.")
        % {"count": number_format(MAX_ROWS, force_grouping=True)}
    )


# CSV


def _utf16_without_bom(data: bytes) -> str | None:
    """The encoding of text that is UTF-16 without a byte order mark, judged by where its NUL
    bytes are (mostly-Latin text has one in every other byte), or None."""
    even, odd = data[0:2000:2].count(0), data[1:2000:2].count(0)
    half = min(len(data), 2000) // 4
    if odd > half and even == 0:
        return "utf-16-le"
    if even > half and odd == 0:
        return "utf-16-be"
    return None


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 with or without a BOM, or UTF-16 (LE or BE)."""
    save_as = _("Save it as “CSV UTF-8” and upload it again.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in data:
        encoding = _utf16_without_bom(data) or ""
        if not encoding:
            raise ValidationError(_("The file is not text. Upload a CSV or XLSX file."))
    else:
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":
            message = _("The file is not UTF-8 text.")
        else:
            message = _("The file looks like UTF-16 text but cannot be read as such.")
        raise ValidationError(f"{message} {save_as}") from None
    if "\x00" in text:
        raise ValidationError(_("The file is not text. Upload a CSV or XLSX file."))
    return text


def _csv_lines(data: bytes) -> Iterator[Sequence[Any]]:
    text = decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)  # spreadsheets in many languages write ";"
    try:
        # A field is at most csv.field_size_limit() long (128 KB); the file at most MAX_BYTES.
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as error:
        raise ValidationError(_("The file could not be read as CSV.")) from error


# XLSX


def _unreadable() -> ValidationError:
    return ValidationError(_("The file could not be opened as an XLSX workbook."))


def _too_many_cells() -> TooLarge:
    return TooLarge(
        _(
            "A row of the workbook has more than %(count)s cells. Copy only the sessions into a "
            "new workbook, or save them as CSV, and upload that."
        )
        % {"count": MAX_COLUMNS}
    )


def _unpacks_too_large() -> TooLarge:
    return TooLarge(
        _(
            "The workbook is too large once unpacked. Copy only the sessions into a new "
            "workbook, or save them as CSV, and upload that."
        )
    )


class _Bounded(io.RawIOBase):
    """A member of the archive read as a stream that refuses to unpack past `limit` bytes
    (whatever the archive declared)."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self.stream, self.left = stream, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        chunk = self.stream.read(min(len(buffer), 64 * 1024))
        self.left -= len(chunk)
        if self.left < 0:
            raise _unpacks_too_large()
        buffer[: len(chunk)] = chunk
        return len(chunk)


class _Stop(Exception):
    """Enough of a part has been read."""


def _parse(
    stream: IO[bytes],
    on_start: Callable[[str, dict[str, str]], None],
    on_end: Callable[[str], None] | None = None,
) -> None:
    """Stream `stream` through expat, calling `on_start`/`on_end` per element, until the end
    or until a handler raises `_Stop`. A document type declaration is refused: no part of a
    workbook has one, and entities are how XML bombs explode."""
    parser = expat.ParserCreate(namespace_separator=" ")

    def refuse(*args: Any) -> None:
        raise _unreadable()

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = on_start
    if on_end is not None:
        parser.EndElementHandler = on_end
    try:
        while chunk := stream.read(64 * 1024):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Stop:
        return
    except expat.ExpatError as error:
        raise _unreadable() from error


def _open(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    return io.BufferedReader(_Bounded(archive.open(name), MAX_UNPACKED_BYTES))


def _first_sheet(archive: zipfile.ZipFile) -> str:
    """The path in the archive of the workbook's first sheet (the one that is imported)."""
    names = set(archive.namelist())
    if not {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"} <= names:
        return "xl/worksheets/sheet1.xml"
    found: dict[str, str] = {}

    def sheet(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_MAIN} sheet":
            found["id"] = attrs.get(f"{_REL} id", "")
            raise _Stop

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name == f"{_PKG_REL} Relationship" and attrs.get("Id") == found.get("id"):
            found["target"] = attrs.get("Target", "")
            raise _Stop

    with _open(archive, "xl/workbook.xml") as stream:
        _parse(stream, sheet)
    with _open(archive, "xl/_rels/workbook.xml.rels") as stream:
        _parse(stream, relationship)
    target = found.get("target")
    if not target:
        raise _unreadable()
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


_ROW_OF = re.compile(r"[A-Za-z]*\$?(\d+)$")


def _row_of(reference: str) -> int:
    """The row number of a cell reference such as "B12" (0 when it has none)."""
    match = _ROW_OF.search(reference)
    return int(match.group(1)) if match else 0


def _no_doctype(archive: zipfile.ZipFile, name: str) -> None:
    """Read the part's prolog, up to its first element: refused if it declares a DTD."""

    def first(_name: str, _attrs: dict[str, str]) -> None:
        raise _Stop

    with _open(archive, name) as stream:
        _parse(stream, first)


def _scan_sheet(data: bytes) -> None:
    """Refuse a workbook before opening it when any part unpacks to more than
    MAX_UNPACKED_BYTES or declares a DTD, or its first sheet declares, or has, a row past the
    limit."""
    last = MAX_ROWS + 1  # the column names are row 1
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _unreadable() from error
    if any(member.file_size > MAX_UNPACKED_BYTES for member in members):
        raise _unpacks_too_large()
    if sum(member.file_size for member in members) > 2 * MAX_UNPACKED_BYTES:
        raise _unpacks_too_large()
    row = rows = cells = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        # Rows are counted as they come as well as by the numbers they claim (a row number
        # repeated millions of times is as many rows), and so are the cells of a row: more than
        # a sheet within the limits can hold is refused here, before openpyxl parses them all.
        nonlocal row, rows, cells
        if name == f"{_MAIN} row":
            number = attrs.get("r")
            row = int(number) if number and number.isdecimal() else row + 1
            rows, cells = rows + 1, 0
            if row > last or rows > last:
                raise _too_many_rows()
        elif name == f"{_MAIN} c":
            cells += 1
            if cells > MAX_COLUMNS:
                raise _too_many_cells()
            if _row_of(attrs.get("r", "")) > last:
                raise _too_many_rows()
        elif name == f"{_MAIN} dimension" and _row_of(attrs.get("ref", "").split(":")[-1]) > last:
            raise _too_many_rows()

    def end(name: str) -> None:
        if name == f"{_MAIN} sheetData":
            raise _Stop  # what follows the rows is not read

    try:
        for member in members:
            if member.filename.endswith((".xml", ".rels")):
                _no_doctype(archive, member.filename)
        with _open(archive, _first_sheet(archive)) as stream:
            _parse(stream, start, end)
    except ValidationError:
        raise
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise _unreadable() from error


def _xlsx_lines(data: bytes) -> Iterator[Sequence[Any]]:
    if not data.startswith(b"PK\x03\x04"):
        raise _unreadable()
    _scan_sheet(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings of other programs' files
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a broken file can fail in many places inside openpyxl
        raise _unreadable() from error
    try:
        sheet = workbook.worksheets[0]
        # The scan guarantees no row lies past the limit, so filling gaps stays bounded.
        yield from sheet.iter_rows(max_row=1, values_only=True)
        yield from sheet.iter_rows(
            min_row=2, max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True
        )
    except ValidationError:
        raise
    except Exception as error:
        raise _unreadable() from error
    finally:
        workbook.close()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


READERS = {"csv": _csv_lines, "xlsx": _xlsx_lines}


def check_limits(name: str, data: bytes) -> None:
    """The cheap part of `read_table`, for a file a job will read: refuse at once one that is
    not text or not a workbook, or whose rows lie past the limit."""
    if extension_of(name) == "xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise _unreadable()
        _scan_sheet(data)
        return
    for number, _line in enumerate(_csv_lines(data), start=1):
        if number > MAX_ROWS + 1:
            raise _too_many_rows()


def read_table(name: str, data: bytes, bands: list[Band]) -> Table:
    """The rows of an uploaded file for a network counting in `bands`. A file that cannot be
    used raises ValidationError."""
    if len(data) > MAX_BYTES:
        raise TooLarge(
            _("The file is larger than %(size)s MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    if not data:
        raise ValidationError(_("The file is empty."))
    if extension_of(name) not in READERS:
        raise ValidationError(_("Upload a CSV or XLSX file."))
    lines = READERS[extension_of(name)](data)
    header = next(lines, None)
    if header is None:
        raise ValidationError(_("The file is empty."))
    columns = [str(value).strip().lower() if not blank(value) else "" for value in header]
    _check_columns(columns, columns_for(bands))
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=2):
        if number > MAX_ROWS + 1:  # blank rows count: each costs reading
            raise _too_many_rows()
        values = {column: value for column, value in zip(columns, line, strict=False) if column}
        if all(blank(value) for value in values.values()):
            continue
        rows.append((number, values))
    if not rows:
        raise ValidationError(_("The file has no sessions below the column names."))
    return Table(name=name, columns=[c for c in columns if c], rows=rows)


def _check_columns(columns: list[str], allowed: list[str]) -> None:
    named = [column for column in columns if column]
    counted: dict[str, int] = {}
    for column in named:
        counted[column] = counted.get(column, 0) + 1
    twice = sorted(column for column, count in counted.items() if count > 1)
    if twice:
        raise ValidationError(
            _("These columns appear more than once: %(columns)s.") % {"columns": listed(twice)}
        )
    known = set(allowed)
    unknown = [column for column in named if column not in known]
    if unknown:
        raise ValidationError(
            _("Unknown columns: %(columns)s. Use the column names of the template.")
            % {"columns": listed(unknown)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in counted]
    if missing:
        raise ValidationError(
            _("The first row must name the columns. Missing: %(columns)s.")
            % {"columns": ", ".join(missing)}
        )
