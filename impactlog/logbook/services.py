"""State changes of the logbook: activities and sessions, each audited in its transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.logbook import fields as session_fields
from impactlog.logbook.models import (
    Activity,
    Gender,
    ReflectionAnswer,
    Session,
    SessionCount,
    SessionFile,
    SessionRevision,
)
from impactlog.network.models import AgeBand, NetworkSettings, Tag
from impactlog.network.services import bands_in, questions_for, settings_for, vocabulary
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.models import Membership, Node, NodeKind
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.scoping import validate

ACTIVITY_FIELDS = [
    "kind",
    "name",
    "target_group",
    "opening_hours",
    "youth_led",
    "usual_age_bands",
    "archived_at",
]
# What the audit trail snapshots of a session: every declared field.
SESSION_FIELDS = session_fields.NAMES
# Above this many participants in one session, the person entering it is asked to confirm.
PLAUSIBLE_PARTICIPANTS = 300

Cell = tuple[str, str]  # (gender, age band)


class ConflictError(Exception):
    """Someone else saved the session since it was opened."""


def _check_people_and_tags(unit: Node, responsible: Iterable[User], tags: Iterable[Tag]) -> None:
    """The responsible workers hold a role at the unit; the tags are its network's."""
    people = {person.pk for person in responsible}
    # the people who may act at the unit: roles held there or above it
    allowed = set(
        Membership.all_objects.filter(node_id__in=[*unit.ancestor_ids(), unit.pk]).values_list(
            "user_id", flat=True
        )
    )
    if people - allowed:
        raise ValidationError({"responsible": _("Choose people who work at this unit.")})
    wanted = {tag.pk for tag in tags}
    if wanted and wanted - set(vocabulary(unit).values_list("pk", flat=True)):
        raise ValidationError({"tags": _("Choose topics and goals of this network.")})


@service
def create_activity(actor: User | None, unit: Node, **fields: Any) -> Activity:
    # re-read the object the caller named; authorize() decides
    unit = Node.all_objects.select_for_update().get(pk=unit.pk)
    authorize(actor, Perm.EDIT_RECORDS, unit)
    if unit.kind != NodeKind.UNIT:
        raise ValidationError(_("Activities belong to a unit, such as a youth centre or club."))
    if unit.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    responsible = fields.pop("responsible", [])
    tags = fields.pop("tags", [])
    _check_people_and_tags(unit, responsible, tags)
    activity = Activity(node=unit, **fields)
    validate(activity)
    activity.save()
    activity.responsible.set(responsible)
    activity.tags.set(tags)
    audit.record(
        actor,
        AuditAction.ACTIVITY_CREATED,
        activity,
        node=unit,
        changes=audit.snapshot(activity, ACTIVITY_FIELDS),
    )
    return activity


@service
def update_activity(actor: User | None, activity: Activity, **fields: Any) -> Activity:
    """Change an activity (read again from the database and authorised); it stays in its unit."""
    if "node" in fields or "node_id" in fields:
        raise ValueError("An activity cannot be moved to another unit.")
    activity = _fresh_activity(activity)
    authorize(actor, Perm.EDIT_RECORDS, activity)
    if activity.node.is_archived:
        raise ValidationError(_("Nothing can be recorded in an archived place."))
    before = audit.snapshot(activity, ACTIVITY_FIELDS)
    responsible = fields.pop("responsible", None)
    tags = fields.pop("tags", None)
    _check_people_and_tags(activity.node, responsible or [], tags or [])
    for name, value in fields.items():
        setattr(activity, name, value)
    validate(activity)
    activity.save()
    if responsible is not None:
        activity.responsible.set(responsible)
    if tags is not None:
        activity.tags.set(tags)
    changes = audit.diff(before, audit.snapshot(activity, ACTIVITY_FIELDS))
    if changes:
        audit.record(
            actor, AuditAction.ACTIVITY_UPDATED, activity, node=activity.node, changes=changes
        )
    return activity


@dataclass
class SessionInput:
    """What a person entered for one session, before it is checked.

    Its attributes are the `entered` fields of `fields.SESSION` (a test holds them equal), then
    the head-counts, the total without a breakdown and the reflections.
    """

    date: dt.date
    start_time: dt.time
    end_time: dt.time | None = None
    minutes: int | None = None
    mode: str = "on_site"
    place: str = ""
    counts: dict[Cell, int] = field(default_factory=dict)
    total: int | None = None  # a single total when the breakdown is not known
    youth_produced: bool = False
    youth_producers: int = 0
    youth_minutes: int = 0
    staff: int = 0
    staff_minutes: int = 0
    volunteers: int = 0
    volunteer_minutes: int = 0
    costs: Any = None
    online_live: int | None = None
    online_views: int | None = None
    notes: str = ""
    reflections: dict[int, str] = field(default_factory=dict)  # question pk -> answer


def _minutes(data: SessionInput) -> int:
    if data.end_time is not None:
        start = dt.datetime.combine(data.date, data.start_time)
        end = dt.datetime.combine(data.date, data.end_time)
        if end <= start:
            raise ValidationError({"end_time": _("The end is before the start.")})
        return int((end - start).total_seconds() // 60)
    if not data.minutes:
        raise ValidationError({"minutes": _("Give the end time or the duration.")})
    return data.minutes


def check(
    data: SessionInput,
    *,
    today: dt.date,
    confirm_large: bool,
    limit: int = PLAUSIBLE_PARTICIPANTS,
    bands: set[str] | None = None,
) -> int:
    """Validate what was entered; return the session's length in minutes."""
    errors: dict[str, list[str]] = {}
    if data.date > today:
        errors.setdefault("date", []).append(_("The date is in the future."))
    for (gender, band), value in data.counts.items():
        if gender not in Gender.values or band not in (bands or set(AgeBand.values)):
            errors.setdefault("__all__", []).append(_("Unknown gender or age band."))
        if value < 0:
            errors.setdefault("__all__", []).append(_("Counts cannot be negative."))
    numbers: dict[str, int | None] = {
        "total": data.total,
        **{
            f.name: getattr(data, f.name)
            for f in session_fields.ENTERED
            if f.kind == session_fields.COUNT
        },
    }
    for name, number in numbers.items():
        if number is not None and number < 0:
            errors.setdefault(name, []).append(_("This cannot be negative."))
    try:
        minutes = _minutes(data)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
        minutes = 0
    if minutes and data.youth_minutes > minutes:
        errors.setdefault("youth_minutes", []).append(
            _("Youth-produced time cannot be longer than the session.")
        )
    participants = sum(data.counts.values()) if data.total is None else data.total
    if data.youth_producers > participants:
        errors.setdefault("youth_producers", []).append(
            _("There cannot be more youth producers than participants.")
        )
    if participants > limit and not confirm_large:
        errors.setdefault("__all__", []).append(
            _(
                "%(count)s participants in one session is unusually many. Check the numbers and "
                "confirm if they are right."
            )
            % {"count": participants}
        )
    if errors:
        raise ValidationError(errors)
    return minutes


def session_values(data: SessionInput, minutes: int) -> dict[str, Any]:
    """What saving `data` writes to the session's fields (`minutes` as `check` returned it)."""
    breakdown_known = data.total is None
    derived = {
        "minutes": minutes,
        "participants": sum(data.counts.values()) if breakdown_known else data.total,
        "breakdown_known": breakdown_known,
    }
    return {
        f.name: derived[f.name] if f.name in derived else getattr(data, f.name)
        for f in session_fields.SESSION
    }


def _save_reflections(
    session: Session, answers: dict[int, str], *, new: bool
) -> tuple[dict[str, str], dict[str, str]]:
    """Store the answers to the unit's reflection questions; return them before and after.

    A form without reflection questions reads nothing; a new session's answers are one insert.
    """
    if not answers:
        return {}, {}
    allowed = {q.pk for q in questions_for(session.node)}
    given = {pk: text.strip() for pk, text in answers.items() if pk in allowed}
    if new:
        written = {pk: text for pk, text in given.items() if text}
        ReflectionAnswer.objects.bulk_create(
            ReflectionAnswer(session=session, question_id=pk, text=text)
            for pk, text in written.items()
        )
        return {}, {str(pk): text for pk, text in written.items()}
    before = {str(a.question_id): a.text for a in session.reflections.all()}
    after = dict(before)
    for question_pk, text in given.items():
        if text:
            if after.get(str(question_pk)) != text:
                session.reflections.update_or_create(
                    question_id=question_pk, defaults={"text": text}
                )
                after[str(question_pk)] = text
        elif str(question_pk) in after:
            session.reflections.filter(question_id=question_pk).delete()
            del after[str(question_pk)]
    return before, after


def _counts_snapshot(session: Session) -> dict[str, int]:
    return {f"{c.gender}/{c.age_band}": c.count for c in session.counts.all()}


def _fresh_activity(activity: Activity) -> Activity:
    """The activity as stored now, locked for this transaction, with its unit."""
    return (
        # re-read the object the caller named; authorize() decides
        Activity.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=activity.pk)
    )


def _refuse_archived(activity: Activity) -> None:
    """Nothing is recorded into an archived unit or an archived activity."""
    if activity.node.is_archived:
        raise ValidationError(_("Nothing can be recorded in an archived place."))
    if activity.archived_at is not None:
        raise ValidationError(
            {"activity": _("This activity is archived: no sessions can be recorded in it.")}
        )


def _check_for(activity: Activity, data: SessionInput, confirm_large: bool) -> int:
    network = settings_for(activity.node)  # one read for the limit and the bands
    return check(
        data,
        today=timezone.localdate(),
        confirm_large=confirm_large,
        limit=network.plausible_participants,
        bands={key for key, _label in bands_in(network)},
    )


def _store(
    actor: User | None,
    session: Session,
    data: SessionInput,
    values: dict[str, Any],
    *,
    before: dict[str, Any],
    old_counts: dict[str, int],
    extra_changes: dict[str, Any],
) -> Session:
    """Save `session` with its counts and reflection answers; write its revision and audit.

    The caller read and locked the session's activity and unit, and the actor is who is
    signed in: `validate` does not look them up again. The one start time per activity and day
    is the database's constraint; the service's transaction rolls back when it refuses.
    """
    new = session._state.adding
    validate(session, exclude=["activity", "node", "created_by"])
    try:
        session.save()
    except IntegrityError:
        raise ValidationError(
            _("This activity already has a session on this day at this time.")
        ) from None
    if not new:
        session.counts.all().delete()
    stored = (
        {(g, b): n for (g, b), n in data.counts.items() if n > 0}
        if values["breakdown_known"]
        else {}
    )
    disclosure_store.records_changed(session.node)
    if stored:
        SessionCount.objects.bulk_create(
            SessionCount(session=session, gender=g, age_band=b, count=n)
            for (g, b), n in stored.items()
        )
    changes: dict[str, Any] = audit.diff(before, audit.snapshot(session, SESSION_FIELDS))
    changes.update(extra_changes)
    new_counts = {f"{g}/{b}": n for (g, b), n in stored.items()}
    if new_counts != old_counts:
        changes["counts"] = [old_counts, new_counts]
    old_answers, new_answers = _save_reflections(session, data.reflections, new=new)
    if new_answers != old_answers:
        changes["reflections"] = [old_answers, new_answers]
    SessionRevision.objects.create(
        session=session, version=session.version, by=actor, changes=changes
    )
    action = AuditAction.SESSION_CREATED if not before else AuditAction.SESSION_UPDATED
    if changes or action is AuditAction.SESSION_CREATED:
        audit.record(actor, action, session, node=session.node, changes=changes)
    return session


@service
def create_session(
    actor: User | None, activity: Activity, data: SessionInput, *, confirm_large: bool = False
) -> Session:
    """Record a new session of `activity` (read again from the database and authorised)."""
    activity = _fresh_activity(activity)
    authorize(actor, Perm.EDIT_RECORDS, activity)
    _refuse_archived(activity)
    values = session_values(data, _check_for(activity, data, confirm_large))
    session = Session(activity=activity, node=activity.node, created_by=actor, **values)
    return _store(actor, session, data, values, before={}, old_counts={}, extra_changes={})


@service
def update_session(
    actor: User | None,
    session: Session,
    data: SessionInput,
    *,
    activity: Activity | None = None,
    expected_version: int | None = None,
    confirm_large: bool = False,
) -> Session:
    """Change `session` (read again, locked and authorised) to what `data` holds.

    An `activity` other than the session's own moves the session to it: the new activity must
    be one the actor may record in, of the same unit, and the move is written to the session's
    history. `expected_version` is the version the form was opened at: if someone saved in
    between, ConflictError is raised and nothing changes.
    """
    session = (
        # re-read the object the caller named; authorize() decides
        Session.all_objects.select_for_update(of=("self",))
        .select_related("activity__node", "node")
        .get(pk=session.pk)
    )
    authorize(actor, Perm.EDIT_RECORDS, session)
    if expected_version is not None and session.version != expected_version:
        raise ConflictError
    target = session.activity
    extra: dict[str, Any] = {}
    if activity is not None and activity.pk != session.activity_id:
        target = _fresh_activity(activity)
        authorize(actor, Perm.EDIT_RECORDS, target)
        if target.node_id != session.node_id:
            raise ValidationError(
                {"activity": _("A session can only be moved to another activity of the same unit.")}
            )
        _refuse_archived(target)
        extra["activity"] = [session.activity.name, target.name]
    elif session.node.is_archived:
        raise ValidationError(_("Nothing can be recorded in an archived place."))
    values = session_values(data, _check_for(target, data, confirm_large))
    before = audit.snapshot(session, SESSION_FIELDS)
    old_counts = _counts_snapshot(session)
    for name, value in values.items():
        setattr(session, name, value)
    session.activity = target
    session.version += 1
    return _store(
        actor, session, data, values, before=before, old_counts=old_counts, extra_changes=extra
    )


@service
def delete_session(actor: User | None, session: Session) -> None:
    """Remove a session recorded by mistake; the audit trail keeps what it held."""
    session = (
        # re-read the object the caller named; authorize() decides
        Session.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=session.pk)
    )
    authorize(actor, Perm.EDIT_RECORDS, session)
    snapshot = audit.snapshot(session, SESSION_FIELDS)
    snapshot["counts"] = _counts_snapshot(session)
    audit.record(actor, AuditAction.SESSION_DELETED, session, node=session.node, changes=snapshot)
    stored = [f.file.name for f in session.files.all()]
    session.delete()
    disclosure_store.records_changed(session.node)
    storage = SessionFile._meta.get_field("file").storage

    def remove_stored_files() -> None:
        for name in stored:
            storage.delete(name)

    transaction.on_commit(remove_stored_files)


@service
def save_week(
    actor: User | None,
    activity: Activity,
    days: list[SessionInput],
    *,
    confirm_large: bool = False,
) -> list[Session]:
    """Record several sessions of one activity at once: all of them, or none.

    A ValidationError names the failing day's position in `days` as "day-N".
    """
    activity = _fresh_activity(activity)
    authorize(actor, Perm.EDIT_RECORDS, activity)
    _refuse_archived(activity)
    saved = []
    for position, data in enumerate(days):
        try:
            with transaction.atomic():
                saved.append(create_session(actor, activity, data, confirm_large=confirm_large))
        except ValidationError as error:
            raise ValidationError({f"day-{position}": error.messages}) from None
    return saved


# A session a kiosk opens: from the hour of its first check-in, for an hour, until a worker
# corrects it on the session's page.
KIOSK_SESSION_MINUTES = 60


@service
def count_visit(
    actor: User | None,
    activity: Activity,
    *,
    when: dt.datetime,
    gender: str,
    band: str,
    network: NetworkSettings | None = None,
    count: int = 1,
) -> Session:
    """Add `count` visits of `gender` and `band` to the activity's session of `when`'s day,
    creating that session (from the hour of `when`) when there is none yet.

    The counts are changed in place, one cell at a time; the check-in rows, not a revision per
    visit, are the record of who checked in. A session with only a total grows its total.
    `network` is the activity's network settings when the caller read them in this transaction.

    The session is read and locked with its activity in one statement (`no_key`: the check-ins
    that refer to it do not wait), and the activity is locked only to create the day's session,
    so that two kiosks cannot both create it."""
    session, created = _day_session(
        actor, activity, when, gender=gender, band=band, network=network, count=count, lock=True
    )
    if not created:
        add_visits(session, {(gender, band): count})
    return session


@service
def kiosk_session(
    actor: User | None,
    activity: Activity,
    *,
    when: dt.datetime,
    gender: str,
    band: str,
    network: NetworkSettings | None = None,
) -> tuple[Session, bool]:
    """The activity's session of `when`'s day for one check-in at a kiosk (actor None: the
    kiosk's service authorised the device), and whether that visit is counted in it already.

    Every kiosk of the activity checks into the same session, so the session is only read, not
    locked, and its counts are not touched: the check-ins are added to them afterwards, many at
    once (`add_visits`, from kiosk.services.count_waiting). Only when the day has no session yet
    is one created, with this visit counted, the activity locked so that two kiosks cannot both
    create it."""
    return _day_session(actor, activity, when, gender=gender, band=band, network=network)


def _day_session(
    actor: User | None,
    activity: Activity,
    when: dt.datetime,
    *,
    gender: str,
    band: str,
    network: NetworkSettings | None,
    count: int = 1,
    lock: bool = False,
) -> tuple[Session, bool]:
    """The activity's session of `when`'s day (locked if `lock`), and whether it was created
    here, with `count` visits of `gender` and `band`."""
    local = timezone.localtime(when)
    session = _session_of_day(activity, local.date(), lock=lock)
    fresh = session.activity if session is not None else _fresh_activity(activity)
    authorize(actor, Perm.EDIT_RECORDS, fresh)
    _refuse_archived(fresh)
    bands = {key for key, _label in bands_in(network or settings_for(fresh.node))}
    if gender not in Gender.values or band not in bands or count < 1:
        raise ValidationError(_("Unknown gender or age band."))
    if session is None:  # created while we waited for the lock?
        session = _session_of_day(fresh, local.date(), lock=lock)
    if session is not None:
        return session, False
    data = SessionInput(
        date=local.date(),
        start_time=local.time().replace(minute=0, second=0, microsecond=0),
        minutes=KIOSK_SESSION_MINUTES,
        counts={(gender, band): count},
    )
    values = session_values(data, _check_for(fresh, data, confirm_large=False))
    created = Session(activity=fresh, node=fresh.node, created_by=actor, **values)
    return _store(actor, created, data, values, before={}, old_counts={}, extra_changes={}), True


def add_visits(session: Session, cells: dict[tuple[str, str], int]) -> None:
    """Add visits, (gender, band) to how many, to `session`, which the caller authorised and
    locked in this transaction (`count_visit`; kiosk.services.count_waiting): its total once,
    each cell once, and the network's counter of changes once, last, since every unit of the
    network shares that row."""
    cells = {cell: n for cell, n in cells.items() if n > 0}
    if not cells:
        return
    session.participants += sum(cells.values())
    session.save(update_fields=["participants", "updated_at"])
    if session.breakdown_known:
        for (gender, band), n in sorted(cells.items()):
            # system code: the cells of the session its caller authorised and locked
            cell = SessionCount.all_objects.filter(session=session, gender=gender, age_band=band)
            if not cell.update(count=models.F("count") + n):
                # system code: the cells of the session its caller authorised and locked
                SessionCount.all_objects.create(
                    session=session, gender=gender, age_band=band, count=n
                )
    disclosure_store.records_changed(session.node)


def _session_of_day(activity: Activity, day: dt.date, *, lock: bool = True) -> Session | None:
    """The activity's first session of `day` (locked if `lock`), with the activity and its unit
    as they are stored now."""
    # the activity is authorised by the caller right after; its sessions are its own
    sessions = Session.all_objects.all()
    if lock:
        sessions = sessions.select_for_update(of=("self",), no_key=True)
    return (
        sessions.select_related("activity__node")
        .filter(activity_id=activity.pk, date=day)
        .order_by("start_time")
        .first()
    )
