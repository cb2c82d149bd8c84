"""Every service of the logbook, its files, the network and the glossary, called by someone who
lacks the right on the object it changes: PermissionDenied, and nothing written.

Each case names the service and builds its arguments from the fixtures, so the table reads as a
list of who may not do what. The services are called directly (as a task or the API would), not
through a page, so a check that relies on the URL's node cannot make a case pass. The other rules
of those services (moving a session, archived places, page views that write nothing) are in
test_logbook_service_rules.py.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from impactlog.glossary import services as glossary
from impactlog.logbook import files, services
from impactlog.logbook.models import ActivityKind
from impactlog.network import services as network
from impactlog.tenancy.models import AuditEntry

from .logbook_fixtures import MONDAY
from .logbook_services_world import WRITES, Ctx, png_upload, session_input, tenant_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

SERVICE_MODULES: tuple[ModuleType, ...] = (services, files, network, glossary)


Args = tuple[tuple[Any, ...], dict[str, Any]]
MONDAY_EVENING = dt.datetime.combine(MONDAY, dt.time(18, 0), tzinfo=dt.UTC)
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
        lambda c: a(c.walter, c.hill_club, session_input(start=10)),
    ),
    (
        "vera (viewer) records a session at Harbour",
        services.create_session,
        lambda c: a(c.vera, c.drop_in, session_input(start=10)),
    ),
    (
        "walter of Harbour counts a visit into Hill's activity",
        services.count_visit,
        lambda c: a(c.walter, c.hill_club, when=MONDAY_EVENING, gender="girls", band="13_15"),
    ),
    (
        "carl (coordinator) counts a visit into Harbour's activity",
        services.count_visit,
        lambda c: a(c.carl, c.drop_in, when=MONDAY_EVENING, gender="girls", band="13_15"),
    ),
    (
        "walter of Harbour opens the kiosk session of Hill's activity",
        services.kiosk_session,
        lambda c: a(c.walter, c.hill_club, when=MONDAY_EVENING, gender="girls", band="13_15"),
    ),
    (
        "carl (coordinator) opens the kiosk session of Harbour's activity",
        services.kiosk_session,
        lambda c: a(c.carl, c.drop_in, when=MONDAY_EVENING, gender="girls", band="13_15"),
    ),
    (
        "walter of Harbour updates a session of Hill",
        services.update_session,
        lambda c: a(c.walter, c.hill_session, session_input(total=99)),
    ),
    (
        "walter of Harbour updates a session of Hill, naming his own activity",
        services.update_session,
        lambda c: a(c.walter, c.hill_session, session_input(total=99), activity=c.drop_in),
    ),
    (
        "walter moves a Harbour session to a Hill activity",
        services.update_session,
        lambda c: a(c.walter, c.harbour_session, session_input(), activity=c.hill_club),
    ),
    (
        "carl (coordinator) edits a session",
        services.update_session,
        lambda c: a(c.carl, c.harbour_session, session_input(total=99)),
    ),
    (
        "otto edits a session",
        services.update_session,
        lambda c: a(c.otto, c.harbour_session, session_input(total=99)),
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
        lambda c: a(c.walter, c.hill_club, [session_input(day=MONDAY + dt.timedelta(days=1))]),
    ),
    (
        "otto records a week at Harbour",
        services.save_week,
        lambda c: a(c.otto, c.drop_in, [session_input(day=MONDAY + dt.timedelta(days=1))]),
    ),
    # Files
    (
        "walter attaches a photo to a session of Hill",
        files.attach_file,
        lambda c: a(c.walter, c.hill_session, png_upload(), "A drawing", False),
    ),
    (
        "vera (viewer) attaches a photo at Harbour",
        files.attach_file,
        lambda c: a(c.vera, c.harbour_session, png_upload(), "A drawing", False),
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


def _stored(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize(("label", "func", "build"), REFUSALS, ids=[c[0] for c in REFUSALS])
def test_a_service_refuses_an_actor_without_the_right_on_the_object(
    ctx: Ctx, settings: Any, label: str, func: Callable[..., Any], build: Callable[[Ctx], Args]
) -> None:
    args, kwargs = build(ctx)
    before, stored = tenant_counts(), _stored(Path(settings.MEDIA_ROOT))
    audit_before = AuditEntry.all_objects.count()

    with CaptureQueriesContext(connection) as queries, pytest.raises(PermissionDenied):
        func(*args, **kwargs)

    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == [], label
    assert tenant_counts() == before, label
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
    assert len(_public_services()) == 19
    for _label, func, _build in REFUSALS:
        assert hasattr(func, "__wrapped__"), f"{func.__name__} is not a @service"
