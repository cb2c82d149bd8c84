from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from impactlog.accounts.models import User
from impactlog.core.permissions import Role
from impactlog.core.scoping import unscoped
from impactlog.structure import services
from impactlog.structure.models import Membership
from tests.permission_matrix import rows

from .conftest import World
from .logbook_fixtures import record

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
) -> dict[str, Any]:
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
        "session": [world.harbour.pk, record(walter, drop_in, total=3).pk],
    }


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
    got: dict[str, int] = {"anon": Client().get(url).status_code}
    for persona, user in people.items():
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        got[persona] = client.get(url).status_code
    assert got == expected
