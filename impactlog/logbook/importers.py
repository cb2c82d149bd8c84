"""Importing historical sessions of one unit from a CSV or XLSX file.

`read_table` checks the file and its column names. `analyse` parses every row, checks it with
the rules of the entry form (`services.check`) and compares it with the sessions already
recorded: each row is new, already imported, or has problems. `run_import` writes the new rows
through `services.create_session`, all in one transaction. Reading and analysing write nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from impactlog.accounts.models import User
from impactlog.logbook import services
from impactlog.logbook.exporters import Exporter, Sheet, Value, cell_columns
from impactlog.logbook.models import Activity, Gender, Session, SessionMode
from impactlog.logbook.services import SessionInput
from impactlog.network.services import Band, bands_for, settings_for
from impactlog.tenancy import audit
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_NUMBER = 999_999  # no count or number of minutes in one session is larger
UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = dt.timedelta(days=1)

NUMBER_COLUMNS = [
    "youth_producers",
    "youth_minutes",
    "staff",
    "staff_minutes",
    "volunteers",
    "volunteer_minutes",
]
REQUIRED_COLUMNS = ["activity", "date", "start"]
MAX_COLUMNS = 200  # more than any template has; the rest of a row is not read


def columns_for(bands: list[Band]) -> list[str]:
    """The columns of the template for a network's age bands, in order."""
    return [
        "activity",
        "date",
        "start",
        "end",
        "minutes",
        "mode",
        "participants_total",
        *(column for column, _g, _b in cell_columns(bands)),
        *NUMBER_COLUMNS,
        "notes",
    ]


# The column of the file that each field of `services.check`'s errors is about.
CHECK_COLUMNS = {
    "date": "date",
    "end_time": "end",
    "minutes": "minutes",
    "total": "participants_total",
    **{name: name for name in NUMBER_COLUMNS},
}
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%H.%M"]


def column_help(network_bands: list[Band]) -> list[tuple[str, bool, str]]:
    """Every column of the template: its name, whether it is required, what goes in it."""
    genders, bands = dict(Gender.choices), dict(network_bands)
    modes = ", ".join(SessionMode.values)
    described: list[tuple[str, bool, str]] = [
        ("activity", True, _("The name of one of this unit's activities, as the logbook has it.")),
        ("date", True, _("The day of the session: YYYY-MM-DD (2025-03-14) or DD.MM.YYYY.")),
        ("start", True, _("When it began: HH:MM, for example 15:30.")),
        ("end", False, _("When it ended: HH:MM. Leave it empty to give the minutes instead.")),
        ("minutes", False, _("The length in minutes, when there is no end time.")),
        ("mode", False, _("How it took place: %(modes)s. Empty means on site.") % {"modes": modes}),
        (
            "participants_total",
            False,
            _("A single total, only when the numbers by gender and age are not known."),
        ),
    ]
    for column, gender, band in cell_columns(network_bands):
        text = _("Participants: %(gender)s, %(band)s.") % {
            "gender": genders[gender],
            "band": bands[band],
        }
        described.append((column, False, text))
    described += [
        ("youth_producers", False, _("How many young people produced the session.")),
        ("youth_minutes", False, _("Minutes of the session that young people produced.")),
        ("staff", False, _("Staff present.")),
        ("staff_minutes", False, _("Minutes worked by the staff, added up.")),
        ("volunteers", False, _("Volunteers present.")),
        ("volunteer_minutes", False, _("Minutes given by the volunteers, added up.")),
        ("notes", False, _("Free notes.")),
    ]
    return described


class ImportTemplate(Exporter):
    """The empty file to fill in, with the columns explained on a second sheet (XLSX)."""

    name = "sessions"

    def __init__(self, unit: Node) -> None:
        self.unit = unit

    def headers(self) -> list[str]:
        return columns_for(bands_for(self.unit))

    def rows(self) -> Iterator[Sequence[Value]]:
        return iter(())

    def filename(self) -> str:
        return f"{self.unit.slug}-import-template"

    def extra_sheets(self) -> list[Sheet]:
        yes, no = _("yes"), _("no")
        columns = [
            (name, yes if required else no, text)
            for name, required, text in column_help(bands_for(self.unit))
        ]
        activities = [
            (activity.name, activity.get_kind_display())
            for activity in Activity.all_objects.filter(node=self.unit).order_by("name")
        ]
        return [
            ("columns", [_("Column"), _("Required"), _("What to write")], columns),
            ("activities", [_("Activity"), _("Kind")], activities),
        ]


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


def _blank(value: Any) -> bool:
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
    columns = [str(value).strip().lower() if not _blank(value) else "" for value in header]
    _check_columns(columns, columns_for(bands))
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=2):
        values = {column: value for column, value in zip(columns, line, strict=False) if column}
        if all(_blank(value) for value in values.values()):
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


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    for pattern in DATE_FORMATS:
        try:
            return dt.datetime.strptime(_text(value), pattern).date()
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
    for pattern in TIME_FORMATS:
        try:
            return dt.datetime.strptime(_text(value), pattern).time()
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


def _modes() -> dict[str, str]:
    names = {str(label).casefold(): key for key, label in SessionMode.choices}
    return names | {key: key for key in SessionMode.values}


@dataclass(frozen=True)
class Problem:
    row: int
    column: str  # empty when the problem is about the whole row
    message: str


class _Row:
    """Parses one row; collects a problem per column that cannot be read."""

    def __init__(self, number: int, values: dict[str, Any]) -> None:
        self.number = number
        self.values = values
        self.problems: list[Problem] = []

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.number, column, message))

    def read(self, column: str, parse: Any, message: str, *, required: bool = False) -> Any:
        value = self.values.get(column)
        if _blank(value):
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


def _parse(
    row: _Row, activities: dict[str, Activity], bands: list[Band]
) -> tuple[Activity | None, Any]:
    """The activity and the SessionInput of a row, or None where it could not be read."""
    not_a_number = _("Not a whole number.")
    name = _text(row.values.get("activity"))
    activity = activities.get(name.casefold())
    if not name:
        row.problem("activity", _("This field is required."))
    elif activity is None:
        row.problem("activity", _("This unit has no activity called “%(name)s”.") % {"name": name})
    date_message = _("Not a date. Write it as YYYY-MM-DD, for example 2025-03-14.")
    time_message = _("Not a time. Write it as HH:MM, for example 15:30.")
    day = row.read("date", _date, date_message, required=True)
    start = row.read("start", _time, time_message, required=True)
    end = row.read("end", _time, time_message)
    minutes = row.read("minutes", _int, not_a_number)
    if minutes is not None and minutes < 0:
        row.problem("minutes", _("This cannot be negative."))
    mode = _modes().get(_text(row.values.get("mode")).casefold() or SessionMode.ON_SITE)
    if mode is None:
        modes = ", ".join(SessionMode.values)
        row.problem("mode", _("Unknown mode. Use one of: %(modes)s.") % {"modes": modes})
    total = row.read("participants_total", _int, not_a_number)
    counts: dict[tuple[str, str], int] = {}
    for column, gender, band in cell_columns(bands):
        count = row.read(column, _int, not_a_number)
        if count is not None and count < 0:
            row.problem(column, _("Counts cannot be negative."))
        elif count:
            counts[(gender, band)] = count
    numbers: dict[str, int] = {
        name: row.read(name, _int, not_a_number) or 0 for name in NUMBER_COLUMNS
    }
    if total is not None and counts:
        if sum(counts.values()) != total:
            row.problem(
                "participants_total",
                _("The total is not the sum of the numbers by gender and age."),
            )
        total = None  # the breakdown is known
    if row.problems:
        return activity, None
    return activity, SessionInput(
        date=day,
        start_time=start,
        end_time=end,
        minutes=minutes,
        mode=mode or SessionMode.ON_SITE,
        counts=counts,
        total=total,
        youth_produced=bool(numbers["youth_producers"] or numbers["youth_minutes"]),
        youth_producers=numbers["youth_producers"],
        youth_minutes=numbers["youth_minutes"],
        staff=numbers["staff"],
        staff_minutes=numbers["staff_minutes"],
        volunteers=numbers["volunteers"],
        volunteer_minutes=numbers["volunteer_minutes"],
        notes=_text(row.values.get("notes")),
    )


NEW, ALREADY, BAD = "new", "already", "bad"


@dataclass
class ImportRow:
    number: int
    status: str
    activity: Activity | None = None
    data: SessionInput | None = None
    problems: list[Problem] = field(default_factory=list)


@dataclass
class Analysis:
    rows: list[ImportRow]

    def _with(self, status: str) -> list[ImportRow]:
        return [row for row in self.rows if row.status == status]

    @property
    def new(self) -> list[ImportRow]:
        return self._with(NEW)

    @property
    def already(self) -> list[ImportRow]:
        return self._with(ALREADY)

    @property
    def bad(self) -> list[ImportRow]:
        return self._with(BAD)

    @property
    def problems(self) -> list[Problem]:
        return [problem for row in self.rows for problem in row.problems]


Key = tuple[int, dt.date, dt.time]


def _existing(unit: Node, dates: list[dt.date]) -> dict[Key, Session]:
    """The unit's sessions in the file's range of dates, with their counts (2 queries)."""
    if not dates:
        return {}
    sessions = Session.all_objects.filter(
        node=unit, date__gte=min(dates), date__lte=max(dates)
    ).prefetch_related("counts")
    return {(s.activity_id, s.date, s.start_time): s for s in sessions}


def _same(session: Session, data: SessionInput, minutes: int) -> bool:
    """Whether the recorded session holds what the row says."""
    known = data.total is None
    wanted = {
        "end_time": data.end_time,
        "minutes": minutes,
        "mode": data.mode,
        "participants": sum(data.counts.values()) if known else data.total,
        "breakdown_known": known,
        "youth_produced": data.youth_produced,
        "notes": data.notes,
        **{name: getattr(data, name) for name in NUMBER_COLUMNS},
    }
    recorded = {name: getattr(session, name) for name in wanted}
    cells = {(c.gender, c.age_band): c.count for c in session.counts.all()}
    return wanted == recorded and cells == (data.counts if known else {})


def analyse(unit: Node, table: Table, *, today: dt.date, confirm_large: bool) -> Analysis:
    """What importing `table` into `unit` would do, row by row. Writes nothing."""
    limit = settings_for(unit).plausible_participants
    bands = bands_for(unit)
    allowed_bands = {key for key, _label in bands}
    activities = {a.name.casefold(): a for a in Activity.all_objects.filter(node=unit)}
    parsed = []
    for number, values in table.rows:
        row = _Row(number, values)
        activity, data = _parse(row, activities, bands)
        parsed.append((row, activity, data))
    existing = _existing(unit, [data.date for _r, _a, data in parsed if data is not None])
    seen: dict[Key, int] = {}
    result = []
    for row, activity, data in parsed:
        if activity is None or data is None:
            result.append(ImportRow(row.number, BAD, problems=row.problems))
            continue
        minutes = 0
        try:
            minutes = services.check(
                data, today=today, confirm_large=confirm_large, limit=limit, bands=allowed_bands
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                for message in messages:
                    row.problem(CHECK_COLUMNS.get(name, ""), message)
        key = (activity.pk, data.date, data.start_time)
        if key in seen:
            row.problem(
                "start",
                _("Row %(row)s has the same activity, date and start.") % {"row": seen[key]},
            )
        seen.setdefault(key, row.number)
        session = existing.get(key)
        if not row.problems and session is not None and not _same(session, data, minutes):
            row.problem("start", _("A different session already exists at this time."))
        status = BAD if row.problems else NEW if session is None else ALREADY
        result.append(ImportRow(row.number, status, activity, data, row.problems))
    return Analysis(result)


@transaction.atomic
def run_import(
    actor: User, unit: Node, table: Table, *, confirm_large: bool, skip_bad: bool
) -> Analysis:
    """Record every new row of `table`, all or nothing. Rows already imported are left alone;
    rows with problems stop the import unless `skip_bad` says to leave them out."""
    if not has_perm(actor, Perm.EDIT_RECORDS, unit):
        raise PermissionDenied
    if unit.kind != NodeKind.UNIT:
        raise ValidationError(_("Sessions are imported into a unit, such as a youth centre."))
    if unit.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    analysis = analyse(unit, table, today=timezone.localdate(), confirm_large=confirm_large)
    if analysis.bad and not skip_bad:
        raise ValidationError(
            _("Some rows have problems, so nothing was imported. Fix them or skip them.")
        )
    for row in analysis.new:
        assert row.activity is not None and row.data is not None
        try:
            services.create_session(actor, row.activity, row.data, confirm_large=confirm_large)
        except ValidationError as error:
            raise ValidationError(
                _("Row %(row)s could not be saved: %(problem)s")
                % {"row": row.number, "problem": " ".join(error.messages)}
            ) from error
    audit.record(
        actor,
        "import.completed",
        node=unit,
        changes={
            "file": table.name,
            "rows": len(analysis.rows),
            "created": len(analysis.new),
            "already_imported": len(analysis.already),
            "skipped": len(analysis.bad),
        },
    )
    return analysis


def _upload_path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}"


def store_upload(data: bytes) -> str:
    """Keep an uploaded file between the dry run and the import; returns its token."""
    _remove_stale_uploads()
    token = uuid.uuid4().hex
    default_storage.save(_upload_path(token), ContentFile(data))
    return token


def load_upload(token: str) -> bytes | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    try:
        with default_storage.open(_upload_path(token), "rb") as handle:
            content: bytes = handle.read()
    except FileNotFoundError:
        return None
    return content


def discard_upload(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token):
        default_storage.delete(_upload_path(token))


def _remove_stale_uploads() -> None:
    """Uploads nobody confirmed within a day are deleted."""
    try:
        _folders, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - UPLOAD_MAX_AGE
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
