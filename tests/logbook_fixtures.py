"""Logbook fixtures: activities at Harbour and Hill, and a helper to record sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.logbook import services
from impactlog.logbook.models import Activity, ActivityKind, Session
from impactlog.logbook.services import SessionInput
from impactlog.tenancy.scoping import unscoped

from .conftest import World

MONDAY = dt.date(2026, 10, 5)

# The network's settings form as its page fills it for a network with the defaults.
SETTINGS_FORM = {
    "plausible_participants": "300",
    "bands": "",
    "threshold_visits": "5",
    "threshold_people": "5",
    "threshold_annual_survey": "15",
    "threshold_other_surveys": "5",
}


def record(
    user: User,
    activity: Activity,
    day: dt.date = MONDAY,
    start: str = "15:00",
    end: str = "19:00",
    **extra: object,
) -> Session:
    data = SessionInput(
        date=day,
        start_time=dt.time.fromisoformat(start),
        end_time=dt.time.fromisoformat(end) if end else None,
        **extra,  # type: ignore[arg-type]
    )
    with unscoped():
        return services.create_session(user, activity, data)


def more_centres(world: World, worker: User, count: int) -> list[Activity]:
    """`count` more youth centres in Riverside, where `worker` works, each with a drop-in and a
    group that met on three days with head-counts; returns their activities."""
    from impactlog.structure import services as structure
    from impactlog.tenancy.models import Node, NodeKind
    from impactlog.tenancy.roles import Role

    activities = []
    with unscoped():
        first = Node.all_objects.filter(parent=world.region).count()
        for number in range(first, first + count):
            centre = structure.create_node(
                None,
                world.region,
                kind=NodeKind.UNIT,
                name=f"Youth Centre {number}",
                slug=f"centre-{number}",
                country="LV",
                language="lv",
                time_zone="Europe/Riga",
            )
            structure.grant_role(None, worker, centre, Role.WORKER)
            for kind, name in ((ActivityKind.DROP_IN, "Drop-in"), (ActivityKind.GROUP, "Band")):
                activity = services.create_activity(worker, centre, kind=kind, name=name)
                activities.append(activity)
                for weeks in range(3):
                    record(
                        worker,
                        activity,
                        day=MONDAY + dt.timedelta(weeks=weeks),
                        counts={("girls", "13_15"): 3 + number, ("boys", "u13"): weeks},
                        youth_producers=1,
                    )
    return activities


@pytest.fixture
def drop_in(world: World, maria: User) -> Activity:
    with unscoped():
        return services.create_activity(
            maria, world.harbour, kind=ActivityKind.DROP_IN, name="Open evenings"
        )


@pytest.fixture
def hill_club(world: World, alice: User) -> Activity:
    from impactlog.structure import services as structure
    from impactlog.tenancy.roles import Role

    with unscoped():
        hill_manager = User.objects.create_user(email="h@example.org", full_name="Hilda")
        structure.grant_role(None, hill_manager, world.hill, Role.MANAGER)
        return services.create_activity(
            hill_manager, world.hill, kind=ActivityKind.GROUP, name="Film club"
        )


@pytest.fixture
def activity(drop_in: Activity) -> Activity:
    """ "Open evenings", the drop-in of Harbour Youth Centre."""
    return drop_in


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
