"""Workers' changes to a young person's progress: one function per action, each authorising the
participant (or the row) with the personal-data permission of the participant's pages, in one
transaction, audited without the text or the levels (only which kind of thing happened).

Nothing is recorded about a young person whose record is anonymised or whose registration
consent is not in force (rules.check_live). A rating never replaces another: every rating is a
row of its own. The young person's own actions are in own.py.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.participants.models import Participant
from impactlog.progress import queries, rules
from impactlog.progress.models import (
    Competence,
    Goal,
    GoalStatus,
    GoalStep,
    JournalEntry,
    JournalReply,
    ProgressNote,
    Rating,
    Recognition,
    RecognitionStatus,
    Source,
)
from impactlog.progress.rules import CompetenceRef
from impactlog.progress.vocabulary import KeyCompetence
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import authorize, has_perm, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

NOTE_LIMIT = 4000
TEXT_LIMIT = 2000
TITLE_LIMIT = 200
NAME_LIMIT = 120
MAX_STEPS = 20


def _participant(actor: User | None, participant: Participant) -> Participant:
    current = rules.locked(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    rules.check_live(current)
    return current


@service
def add_competence(
    actor: User | None,
    organisation: Node,
    name: str,
    key_competence: str = "",
    *,
    now: dt.datetime | None = None,
) -> Competence:
    """Add one of the organisation's own competences, optionally counted towards a key one."""
    # re-read the object the caller named; authorize() below decides
    organisation = Node.all_objects.get(pk=organisation.pk)
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    if organisation.kind == NodeKind.UNIT:
        raise ValidationError(_("Competences are kept by the organisation, not by a unit."))
    name = rules.check_text(name, "name", NAME_LIMIT)
    if key_competence and key_competence not in KeyCompetence.values:
        raise ValidationError({"key_competence": _("Choose a key competence from the list.")})
    # a name taken in the organisation authorised above (a yes or no)
    if Competence.all_objects.filter(owner=organisation, name__iexact=name).exists():
        raise ValidationError({"name": _("%(name)s is on the list already.") % {"name": name}})
    # created under the object authorised above, in this service's transaction
    competence = Competence.all_objects.create(
        owner=organisation,
        name=name,
        key_competence=key_competence,
        created_at=now or timezone.now(),
    )
    audit.record(
        actor,
        AuditAction.COMPETENCE_ADDED,
        competence,
        node=organisation,
        changes={"name": name, "key_competence": key_competence},
    )
    return competence


@service
def rate(
    actor: User | None,
    participant: Participant,
    competence: CompetenceRef,
    level: int,
    *,
    on: dt.date | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """A worker's rating of a competence on a day (today unless given). It never replaces an
    earlier rating, the worker's or the young person's own."""
    now = now or timezone.now()
    current = _participant(actor, participant)
    # created under the object authorised above, in this service's transaction
    rating = Rating.all_objects.create(
        participant=current,
        level=rules.check_level(level),
        source=Source.WORKER,
        rated_by=actor,
        rated_on=rules.check_day(on or timezone.localdate(now), now, "rated_on"),
        note=rules.check_text(note, "note", TEXT_LIMIT, required=False),
        created_at=now,
        **rules.competence_fields(current, competence),
    )
    audit.record(
        actor,
        AuditAction.PROGRESS_RATED,
        current,
        node=current.unit,
        changes={"rating": rating.pk},
    )
    return rating


@service
def add_note(
    actor: User | None,
    participant: Participant,
    text: str,
    *,
    shared: bool = False,
    now: dt.datetime | None = None,
) -> ProgressNote:
    """A worker's progress note: private to the unit's workers unless `shared` with the young
    person (then it is on their own timeline too)."""
    current = _participant(actor, participant)
    # created under the object authorised above, in this service's transaction
    note = ProgressNote.all_objects.create(
        participant=current,
        text=rules.check_text(text, "text", NOTE_LIMIT),
        shared=bool(shared),
        written_by=actor,
        written_at=now or timezone.now(),
    )
    audit.record(
        actor,
        AuditAction.PROGRESS_NOTE_ADDED,
        current,
        node=current.unit,
        changes={"note": note.pk, "shared": note.shared},
    )
    return note


def _check_mentor(mentor: User | None, participant: Participant) -> None:
    """A mentor is someone who may read the young person's records at their unit."""
    if mentor is not None and not has_perm(mentor, Perm.VIEW_PERSONAL, participant.unit):
        raise ValidationError({"mentor": _("Choose a mentor among the workers of the unit.")})


def _check_steps(steps: list[str]) -> list[str]:
    cleaned = [rules.check_text(step, "steps", TITLE_LIMIT) for step in steps if step.strip()]
    if len(cleaned) > MAX_STEPS:
        raise ValidationError(
            {"steps": _("A goal has at most %(count)s steps.") % {"count": MAX_STEPS}}
        )
    return cleaned


@service
def add_goal(
    actor: User | None,
    participant: Participant,
    title: str,
    *,
    mentor: User | None,
    steps: list[str] | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """Set a goal with a mentor and its first steps (one a line)."""
    now = now or timezone.now()
    current = _participant(actor, participant)
    title = rules.check_text(title, "title", TITLE_LIMIT)
    _check_mentor(mentor, current)
    texts = _check_steps(steps or [])
    # created under the object authorised above, in this service's transaction
    goal = Goal.all_objects.create(
        participant=current,
        title=title,
        mentor=mentor,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    # created under the object authorised above, in this service's transaction
    GoalStep.all_objects.bulk_create(
        GoalStep(goal=goal, text=text, position=index) for index, text in enumerate(texts)
    )
    audit.record(
        actor,
        AuditAction.GOAL_ADDED,
        current,
        node=current.unit,
        changes={"goal": goal.pk, "steps": len(texts)},
    )
    return goal


def _goal(actor: User | None, goal: Goal) -> tuple[Goal, Participant]:
    # re-read the object the caller named; authorized through its young person below
    current = Goal.all_objects.select_for_update().get(pk=goal.pk)
    participant = _participant(actor, current.participant)
    return current, participant


@service
def add_step(
    actor: User | None, goal: Goal, text: str, *, now: dt.datetime | None = None
) -> GoalStep:
    current, participant = _goal(actor, goal)
    text = rules.check_text(text, "text", TITLE_LIMIT)
    if current.steps.count() >= MAX_STEPS:
        raise ValidationError(
            {"text": _("A goal has at most %(count)s steps.") % {"count": MAX_STEPS}}
        )
    # created under the object authorised above, in this service's transaction
    step = GoalStep.all_objects.create(goal=current, text=text, position=current.steps.count())
    current.updated_at = now or timezone.now()
    current.save(update_fields=["updated_at"])
    audit.record(
        actor,
        AuditAction.GOAL_CHANGED,
        participant,
        node=participant.unit,
        changes={"goal": current.pk, "step_added": step.pk},
    )
    return step


@service
def mark_step(
    actor: User | None, step: GoalStep, done: bool, *, now: dt.datetime | None = None
) -> GoalStep:
    """Mark a step done (today) or not done."""
    now = now or timezone.now()
    # re-read the object the caller named; authorized through its young person below
    current = GoalStep.all_objects.select_for_update().get(pk=step.pk)
    goal, participant = _goal(actor, current.goal)
    current.done_on = timezone.localdate(now) if done else None
    current.save(update_fields=["done_on"])
    goal.updated_at = now
    goal.save(update_fields=["updated_at"])
    audit.record(
        actor,
        AuditAction.GOAL_CHANGED,
        participant,
        node=participant.unit,
        changes={"goal": goal.pk, "step": current.pk, "done": done},
    )
    return current


@service
def set_goal_status(
    actor: User | None,
    goal: Goal,
    status: str,
    *,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Goal:
    """Open, reach (on a day, today unless given) or drop a goal. Reports count a goal reached
    on its reached date (queries.goals_reached)."""
    now = now or timezone.now()
    current, participant = _goal(actor, goal)
    if status not in GoalStatus.values:
        raise ValidationError({"status": _("Choose open, reached or dropped.")})
    before = current.status
    current.status = status
    if status == GoalStatus.REACHED:
        day = rules.check_day(on or timezone.localdate(now), now, "reached_on")
        if day < timezone.localdate(current.created_at):
            raise ValidationError({"reached_on": _("A goal is reached after it was set.")})
        current.reached_on = day
    else:
        current.reached_on = None
    current.updated_at = now
    current.save(update_fields=["status", "reached_on", "updated_at"])
    audit.record(
        actor,
        AuditAction.GOAL_CHANGED,
        participant,
        node=participant.unit,
        changes={"goal": current.pk, "status": [before, status]},
    )
    return current


@service
def answer_journal(
    actor: User | None, entry: JournalEntry, text: str, *, now: dt.datetime | None = None
) -> JournalReply:
    """A worker's answer to a young person's journal entry, shown under it on their timeline."""
    # re-read the object the caller named; authorized through its young person below
    current = JournalEntry.all_objects.get(pk=entry.pk)
    participant = _participant(actor, current.participant)
    # created under the object authorised above, in this service's transaction
    reply = JournalReply.all_objects.create(
        entry=current,
        text=rules.check_text(text, "text", TEXT_LIMIT),
        written_by=actor,
        written_at=now or timezone.now(),
    )
    audit.record(
        actor,
        AuditAction.JOURNAL_ANSWERED,
        participant,
        node=participant.unit,
        changes={"entry": current.pk, "reply": reply.pk},
    )
    return reply


@service
def decide_recognition(
    actor: User | None,
    recognition: Recognition,
    approve: bool,
    *,
    now: dt.datetime | None = None,
) -> Recognition:
    """Approve a peer's recognition (the peer then sees it) or keep it from being shown. Only a
    waiting recognition is decided; authorised on the peer's unit."""
    # re-read the object the caller named; authorize() below decides
    current = Recognition.all_objects.select_for_update().get(pk=recognition.pk)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    peer = rules.locked(current.peer)
    if current.status != RecognitionStatus.PENDING:
        raise ValidationError(_("This recognition was decided already."))
    if approve:
        rules.check_live(peer)
    current.status = RecognitionStatus.APPROVED if approve else RecognitionStatus.REJECTED
    current.decided_by = actor
    current.decided_at = now or timezone.now()
    current.save(update_fields=["status", "decided_by", "decided_at"])
    audit.record(
        actor,
        AuditAction.RECOGNITION_DECIDED,
        peer,
        node=peer.unit,
        changes={"recognition": current.pk, "status": current.status},
    )
    return current


@service
def update_goal(
    actor: User | None,
    goal: Goal,
    *,
    status: str,
    reached_on: dt.date | None = None,
    done: set[int] | None = None,
    new_step: str = "",
    now: dt.datetime | None = None,
) -> Goal:
    """What the goal page saves at once, all or nothing: its status (and reached date), which
    steps are done and a new step."""
    now = now or timezone.now()
    current, _participant = _goal(actor, goal)
    done = done or set()
    for step in current.steps.all():
        if (step.pk in done) != (step.done_on is not None):
            mark_step(actor, step, step.pk in done, now=now)
    if new_step.strip():
        add_step(actor, current, new_step, now=now)
    changed_day = reached_on is not None and reached_on != current.reached_on
    if status != current.status or (status == GoalStatus.REACHED and changed_day):
        current = set_goal_status(actor, current, status, on=reached_on, now=now)
    # the goal authorised and changed above, read again
    return Goal.all_objects.get(pk=current.pk)


@service
def view_recognitions(actor: User | None, unit: Node) -> list[Recognition]:
    """The recognitions waiting for a worker at `unit` (they name its young people): authorised
    and written to the audit trail as a view."""
    # re-read the object the caller named; authorize() below decides
    unit = Node.all_objects.get(pk=unit.pk)
    authorize(actor, Perm.VIEW_PERSONAL, unit)
    waiting = list(queries.recognitions_waiting(unit))
    audit.record(
        actor, AuditAction.RECOGNITIONS_LISTED, unit, node=unit, changes={"count": len(waiting)}
    )
    return waiting
