"""Applying an uploaded table to a unit: the dry run, and the import itself.

`analyse` parses every row (`parsing`), checks it with the rules of the entry form
(`services.check`) and compares it with the sessions already recorded: each row is new, already
imported, or has problems; it writes nothing. `run_import` writes the new rows through
`services.create_session`, all in one transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.logbook import fields as session_fields
from impactlog.logbook import services
from impactlog.logbook.io.importers.columns import CHECK_COLUMNS
from impactlog.logbook.io.importers.parsing import Problem, Row, parse
from impactlog.logbook.io.importers.reading import Table
from impactlog.logbook.models import Activity, Session
from impactlog.logbook.services import SessionInput
from impactlog.network.services import bands_for, settings_for
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

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
    sessions = Session.objects.filter(
        node=unit, date__gte=min(dates), date__lte=max(dates)
    ).prefetch_related("counts")
    return {(s.activity_id, s.date, s.start_time): s for s in sessions}


def _same(session: Session, data: SessionInput, minutes: int) -> bool:
    """Whether the recorded session holds what the row says, in every field the import sets."""
    values = services.session_values(data, minutes)
    wanted = {f.name: values[f.name] for f in session_fields.IMPORTED}
    recorded = {name: getattr(session, name) for name in wanted}
    cells = {(c.gender, c.age_band): c.count for c in session.counts.all()}
    return wanted == recorded and cells == (data.counts if data.total is None else {})


def analyse(unit: Node, table: Table, *, today: dt.date, confirm_large: bool) -> Analysis:
    """What importing `table` into `unit` would do, row by row. Writes nothing."""
    limit = settings_for(unit).plausible_participants
    bands = bands_for(unit)
    allowed_bands = {key for key, _label in bands}
    activities = {a.name.casefold(): a for a in Activity.objects.filter(node=unit)}
    parsed = []
    for number, values in table.rows:
        row = Row(number, values)
        activity, data = parse(row, activities, bands)
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


@service
def run_import(
    actor: User, unit: Node, table: Table, *, confirm_large: bool, skip_bad: bool
) -> Analysis:
    """Record every new row of `table`, all or nothing. Rows already imported are left alone;
    rows with problems stop the import unless `skip_bad` says to leave them out."""
    authorize(actor, Perm.EDIT_RECORDS, unit)
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
        AuditAction.IMPORT_COMPLETED,
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
