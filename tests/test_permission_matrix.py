from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction
from django.http import HttpResponseBase
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impactlog.accounts.models import User
from impactlog.glossary import services as definitions
from impactlog.glossary.models import Definition
from impactlog.jobs.services import start_job
from impactlog.kiosk import services as kiosk
from impactlog.logbook import files
from impactlog.network import services as logbook_settings
from impactlog.participants import guardian, mylink
from impactlog.progress import own
from impactlog.progress import services as progress
from impactlog.structure import services
from impactlog.tenancy.models import Membership, TenantModel
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped
from tests.permission_matrix import BODIES, declared_perms, post_rows, rows

from .conftest import World
from .logbook_fixtures import record
from .participants_world import publish, register
from .surveys_world import make_survey
from .test_logbook_files import tiny_png

PERSONAS = ["alice", "carl", "maria", "walter", "vera", "otto"]


def _views(resolver: URLResolver, namespace: str = "") -> dict[str, Callable[..., Any]]:
    """Every named URL and the view it calls."""
    views: dict[str, Callable[..., Any]] = {}
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            views |= _views(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            views[f"{namespace}{pattern.name}"] = pattern.callback
    return views


def test_every_url_is_in_the_matrix() -> None:
    """Both tables list every URL, in the same order: a new URL needs a GET and a POST row."""
    names = [row.name for row in rows()]
    assert set(_views(get_resolver())) == set(names)
    assert [row.name for row in post_rows()] == names
    assert list(declared_perms()) == names


def test_every_view_declares_the_permission_in_the_matrix() -> None:
    """The permission each view declares through `node_permission` is the one the table names;
    "-" marks the views that are not about a place (accounts, core)."""
    views = _views(get_resolver())
    declared = {name: str(getattr(view, "required_perm", "-")) for name, view in views.items()}
    assert declared == declared_perms()


def test_post_bodies_are_all_used() -> None:
    used = {row.body for row in post_rows()} - {"-"}
    assert used == set(BODIES)


@pytest.fixture
def targets(
    world: World,
    alice: User,
    walter: User,
    maria: User,
    drop_in: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    tmp_path: Path,
) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    session = record(walter, drop_in, total=3)
    with unscoped(), django_capture_on_commit_callbacks(execute=True):
        membership = Membership.all_objects.get(user=walter, node=world.harbour)
        invitation = services.invite(
            alice, world.harbour, "newcomer@example.org", Role.WORKER, base_url="http://testserver"
        )
    publish(world.region)
    robin = register(None, world.harbour, alias="Robin")
    asked = guardian.request_guardian_consent(
        None,
        world.harbour,
        alias="Lynx",
        birth_year=2015,
        birth_month=4,
        gender="boy",
        guardian_email="parent@example.org",
        language="lv",
        base_url="http://testserver",
    )
    link = mail.outbox[-1].body.split("http://testserver")[1].split()[0]
    token = link.rstrip("/").rsplit("/", 1)[1]
    return {
        "-": [],
        "unit": [world.harbour.pk],
        "member": [world.harbour.pk, membership.pk],
        "invitation": [world.harbour.pk, invitation.pk],
        "token": [token],
        "reset": ["MQ", "set-password"],
        "activity": [world.harbour.pk, drop_in.pk],
        "session": [world.harbour.pk, session.pk],
        "definition": [world.harbour.pk, "visit"],
        "question": [world.harbour.pk, "visit", _question(world, walter).pk],
        "file": [world.harbour.pk, session.pk, _photo(walter, session).pk],
        "tag": [world.harbour.pk, _topic(world, alice).pk],
        "reflection": [world.harbour.pk, _reflection(world, alice).pk],
        "job": [world.harbour.pk, _job(world, walter, django_capture_on_commit_callbacks).pk],
        "participant": [world.harbour.pk, robin.pk],
        "consent": [world.harbour.pk, robin.pk, robin.consents.get().pk],
        "device": [world.harbour.pk, _kiosk(maria, drop_in).pk],
        "guardian": [asked.link.rstrip("/").rsplit("/", 1)[1]],
        "mylink": [mylink.issue_link(None, robin, pin="4821").token],
        **_progress(world, walter, robin),
        **_survey(world, walter),
        "ids": {
            "network": world.network.pk,
            "hill": world.hill.pk,
            "walter": walter.pk,
            "drop_in": drop_in.pk,
        },
    }


def _progress(world: World, walter: User, robin: Any) -> dict[str, list[Any]]:
    """Robin's goal and journal entry, and a recognition for Robin from a peer."""
    with unscoped():
        goal = progress.add_goal(walter, robin, "Lead a workshop", mentor=walter, steps=["Plan"])
    entry = own.write_journal(robin, "Cooked for twenty", "Planning matters")
    peer = register(None, world.harbour, alias="Wren")
    recognition = own.recognise(peer, robin, "citizenship", "You helped me")
    return {
        "goal": [world.harbour.pk, robin.pk, goal.pk],
        "journal": [world.harbour.pk, robin.pk, entry.pk],
        "recognition": [world.harbour.pk, recognition.pk],
    }


def _survey(world: World, walter: User) -> dict[str, list[Any]]:
    with unscoped():
        survey = make_survey(walter, world.harbour)
    return {
        "survey": [world.harbour.pk, survey.pk],
        "survey-csv": [world.harbour.pk, survey.pk, "csv"],
    }


def _kiosk(maria: User, drop_in: Any) -> Any:
    with unscoped():
        _pairing, code = kiosk.create_pairing_code(maria, drop_in)
        return kiosk.pair_device(code, "Front desk")[0]


def _topic(world: World, alice: User) -> Any:
    with unscoped():
        return logbook_settings.add_topic(alice, world.network, "Music")


def _reflection(world: World, alice: User) -> Any:
    with unscoped():
        return logbook_settings.add_question(alice, world.harbour, "What did they influence?")


def _photo(walter: User, session: Any) -> Any:
    with unscoped():
        return files.attach_file(walter, session, tiny_png(), "A drawing", consent=False)


def _job(world: World, walter: User, capture: Any) -> Any:
    params = {"period": "year", "start": "2026-01-01", "end": "2026-12-31", "format": "xlsx"}
    with capture(execute=True):  # the immediate task backend runs it on commit
        return start_job(walter, world.harbour, "export.sessions", params)


def _question(world: World, walter: User) -> Any:
    with unscoped():
        definitions.ensure_glossary(world.network)
        visit = Definition.all_objects.get(node=world.network, key="visit")
        return definitions.ask_question(walter, visit, world.harbour, "One visit or two?")


POSTS = {row.name: row for row in post_rows()}


@pytest.mark.django_db
@pytest.mark.parametrize("row", rows(), ids=[row.name for row in rows()])
def test_matrix(row: Any, targets: dict[str, Any], request: pytest.FixtureRequest) -> None:
    """Every persona GETs and POSTs the URL. A POST is sent inside a savepoint that is rolled
    back afterwards, so that each persona meets the same world; a refused POST (to the
    sign-in page, 403, 404, 405) must leave every tenant table as it was."""
    url = reverse(row.name, args=targets[row.target])
    post = POSTS[row.name]
    body = {key: value.format(**targets["ids"]) for key, value in BODIES.get(post.body, {}).items()}
    clients = {"anon": Client()}
    for persona in PERSONAS:
        clients[persona] = Client()
        clients[persona].force_login(
            request.getfixturevalue(persona), backend="django.contrib.auth.backends.ModelBackend"
        )
    got_get = {persona: _status(client.get(url)) for persona, client in clients.items()}
    # Every POST is rolled back: the world each one meets is the one the GETs left.
    world = _fingerprint()
    got_post = {persona: _post(client, url, body, world) for persona, client in clients.items()}
    assert {"GET": got_get, "POST": got_post} == {"GET": row.get, "POST": post.post}


def _post(client: Client, url: str, body: dict[str, str], before: dict[str, str]) -> int:
    with transaction.atomic():
        response = client.post(url, body)
        status = _status(response)
        assert status < 500
        if _refused(response) or status == 200:
            # Refused, or the form shown again: nothing may have been written.
            assert _fingerprint() == before, f"a POST answered {status} changed the database"
        transaction.set_rollback(True)
    return status


def _refused(response: HttpResponseBase) -> bool:
    if response.status_code in (403, 404, 405):
        return True
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def _tables() -> list[type[Any]]:
    """Every tenant table, and the accounts (a role or a password is a write too)."""
    models = [
        model
        for model in apps.get_models()
        if issubclass(model, TenantModel) and not model._meta.proxy
    ]
    return [*models, User]


def _fingerprint() -> dict[str, str]:
    """Each table's content in one digest: every column of every row, in id order."""
    prints = {}
    with unscoped():
        for model in _tables():
            manager = getattr(model, "all_objects", model._default_manager)
            content = repr(list(manager.order_by("pk").values_list()))
            prints[model._meta.label] = hashlib.sha256(content.encode()).hexdigest()
    return prints


def _status(response: HttpResponseBase) -> int:
    if response.streaming:
        # Reading a download to its end closes its file. (Not response.close(): in a test that
        # would also close the database connection the test runs in.)
        b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.status_code
