"""Every service of the logbook, its files, the network and the glossary, called by someone who
lacks the right on the object it changes: PermissionDenied, and nothing written.

Each case names the service and builds its arguments from the fixtures, so the table reads as a
list of who may not do what. The services are called directly (as a task or the API would), not
through a page, so a check that relies on the URL's node cannot make a case pass. Below the table:
moving a session between activities, nothing recorded in an archived place, and page views that
write nothing.
"""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import struct
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.glossary import services as glossary
from impactlog.glossary.models import Definition, DefinitionQuestion
from impactlog.logbook import files, services
from impactlog.logbook.models import Activity, ActivityKind, Session, SessionFile, SessionRevision
from impactlog.logbook.services import SessionInput
from impactlog.network import services as network
from impactlog.network.models import ReflectionQuestion, Tag
from impactlog.structure import services as structure
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person
from .logbook_fixtures import MONDAY, record

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

SERVICE_MODULES: tuple[ModuleType, ...] = (services, files, network, glossary)
WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def _png() -> SimpleUploadedFile:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )
    return SimpleUploadedFile("mural.png", data, content_type="image/png")


def _input(total: int = 9, day: dt.date = MONDAY, start: int = 15) -> SessionInput:
    return SessionInput(date=day, start_time=dt.time(start), end_time=dt.time(19), total=total)


@dataclass
class Ctx:
    """The world with a record of each kind at Harbour and at Hill."""

    world: World
    alice: User
    carl: User
    vera: User
    maria: User
    walter: User
    otto: User
    hilda: User  # manager of Hill
    drop_in: Activity  # Harbour
    hill_club: Activity  # Hill
    harbour_session: Session
    hill_session: Session
    hill_file: SessionFile
    hill_question: ReflectionQuestion
    tag: Tag
    visit: Definition
    asked: DefinitionQuestion


@pytest.fixture
def ctx(
    world: World,
    alice: User,
    carl: User,
    vera: User,
    maria: User,
    walter: User,
    otto: User,
    drop_in: Activity,
    hill_club: Activity,
) -> Ctx:
    hilda = User.objects.get(email="h@example.org")
    harbour_session = record(walter, drop_in, total=5)
    hill_session = record(hilda, hill_club, total=7)
    with unscoped():
        hill_file = files.attach_file(hilda, hill_session, _png(), "A drawing", False)
        hill_question = network.add_question(None, world.hill, "What did they decide?")
        tag = Tag.all_objects.get(owner=world.network, key="eu-5")
        visit = Definition.all_objects.get(node=world.network, key="visit")
        asked = glossary.ask_question(walter, visit, world.harbour, "Does a sibling count?")
    return Ctx(
        world,
        alice,
        carl,
        vera,
        maria,
        walter,
        otto,
        hilda,
        drop_in,
        hill_club,
        harbour_session,
        hill_session,
        hill_file,
        hill_question,
        tag,
        visit,
        asked,
    )


Args = tuple[tuple[Any, ...], dict[str, Any]]
Case = tuple[str, Callable[..., Any], Callable[[Ctx], Args]]


def a(*args: Any, **kwargs: Any) -> Args:
    return args, kwargs


REFUSALS: list[Case] = [
    # Activities
    (
        "walter adds an activity to Hill",
        services.create_activity,
        lambda c: a(c.walter, c.world.hill, kind=ActivityKind.GROUP, name="Chess"),
    ),
    (
        "carl (coordinator) adds an activity to Harbour",
        services.create_activity,
        lambda c: a(c.carl, c.world.harbour, kind=ActivityKind.GROUP, name="Chess"),
    ),
    (
        "otto adds an activity to Harbour",
        services.create_activity,
        lambda c: a(c.otto, c.world.harbour, kind=ActivityKind.GROUP, name="Chess"),
    ),
    (
        "walter renames Hill's activity",
        services.update_activity,
        lambda c: a(c.walter, c.hill_club, name="Ours now"),
    ),
    (
        "alice (administrator) renames Harbour's activity",
        services.update_activity,
        lambda c: a(c.alice, c.drop_in, name="Renamed"),
    ),
    # Sessions
    (
        "walter records a session of Hill's activity",
        services.create_session,
        lambda c: a(c.walter, c.hill_club, _input(start=10)),
    ),
    (
        "vera (viewer) records a session at Harbour",
        services.create_session,
        lambda c: a(c.vera, c.drop_in, _input(start=10)),
    ),
    (
        "walter of Harbour updates a session of Hill",
        services.update_session,
        lambda c: a(c.walter, c.hill_session, _input(total=99)),
    ),
    (
        "walter of Harbour updates a session of Hill, naming his own activity",
        services.update_session,
        lambda c: a(c.walter, c.hill_session, _input(total=99), activity=c.drop_in),
    ),
    (
        "walter moves a Harbour session to a Hill activity",
        services.update_session,
        lambda c: a(c.walter, c.harbour_session, _input(), activity=c.hill_club),
    ),
    (
        "carl (coordinator) edits a session",
        services.update_session,
        lambda c: a(c.carl, c.harbour_session, _input(total=99)),
    ),
    (
        "otto edits a session",
        services.update_session,
        lambda c: a(c.otto, c.harbour_session, _input(total=99)),
    ),
    (
        "walter deletes a session of Hill",
        services.delete_session,
        lambda c: a(c.walter, c.hill_session),
    ),
    (
        "carl (coordinator) deletes a session",
        services.delete_session,
        lambda c: a(c.carl, c.harbour_session),
    ),
    (
        "walter records a week of Hill's activity",
        services.save_week,
        lambda c: a(c.walter, c.hill_club, [_input(day=MONDAY + dt.timedelta(days=1))]),
    ),
    (
        "otto records a week at Harbour",
        services.save_week,
        lambda c: a(c.otto, c.drop_in, [_input(day=MONDAY + dt.timedelta(days=1))]),
    ),
    # Files
    (
        "walter attaches a photo to a session of Hill",
        files.attach_file,
        lambda c: a(c.walter, c.hill_session, _png(), "A drawing", False),
    ),
    (
        "vera (viewer) attaches a photo at Harbour",
        files.attach_file,
        lambda c: a(c.vera, c.harbour_session, _png(), "A drawing", False),
    ),
    (
        "walter deletes a file of Hill",
        files.delete_file,
        lambda c: a(c.walter, c.hill_file),
    ),
    (
        "walter opens a file of Hill",
        files.open_file,
        lambda c: a(c.walter, c.hill_file),
    ),
    (
        "carl (coordinator) opens a file",
        files.open_file,
        lambda c: a(c.carl, c.hill_file),
    ),
    (
        "otto opens a file",
        files.open_file,
        lambda c: a(c.otto, c.hill_file),
    ),
    # The network's settings, vocabulary and reflection questions
    (
        "walter (worker) changes the network's settings",
        network.update_settings,
        lambda c: a(c.walter, c.world.harbour, plausible_participants=5),
    ),
    (
        "carl (coordinator below the top) changes the network's settings",
        network.update_settings,
        lambda c: a(c.carl, c.world.region, plausible_participants=5),
    ),
    (
        "otto changes the network's settings",
        network.update_settings,
        lambda c: a(c.otto, c.world.network, plausible_participants=5),
    ),
    (
        "maria (manager) lowers the network's thresholds",
        network.update_settings,
        lambda c: a(
            c.maria,
            c.world.harbour,
            plausible_participants=300,
            thresholds=network.Thresholds(3, 3, 3, 3),
            confirm_lower=True,
        ),
    ),
    (
        "carl (coordinator below the top) raises the network's thresholds",
        network.update_settings,
        lambda c: a(
            c.carl,
            c.world.region,
            plausible_participants=300,
            thresholds=network.Thresholds(9, 9, 20, 9),
        ),
    ),
    (
        "otto lowers the network's thresholds",
        network.update_settings,
        lambda c: a(
            c.otto,
            c.world.network,
            plausible_participants=300,
            thresholds=network.Thresholds(3, 3, 3, 3),
            confirm_lower=True,
        ),
    ),
    (
        "maria (manager) adds a topic",
        network.add_topic,
        lambda c: a(c.maria, c.world.harbour, "Music"),
    ),
    (
        "otto adds a topic to the network",
        network.add_topic,
        lambda c: a(c.otto, c.world.network, "Music"),
    ),
    (
        "carl (coordinator below the top) archives a goal",
        network.archive_tag,
        lambda c: a(c.carl, c.tag),
    ),
    (
        "otto archives a goal of the network",
        network.archive_tag,
        lambda c: a(c.otto, c.tag),
    ),
    (
        "walter (worker) adds a reflection question",
        network.add_question,
        lambda c: a(c.walter, c.world.harbour, "How was it?"),
    ),
    (
        "maria of Harbour adds a reflection question at Hill",
        network.add_question,
        lambda c: a(c.maria, c.world.hill, "How was it?"),
    ),
    (
        "maria of Harbour archives Hill's reflection question",
        network.archive_question,
        lambda c: a(c.maria, c.hill_question),
    ),
    (
        "otto archives a reflection question",
        network.archive_question,
        lambda c: a(c.otto, c.hill_question),
    ),
    # The glossary
    (
        "walter edits a definition",
        glossary.edit_definition,
        lambda c: a(c.walter, c.visit, term="Visit", text="Anything goes."),
    ),
    (
        "carl (coordinator below the top) edits a definition",
        glossary.edit_definition,
        lambda c: a(c.carl, c.visit, term="Visit", text="Anything goes."),
    ),
    (
        "otto edits the network's definition",
        glossary.edit_definition,
        lambda c: a(c.otto, c.visit, term="Visit", text="Anything goes."),
    ),
    (
        "otto asks on the network's definition from his own club",
        glossary.ask_question,
        lambda c: a(c.otto, c.visit, c.world.other_club, "How?"),
    ),
    (
        "otto asks on the network's definition from Harbour",
        glossary.ask_question,
        lambda c: a(c.otto, c.visit, c.world.harbour, "How?"),
    ),
    (
        "walter asks from Hill, a place he does not work at",
        glossary.ask_question,
        lambda c: a(c.walter, c.visit, c.world.hill, "How?"),
    ),
    (
        "walter answers a question",
        glossary.answer_question,
        lambda c: a(c.walter, c.asked, "Yes."),
    ),
    (
        "carl (coordinator below the top) answers a question",
        glossary.answer_question,
        lambda c: a(c.carl, c.asked, "Yes."),
    ),
    (
        "otto answers a question",
        glossary.answer_question,
        lambda c: a(c.otto, c.asked, "Yes."),
    ),
]


def _tenant_tables() -> list[type[Any]]:
    """Every model of the apps these services write to, and the audit trail."""
    labels = ("logbook", "network", "glossary", "tenancy")
    return [m for m in apps.get_models() if m._meta.app_label in labels]


def _counts() -> dict[str, int]:
    return {m._meta.label: m._base_manager.count() for m in _tenant_tables()}


def _stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("label", "func", "build"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_a_service_refuses_an_actor_without_the_right_on_the_object(
    ctx: Ctx, settings: Any, label: str, func: Callable[..., Any], build: Callable[[Ctx], Args]
) -> None:
    args, kwargs = build(ctx)
    before, stored = _counts(), _stored(Path(settings.MEDIA_ROOT))
    audit_before = AuditEntry.all_objects.count()

    with CaptureQueriesContext(connection) as queries, pytest.raises(PermissionDenied):
        func(*args, **kwargs)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == [], label
    assert _counts() == before, label
    assert AuditEntry.all_objects.count() == audit_before
    assert _stored(Path(settings.MEDIA_ROOT)) == stored


def _public_services() -> set[str]:
    """Every public function of the service modules whose first parameter is the actor."""
    found = set()
    for module in SERVICE_MODULES:
        for name, value in vars(module).items():
            if name.startswith("_") or not inspect.isfunction(value):
                continue
            if value.__module__ != module.__name__:
                continue
            params = list(inspect.signature(value).parameters)
            if params and params[0] == "actor":
                found.add(f"{module.__name__}.{name}")
    return found


def test_the_table_names_every_service_function_and_each_is_a_service() -> None:
    covered = {f"{func.__module__}.{func.__name__}" for _label, func, _build in REFUSALS}
    assert _public_services() - covered == set()
    assert len(_public_services()) == 17
    for _label, func, _build in REFUSALS:
        assert hasattr(func, "__wrapped__"), f"{func.__name__} is not a @service"


# Moving a session to another activity


def test_editing_a_session_can_move_it_to_another_activity_of_its_unit(ctx: Ctx) -> None:
    with unscoped():
        camp = services.create_activity(
            ctx.maria, ctx.world.harbour, kind=ActivityKind.GROUP, name="Summer camp"
        )
        services.update_session(ctx.walter, ctx.harbour_session, _input(total=5), activity=camp)

    moved = Session.all_objects.get(pk=ctx.harbour_session.pk)
    assert moved.activity_id == camp.pk
    revision = SessionRevision.all_objects.filter(session=moved).first()
    assert revision is not None and revision.changes["activity"] == ["Open evenings", "Summer camp"]
    entry = AuditEntry.all_objects.filter(action="session.updated").latest("pk")
    assert entry.changes["activity"] == ["Open evenings", "Summer camp"]


def test_a_session_is_not_moved_to_another_unit_even_by_someone_who_records_at_both(
    ctx: Ctx,
) -> None:
    both = make_person("bo@example.org", "Bo Both", ctx.world.region, Role.MANAGER)
    with unscoped(), pytest.raises(ValidationError, match="same unit"):
        services.update_session(both, ctx.harbour_session, _input(), activity=ctx.hill_club)
    assert Session.all_objects.get(pk=ctx.harbour_session.pk).activity_id == ctx.drop_in.pk


def test_the_session_edit_page_applies_a_changed_activity(ctx: Ctx, login: Any) -> None:
    with unscoped():
        camp = services.create_activity(
            ctx.maria, ctx.world.harbour, kind=ActivityKind.GROUP, name="Summer camp"
        )
    session = ctx.harbour_session
    form = {
        "activity": camp.pk,
        "date": MONDAY.isoformat(),
        "start_time": "15:00",
        "end_time": "19:00",
        "mode": "on_site",
        "breakdown_unknown": "on",
        "total": "5",
        "youth_producers": "0",
        "youth_minutes": "0",
        "staff": "0",
        "staff_minutes": "0",
        "volunteers": "0",
        "volunteer_minutes": "0",
        "version": session.version,
    }
    url = reverse("logbook:session_edit", args=[ctx.world.harbour.pk, session.pk])
    response = login(ctx.walter).post(url, form)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Session.all_objects.get(pk=session.pk).activity_id == camp.pk


# Nothing recorded into an archived place


@pytest.fixture
def archived_harbour(ctx: Ctx) -> Iterator[Ctx]:
    with unscoped():
        structure.archive_node(ctx.alice, ctx.world.harbour)
    yield ctx


ARCHIVED: list[tuple[str, Callable[[Ctx], Any]]] = [
    ("create_session", lambda c: services.create_session(c.walter, c.drop_in, _input(start=10))),
    ("update_session", lambda c: services.update_session(c.walter, c.harbour_session, _input())),
    (
        "save_week",
        lambda c: services.save_week(
            c.walter, c.drop_in, [_input(day=MONDAY + dt.timedelta(days=1))]
        ),
    ),
    (
        "attach_file",
        lambda c: files.attach_file(c.walter, c.harbour_session, _png(), "A drawing", False),
    ),
]


@pytest.mark.parametrize(("label", "call"), ARCHIVED, ids=[c[0] for c in ARCHIVED])
def test_nothing_is_recorded_in_an_archived_unit(
    archived_harbour: Ctx, label: str, call: Callable[[Ctx], Any]
) -> None:
    before = _counts()
    with unscoped(), pytest.raises(ValidationError, match="archived place"):
        call(archived_harbour)
    assert _counts() == before


def test_no_session_is_recorded_in_an_archived_activity(ctx: Ctx) -> None:
    with unscoped():
        services.update_activity(ctx.maria, ctx.drop_in, archived_at=dt.datetime.now(dt.UTC))
        with pytest.raises(ValidationError, match="This activity is archived"):
            services.create_session(ctx.walter, ctx.drop_in, _input(start=10))
        with pytest.raises(ValidationError, match="This activity is archived"):
            services.save_week(ctx.walter, ctx.drop_in, [_input(start=10)])
    assert Session.all_objects.filter(activity=ctx.drop_in).count() == 1


# Page views write nothing


def test_the_defaults_are_stored_when_a_network_is_created() -> None:
    with unscoped():
        root = structure.create_node(
            None, None, kind="network", name="South", slug="south", country="LT", language="lt"
        )
    assert Tag.all_objects.filter(owner=root, vocabulary="eu_goal").count() == 11
    assert Definition.all_objects.filter(node=root).count() == len(glossary.DEFAULTS)


def test_page_views_of_the_glossary_vocabulary_settings_and_activities_write_nothing(
    ctx: Ctx, login: Any
) -> None:
    harbour, network_pk = ctx.world.harbour.pk, ctx.world.network.pk
    pages = [
        (ctx.walter, reverse("glossary:definitions", args=[harbour])),
        (ctx.walter, reverse("glossary:definition", args=[harbour, "visit"])),
        (ctx.alice, reverse("glossary:definition_edit", args=[network_pk, "visit"])),
        (ctx.alice, reverse("network:settings", args=[harbour])),
        (ctx.maria, reverse("logbook:activities", args=[harbour])),
        (ctx.maria, reverse("logbook:activity_add", args=[harbour])),
        (ctx.maria, reverse("logbook:activity_edit", args=[harbour, ctx.drop_in.pk])),
        (ctx.walter, reverse("logbook:log", args=[harbour])),
    ]
    for user, url in pages:
        client = login(user)
        client.get(url)  # a first view, as after the sign-in
        before = _counts()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().startswith(WRITES) and "django_session" not in q["sql"]
        ]
        assert writes == [], url
        assert _counts() == before, url


def test_a_network_without_stored_defaults_is_read_without_writing_them(
    ctx: Ctx, login: Any
) -> None:
    Tag.all_objects.all().delete()
    Definition.all_objects.all().delete()
    client = login(ctx.alice)
    for url in (
        reverse("glossary:definitions", args=[ctx.world.harbour.pk]),
        reverse("network:settings", args=[ctx.world.harbour.pk]),
    ):
        assert client.get(url).status_code == 200
    assert not Tag.all_objects.exists()
    assert not Definition.all_objects.exists()


def test_the_data_migrations_give_existing_networks_their_defaults_once(ctx: Ctx) -> None:
    goals = importlib.import_module(
        "impactlog.network.migrations.0003_default_vocabulary_for_existing_networks"
    )
    glossary_defaults = importlib.import_module(
        "impactlog.glossary.migrations.0003_default_glossary_for_existing_networks"
    )
    Tag.all_objects.filter(vocabulary="eu_goal").delete()
    Definition.all_objects.all().delete()
    roots = [ctx.world.network, ctx.world.other_org]

    for _twice in range(2):
        goals.add_goals(apps, None)
        glossary_defaults.add_defaults(apps, None)

    for root in roots:
        assert Tag.all_objects.filter(owner=root, vocabulary="eu_goal").count() == 11
        stored = Definition.all_objects.filter(node=root)
        assert sorted(stored.values_list("key", flat=True)) == sorted(glossary.DEFAULTS)
        assert all(d.is_default and d.versions.count() == 1 for d in stored)
    assert not Tag.all_objects.filter(owner=ctx.world.harbour).exists()
