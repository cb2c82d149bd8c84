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
