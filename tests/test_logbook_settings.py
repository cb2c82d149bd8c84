"""A network's logbook settings, its vocabulary and the reflection questions of organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from impactlog.logbook.models import Activity, ReflectionAnswer, Session
from impactlog.network import services as logbook_settings
from impactlog.network.models import Tag
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import SETTINGS_FORM, record

# Read-side functions are called directly here, outside any request: no tenant scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]


def test_every_network_gets_the_eu_youth_goals_and_adds_its_own_topics(
    world: World, login, alice
) -> None:
    client = login(alice)
    page = client.get(reverse("network:settings", args=[world.harbour.pk])).content.decode()
    assert "9 Space and Participation for All" in page
    assert Tag.all_objects.filter(owner=world.network, vocabulary="eu_goal").count() == 11
    client.post(reverse("network:topic_add", args=[world.harbour.pk]), {"name": "Music"})
    again = client.post(
        reverse("network:topic_add", args=[world.harbour.pk]), {"name": "music"}, follow=True
    )
    assert "The vocabulary already has this topic." in again.content.decode()
    assert Tag.all_objects.filter(owner=world.network, vocabulary="topic").count() == 1
    assert AuditEntry.all_objects.filter(action="tag.created").count() == 1


def test_goal_names_follow_the_readers_language(world: World, login, alice) -> None:
    alice.language = "lv"
    alice.save()
    page = login(alice).get(reverse("network:settings", args=[world.harbour.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert '<html lang="lv">' in text
    assert "9 Telpa un līdzdalība visiem" in text
    assert "9 Space and Participation for All" not in text


def test_only_the_top_of_the_tree_changes_shared_settings(world: World, login, carl) -> None:
    response = login(carl).get(reverse("network:settings", args=[world.region.pk]))
    assert response.status_code == 403
    with unscoped(), pytest.raises(PermissionDenied):
        logbook_settings.add_topic(carl, world.region, "Sport")


def test_the_plausibility_limit_is_the_networks(world, login, alice, walter, drop_in) -> None:
    login(alice).post(
        reverse("network:settings", args=[world.harbour.pk]),
        {**SETTINGS_FORM, "plausible_participants": "40"},
    )
    assert logbook_settings.settings_for(world.harbour).plausible_participants == 40
    data = {
        "activity": drop_in.pk,
        "date": "2026-03-02",
        "start_time": "15:00",
        "end_time": "19:00",
        "mode": "on_site",
        "breakdown_unknown": "on",
        "total": "45",
        "youth_producers": "0",
        "youth_minutes": "0",
        "staff": "0",
        "staff_minutes": "0",
        "volunteers": "0",
        "volunteer_minutes": "0",
    }
    response = login(walter).post(reverse("logbook:log", args=[world.harbour.pk]), data)
    assert "unusually many" in response.content.decode()
    assert not Session.all_objects.exists()
    bad = login(alice).post(
        reverse("network:settings", args=[world.harbour.pk]),
        {**SETTINGS_FORM, "plausible_participants": "0"},
    )
    assert "Ensure this value is greater than or equal to 1." in bad.content.decode()


def test_activities_are_tagged_from_the_vocabulary(world: World, login, maria) -> None:
    with unscoped():
        goals = list(logbook_settings.vocabulary(world.harbour)[:2])
    login(maria).post(
        reverse("logbook:activity_add", args=[world.harbour.pk]),
        {"name": "Debate club", "kind": "group", "tags": [g.pk for g in goals]},
    )
    assert set(Activity.all_objects.get(name="Debate club").tags.all()) == set(goals)


def test_reflection_questions_are_answered_after_sessions_and_summarised(
    world: World, login, alice, maria, walter, carl, drop_in
) -> None:
    login(alice).post(
        reverse("network:reflection", args=[world.region.pk]),
        {"text": "What did young people influence today?"},
    )
    login(maria).post(
        reverse("network:reflection", args=[world.harbour.pk]), {"text": "What went wrong?"}
    )
    client = login(walter)
    form = client.get(reverse("logbook:log", args=[world.harbour.pk])).content.decode()
    assert "What did young people influence today?" in form and "What went wrong?" in form
    with unscoped():
        questions = logbook_settings.questions_for(world.harbour)
    record(
        walter,
        drop_in,
        day=dt.date(2026, 3, 2),
        total=5,
        reflections={questions[0].pk: "They chose the film.", questions[1].pk: ""},
    )
    assert list(ReflectionAnswer.all_objects.values_list("text", flat=True)) == [
        "They chose the film."
    ]
    url = reverse("logbook:figures", args=[world.harbour.pk])
    period = {"kind": "month", "start": "2026-03-01"}
    figures = client.get(url, period).content.decode()
    assert "They chose the film." in figures
    assert "Answered after 1 session." in figures
    coordinator_view = login(carl).get(url, period).content.decode()
    assert "They chose the film." not in coordinator_view  # free text stays with the records


def test_a_worker_cannot_set_questions(world: World, login, walter) -> None:
    response = login(walter).post(
        reverse("network:reflection", args=[world.harbour.pk]), {"text": "Why?"}
    )
    assert response.status_code == 403
