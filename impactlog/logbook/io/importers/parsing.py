"""Parsing the rows of an uploaded table into what a person would have entered on the form.

Each row becomes its activity and a `SessionInput`, or the problems that stop it, one per
column that cannot be read. The columns and their kinds come from `fields.SESSION`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from impactlog.logbook import fields as session_fields
from impactlog.logbook.io.exporters import cell_columns
from impactlog.logbook.io.importers.columns import HEAD, TAIL, TOTAL
from impactlog.logbook.io.importers.reading import blank
from impactlog.logbook.models import Activity, SessionMode
from impactlog.logbook.services import SessionInput
from impactlog.network.services import Band

MAX_NUMBER = 999_999  # no count or number of minutes in one session is larger
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_HH_MM = re.compile(r"\d{2}:\d{2}")


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if _ISO_DATE.fullmatch(text):  # the template's form, read without strptime's cost
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(value) from None
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _time(value: Any) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time()
    if isinstance(value, dt.time):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value < 1:
        seconds = round(value * 24 * 60) * 60  # a spreadsheet's fraction of a day
        return dt.time(seconds // 3600, seconds % 3600 // 60)
    text = _text(value)
    if _HH_MM.fullmatch(text):
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            raise ValueError(value) from None
    for pattern in TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError(value)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    text = _text(value)
    if not re.fullmatch(r"[+-]?\d{1,9}", text):
        raise ValueError(value)
    return int(text)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # empty when the problem is about the whole row
    message: str


class Row:
    """Parses one row; collects a problem per column that cannot be read."""

    def __init__(self, number: int, values: dict[str, Any]) -> None:
        self.number = number
        self.values = values
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def read(self, column: str, parse: Any, message: str, *, required: bool = False) -> Any:
        value = self.values.get(column)
        if blank(value):
            if required:
                self.problem(column, _("This field is required."))
            return None
        try:
            result = parse(value)
        except ValueError:
            self.problem(column, message)
            return None
        if isinstance(result, int) and abs(result) > MAX_NUMBER:
            self.problem(column, _("This number is too large."))
            return None
        return result


Reader = tuple[session_fields.SessionField, str, Any, str]  # field, column, parse, message


def _reader(declared: session_fields.SessionField) -> Reader:
    """How to read a column of this field's kind, and what to say when it cannot be read."""
    kind, column = declared.kind, declared.import_column or ""
    if kind == session_fields.DATE:
        return (
            declared,
            column,
            _date,
            _("Not a date. Write it as YYYY-MM-DD, for example 2025-03-14."),
        )
    if kind == session_fields.TIME:
        return declared, column, _time, _("Not a time. Write it as HH:MM, for example 15:30.")
    if kind in (session_fields.DURATION, session_fields.COUNT):
        return declared, column, _int, _("Not a whole number.")
    if kind == session_fields.CHOICE:
        modes = ", ".join(SessionMode.values)
        mode = _Mode()
        return declared, column, mode, _("Unknown mode. Use one of: %(modes)s.") % {"modes": modes}
    return declared, column, _text, ""


class _Mode:
    """Reads a mode by its key or its label in the language of the import."""

    def __init__(self) -> None:
        names = {str(label).casefold(): key for key, label in SessionMode.choices}
        self.modes = names | {key: key for key in SessionMode.values}

    def __call__(self, value: Any) -> str:
        try:
            return self.modes[_text(value).casefold()]
        except KeyError:
            raise ValueError(value) from None


def _read(row: Row, reader: Reader) -> Any:
    declared, column, parser, message = reader
    value = row.read(column, parser, message, required=declared.import_required)
    if declared.kind == session_fields.DURATION and value is not None and value < 0:
        row.problem(column, _("This cannot be negative."))
    return value


class Parser:
    """Parses the rows of one file for one unit: what each column needs is worked out once."""

    def __init__(self, activities: dict[str, Activity], bands: list[Band]) -> None:
        self.activities = activities
        self.head = [_reader(declared) for declared in HEAD]
        self.tail = [_reader(declared) for declared in TAIL]
        self.cells = cell_columns(bands)
        self.entered = [
            declared
            for declared in session_fields.ENTERED
            if declared.name in {d.name for d in (*HEAD, *TAIL)}
        ]
        self.not_number = _("Not a whole number.")

    def parse(self, row: Row) -> tuple[Activity | None, SessionInput | None]:
        """The activity and the SessionInput of a row, or None where it could not be read."""
        name = _text(row.values.get("activity"))
        activity = self.activities.get(name.casefold())
        if not name:
            row.problem("activity", _("This field is required."))
        elif activity is None:
            row.problem(
                "activity", _("This unit has no activity called “%(name)s”.") % {"name": name}
            )
        values = {reader[0].name: _read(row, reader) for reader in self.head}
        counts: dict[tuple[str, str], int] = {}
        for column, gender, band in self.cells:
            count = row.read(column, _int, self.not_number)
            if count is not None and count < 0:
                row.problem(column, _("Counts cannot be negative."))
            elif count:
                counts[(gender, band)] = count
        values |= {reader[0].name: _read(row, reader) for reader in self.tail}
        total = values.pop("participants")
        if total is not None and counts:
            if sum(counts.values()) != total:
                row.problem(TOTAL, _("The total is not the sum of the numbers by gender and age."))
            total = None  # the breakdown is known
        if row.problems:
            return activity, None
        entered = {
            declared.name: declared.clean(values[declared.name])
            for declared in self.entered
            if declared.name in values
        }
        # A file has no column for it: young people produced the session if they gave time.
        entered["youth_produced"] = bool(entered["youth_producers"] or entered["youth_minutes"])
        return activity, SessionInput(**entered, counts=counts, total=total)


def parse(
    row: Row, activities: dict[str, Activity], bands: list[Band]
) -> tuple[Activity | None, SessionInput | None]:
    """The activity and the SessionInput of one row (see `Parser` for many)."""
    return Parser(activities, bands).parse(row)
