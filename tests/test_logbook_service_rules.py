"""Rules of the logbook's services beyond who may call them: a session moves to another activity
of its own unit only, nothing is recorded into an archived place, and page views write nothing."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.glossary import services as glossary
from impactlog.glossary.models import Definition
from impactlog.logbook import files, services
from impactlog.logbook.models import ActivityKind, Session, SessionRevision
from impactlog.network.models import Tag
from impactlog.structure import services as structure
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import make_person
from .logbook_fixtures import MONDAY
from .logbook_services_world import WRITES, Ctx, png_upload, session_input, tenant_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]


# Moving a session to another activity


def test_editing_a_session_can_move_it_to_another_activity_of_its_unit(ctx: Ctx) -> None:
    with unscoped():
        camp = services.create_activity(
            ctx.maria, ctx.world.harbour, kind=ActivityKind.GROUP, name="Summer camp"
        )
        services.update_session(
            ctx.walter, ctx.harbour_session, session_input(total=5), activity=camp
        )

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
        services.update_session(both, ctx.harbour_session, session_input(), activity=ctx.hill_club)
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
    (
        "create_session",
        lambda c: services.create_session(c.walter, c.drop_in, session_input(start=10)),
    ),
    (
        "update_session",
        lambda c: services.update_session(c.walter, c.harbour_session, session_input()),
    ),
    (
        "save_week",
        lambda c: services.save_week(
            c.walter, c.drop_in, [session_input(day=MONDAY + dt.timedelta(days=1))]
        ),
    ),
    (
        "attach_file",
        lambda c: files.attach_file(c.walter, c.harbour_session, png_upload(), "A drawing", False),
    ),
]


@pytest.mark.parametrize(("label", "call"), ARCHIVED, ids=[c[0] for c in ARCHIVED])
def test_nothing_is_recorded_in_an_archived_unit(
    archived_harbour: Ctx, label: str, call: Callable[[Ctx], Any]
) -> None:
    before = tenant_counts()
    with unscoped(), pytest.raises(ValidationError, match="archived place"):
        call(archived_harbour)
    assert tenant_counts() == before


def test_no_session_is_recorded_in_an_archived_activity(ctx: Ctx) -> None:
    with unscoped():
        services.update_activity(ctx.maria, ctx.drop_in, archived_at=dt.datetime.now(dt.UTC))
        with pytest.raises(ValidationError, match="This activity is archived"):
            services.create_session(ctx.walter, ctx.drop_in, session_input(start=10))
        with pytest.raises(ValidationError, match="This activity is archived"):
            services.save_week(ctx.walter, ctx.drop_in, [session_input(start=10)])
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
        before = tenant_counts()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        writes = [
            q["sql"]
            for q in queries.captured_queries
            if q["sql"].lstrip().startswith(WRITES) and "django_session" not in q["sql"]
        ]
        assert writes == [], url
        assert tenant_counts() == before, url


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
