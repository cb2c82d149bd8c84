"""Progress: workers' ratings, notes, goals, answers and decisions; the young person's own
self-assessment, journal and recognitions; the timeline; what reports count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impactlog.accounts.models import User
from impactlog.logbook.figures.periods import Period
from impactlog.participants import services as registry
from impactlog.participants.models import Consent, ConsentKind
from impactlog.progress import own, queries, services
from impactlog.progress.models import (
    Goal,
    GoalStatus,
    JournalEntry,
    Rating,
    Recognition,
    RecognitionStatus,
    Source,
)
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry

from .conftest import NOW, World
from .progress_world import People

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

TODAY = NOW.date()


def _withdraw(participant: object) -> None:
    consent = Consent.all_objects.get(participant=participant, kind=ConsentKind.REGISTRATION)
    registry.withdraw_consent(None, consent)


# Ratings side by side.


def test_a_self_assessment_never_overwrites_the_workers_rating(
    people: People, walter: User
) -> None:
    services.rate(walter, people.fox, "digital", 2, on=TODAY - dt.timedelta(days=7))
    own.self_assess(people.fox, "digital", 4)
    services.rate(walter, people.fox, "digital", 3)
    assert Rating.all_objects.filter(participant=people.fox).count() == 3
    (comparison,) = queries.timeline(people.fox, own=False).comparisons
    assert comparison.worker is not None and comparison.worker.level == 3
    assert comparison.own is not None and comparison.own.level == 4
    assert comparison.differs and comparison.difference == 1
    # The same view for the young person.
    (mine,) = queries.timeline(people.fox).comparisons
    assert (mine.worker.level, mine.own.level) == (3, 4)  # type: ignore[union-attr]


def test_the_latest_rating_of_each_source_is_compared_by_its_date(
    people: People, walter: User
) -> None:
    services.rate(walter, people.fox, "literacy", 4)
    # Entered later, but about an earlier day: it is not the latest.
    services.rate(walter, people.fox, "literacy", 1, on=TODAY - dt.timedelta(days=30))
    own.self_assess(people.fox, "literacy", 4)
    (comparison,) = queries.timeline(people.fox, own=False).comparisons
    assert comparison.worker.level == 4  # type: ignore[union-attr]
    assert not comparison.differs


def test_an_own_competence_is_compared_apart_from_its_key_competence(
    world: World, people: People, walter: User, alice: User
) -> None:
    experiments = services.add_competence(
        alice, world.region, "Confidence in science experiments", "stem"
    )
    services.rate(walter, people.fox, experiments, 2)
    own.self_assess(people.fox, "stem", 5)
    comparisons = queries.timeline(people.fox, own=False).comparisons
    assert {c.name for c in comparisons} == {
        "Confidence in science experiments",
        "Mathematical competence and competence in science, technology and engineering",
    }
    assert not any(c.differs for c in comparisons)


@pytest.mark.parametrize("level", [0, 6, -1, True, "3"])
def test_a_level_off_the_scale_is_refused(people: People, walter: User, level: object) -> None:
    with pytest.raises(ValidationError):
        services.rate(walter, people.fox, "digital", level)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        own.self_assess(people.fox, "digital", level)  # type: ignore[arg-type]
    assert not Rating.all_objects.exists()


def test_a_rating_is_not_in_the_future(people: People, walter: User) -> None:
    with pytest.raises(ValidationError, match="future"):
        services.rate(walter, people.fox, "digital", 3, on=TODAY + dt.timedelta(days=1))


def test_another_organisations_competence_or_an_unknown_one_is_refused(
    world: World, people: People, walter: User, otto: User
) -> None:
    theirs = services.add_competence(otto, world.other_org, "Sailing")
    for competence in (theirs, "sailing", ""):
        with pytest.raises(ValidationError, match="Choose a competence"):
            services.rate(walter, people.fox, competence, 3)
        with pytest.raises(ValidationError, match="Choose a competence"):
            own.self_assess(people.fox, competence, 3)
    assert not Rating.all_objects.exists()


def test_a_competence_name_is_unique_in_the_organisation(world: World, alice: User) -> None:
    services.add_competence(alice, world.region, "Teamwork")
    with pytest.raises(ValidationError, match="already"):
        services.add_competence(alice, world.region, "teamwork")
    with pytest.raises(ValidationError, match="key competence"):
        services.add_competence(alice, world.region, "Drawing", "art")


# The young person's own actions.


def test_own_actions_are_audited_without_an_actor_or_their_words(people: People) -> None:
    own.self_assess(people.fox, "digital", 3, note="I made my first video")
    entry = own.write_journal(people.fox, "We built a robot", "Soldering is not scary")
    own.recognise(people.fox, people.owl, "citizenship", "You helped me a lot")
    entries = AuditEntry.all_objects.filter(action__startswith="progress.")
    assert {e.action for e in entries} == {
        AuditAction.PROGRESS_SELF_RATED,
        AuditAction.JOURNAL_WRITTEN,
        AuditAction.RECOGNITION_GIVEN,
    }
    assert all(e.actor_id is None for e in entries)
    written = " ".join(str(e.changes) + e.object_repr for e in entries)
    for words in ("video", "robot", "Soldering", "helped", "Fox", "Owl"):
        assert words not in written
    assert entry.learned == "Soldering is not scary"
    # Under Owl's record, and naming nobody else (not even Fox, who gave it).
    given = entries.get(action=AuditAction.RECOGNITION_GIVEN)
    assert given.object_id == str(people.owl.pk) and set(given.changes) == {"recognition"}


def test_a_journal_entry_says_what_they_did_and_what_they_learned(people: People) -> None:
    with pytest.raises(ValidationError):
        own.write_journal(people.fox, "We built a robot", "   ")
    with pytest.raises(ValidationError):
        own.write_journal(people.fox, "", "Soldering")
    with pytest.raises(ValidationError, match="under"):
        own.write_journal(people.fox, "x" * 2001, "Soldering")
    assert not JournalEntry.all_objects.exists()


@pytest.mark.parametrize("how", ["anonymised", "withdrawn"])
def test_nothing_is_recorded_by_or_for_a_young_person_who_is_not_live(
    people: People, walter: User, how: str
) -> None:
    if how == "anonymised":
        from impactlog.participants import privacy

        privacy.erase_participant(None, people.fox)
    else:
        _withdraw(people.fox)
    before = AuditEntry.all_objects.count()
    calls = [
        lambda: own.self_assess(people.fox, "digital", 3),
        lambda: own.write_journal(people.fox, "Did", "Learned"),
        lambda: own.recognise(people.fox, people.owl, "digital", "Well done"),
        lambda: own.recognise(people.owl, people.fox, "digital", "Well done"),
        lambda: services.rate(walter, people.fox, "digital", 3),
        lambda: services.add_note(walter, people.fox, "Came on time"),
        lambda: services.add_goal(walter, people.fox, "Lead a workshop", mentor=walter),
    ]
    for call in calls:
        with pytest.raises(ValidationError):
            call()
    assert not Rating.all_objects.exists() and not Recognition.all_objects.exists()
    assert not Goal.all_objects.exists() and not JournalEntry.all_objects.exists()
    assert AuditEntry.all_objects.count() == before


def test_a_recognition_goes_to_a_peer_of_the_same_organisation_only(people: People) -> None:
    with pytest.raises(ValidationError, match="own youth centre"):
        own.recognise(people.fox, people.otter, "digital", "Great")
    with pytest.raises(ValidationError, match="someone else"):
        own.recognise(people.fox, people.fox, "digital", "Great")
    with pytest.raises(ValidationError, match="under"):
        own.recognise(people.fox, people.owl, "digital", "x" * 281)
    assert not Recognition.all_objects.exists()
    # Another unit of the same organisation is fine: the same young people meet there.
    recognition = own.recognise(people.fox, people.elk, "digital", "Great")
    assert recognition.status == RecognitionStatus.PENDING


def test_a_recognition_is_shown_to_the_peer_only_once_approved(
    world: World, people: People, walter: User
) -> None:
    hill_worker = _hill_worker(world)
    first = own.recognise(people.owl, people.fox, "citizenship", "You helped me")
    second = own.recognise(people.owl, people.fox, "digital", "Nice video")
    assert not [i for i in queries.timeline(people.fox).items if i.kind == "recognition"]
    assert list(queries.recognitions_waiting(world.harbour)) == [first, second]
    with pytest.raises(PermissionDenied):  # Fox is not Hill's
        services.decide_recognition(hill_worker, first, True)
    services.decide_recognition(walter, first, True)
    services.decide_recognition(walter, second, False)
    shown = [i.obj for i in queries.timeline(people.fox).items if i.kind == "recognition"]
    assert shown == [first]
    assert list(queries.recognitions_waiting(world.harbour)) == []
    with pytest.raises(ValidationError, match="decided already"):
        services.decide_recognition(walter, second, True)


def _hill_worker(world: World) -> User:
    from impactlog.tenancy.roles import Role

    from .conftest import make_person

    return make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)


# Notes, goals, journal answers.


def test_a_private_note_is_not_on_the_young_persons_own_timeline(
    people: People, walter: User
) -> None:
    services.add_note(walter, people.fox, "Talked about the exam stress")
    shared = services.add_note(walter, people.fox, "Great presentation today", shared=True)
    assert len([i for i in queries.timeline(people.fox, own=False).items if i.kind == "note"]) == 2
    assert [i.obj for i in queries.timeline(people.fox).items if i.kind == "note"] == [shared]


def test_a_goal_has_a_mentor_of_the_unit_and_steps(
    world: World, people: People, walter: User, maria: User, carl: User
) -> None:
    goal = services.add_goal(
        walter, people.fox, "Lead a workshop", mentor=maria, steps=["Pick a topic", " ", "Plan"]
    )
    assert [s.text for s in goal.steps.all()] == ["Pick a topic", "Plan"]
    with pytest.raises(ValidationError, match="mentor"):
        services.add_goal(walter, people.fox, "Run a club", mentor=carl)  # a coordinator
    with pytest.raises(ValidationError, match="mentor"):
        services.add_goal(walter, people.fox, "Run a club", mentor=_hill_worker(world))
    step = services.add_step(walter, goal, "Rehearse")
    services.mark_step(walter, step, True)
    step.refresh_from_db()
    assert step.done_on == TODAY


def test_goals_reached_count_by_the_day_reached_at_or_below_the_node(
    world: World, people: People, walter: User, maria: User
) -> None:
    hill_worker = _hill_worker(world)
    moments = NOW - dt.timedelta(days=60)
    first = services.add_goal(walter, people.fox, "Lead a workshop", mentor=maria, now=moments)
    second = services.add_goal(walter, people.owl, "Join the council", mentor=walter, now=moments)
    third = services.add_goal(hill_worker, people.elk, "Swim 1 km", mentor=hill_worker, now=moments)
    services.add_goal(walter, people.fox, "Still open", mentor=walter, now=moments)
    services.set_goal_status(walter, first, GoalStatus.REACHED, on=TODAY - dt.timedelta(days=3))
    services.set_goal_status(walter, second, GoalStatus.REACHED, on=dt.date(2026, 10, 31))
    services.set_goal_status(hill_worker, third, GoalStatus.REACHED)
    november = Period("month", dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert queries.goals_reached(world.harbour, november) == 1
    assert queries.goals_reached(world.region, november) == 2
    assert queries.goals_reached(world.other_org, november) == 0
    # Dropped after all: no longer counted, and the date goes.
    services.set_goal_status(walter, first, GoalStatus.DROPPED)
    assert queries.goals_reached(world.region, november) == 1
    first.refresh_from_db()
    assert first.reached_on is None
    with pytest.raises(ValidationError, match="after it was set"):
        services.set_goal_status(walter, first, GoalStatus.REACHED, on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError):
        services.set_goal_status(walter, first, "done")


def test_a_worker_answers_a_journal_entry_under_it(people: People, walter: User) -> None:
    entry = own.write_journal(people.fox, "Cooked for twenty", "Planning matters")
    services.answer_journal(walter, entry, "Everyone loved the soup!")
    (item,) = [i for i in queries.timeline(people.fox).items if i.kind == "journal"]
    assert [r.text for r in item.obj.replies.all()] == ["Everyone loved the soup!"]
    with pytest.raises(ValidationError):
        services.answer_journal(walter, entry, "  ")


# The timeline.


def _fill(people: People, walter: User, maria: User, rounds: int) -> None:
    for index in range(rounds):
        moment = NOW - dt.timedelta(days=10 * (rounds - index))
        services.rate(walter, people.fox, "digital", 1 + index % 5, now=moment)
        own.self_assess(people.fox, "literacy", 1 + index % 5, now=moment)
        services.add_note(walter, people.fox, f"Note {index}", shared=index % 2 == 0, now=moment)
        goal = services.add_goal(
            walter, people.fox, f"Goal {index}", mentor=maria, steps=["a", "b"], now=moment
        )
        services.set_goal_status(walter, goal, GoalStatus.REACHED, now=moment)
        entry = own.write_journal(people.fox, f"Did {index}", f"Learned {index}", now=moment)
        services.answer_journal(walter, entry, "Well done", now=moment)
        services.decide_recognition(
            walter, own.recognise(people.owl, people.fox, "digital", "Thanks", now=moment), True
        )


@pytest.mark.parametrize("rounds", [1, 6])
@pytest.mark.parametrize("mine", [True, False])
def test_the_timeline_takes_a_fixed_number_of_queries(
    people: People, walter: User, maria: User, rounds: int, mine: bool
) -> None:
    _fill(people, walter, maria, rounds)
    with CaptureQueriesContext(connection) as queried:
        timeline = queries.timeline(people.fox, own=mine)
        for item in timeline.items:  # what the page reads of each item
            str(getattr(item.obj, "rated_by", None) or getattr(item.obj, "mentor", None))
            if item.kind == "goal":
                list(item.obj.steps.all())
            if item.kind == "journal":
                [str(r.written_by) for r in item.obj.replies.all()]
            if item.kind == "recognition":
                str(item.obj.giver.alias) + item.obj.competence_name
    assert len(queried) == queries.TIMELINE_QUERIES
    notes = rounds if not mine else (rounds + 1) // 2
    assert len(timeline.items) == rounds * 5 + notes


def test_the_timeline_is_newest_first(people: People, walter: User) -> None:
    own.write_journal(people.fox, "First", "First", now=NOW - dt.timedelta(days=2))
    services.rate(walter, people.fox, "digital", 3, on=TODAY - dt.timedelta(days=1))
    own.write_journal(people.fox, "Last", "Last", now=NOW)
    kinds = [(i.kind, getattr(i.obj, "did", "")) for i in queries.timeline(people.fox).items]
    assert kinds == [("journal", "Last"), ("rating", ""), ("journal", "First")]
    assert queries.timeline(people.fox).items[1].obj.source == Source.WORKER
