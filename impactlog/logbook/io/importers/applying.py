"""Applying an uploaded table to a unit: the dry run, and the import itself.

`analysed` parses every row (`parsing`), checks it with the rules of the entry form
(`services.check`) and compares it with the sessions already recorded: each row is new, already
imported, or has problems; it writes nothing. It goes through the rows in chunks of `CHUNK`, so
that the memory an import takes does not grow with its rows. `analyse` is the dry run;
`run_import` writes the new rows of each chunk in bulk, with their head-counts, revisions and
audit entries, all in one transaction: what `services.create_session` writes for one session,
at a fraction of its cost per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.logbook import fields as session_fields
from impactlog.logbook import services
from impactlog.logbook.io.importers.columns import CHECK_COLUMNS
from impactlog.logbook.io.importers.parsing import Parser, Problem, Row
from impactlog.logbook.io.importers.reading import Table
from impactlog.logbook.models import Activity, Session, SessionCount, SessionRevision
from impactlog.logbook.services import SessionInput
from impactlog.network.services import bands_for, settings_for
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.models import AuditEntry, Node, NodeKind
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

NEW, ALREADY, BAD = "new", "already", "bad"
PROBLEMS_KEPT = 200  # problems the check page lists; the rest are counted
BATCH = 500
CHUNK = 500  # rows analysed (and written) together


@dataclass
class ImportRow:
    number: int
    status: str
    activity: Activity | None = None
    data: SessionInput | None = None
    problems: list[Problem] = field(default_factory=list)
    minutes: int = 0


@dataclass
class Summary:
    """What the check page shows of an analysis; kept as plain values (JSON) between pages."""

    rows: int
    new: int
    already: int
    bad: int
    problems: list[Problem]
    problems_total: int

    @classmethod
    def empty(cls) -> Summary:
        return cls(rows=0, new=0, already=0, bad=0, problems=[], problems_total=0)

    def add(self, rows: list[ImportRow]) -> None:
        for row in rows:
            self.rows += 1
            setattr(self, row.status, getattr(self, row.status) + 1)
            self.problems_total += len(row.problems)
            self.problems += row.problems[: max(0, PROBLEMS_KEPT - len(self.problems))]

    @property
    def problems_hidden(self) -> int:
        return self.problems_total - len(self.problems)

    def plain(self) -> dict[str, Any]:
        values = {k: v for k, v in vars(self).items() if k != "problems"}
        return values | {"problems": [[p.row, p.column, p.message] for p in self.problems]}

    @classmethod
    def from_plain(cls, plain: dict[str, Any]) -> Summary:
        problems = [Problem(row, column, message) for row, column, message in plain["problems"]]
        return cls(**(plain | {"problems": problems}))


Key = tuple[int, dt.date, dt.time]


def _packed(key: Key) -> int:
    """A session's key as one number (a small object to keep for every row of a file)."""
    activity, day, start = key
    seconds = start.hour * 3600 + start.minute * 60 + start.second
    return (activity * 4_000_000 + day.toordinal()) * 86_400 + seconds


def _batched(items: Iterable[Any], size: int) -> Iterator[tuple[Any, ...]]:
    iterator = iter(items)
    while chunk := tuple(islice(iterator, size)):
        yield chunk


def _existing(unit: Node, dates: set[dt.date]) -> dict[Key, Session]:
    """The unit's sessions on these dates, with their counts (2 queries)."""
    if not dates:
        return {}
    sessions = Session.objects.filter(node=unit, date__in=sorted(dates)).prefetch_related("counts")
    return {(s.activity_id, s.date, s.start_time): s for s in sessions}


def _same(session: Session, data: SessionInput, minutes: int) -> bool:
    """Whether the recorded session holds what the row says, in every field the import sets."""
    values = services.session_values(data, minutes)
    wanted = {f.name: values[f.name] for f in session_fields.IMPORTED}
    recorded = {name: getattr(session, name) for name in wanted}
    cells = {(c.gender, c.age_band): c.count for c in session.counts.all()}
    return wanted == recorded and cells == (data.counts if data.total is None else {})


def analysed(
    unit: Node,
    rows: Iterable[tuple[int, dict[str, Any]]],
    *,
    today: dt.date,
    confirm_large: bool,
    on_row: Callable[[], None] | None = None,
) -> Iterator[list[ImportRow]]:
    """What importing `rows` into `unit` would do, row by row, in chunks of CHUNK rows
    (`on_row` called after each row). Writes nothing."""
    limit = settings_for(unit).plausible_participants
    bands = bands_for(unit)
    allowed_bands = {key for key, _label in bands}
    activities = {a.name.casefold(): a for a in Activity.objects.filter(node=unit)}
    parser = Parser(activities, bands)
    seen: dict[int, int] = {}  # packed key -> first row: the one thing that grows with rows
    for chunk in _batched(rows, CHUNK):
        yield _analyse_chunk(unit, chunk, parser, seen, today, confirm_large, limit, allowed_bands)
        if on_row is not None:
            for _row in chunk:
                on_row()


def _analyse_chunk(
    unit: Node,
    chunk: tuple[tuple[int, dict[str, Any]], ...],
    parser: Parser,
    seen: dict[int, int],
    today: dt.date,
    confirm_large: bool,
    limit: int,
    allowed_bands: set[str],
) -> list[ImportRow]:
    parsed = []
    for number, values in chunk:
        row = Row(number, values)
        activity, data = parser.parse(row)
        if activity is not None and activity.archived_at is not None:
            message = _("This activity is archived: no sessions can be recorded in it.")
            row.problem("activity", message)
            data = None
        parsed.append((row, activity, data))
    existing = _existing(unit, {data.date for _r, _a, data in parsed if data is not None})
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
        packed = _packed(key)
        if packed in seen:
            row.problem(
                "start",
                _("Row %(row)s has the same activity, date and start.") % {"row": seen[packed]},
            )
        seen.setdefault(packed, row.number)
        session = existing.get(key)
        if not row.problems and session is not None and not _same(session, data, minutes):
            row.problem("start", _("A different session already exists at this time."))
        status = BAD if row.problems else NEW if session is None else ALREADY
        result.append(ImportRow(row.number, status, activity, data, row.problems, minutes))
    return result


def analyse(
    unit: Node,
    table: Table,
    *,
    today: dt.date,
    confirm_large: bool,
    on_row: Callable[[], None] | None = None,
) -> Summary:
    """The dry run: what importing `table` into `unit` would do. Writes nothing."""
    summary = Summary.empty()
    for chunk in analysed(
        unit, table.rows, today=today, confirm_large=confirm_large, on_row=on_row
    ):
        summary.add(chunk)
    return summary


def _plain(value: Any) -> Any:
    """A value as `audit.snapshot` keeps it."""
    return value if value is None or isinstance(value, str | int | bool | float) else str(value)


def _revision_changes(
    values: dict[str, Any], session: Session, data: SessionInput
) -> dict[str, Any]:
    """What `services._store` writes as a new session's changes (`audit.diff` from nothing to
    its `audit.snapshot`): every field that has a value, and its counts."""
    changes: dict[str, Any] = {
        name: [None, _plain(values[name])]
        for name in sorted(services.SESSION_FIELDS)
        if values[name] is not None
    }
    counts = {f"{g}/{b}": n for (g, b), n in data.counts.items() if n > 0}
    if session.breakdown_known and counts:
        changes["counts"] = [{}, counts]
    return changes


def _write(actor: User, unit: Node, rows: list[ImportRow]) -> None:
    """Save the sessions of `rows` with their counts, revisions and audit entries, in bulk."""
    if not rows:
        return
    disclosure_store.records_changed(unit)
    sessions, all_values = [], []
    for row in rows:
        assert row.activity is not None and row.data is not None
        values = services.session_values(row.data, row.minutes)
        all_values.append(values)
        sessions.append(Session(activity=row.activity, node=unit, created_by=actor, **values))
    try:
        # No savepoint of its own: a clash ends the whole import, whose transaction is undone.
        Session.objects.bulk_create(sessions, batch_size=BATCH)
    except IntegrityError:
        raise ValidationError(
            _(
                "Some of these sessions were recorded by someone else meanwhile, so nothing "
                "was imported. Check the file again."
            )
        ) from None
    counts, revisions, entries = [], [], []
    perm = audit.values_perm_for(AuditAction.SESSION_CREATED, "logbook.session")
    for session, row, values in zip(sessions, rows, all_values, strict=True):
        assert row.data is not None
        if session.breakdown_known:
            counts += [
                SessionCount(session=session, gender=g, age_band=b, count=n)
                for (g, b), n in row.data.counts.items()
                if n > 0
            ]
        changes = _revision_changes(values, session, row.data)
        revisions.append(
            SessionRevision(session=session, version=session.version, by=actor, changes=changes)
        )
        # What audit.record writes, for many entries at once.
        entries.append(
            AuditEntry(
                actor=actor,
                actor_label=actor.email,
                node=unit,
                action=AuditAction.SESSION_CREATED.value,
                object_type="logbook.session",
                object_id=str(session.pk),
                object_repr=str(session)[:300],
                changes=changes,
                values_perm=perm.value if perm is not None else "",
            )
        )
    SessionCount.objects.bulk_create(counts, batch_size=BATCH)
    SessionRevision.objects.bulk_create(revisions, batch_size=BATCH)
    AuditEntry.objects.bulk_create(entries, batch_size=BATCH)


@service
def run_import(
    actor: User,
    unit: Node,
    table: Table,
    *,
    confirm_large: bool,
    skip_bad: bool,
    on_row: Callable[[], None] | None = None,
) -> Summary:
    """Record every new row of `table`, all or nothing. Rows already imported are left alone;
    rows with problems stop the import unless `skip_bad` says to leave them out."""
    authorize(actor, Perm.EDIT_RECORDS, unit)
    if unit.kind != NodeKind.UNIT:
        raise ValidationError(_("Sessions are imported into a unit, such as a youth centre."))
    if unit.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    # Sessions of the unit's activities are recorded one import (or one save) at a time.
    list(Activity.objects.select_for_update().filter(node=unit).values_list("pk"))
    summary = Summary.empty()
    for chunk in analysed(
        unit, table.rows, today=timezone.localdate(), confirm_large=confirm_large, on_row=on_row
    ):
        if not skip_bad and any(row.status == BAD for row in chunk):
            raise ValidationError(
                _("Some rows have problems, so nothing was imported. Fix them or skip them.")
            )
        _write(actor, unit, [row for row in chunk if row.status == NEW])
        summary.add(chunk)
    if not summary.new:
        raise ValidationError(_("There is nothing new to import in this file."))
    audit.record(
        actor,
        AuditAction.IMPORT_COMPLETED,
        node=unit,
        changes={
            "file": table.name,
            "rows": summary.rows,
            "created": summary.new,
            "already_imported": summary.already,
            "skipped": summary.bad,
        },
    )
    return summary
