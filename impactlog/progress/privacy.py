"""What progress adds to the young people's privacy duties (participants/privacy.py).

- Anonymising a young person (erasure or retention) deletes their ratings, workers' notes,
  journal entries with their answers, the recognitions they received and those they gave that
  were not shown yet; their goals stay as bare counts (status and reached date: no title, steps
  or mentor), so that "goals reached" in past reports does not change. An approved recognition
  they gave stays with the peer, from a record that no longer names anyone.
- Any rating, note, goal change, journal entry or recognition is activity for retention.
- The subject access export holds all of it under "progress" (workers' private notes included).
  The young person's own download ("my data", through their personal link) holds what their own
  pages show: notes a worker shared, and recognitions a worker approved.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import DateTimeField, Max, OuterRef, Prefetch, Q, Subquery

from impactlog.participants import privacy
from impactlog.participants.models import Participant
from impactlog.progress.models import (
    Goal,
    GoalStep,
    JournalEntry,
    JournalReply,
    ProgressNote,
    Rating,
    Recognition,
    RecognitionStatus,
)

# System code throughout (all_objects): these run inside the participant's erasure, retention
# run or export, which authorised the participant.

# The queries the export's "progress" part adds: ratings, notes, goals and their steps, journal
# entries and their answers, recognitions received and given.
EXPORT_QUERIES = 7


@privacy.anonymiser
def _forget_progress(participant: Participant, now: dt.datetime) -> None:
    Rating.all_objects.filter(participant=participant).delete()
    ProgressNote.all_objects.filter(participant=participant).delete()
    JournalEntry.all_objects.filter(participant=participant).delete()  # answers go with them
    Recognition.all_objects.filter(peer=participant).delete()
    Recognition.all_objects.filter(giver=participant).exclude(
        status=RecognitionStatus.APPROVED
    ).delete()
    goals = Goal.all_objects.filter(participant=participant)
    GoalStep.all_objects.filter(goal__in=goals).delete()
    goals.update(title="", mentor=None, created_by=None)


def _latest(model: Any, person: str, moment: str) -> Any:
    return Subquery(
        model.all_objects.filter(**{person: OuterRef("pk")})
        .order_by()
        .values(person)
        .annotate(latest=Max(moment))
        .values("latest"),
        output_field=DateTimeField(),
    )


@privacy.activity
def _last_rating() -> Any:
    return _latest(Rating, "participant", "created_at")


@privacy.activity
def _last_note() -> Any:
    return _latest(ProgressNote, "participant", "written_at")


@privacy.activity
def _last_goal_change() -> Any:
    return _latest(Goal, "participant", "updated_at")


@privacy.activity
def _last_journal_entry() -> Any:
    return _latest(JournalEntry, "participant", "written_at")


@privacy.activity
def _last_recognition_given() -> Any:
    return _latest(Recognition, "giver", "given_at")


def _iso(moment: dt.datetime | dt.date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _by(user: Any) -> str | None:
    return str(user) if user is not None else None


def _as_they_see_it(part: dict[str, Any]) -> dict[str, Any]:
    """What the young person's own pages show of their progress: shared notes only, and only
    the recognitions a worker approved (queries.timeline with own=True)."""
    return part | {
        "notes": [note for note in part["notes"] if note["shared"]],
        "recognitions_received": [
            given
            for given in part["recognitions_received"]
            if given["status"] == RecognitionStatus.APPROVED
        ],
    }


@privacy.export_part("progress", template="progress/export_part.html", own=_as_they_see_it)
def export(participant: Participant) -> dict[str, Any]:
    """Everything progress holds about one young person (keys in docs/privacy.md)."""
    ratings = Rating.all_objects.filter(participant=participant).select_related(
        "competence", "rated_by"
    )
    notes = ProgressNote.all_objects.filter(participant=participant).select_related("written_by")
    goals = (
        Goal.all_objects.filter(participant=participant)
        .select_related("mentor")
        .prefetch_related("steps")
    )
    journal = JournalEntry.all_objects.filter(participant=participant).prefetch_related(
        Prefetch("replies", queryset=JournalReply.all_objects.select_related("written_by"))
    )
    recognitions = list(
        Recognition.all_objects.filter(Q(peer=participant) | Q(giver=participant))
        .select_related("competence")
        .order_by("given_at", "pk")
    )
    received = [r for r in recognitions if r.peer_id == participant.pk]
    given = [r for r in recognitions if r.giver_id == participant.pk]
    return {
        "ratings": [
            {
                "id": r.pk,
                "competence": r.competence_name,
                "key_competence": r.maps_to,
                "level": r.level,
                "source": r.source,
                "rated_by": _by(r.rated_by),
                "rated_on": _iso(r.rated_on),
                "note": r.note,
            }
            for r in ratings
        ],
        "notes": [
            {
                "id": n.pk,
                "text": n.text,
                "shared": n.shared,
                "written_by": _by(n.written_by),
                "written_at": _iso(n.written_at),
            }
            for n in notes
        ],
        "goals": [
            {
                "id": g.pk,
                "title": g.title,
                "mentor": _by(g.mentor),
                "status": g.status,
                "reached_on": _iso(g.reached_on),
                "created_at": _iso(g.created_at),
                "steps": [{"text": s.text, "done_on": _iso(s.done_on)} for s in g.steps.all()],
            }
            for g in goals
        ],
        "journal": [
            {
                "id": e.pk,
                "did": e.did,
                "learned": e.learned,
                "written_at": _iso(e.written_at),
                "answers": [
                    {"text": a.text, "by": _by(a.written_by), "written_at": _iso(a.written_at)}
                    for a in e.replies.all()
                ],
            }
            for e in journal
        ],
        "recognitions_received": [
            {
                "id": r.pk,
                "competence": r.competence_name,
                "text": r.text,
                "status": r.status,
                "given_at": _iso(r.given_at),
            }
            for r in received
        ],
        "recognitions_given": [
            {
                "id": r.pk,
                "competence": r.competence_name,
                "text": r.text,
                "status": r.status,
                "given_at": _iso(r.given_at),
            }
            for r in given
        ],
    }
