"""A form that creates something is saved once, however often it is sent.

Every such form carries a hidden random key. A resend with the same key and content shows the
saved record with "Already saved"; the same key with other content is refused (409) and stores
nothing; a form without a key is saved as before.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse

from impactlog.glossary import services as definitions
from impactlog.glossary.models import DefinitionQuestion
from impactlog.logbook import services as logbook
from impactlog.logbook.models import Activity, ActivityKind, Session, SessionFile
from impactlog.network import services as network
from impactlog.network.models import ReflectionQuestion, Tag
from impactlog.structure import services as structure
from impactlog.tenancy import idempotency
from impactlog.tenancy.models import IdempotencyKey, Invitation, Node
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .logbook_fixtures import record
from .test_logbook_files import tiny_png
from .test_logbook_views import _entry, _week

pytestmark = pytest.mark.django_db

KEY = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]+)"')
WEEK = dt.date(2026, 3, 2)


@dataclass
class Case:
    """One form that creates something: who fills it in where, and what it creates."""

    persona: str
    form_url: Callable[[World, Any], str]  # the page that shows the form
    post_url: Callable[[World, Any], str]
    body: Callable[[Any], dict[str, Any]]  # what the form sends
    other: Callable[[Any], dict[str, Any]]  # the same form with something changed
    model: type[models.Model]
    setup: Callable[[World, Any], Any] = lambda world, user: None


def _session_of(world: World, user: Any) -> Session:
    with unscoped():
        activity = logbook.create_activity(
            user, world.harbour, kind=ActivityKind.DROP_IN, name="Open evenings"
        )
    return record(user, activity)


def _activity(world: World, user: Any) -> Activity:
    with unscoped():
        return logbook.create_activity(
            user, world.harbour, kind=ActivityKind.DROP_IN, name="Open evenings"
        )


def _glossary(world: World, user: Any) -> None:
    with unscoped():
        definitions.ensure_glossary(world.network)


def _day(girls: str) -> dict[str, str]:
    return {"held": "on", "start_time": "15:00", "end_time": "19:00", "girls": girls}


CASES: dict[str, Case] = {
    "session": Case(
        "walter",
        lambda w, a: reverse("logbook:log", args=[w.harbour.pk]),
        lambda w, a: reverse("logbook:log", args=[w.harbour.pk]),
        lambda a: _entry(a),
        lambda a: _entry(a, staff="3"),
        Session,
        _activity,
    ),
    "week": Case(
        "walter",
        lambda w, a: reverse("logbook:week", args=[w.harbour.pk, a.pk]) + "?start=2026-03-02",
        lambda w, a: reverse("logbook:week", args=[w.harbour.pk, a.pk]) + "?start=2026-03-02",
        lambda a: _week(a, WEEK, {0: _day("5"), 2: _day("6")}),
        lambda a: _week(a, WEEK, {0: _day("5"), 2: _day("7")}),
        Session,
        _activity,
    ),
    "activity": Case(
        "walter",
        lambda w, a: reverse("logbook:activity_add", args=[w.harbour.pk]),
        lambda w, a: reverse("logbook:activity_add", args=[w.harbour.pk]),
        lambda a: {"name": "Evening club", "kind": "drop_in"},
        lambda a: {"name": "Morning club", "kind": "drop_in"},
        Activity,
    ),
    "node": Case(
        "alice",
        lambda w, a: reverse("structure:add", args=[w.region.pk]),
        lambda w, a: reverse("structure:add", args=[w.region.pk]),
        lambda a: {
            "name": "Bay Youth Centre",
            "slug": "bay",
            "kind": "unit",
            "country": "LV",
            "language": "lv",
            "time_zone": "Europe/Riga",
        },
        lambda a: {
            "name": "Cove Youth Centre",
            "slug": "cove",
            "kind": "unit",
            "country": "LV",
            "language": "lv",
            "time_zone": "Europe/Riga",
        },
        Node,
    ),
    "invite": Case(
        "alice",
        lambda w, a: reverse("structure:invite", args=[w.harbour.pk]),
        lambda w, a: reverse("structure:invite", args=[w.harbour.pk]),
        lambda a: {"email": "someone@example.org", "role": "worker"},
        lambda a: {"email": "someone@example.org", "role": "viewer"},
        Invitation,
    ),
    "topic": Case(
        "alice",
        lambda w, a: reverse("network:settings", args=[w.network.pk]),
        lambda w, a: reverse("network:topic_add", args=[w.network.pk]),
        lambda a: {"name": "Dance"},
        lambda a: {"name": "Theatre"},
        Tag,
    ),
    "reflection question": Case(
        "maria",
        lambda w, a: reverse("network:reflection", args=[w.harbour.pk]),
        lambda w, a: reverse("network:reflection", args=[w.harbour.pk]),
        lambda a: {"text": "What did the young people decide?"},
        lambda a: {"text": "What did the young people plan?"},
        ReflectionQuestion,
    ),
    "definition question": Case(
        "walter",
        lambda w, a: reverse("glossary:definition_ask", args=[w.harbour.pk, "visit"]),
        lambda w, a: reverse("glossary:definition_ask", args=[w.harbour.pk, "visit"]),
        lambda a: {"text": "Does a phone call count as a visit?"},
        lambda a: {"text": "Does a video call count as a visit?"},
        DefinitionQuestion,
        _glossary,
    ),
    "file upload": Case(
        "walter",
        lambda w, s: reverse("logbook:session_files", args=[w.harbour.pk, s.pk]),
        lambda w, s: reverse("logbook:session_files", args=[w.harbour.pk, s.pk]),
        lambda s: {"file": tiny_png(), "alt_text": "A mural", "publication_consent": ""},
        lambda s: {"file": tiny_png(), "alt_text": "Another mural", "publication_consent": ""},
        SessionFile,
        _session_of,
    ),
}


def _count(model: type[models.Model]) -> int:
    return model.all_objects.count()  # type: ignore[attr-defined]


@pytest.fixture
def people(alice: Any, maria: Any, walter: Any) -> dict[str, Any]:
    return {"alice": alice, "maria": maria, "walter": walter}


def _opened(client: Client, url: str) -> str:
    page = client.get(url)
    assert page.status_code == 200
    found = KEY.findall(page.content.decode())
    assert len(found) >= 1, "the form carries no idempotency key"
    return found[-1]


@pytest.mark.parametrize("name", CASES)
def test_a_resend_is_saved_once_and_answers_already_saved(
    name: str, world: World, login: Any, people: dict[str, Any]
) -> None:
    case = CASES[name]
    user = people[case.persona]
    target = case.setup(world, user)
    client = login(user)
    key = _opened(client, case.form_url(world, target))
    before = _count(case.model)

    first = client.post(case.post_url(world, target), {**case.body(target), "idempotency_key": key})
    assert first.status_code == 302, name
    assert _count(case.model) > before
    saved = _count(case.model)

    again = client.post(
        case.post_url(world, target), {**case.body(target), "idempotency_key": key}, follow=True
    )
    assert again.status_code == 200
    assert again.redirect_chain[0][0] == first["Location"]  # the same page as after the save
    assert "Already saved" in again.content.decode()
    assert _count(case.model) == saved
    assert IdempotencyKey.all_objects.filter(key=key).count() == 1


@pytest.mark.parametrize("name", CASES)
def test_the_same_key_with_other_content_is_refused_and_stores_nothing(
    name: str, world: World, login: Any, people: dict[str, Any]
) -> None:
    case = CASES[name]
    user = people[case.persona]
    target = case.setup(world, user)
    client = login(user)
    key = _opened(client, case.form_url(world, target))
    client.post(case.post_url(world, target), {**case.body(target), "idempotency_key": key})
    saved = _count(case.model)

    other = client.post(
        case.post_url(world, target), {**case.other(target), "idempotency_key": key}
    )
    assert other.status_code == 409
    assert "This form was saved before with other content" in other.content.decode()
    assert _count(case.model) == saved


def test_each_new_form_gets_its_own_key(world: World, login: Any, walter: Any, drop_in) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    assert _opened(client, url) != _opened(client, url)


def test_the_session_resend_lands_where_the_save_did_and_says_already_saved(
    world: World, login: Any, walter: Any, drop_in: Activity
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    body = {**_entry(drop_in), "idempotency_key": _opened(client, url)}
    client.post(url, body)
    again = client.post(url, body, follow=True)
    text = again.content.decode()
    assert again.redirect_chain == [
        (reverse("logbook:figures", args=[world.harbour.pk]) + "?saved=1", 302)
    ]
    assert "Already saved: Open evenings, 7 participants." in text
    assert "already has a session on this day" not in text


def test_a_refused_form_corrected_under_the_same_key_is_saved(
    world: World, login: Any, walter: Any, drop_in: Activity
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    key = _opened(client, url)
    refused = client.post(url, {**_entry(drop_in, end_time="14:00"), "idempotency_key": key})
    assert refused.status_code == 200
    assert f'value="{key}"' in refused.content.decode()  # the form shown again keeps its key
    assert client.post(url, {**_entry(drop_in), "idempotency_key": key}).status_code == 302
    assert Session.all_objects.count() == 1


def test_a_form_without_a_key_is_saved_as_before(
    world: World, login: Any, walter: Any, drop_in: Activity
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    assert client.post(url, _entry(drop_in)).status_code == 302
    again = client.post(url, _entry(drop_in))  # an old tab: the start time is taken
    assert "already has a session on this day at this time" in again.content.decode()
    assert Session.all_objects.count() == 1
    assert not IdempotencyKey.all_objects.exists()


def test_a_malformed_key_counts_as_none(world: World, login: Any, walter: Any) -> None:
    url = reverse("logbook:activity_add", args=[world.harbour.pk])
    body = {"name": "Evening club", "kind": "drop_in", "idempotency_key": "é" * 30}
    assert login(walter).post(url, body).status_code == 302
    assert not IdempotencyKey.all_objects.exists()


def _twin(url: str, user: Any, key: str, data: dict[str, str]) -> Any:
    """A request sent to `url` at the same moment as another: its check for an earlier
    submission ran before the other one was stored."""
    request = RequestFactory().post(url, {**data, "idempotency_key": key})
    request.user = user
    return request


def test_two_identical_submissions_at_once_store_one_record(
    world: World, login: Any, maria: Any
) -> None:
    client = login(maria)
    url = reverse("network:reflection", args=[world.harbour.pk])
    key = _opened(client, url)
    data = {"text": "What did the young people decide?"}
    client.post(url, {**data, "idempotency_key": key})

    def create() -> ReflectionQuestion:
        with unscoped():
            return network.add_question(maria, world.harbour, data["text"])

    with unscoped(), pytest.raises(idempotency.Repeated) as repeated:
        idempotency.once(_twin(url, maria, key, data), world.harbour, create)
    assert repeated.value.earlier.same_content
    # The twin's question was rolled back: the key is unique per person.
    assert ReflectionQuestion.all_objects.count() == 1


def test_two_identical_sessions_at_once_answer_already_saved(
    world: World, login: Any, walter: Any, drop_in: Activity
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    key = _opened(client, url)
    client.post(url, {**_entry(drop_in), "idempotency_key": key})
    data = logbook.SessionInput(date=NOW.date(), start_time=dt.time(15), end_time=dt.time(19))

    def create() -> Session | None:
        try:
            with unscoped():
                return logbook.create_session(walter, drop_in, data)
        except ValidationError:
            return None  # the start time is taken: by the twin

    with unscoped(), pytest.raises(idempotency.Repeated) as repeated:
        idempotency.once(_twin(url, walter, key, _entry(drop_in)), world.harbour, create)
    assert repeated.value.earlier.same_content
    assert Session.all_objects.count() == 1


def test_keys_expire_after_a_week_and_are_removed_on_the_next_save(
    world: World, login: Any, maria: Any, time_machine: Any
) -> None:
    client = login(maria)
    url = reverse("network:reflection", args=[world.harbour.pk])
    key = _opened(client, url)
    body = {"text": "What did the young people decide?", "idempotency_key": key}
    client.post(url, body)
    time_machine.move_to(NOW + idempotency.KEEP + dt.timedelta(minutes=1))
    client.force_login(maria, backend="django.contrib.auth.backends.ModelBackend")
    assert client.post(url, body).status_code == 302  # a week later it is a new submission
    assert ReflectionQuestion.all_objects.count() == 2
    stored = IdempotencyKey.all_objects.get()  # the expired key was removed
    assert stored.created_at > NOW + idempotency.KEEP


def test_another_persons_key_is_not_theirs(
    world: World, login: Any, walter: Any, maria: Any
) -> None:
    _glossary(world, walter)
    url = reverse("glossary:definition_ask", args=[world.harbour.pk, "visit"])
    key = _opened(login(walter), url)
    body = {"text": "Does a phone call count as a visit?", "idempotency_key": key}
    assert login(walter).post(url, body).status_code == 302
    assert login(maria).post(url, body).status_code == 302
    assert DefinitionQuestion.all_objects.count() == 2


def test_a_key_sent_to_another_place_is_refused_not_taken_for_a_resend(
    world: World, login: Any, maria: Any
) -> None:
    """A key belongs to the form and the place it was given for: the same body sent to the
    same form of another place is not "already saved" there."""
    client = login(maria)
    with unscoped():
        structure.grant_role(None, maria, world.hill, Role.MANAGER)
    body = {"name": "Evening club", "kind": "drop_in", "idempotency_key": "k" * 32}
    harbour = reverse("logbook:activity_add", args=[world.harbour.pk])
    hill = reverse("logbook:activity_add", args=[world.hill.pk])
    assert client.post(harbour, body).status_code == 302
    response = client.post(hill, body)
    assert response.status_code == 409
    assert Activity.all_objects.filter(name="Evening club").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_identical_sessions_sent_at_the_same_moment_store_one(
    world: World, walter: Any, drop_in: Activity
) -> None:
    """Two threads, two connections, one form sent twice at once (a double tap on a slow
    network): one session, and both answers lead to the landing page."""
    import threading

    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database of SQLite locks tables without waiting")
    url = reverse("logbook:log", args=[world.harbour.pk])
    clients = [Client() for _ in range(2)]
    for client in clients:
        client.force_login(walter, backend="django.contrib.auth.backends.ModelBackend")
    body = {**_entry(drop_in), "idempotency_key": _opened(clients[0], url)}
    ready = threading.Barrier(2)
    answers: list[Any] = []

    def send(client: Client) -> None:
        try:
            ready.wait(timeout=10)
            answers.append(client.post(url, body))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert [a.status_code for a in answers] == [302, 302]
    assert {a["Location"] for a in answers} == {
        reverse("logbook:figures", args=[world.harbour.pk]) + "?saved=1"
    }
    assert Session.all_objects.count() == 1
    assert IdempotencyKey.all_objects.count() == 1
