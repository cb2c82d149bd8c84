"""Shared fixtures: a small world and named people, one for every role.

North Network (network)                      alice   admin
└── Riverside Municipality (region)          carl    coordinator, vera viewer
    ├── Harbour Youth Centre (unit)          maria   manager, walter youth worker
    └── Hill Youth Centre (unit)
Other Organisation (organisation)            otto    admin (the outsider)
└── Other Club (unit)
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from django.test import Client

from impactlog.accounts.models import User
from impactlog.structure import services
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

PASSWORD = "correct horse battery staple"

# Fixtures of the logbook (activities at Harbour and Hill), shared by every test module.
pytest_plugins = ["tests.logbook_fixtures", "tests.logbook_services_world", "tests.progress_world"]


@dataclass
class World:
    network: Node
    region: Node
    harbour: Node
    hill: Node
    other_org: Node
    other_club: Node


RIGA = zoneinfo.ZoneInfo("Europe/Riga")  # the time zone of the settings and of the world's places
# The tests' "now": Wednesday 18 November 2026 at noon in Riga, in the autumn term and after
# every day the tests record sessions on.
NOW = dt.datetime(2026, 11, 18, 12, 0, tzinfo=RIGA)
# A leap day, for whatever counts "a year earlier".
LEAP_DAY = dt.datetime(2028, 2, 29, 12, 0, tzinfo=RIGA)


@pytest.fixture(autouse=True)
def _a_fixed_clock(request: pytest.FixtureRequest) -> Iterator[None]:
    """No test depends on the day it runs: the clock starts at NOW.

    It keeps ticking, so that timestamps that order rows (uploads, questions, audit entries) still
    follow one another. A test that needs another moment, or a clock that stands still, says so
    with `@pytest.mark.time_machine(moment, tick=False)` or the `time_machine` fixture.
    """
    if request.node.get_closest_marker("time_machine"):
        yield
        return
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fast_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _english(settings: object) -> None:
    settings.LANGUAGE_CODE = "en"  # type: ignore[attr-defined]


@pytest.fixture
def no_scope() -> Iterator[None]:
    with unscoped():
        yield


def _place(parent: Node | None, slug: str, name: str, kind: str, country: str = "LV") -> Node:
    return services.create_node(
        None,
        parent,
        kind=kind,
        name=name,
        slug=slug,
        country=country,
        language="lv",
        time_zone="Europe/Riga",
    )


@pytest.fixture
def world(db: None) -> World:
    with unscoped():
        network = _place(None, "north", "North Network", NodeKind.NETWORK)
        region = _place(network, "riverside", "Riverside Municipality", NodeKind.REGION)
        harbour = _place(region, "harbour", "Harbour Youth Centre", NodeKind.UNIT)
        hill = _place(region, "hill", "Hill Youth Centre", NodeKind.UNIT)
        other_org = _place(None, "other", "Other Organisation", NodeKind.ORGANISATION, "EE")
        other_club = _place(other_org, "club", "Other Club", NodeKind.UNIT, "EE")
    return World(network, region, harbour, hill, other_org, other_club)


def make_person(email: str, name: str, node: Node | None = None, role: str = "") -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=name)
    if node is not None:
        with unscoped():
            services.grant_role(None, user, node, role)
    return user


@pytest.fixture
def alice(world: World) -> User:
    """Administrator of the whole network."""
    return make_person("alice@example.org", "Alice Admin", world.network, Role.ADMIN)


@pytest.fixture
def carl(world: World) -> User:
    """Coordinator of the municipality."""
    return make_person("carl@example.org", "Carl Coordinator", world.region, Role.COORDINATOR)


@pytest.fixture
def maria(world: World) -> User:
    """Manager of Harbour Youth Centre."""
    return make_person("maria@example.org", "Maria Manager", world.harbour, Role.MANAGER)


@pytest.fixture
def walter(world: World) -> User:
    """Youth worker at Harbour Youth Centre."""
    return make_person("walter@example.org", "Walter Worker", world.harbour, Role.WORKER)


@pytest.fixture
def vera(world: World) -> User:
    """Viewer of the municipality's reports (a council member)."""
    return make_person("vera@example.org", "Vera Viewer", world.region, Role.VIEWER)


@pytest.fixture
def otto(world: World) -> User:
    """Administrator of another organisation: an outsider to the network."""
    return make_person("otto@example.org", "Otto Outsider", world.other_org, Role.ADMIN)


@pytest.fixture
def login(client: Client):  # type: ignore[no-untyped-def]
    """Sign a person in on the test client and return it."""

    def _login(user: User) -> Client:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
