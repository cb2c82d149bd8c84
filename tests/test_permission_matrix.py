from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impactlog.accounts.models import User
from impactlog.glossary import services as definitions
from impactlog.glossary.models import Definition
from impactlog.logbook import files
from impactlog.network import services as logbook_settings
from impactlog.structure import services
from impactlog.tenancy.models import Membership
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped
from tests.permission_matrix import rows

from .conftest import World
from .logbook_fixtures import record
from .test_logbook_files import tiny_png

PERSONAS = ["alice", "carl", "maria", "walter", "vera", "otto"]


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern):
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_is_in_the_matrix() -> None:
    listed = {name for name, _target, _cells in rows()}
    assert _url_names(get_resolver()) == listed


@pytest.fixture
def targets(
    world: World,
    alice: User,
    walter: User,
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
    }


def _topic(world: World, alice: User) -> Any:
    with unscoped():
        return logbook_settings.add_topic(alice, world.network, "Music")


def _reflection(world: World, alice: User) -> Any:
    with unscoped():
        return logbook_settings.add_question(alice, world.harbour, "What did they influence?")


def _photo(walter: User, session: Any) -> Any:
    with unscoped():
        return files.attach_file(walter, session, tiny_png(), "A drawing", consent=False)


def _question(world: World, walter: User) -> Any:
    with unscoped():
        definitions.ensure_glossary(world.network)
        visit = Definition.all_objects.get(node=world.network, key="visit")
        return definitions.ask_question(walter, visit, world.harbour, "One visit or two?")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "target", "expected"), rows(), ids=[r[0] for r in rows()])
def test_matrix(
    name: str,
    target: str,
    expected: dict[str, int],
    targets: dict[str, Any],
    request: pytest.FixtureRequest,
) -> None:
    url = reverse(name, args=targets[target])
    people = {persona: request.getfixturevalue(persona) for persona in PERSONAS}
    got: dict[str, int] = {"anon": _status(Client(), url)}
    for persona, user in people.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        got[persona] = _status(client, url)
    assert got == expected


def _status(client: Client, url: str) -> int:
    response = client.get(url)
    if response.streaming:
        # Reading a download to its end closes its file. (Not response.close(): in a test that
        # would also close the database connection the test runs in.)
        b"".join(response.streaming_content)
    return response.status_code
