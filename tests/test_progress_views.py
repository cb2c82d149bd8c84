"""The workers' progress pages: the timeline side by side, the forms, the recognitions waiting,
the learning summary (HTML and PDF) and the audit of every view."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity
from impactlog.progress import own, queries, services
from impactlog.progress.models import (
    Goal,
    GoalStatus,
    JournalReply,
    ProgressNote,
    Rating,
    RecognitionStatus,
)
from impactlog.progress.summary_pdf import html_of
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .logbook_fixtures import record
from .progress_world import People

pytestmark = pytest.mark.django_db


def _url(name: str, world: World, *args: Any) -> str:
    return reverse(f"progress:{name}", args=[world.harbour.pk, *args])


def test_the_timeline_shows_both_ratings_side_by_side_and_flags_the_difference(
    world: World, people: People, walter: User, login: Any
) -> None:
    with unscoped():
        services.rate(walter, people.fox, "digital", 2)
    own.self_assess(people.fox, "digital", 4)
    client: Client = login(walter)
    page = client.get(_url("timeline", world, people.fox.pk)).content.decode()
    assert "2 · With help" in page and "4 · Confidently" in page
    assert "Seen differently: worth talking about." in page
    with unscoped():
        viewed = AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_VIEWED)
        assert viewed.filter(object_id=str(people.fox.pk)).count() == 1


def test_a_worker_rates_writes_a_note_and_sets_a_goal(
    world: World, people: People, walter: User, maria: User, login: Any
) -> None:
    client: Client = login(walter)
    fox = people.fox.pk
    answer = client.post(
        _url("rate", world, fox), {"competence": "literacy", "level": "3", "rated_on": "2026-11-17"}
    )
    assert answer.status_code == 302
    assert client.post(_url("note", world, fox), {"text": "Led the warm-up"}).status_code == 302
    goal = {"title": "Lead a workshop", "mentor": str(maria.pk), "steps": "Topic\nPlan\n"}
    assert client.post(_url("goal_add", world, fox), goal).status_code == 302
    with unscoped():
        rating = Rating.all_objects.get()
        made = Goal.all_objects.get()
    assert (rating.level, rating.rated_on, rating.rated_by) == (3, dt.date(2026, 11, 17), walter)
    assert made.mentor == maria and [s.text for s in made.steps.all()] == ["Topic", "Plan"]
    page = client.get(_url("timeline", world, fox)).content.decode()
    assert "Led the warm-up" in page and "(private to the workers)" in page
    assert "Lead a workshop" in page


def test_the_goal_page_marks_steps_and_reaches_the_goal_at_once(
    world: World, people: People, walter: User, login: Any
) -> None:
    with unscoped():
        goal = services.add_goal(walter, people.fox, "Swim", mentor=walter, steps=["Float"])
    step = goal.steps.get()
    client: Client = login(walter)
    url = _url("goal", world, people.fox.pk, goal.pk)
    sent = {"status": "reached", "reached_on": "2026-11-18", "done": [str(step.pk)]}
    assert client.post(url, {**sent, "new_step": "x" * 201}).status_code == 200
    with unscoped():
        goal.refresh_from_db()
        assert goal.status == GoalStatus.OPEN and goal.steps.count() == 1  # nothing half-saved
    assert client.post(url, {**sent, "new_step": "Breathe"}).status_code == 302
    with unscoped():
        goal.refresh_from_db()
        steps = list(goal.steps.all())
    assert (goal.status, goal.reached_on) == (GoalStatus.REACHED, dt.date(2026, 11, 18))
    assert [(s.text, s.done_on is not None) for s in steps] == [("Float", True), ("Breathe", False)]


def test_a_future_reached_date_is_refused_with_a_message(
    world: World, people: People, walter: User, login: Any
) -> None:
    with unscoped():
        goal = services.add_goal(walter, people.fox, "Swim", mentor=walter)
    client: Client = login(walter)
    answer = client.post(
        _url("goal", world, people.fox.pk, goal.pk),
        {"status": "reached", "reached_on": "2026-12-24"},
    )
    assert (
        answer.status_code == 200 and "The date cannot be in the future." in answer.content.decode()
    )


def test_a_worker_answers_a_journal_entry(
    world: World, people: People, walter: User, login: Any
) -> None:
    entry = own.write_journal(people.fox, "Cooked", "Planning matters")
    client: Client = login(walter)
    url = _url("answer", world, people.fox.pk, entry.pk)
    assert "Planning matters" in client.get(url).content.decode()
    assert client.post(url, {"text": "Proud of you"}).status_code == 302
    with unscoped():
        assert JournalReply.all_objects.get().text == "Proud of you"


def test_another_participants_entry_or_goal_is_not_found_through_fox(
    world: World, people: People, walter: User, login: Any
) -> None:
    entry = own.write_journal(people.owl, "Cooked", "Planning matters")
    with unscoped():
        goal = services.add_goal(walter, people.owl, "Swim", mentor=walter)
    client: Client = login(walter)
    assert client.get(_url("answer", world, people.fox.pk, entry.pk)).status_code == 404
    assert client.get(_url("goal", world, people.fox.pk, goal.pk)).status_code == 404
    # Elk is Hill's: not found at Harbour.
    assert client.get(_url("timeline", world, people.elk.pk)).status_code == 404


def test_recognitions_wait_for_a_worker_at_the_peers_unit(
    world: World, people: People, walter: User, login: Any
) -> None:
    waiting = own.recognise(people.owl, people.fox, "citizenship", "You helped me")
    own.recognise(people.fox, people.elk, "digital", "For Hill")
    client: Client = login(walter)
    page = client.get(reverse("progress:recognitions", args=[world.harbour.pk])).content.decode()
    assert "You helped me" in page and "For Hill" not in page
    approve = reverse("progress:recognition_approve", args=[world.harbour.pk, waiting.pk])
    assert client.post(approve).status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RecognitionStatus.APPROVED
    assert "You helped me" in client.get(_url("timeline", world, people.fox.pk)).content.decode()
    again = client.post(approve, follow=True).content.decode()
    assert "decided already" in again
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.RECOGNITIONS_LISTED).count() == 2


def _checked_in(people: People, walter: User, drop_in: Activity) -> None:
    session = record(walter, drop_in, total=3)
    with unscoped():
        device = KioskDevice.all_objects.create(
            node=drop_in.node, activity=drop_in, name="Tablet", token_hash="x" * 64, paired_at=NOW
        )
        CheckIn.all_objects.create(
            device=device,
            session=session,
            participant=people.fox,
            gender="girl",
            age_band="15-19",
            sequence=1,
            key="k1",
            received_at=NOW,
        )


def test_the_learning_summary_maps_to_the_key_competences(
    world: World, people: People, walter: User, alice: User, drop_in: Activity, login: Any
) -> None:
    _checked_in(people, walter, drop_in)
    with unscoped():
        experiments = services.add_competence(alice, world.region, "Science experiments", "stem")
        services.rate(walter, people.fox, experiments, 2, on=dt.date(2026, 9, 1))
        services.rate(walter, people.fox, "digital", 3)
        goal = services.add_goal(walter, people.fox, "Lead a workshop", mentor=walter)
        services.set_goal_status(walter, goal, GoalStatus.REACHED)
        services.add_note(walter, people.fox, "Private worry")
    own.self_assess(people.fox, "stem", 4)
    own.write_journal(people.fox, "Made slime", "Chemistry can be fun")
    client: Client = login(walter)
    page = client.get(_url("summary", world, people.fox.pk)).content.decode()
    stem = "Mathematical competence and competence in science, technology and engineering"
    for text in [stem, "Science experiments", "Digital competence", "Lead a workshop"]:
        assert text in page
    assert "Chemistry can be fun" in page and "Private worry" not in page
    assert f"{drop_in.name}: 1 session" in page
    assert page.index(stem) < page.index("Digital competence")  # the order of the eight
    pdf = client.get(_url("summary_pdf", world, people.fox.pk))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf["Content-Disposition"].startswith("attachment")


def test_the_summary_document_is_in_the_readers_language(
    world: World, people: People, walter: User
) -> None:
    from django.utils import translation

    own.write_journal(people.fox, "Made slime", "Ķīmija var būt jautra")
    with translation.override("lv"):
        html = html_of(queries.summary(people.fox), "lv")
    assert 'lang="lv"' in html and "Ķīmija var būt jautra" in html
    assert "http" not in html.replace("http://www.w3.org", "")  # nothing to fetch


def test_an_admin_adds_a_competence_from_the_settings(
    world: World, alice: User, walter: User, login: Any
) -> None:
    client: Client = login(alice)
    url = reverse("progress:competences", args=[world.harbour.pk])
    sent = {"name": "Teamwork", "key_competence": "learning"}
    assert client.post(url, sent).status_code == 302
    again = client.post(url, sent)
    assert again.status_code == 200 and "already" in again.content.decode()
    other = client.post(url, {"name": "Chess", "key_competence": "chess"})
    assert other.status_code == 200


def test_the_detail_page_links_to_the_progress(
    world: World, people: People, walter: User, login: Any
) -> None:
    client: Client = login(walter)
    page = client.get(reverse("participants:detail", args=[world.harbour.pk, people.fox.pk]))
    assert _url("timeline", world, people.fox.pk) in page.content.decode()


@pytest.mark.django_db
def test_the_demo_has_young_people_with_progress_in_the_places_language() -> None:
    import io

    from django.core.management import call_command

    call_command("demo", stdout=io.StringIO())
    with unscoped():
        counts = (Rating.all_objects.count(), Goal.all_objects.count())
        assert Goal.all_objects.filter(status=GoalStatus.REACHED).exists()
        assert Rating.all_objects.filter(source="self").exists()
        latvian = Goal.all_objects.filter(participant__unit__language="lv").first()
        assert latvian is not None and latvian.title == "Vadīt darbnīcu jaunākajiem"
        call_command("demo", stdout=io.StringIO())
        assert (Rating.all_objects.count(), Goal.all_objects.count()) == counts


# (form, what it sends, what it creates): a resend with the same idempotency key stores nothing.
RESENT = [
    ("rate", {"competence": "literacy", "level": "3", "rated_on": "2026-11-17"}, Rating),
    ("note", {"text": "Led the warm-up"}, ProgressNote),
    ("goal_add", {"title": "Lead a workshop", "steps": "Topic\nPlan\n"}, Goal),
    ("answer", {"text": "Proud of you"}, JournalReply),
]


@pytest.mark.parametrize(("name", "body", "model"), RESENT, ids=[r[0] for r in RESENT])
def test_a_resent_progress_form_is_saved_once(
    world: World, people: People, walter: User, login: Any, name: str, body: dict, model: Any
) -> None:
    client: Client = login(walter)
    args: list[Any] = [people.fox.pk]
    if name == "answer":
        args.append(own.write_journal(people.fox, "Cooked", "Planning matters").pk)
    if name == "goal_add":
        body = {**body, "mentor": str(walter.pk)}
    url = _url(name, world, *args)
    key = re.search(r'name="idempotency_key" value="([\w-]+)"', client.get(url).content.decode())
    assert key is not None, "the form carries no idempotency key"
    sent = {**body, "idempotency_key": key[1]}
    first = client.post(url, sent)
    assert first.status_code == 302
    again = client.post(url, sent, follow=True)
    assert again.redirect_chain[0][0] == first["Location"]
    assert "Already saved" in again.content.decode()
    with unscoped():
        assert model.all_objects.count() == 1


def test_a_resent_goal_update_adds_its_new_step_once(
    world: World, people: People, walter: User, login: Any
) -> None:
    with unscoped():
        goal = services.add_goal(walter, people.fox, "Swim", mentor=walter, steps=["Float"])
    client: Client = login(walter)
    url = _url("goal", world, people.fox.pk, goal.pk)
    key = re.search(r'name="idempotency_key" value="([\w-]+)"', client.get(url).content.decode())
    assert key is not None
    sent = {"status": "open", "new_step": "Breathe", "idempotency_key": key[1]}
    assert client.post(url, sent).status_code == 302
    again = client.post(url, sent, follow=True)
    assert "Already saved" in again.content.decode()
    with unscoped():
        assert [s.text for s in goal.steps.order_by("pk")] == ["Float", "Breathe"]
