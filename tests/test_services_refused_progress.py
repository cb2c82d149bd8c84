"""Every service of progress called by someone without the right on the object it changes:
PermissionDenied (Http404 never: the services are called directly), and nothing written.

Workers act on the young people of their own units; coordinators, viewers, administrators (who
hold no right to young people's records) and another organisation never. The young person's own
actions (progress/own.py) have no actor: their refusals are in test_progress_services.py.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest

from impactlog.progress import own, services
from impactlog.progress.models import (
    Competence,
    Goal,
    GoalStep,
    JournalEntry,
    JournalReply,
    ProgressNote,
    Rating,
    Recognition,
)
from impactlog.tenancy.roles import Role

from .conftest import World, make_person
from .progress_world import People
from .services_refused import Args, a, params, refused_writing_nothing

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

Case = tuple[str, Callable[..., Any], Callable[[SimpleNamespace], Args]]


@pytest.fixture
def c(world: World, people: People, alice, carl, maria, walter, vera, otto) -> SimpleNamespace:  # type: ignore[no-untyped-def]
    hilda = make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)
    goal = services.add_goal(walter, people.fox, "Lead a workshop", mentor=walter, steps=["Plan"])
    entry = own.write_journal(people.fox, "Did", "Learned")
    recognition = own.recognise(people.owl, people.fox, "digital", "Thanks")
    return SimpleNamespace(
        w=world,
        p=people,
        alice=alice,
        carl=carl,
        maria=maria,
        walter=walter,
        vera=vera,
        otto=otto,
        hilda=hilda,
        goal=goal,
        step=goal.steps.get(),
        entry=entry,
        recognition=recognition,
    )


REFUSALS: list[Case] = [
    (
        "walter (a worker) adds a competence to the organisation",
        services.add_competence,
        lambda c: a(c.walter, c.w.region, "Teamwork"),
    ),
    (
        "otto adds a competence to Riverside",
        services.add_competence,
        lambda c: a(c.otto, c.w.region, "Teamwork"),
    ),
    ("carl (coordinator) rates Fox", services.rate, lambda c: a(c.carl, c.p.fox, "digital", 3)),
    ("alice (admin) rates Fox", services.rate, lambda c: a(c.alice, c.p.fox, "digital", 3)),
    ("hilda (Hill's worker) rates Fox", services.rate, lambda c: a(c.hilda, c.p.fox, "digital", 3)),
    ("otto rates Fox", services.rate, lambda c: a(c.otto, c.p.fox, "digital", 3)),
    ("vera (viewer) writes a note", services.add_note, lambda c: a(c.vera, c.p.fox, "Hello")),
    ("hilda writes a note on Fox", services.add_note, lambda c: a(c.hilda, c.p.fox, "Hello")),
    (
        "carl sets Fox a goal",
        services.add_goal,
        lambda c: a(c.carl, c.p.fox, "Swim", mentor=c.walter),
    ),
    (
        "hilda sets Fox a goal",
        services.add_goal,
        lambda c: a(c.hilda, c.p.fox, "Swim", mentor=c.hilda),
    ),
    ("otto adds a step", services.add_step, lambda c: a(c.otto, c.goal, "Rehearse")),
    ("hilda marks a step done", services.mark_step, lambda c: a(c.hilda, c.step, True)),
    (
        "carl marks a goal reached",
        services.set_goal_status,
        lambda c: a(c.carl, c.goal, "reached"),
    ),
    (
        "hilda answers Fox's journal",
        services.answer_journal,
        lambda c: a(c.hilda, c.entry, "Well done"),
    ),
    (
        "carl approves a recognition",
        services.decide_recognition,
        lambda c: a(c.carl, c.recognition, True),
    ),
    (
        "hilda reaches Fox's goal from the goal page",
        services.update_goal,
        lambda c: a(c.hilda, c.goal, status="reached", done={c.step.pk}, new_step="More"),
    ),
    (
        "carl lists Harbour's recognitions",
        services.view_recognitions,
        lambda c: a(c.carl, c.w.harbour),
    ),
    (
        "otto lists Harbour's recognitions",
        services.view_recognitions,
        lambda c: a(c.otto, c.w.harbour),
    ),
    (
        "otto rejects a recognition",
        services.decide_recognition,
        lambda c: a(c.otto, c.recognition, False),
    ),
]

MODELS = [Competence, Goal, GoalStep, JournalEntry, JournalReply, ProgressNote, Rating, Recognition]


@pytest.mark.parametrize(("label", "service", "build"), params(REFUSALS))
def test_a_refused_service_call_writes_nothing(
    c: SimpleNamespace, label: str, service: Callable[..., Any], build: Callable[..., Args]
) -> None:
    refused_writing_nothing(MODELS, service, build(c))


def test_every_progress_service_is_in_the_table() -> None:
    changing = {
        name
        for name, value in vars(services).items()
        if inspect.isfunction(value)
        and not name.startswith("_")
        and value.__module__ == services.__name__
    }
    assert changing - {service.__name__ for _label, service, _build in REFUSALS} == set()
