"""Exports of the logbook: small classes that yield rows, and two ways of sending them.

An `Exporter` knows its column names and yields its rows as plain Python values. `csv_response`
streams them as they are produced; `xlsx_response` writes them to a temporary file with a
write-only workbook and streams that file. Neither holds the whole export in memory. A sessions
XLSX too large to build while the browser waits is prepared by the job `export.sessions`
(`run_sessions_export`, below) and downloaded from its page.

Column names are stable keys (`girls_13_15`), the same in every language, so that a file moves
between people who read different languages and back into the import.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from functools import cached_property
from itertools import islice
from typing import Any, BinaryIO, ClassVar

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from impactlog.accounts.models import User
from impactlog.jobs.models import Job
from impactlog.jobs.registry import Progress, register
from impactlog.jobs.streaming import file_download
from impactlog.logbook import fields as session_fields
from impactlog.logbook.figures import protection, queries, young
from impactlog.logbook.figures.periods import Period
from impactlog.logbook.models import ActivityKind, Gender, SessionCount, SessionMode
from impactlog.network.services import Band, bands_for, bands_in, settings_for
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import Cell, Reason
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.scoping import in_current_scope

Value = str | int | float | Decimal | dt.date | dt.time | None
Sheet = tuple[str, Sequence[str], Iterable[Sequence[Value]]]  # title, headers, rows

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"
# Characters that make a spreadsheet read a text cell of a CSV file as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell_columns(bands: list[Band]) -> list[tuple[str, str, str]]:
    """One column per gender and age band of the network: (column, gender, age band)."""
    return [(f"{gender}_{band}", gender, band) for gender in Gender.values for band, _l in bands]


class Exporter(ABC):
    """Rows of one export. Subclasses name their columns and yield one sequence per row."""

    name: ClassVar[str] = ""

    @abstractmethod
    def headers(self) -> list[str]: ...

    @abstractmethod
    def rows(self) -> Iterator[Sequence[Value]]: ...

    def filename(self) -> str:
        """The download's name without its extension."""
        return self.name

    def extra_sheets(self) -> list[Sheet]:
        """Further sheets of the XLSX file (a CSV file holds only the main one)."""
        return []


class PeriodExporter(Exporter):
    """An export of one node and everything below it, in one period."""

    def __init__(self, node: Node, period: Period) -> None:
        self.node = node
        self.period = period

    def filename(self) -> str:
        return f"{self.node.slug}-{self.name}-{self.period.start}-{self.period.end}"


# Where a session happened, then its declared fields, the head-counts after `COUNTS_AFTER`.
PLACE_FIELDS = ["node__name", "activity__name", "activity__kind"]
PLACE_COLUMNS = ["unit", "activity", "kind"]
SESSION_FIELDS = [*PLACE_FIELDS, *(f.name for f in session_fields.HEAD)]
SESSION_TAIL_FIELDS = [f.name for f in session_fields.TAIL]


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    while chunk := list(islice(items, size)):
        yield chunk


class SessionsExporter(PeriodExporter):
    """The session records: one row per session, with its counts by gender and age band.

    The sessions come from one query read through a database iterator, chunk by chunk; the
    counts of a whole chunk of sessions come from one more query. Nothing is held but the chunk.
    """

    name = "sessions"
    chunk_size = 500

    @cached_property
    def cells(self) -> list[tuple[str, str, str]]:
        return cell_columns(bands_for(self.node))

    def headers(self) -> list[str]:
        return [
            *PLACE_COLUMNS,
            *(f.column for f in session_fields.HEAD),
            *(column for column, _g, _b in self.cells),
            *(f.column for f in session_fields.TAIL),
        ]

    def rows(self) -> Iterator[Sequence[Value]]:
        sessions = (
            queries.sessions_in(self.node, self.period)
            .order_by("date", "start_time", "node__name", "activity__name", "pk")
            .values_list("pk", *SESSION_FIELDS, *SESSION_TAIL_FIELDS)
        )
        for chunk in _chunks(sessions.iterator(chunk_size=self.chunk_size), self.chunk_size):
            counts: dict[int, dict[tuple[str, str], int]] = {}
            cells = SessionCount.objects.filter(session_id__in=[row[0] for row in chunk])
            for session_id, gender, band, count in cells.values_list(
                "session_id", "gender", "age_band", "count"
            ):
                counts.setdefault(session_id, {})[(gender, band)] = count
            for pk, *values in chunk:
                head = values[: len(SESSION_FIELDS)]
                tail = values[len(SESSION_FIELDS) :]
                known = head[SESSION_FIELDS.index("breakdown_known")]
                own = counts.get(pk, {})
                # Without a breakdown the cells are unknown, not zero.
                by_cell = [own.get((g, b), 0) if known else None for _c, g, b in self.cells]
                yield [*_plain(head), *by_cell, *_plain(tail)]


def _plain(values: Sequence[Any]) -> list[Value]:
    """Yes/no as 1/0, which every spreadsheet and language reads the same way."""
    return [int(value) if isinstance(value, bool) else value for value in values]


def _hours(minutes: int) -> float:
    return round(minutes / 60, 1)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 1)


#: The note beside a protected count in the figures download.
HIDDEN_NOTES = {
    Reason.PRIMARY: gettext_lazy("fewer than %(threshold)s"),
    Reason.SECONDARY: gettext_lazy("hidden, so that another count cannot be worked out"),
    Reason.WITHHELD: gettext_lazy(
        "not shown, small or large: here even “fewer than %(threshold)s” would let a count be "
        "worked out"
    ),
}


class FiguresExporter(PeriodExporter):
    """The figures of a node for a period, one metric a row under a stable key.

    For the people who recorded them (`exact`) every count is exact. For everyone else the
    counts of young people are the protected figures the page shows, from the same decision:
    a protected count's value is `<5` (the network's threshold) or `x`, and its note says why.
    Sessions and hours count no young person and are exact for everyone."""

    name = "figures"

    def __init__(self, node: Node, period: Period, *, exact: bool = False) -> None:
        super().__init__(node, period)
        self.exact = exact

    def headers(self) -> list[str]:
        return ["metric", "name", "value", "note"]

    @cached_property
    def _protected(self) -> protection.Protected:
        (found,) = protection.protected(self.node, [self.period])
        return found

    @cached_property
    def _young(self) -> young.Read:
        network = settings_for(self.node)
        bands = bands_in(network)
        return young.read(self.node, network, bands, self.period, exact=self.exact)

    def ready(self) -> bool:
        """Whether the figures can be written now: exact ones always; protected ones once their
        decisions (the logbook's and the young people's) were made (the view checks before it
        starts sending)."""
        return self.exact or (self._protected.available and self._young.cells.available)

    def _cells(self, figures: queries.Figures) -> Callable[[str], Cell]:
        if self.exact:
            bands = {band for _g, band in figures.by_cell}
            layout = protection.layout_for(settings_for(self.node), bands)
            counts = protection.exact_counts(figures, layout)
            return lambda position: Cell(counts.get(position, 0), None, 0)
        if not self._protected.available:
            raise FiguresNotReady
        return self._protected.__getitem__

    def rows(self) -> Iterator[Sequence[Value]]:
        figures = queries.figures_for(self.node, [self.period], with_breakdown=self.exact)[0]
        cells = self._cells(figures)

        def count(key: str, label: str, position: str, found: Cell | None = None) -> list[Value]:
            found = cells(position) if found is None else found
            if found.reason is None:
                return [key, label, found.value, ""]
            value = f"<{found.threshold}" if found.reason is Reason.PRIMARY else "x"
            note = str(HIDDEN_NOTES[found.reason]) % {"threshold": found.threshold}
            return [key, label, value, note]

        girls, total, without = (
            cells(p) for p in (protection.cell("girls", None), protection.TOTAL, protection.WITHOUT)
        )
        if None in (girls.value, total.value, without.value):
            girls_share: list[Value] = [
                "girls_share",
                _("Share of girls (%)"),
                "x",
                str(HIDDEN_NOTES[Reason.SECONDARY]),
            ]
        else:
            known = (total.value or 0) - (without.value or 0)
            share = (girls.value or 0) / known if known else None
            girls_share = ["girls_share", _("Share of girls (%)"), _percent(share), ""]
        yield ["place", _("Place"), self.node.name, ""]
        yield ["period_start", _("First day"), self.period.start, ""]
        yield ["period_end", _("Last day"), self.period.end, ""]
        if not self.exact:
            decided = self._protected.decided_at
            yield [
                "protected_at",
                _("Protected figures decided at"),
                timezone.localtime(decided).strftime("%Y-%m-%d %H:%M") if decided else "",
                ""
                if self._protected.current
                else _("Records changed since; the figures are being brought up to date."),
            ]
        yield ["sessions", _("Sessions"), figures.sessions, ""]
        yield ["hours", _("Hours of activity"), _hours(figures.minutes), ""]
        yield [
            "opening_hours",
            _("Opening hours (meeting places)"),
            _hours(figures.opening_minutes),
            "",
        ]
        yield ["group_hours", _("Group hours"), _hours(figures.group_minutes), ""]
        yield count("visits", _("Visits"), protection.TOTAL)
        yield count(
            "visits_without_breakdown",
            _("Visits without a breakdown by gender and age"),
            protection.WITHOUT,
        )
        yield girls_share
        yield ["youth_hours", _("Youth-produced hours"), _hours(figures.youth_minutes), ""]
        yield [
            "youth_share",
            _("Share of youth-produced time (%)"),
            _percent(figures.youth_share),
            "",
        ]
        yield count("youth_producers", _("Youth producers"), protection.PRODUCERS)
        yield [
            "youth_sessions",
            _("Sessions produced by young people"),
            figures.youth_sessions,
            "",
        ]
        yield ["staff_hours", _("Staff hours"), _hours(figures.staff_minutes), ""]
        yield ["volunteer_hours", _("Volunteer hours"), _hours(figures.volunteer_minutes), ""]
        for mode, label in SessionMode.choices:
            sessions = figures.by_mode.get(mode, (0, 0))[0]
            yield [
                f"sessions_mode_{mode}",
                _("Sessions: %(mode)s") % {"mode": label},
                sessions,
                "",
            ]
            yield count(
                f"visits_mode_{mode}",
                _("Visits: %(mode)s") % {"mode": label},
                protection.mode(mode),
            )
        for kind, label in ActivityKind.choices:
            yield [
                f"sessions_kind_{kind}",
                _("Sessions: %(kind)s") % {"kind": label},
                figures.by_kind.get(kind, 0),
                "",
            ]
        for gender, label in Gender.choices:
            yield count(
                f"visits_{gender}",
                _("Visits: %(gender)s") % {"gender": label},
                protection.cell(gender, None),
            )
        network_bands = bands_for(self.node)
        recorded = (
            {band for _g, band in figures.by_cell}
            if self.exact
            else self._protected.recorded_bands()
        )
        # Counts recorded under bands the network no longer uses, under their key.
        network_bands += [(b, b) for b in sorted(recorded - {k for k, _l in network_bands})]
        for band, band_label in network_bands:
            yield count(
                f"visits_age_{band}",
                _("Visits: age %(band)s") % {"band": band_label},
                protection.cell(None, band),
            )
        genders, bands = dict(Gender.choices), dict(network_bands)
        for column, gender, band in cell_columns(network_bands):
            yield count(
                f"visits_{column}",
                _("Visits: %(gender)s, %(band)s")
                % {"gender": genders[gender], "band": bands[band]},
                protection.cell(gender, band),
            )
        # The young people who checked in at the kiosk (unique visitors: never summed).
        people = self._young
        if not people.cells.available:
            raise FiguresNotReady

        def person(key: str, label: str, position: str) -> list[Value]:
            return count(key, label, position, people.cells[position])

        for key, position, name in young.key_figures():
            yield person(key, name, position)
        if people.cells.holds(young.family.ACROSS):  # at places above organisations only
            key, position, name = young.across_figure()
            yield person(key, name, position)
        visitors, returned = (
            people.cells[p] for p in (young.family.VISITORS, young.family.RETURNED)
        )
        share_label = _("Share who came back within %(days)s days") % {"days": young.RETURN_DAYS}
        if visitors.value is None or returned.value is None:
            note = str(HIDDEN_NOTES[Reason.SECONDARY])
            yield ["people_returned_share", f"{share_label} (%)", "x", note]
        else:
            share = returned.value / visitors.value if visitors.value else None
            yield ["people_returned_share", f"{share_label} (%)", _percent(share), ""]
        for caption, _heading, rows in young.breakdowns(network_bands, people.areas):
            for key, position, name in rows:
                yield person(key, f"{caption}: {name}", position)


class FiguresNotReady(Exception):
    """The protected figures of the period are still being decided."""


@transaction.atomic
def record_export(actor: User, node: Node, exporter: PeriodExporter, file_format: str) -> None:
    """Note in the audit trail who took which data out, of which period."""
    period = exporter.period
    audit.record(
        actor,
        f"export.{exporter.name}",  # one of AuditAction.EXPORT_*, checked by record()
        node=node,
        changes={
            "period": period.kind,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "format": file_format,
        },
    )


class _Echo:
    """A file-like object whose `write` hands back what it was given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _csv_value(value: Value) -> str | int | float | Decimal:
    if value is None:
        return ""
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # shown as text, never run as a formula
    return value


def csv_rows(exporter: Exporter) -> Iterator[str]:
    """The CSV text of an export, line by line (UTF-8 with a byte-order mark, for Excel)."""
    writer = csv.writer(_Echo())
    language = translation.get_language()
    # The response is consumed after the view has returned: keep the view's language.
    with translation.override(language):
        yield "\ufeff"
        yield writer.writerow(exporter.headers())
        for row in exporter.rows():
            yield writer.writerow([_csv_value(value) for value in row])


def csv_response(exporter: Exporter) -> StreamingHttpResponse:
    response = StreamingHttpResponse(in_current_scope(csv_rows(exporter)), content_type=CSV_TYPE)
    disposition = content_disposition_header(True, f"{exporter.filename()}.csv")
    response["Content-Disposition"] = disposition or "attachment"
    return response


def _xlsx_value(sheet: WriteOnlyWorksheet, value: Value) -> Any:
    if isinstance(value, str):
        text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
        if text.startswith("="):
            cell = WriteOnlyCell(sheet, value=text)
            cell.data_type = "s"  # text that looks like a formula stays text
            return cell
        return text
    if isinstance(value, Decimal):
        return float(value)
    return value


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    title, headers, rows = sheet
    worksheet = workbook.create_sheet(title=title)
    worksheet.append(list(headers))
    for row in rows:
        worksheet.append([_xlsx_value(worksheet, value) for value in row])


def write_xlsx(exporter: Exporter, path: str, *, on_row: Callable[[], None] | None = None) -> int:
    """Write the export to an XLSX file at `path` with a write-only workbook, row by row from
    the exporter's iterator (bounded memory). `on_row` is called after each row of the main
    sheet. Returns the number of rows written to it."""
    workbook = Workbook(write_only=True)
    written = 0

    def rows() -> Iterator[Sequence[Value]]:
        nonlocal written
        for row in exporter.rows():
            yield row
            written += 1
            if on_row is not None:
                on_row()

    _write_sheet(workbook, (exporter.name, exporter.headers(), rows()))
    for sheet in exporter.extra_sheets():
        _write_sheet(workbook, sheet)
    workbook.save(path)
    return written


def _finished_xlsx(exporter: Exporter) -> BinaryIO:
    """The export as an XLSX file, already unlinked: open, at its start, closed by its reader."""
    descriptor, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        os.close(descriptor)
        write_xlsx(exporter, path)
        return open(path, "rb")
    finally:
        os.unlink(path)  # the open file keeps the data until it is closed


def xlsx_response(exporter: Exporter) -> StreamingHttpResponse:
    """The export as an XLSX file, built row by row in a temporary file and streamed from it.

    Not a FileResponse: see `impactlog.jobs.streaming` for why a download must not hand its
    file to the server's file wrapper.
    """
    return file_download(_finished_xlsx(exporter), f"{exporter.filename()}.xlsx", XLSX_TYPE)


def respond(exporter: Exporter, file_format: str) -> StreamingHttpResponse:
    if file_format == "xlsx":
        return xlsx_response(exporter)
    return csv_response(exporter)


# The sessions XLSX as a background job.

EXPORT_SESSIONS_JOB = "export.sessions"


def period_params(period: Period, file_format: str) -> dict[str, str]:
    """A period and format as plain values: the job's params, and the audit entry's changes."""
    return {
        "period": period.kind,
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "format": file_format,
    }


def period_from_params(params: dict[str, Any]) -> Period:
    return Period(
        str(params["period"]),
        dt.date.fromisoformat(str(params["start"])),
        dt.date.fromisoformat(str(params["end"])),
    )


def too_large_to_send_at_once(exporter: SessionsExporter) -> bool:
    """Whether the sessions XLSX covers so many sessions that it becomes a job."""
    limit: int = settings.EXPORT_INLINE_MAX_SESSIONS
    covered = queries.sessions_in(exporter.node, exporter.period)
    return covered[: limit + 1].count() > limit


@register(EXPORT_SESSIONS_JOB, perm=Perm.VIEW_RECORDS, audit_action=AuditAction.EXPORT_SESSIONS)
def run_sessions_export(job: Job, progress: Progress) -> None:
    """Write the sessions XLSX of the job's node and period to storage, counting its rows."""
    exporter = SessionsExporter(job.node, period_from_params(job.params))
    progress.set_total(queries.sessions_in(exporter.node, exporter.period).count())
    descriptor, path = tempfile.mkstemp(suffix=".xlsx")
    try:
        os.close(descriptor)
        rows = write_xlsx(exporter, path, on_row=progress.advance)
        name = f"{exporter.filename()}.xlsx"
        with open(path, "rb") as handle:
            job.result.save(name, File(handle, name=name), save=False)
    finally:
        os.unlink(path)
    job.result_name = name
    job.outcome = {"rows": rows}
