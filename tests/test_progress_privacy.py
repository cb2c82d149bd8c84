"""Progress and the privacy duties: erasure takes it (goals stay as counts), it is activity for
retention, and the subject access export holds it, in JSON and in the PDF."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impactlog.accounts.models import User
from impactlog.logbook.figures.periods import Period
from impactlog.participants import privacy
from impactlog.participants.export_pdf import html_of
from impactlog.participants.models import Participant
from impactlog.progress import own, queries, services
from impactlog.progress import privacy as progress_privacy
from impactlog.progress.models import (
    Goal,
    GoalStatus,
    GoalStep,
    JournalEntry,
    JournalReply,
    ProgressNote,
    Rating,
    Recognition,
)
from impactlog.tenancy.models import AuditEntry

from .conftest import NOW, World
from .progress_world import People

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

SECRETS = ["Talked about the exam stress", "We built a robot", "Soldering is not scary"]


def _everything(people: People, walter: User, maria: User, now: dt.datetime = NOW) -> Goal:
    services.rate(walter, people.fox, "digital", 2, note="Shy with the camera", now=now)
    own.self_assess(people.fox, "digital", 4, now=now)
    services.add_note(walter, people.fox, SECRETS[0], now=now)
    goal = services.add_goal(
        walter, people.fox, "Lead a workshop", mentor=maria, steps=["Pick a topic"], now=now
    )
    services.set_goal_status(walter, goal, GoalStatus.REACHED, now=now)
    entry = own.write_journal(people.fox, SECRETS[1], SECRETS[2], now=now)
    services.answer_journal(walter, entry, "Proud of you", now=now)
    services.decide_recognition(
        walter, own.recognise(people.owl, people.fox, "citizenship", "Kind to all", now=now), True
    )
    own.recognise(people.fox, people.owl, "digital", "Fixed my laptop", now=now)
    return goal


def test_erasure_takes_the_progress_and_keeps_goals_reached_as_counts(
    world: World, people: People, walter: User, maria: User
) -> None:
    goal = _everything(people, walter, maria)
    shown = own.recognise(people.fox, people.owl, "literacy", "Great story", now=NOW)
    services.decide_recognition(walter, shown, True)
    privacy.erase_participant(walter, people.fox)
    assert not Rating.all_objects.filter(participant=people.fox).exists()
    assert not ProgressNote.all_objects.exists()
    assert not JournalEntry.all_objects.exists() and not JournalReply.all_objects.exists()
    assert not GoalStep.all_objects.exists()
    # What Owl was given and shown stays with Owl; what waited goes; what Fox received goes.
    assert list(Recognition.all_objects.all()) == [shown]
    goal.refresh_from_db()
    assert (goal.title, goal.mentor, goal.status) == ("", None, GoalStatus.REACHED)
    month = Period("month", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert queries.goals_reached(world.harbour, month) == 1
    timeline = queries.timeline(Participant.all_objects.get(pk=people.fox.pk), own=False)
    assert [i.kind for i in timeline.items] == ["goal"]
    trail = " ".join(str(e.changes) + e.object_repr for e in AuditEntry.all_objects.all())
    for secret in SECRETS:
        assert secret not in trail


@pytest.mark.time_machine(NOW, tick=False)
@pytest.mark.parametrize(
    "action",
    ["rating", "self", "note", "goal", "journal", "recognition"],
)
def test_progress_counts_as_activity_for_retention(
    world: World, people: People, walter: User, maria: User, action: str
) -> None:
    later = NOW + dt.timedelta(days=700)  # under 24 months after registering
    what = {
        "rating": lambda: services.rate(walter, people.fox, "digital", 3, now=later),
        "self": lambda: own.self_assess(people.fox, "digital", 3, now=later),
        "note": lambda: services.add_note(walter, people.fox, "Back again", now=later),
        "goal": lambda: services.add_goal(walter, people.fox, "Cook", mentor=maria, now=later),
        "journal": lambda: own.write_journal(people.fox, "Did", "Learned", now=later),
        "recognition": lambda: own.recognise(people.fox, people.owl, "digital", "Hi", now=later),
    }
    what[action]()
    due = NOW + dt.timedelta(days=760)  # 24 months after registering, 2 after the activity
    assert people.fox.pk not in {p.pk for p in privacy.due_for_retention(world.region, due)}
    assert people.elk.pk in {p.pk for p in privacy.due_for_retention(world.region, due)}


def test_the_export_holds_the_progress_with_the_private_notes(
    people: People, walter: User, maria: User
) -> None:
    _everything(people, walter, maria)
    export = privacy.subject_access(maria, people.fox, "en")
    progress = export["progress"]
    assert [(r["source"], r["level"]) for r in progress["ratings"]] == [("worker", 2), ("self", 4)]
    assert progress["notes"][0]["text"] == SECRETS[0] and not progress["notes"][0]["shared"]
    assert progress["goals"][0]["status"] == "reached"
    assert progress["goals"][0]["steps"] == [{"text": "Pick a topic", "done_on": None}]
    assert progress["journal"][0]["answers"][0]["text"] == "Proud of you"
    assert [r["text"] for r in progress["recognitions_received"]] == ["Kind to all"]
    assert [r["text"] for r in progress["recognitions_given"]] == ["Fixed my laptop"]
    html = html_of(export)
    for text in [*SECRETS, "Proud of you", "Kind to all", "Fixed my laptop", "Lead a workshop"]:
        assert text in html
    # Owl's export does not hold Fox's progress, only what Owl gave and was given.
    theirs = privacy.subject_access(maria, people.owl, "en")["progress"]
    assert theirs["ratings"] == [] and theirs["notes"] == []
    assert [r["text"] for r in theirs["recognitions_given"]] == ["Kind to all"]


def test_the_progress_part_of_the_export_takes_a_fixed_number_of_queries(
    people: People, walter: User, maria: User
) -> None:
    for days in range(4):
        _everything(people, walter, maria, NOW - dt.timedelta(days=days))
    with CaptureQueriesContext(connection) as queried:
        part = progress_privacy.export(people.fox)
    assert len(queried) == progress_privacy.EXPORT_QUERIES
    assert len(part["ratings"]) == 8
