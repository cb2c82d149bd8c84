"""What one check-in costs the database: its SQL statements, pinned (benchmarks/bench_checkin.py
measures it under 20 kiosks at once; docs/performance.md).

A check-in no longer counts itself: it is stored waiting and the count follows (kiosk.tasks).
The check-in's own statements are pinned with a task backend that only queues (what the kiosk
waits for; the database backend adds the task's row), the count's statements apart.

Counts include the savepoints of each service (the test runs inside a transaction): `check_in`
and the logbook's `kiosk_session` inside it.
"""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.kiosk import services
from impactlog.kiosk.services import Kind
from impactlog.logbook.models import Activity

from .conftest import World
from .participants_world import register
from .test_kiosk_services import cells, entry, kiosk, notice  # noqa: F401 (fixtures)

# device (locked); replay and rate limit in one; the network's settings; the day's session with
# its activity (read, not locked); the check-in; the session's count request (added, or grown);
# four savepoint statements. The device's "last seen" is written at most once a minute (the
# check-in before was seconds ago). Before the count waited: 13 (the session's total, its cell
# and the network's counter of changes, each a row every kiosk of the activity queued for).
ANONYMOUS = 10
# and the organisation above the unit, the young person, the audit record of the check-in
RETURNING = ANONYMOUS + 3
# device; replay lookup; the stored check-in; the device's duplicates; two savepoint statements
REPLAYED = 6
# the session locked; its waiting check-ins locked; its total; a cell each (here two); the
# network's counter of changes; marking them counted; two savepoint statements
COUNT_OF_TWO_CELLS = 9


@pytest.fixture
def queued(settings: Any) -> None:
    """A task backend that only queues, like the database backend before its worker runs."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def open_session(kiosk: tuple, drop_in: Activity) -> str:  # noqa: F811
    """The day's session exists already: the first check-in of the day made it."""
    _device, token = kiosk
    services.check_in(token, entry(1))
    return token


def test_an_anonymous_check_in_takes_a_fixed_number_of_statements(
    open_session: str, queued: None, drop_in: Activity, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(ANONYMOUS):
        services.check_in(open_session, entry(2))
    with django_assert_num_queries(ANONYMOUS):  # a new cell costs the check-in nothing more
        services.check_in(open_session, entry(3, gender="boys", age_band="16_18"))
    with django_assert_num_queries(ANONYMOUS):
        checkin = services.check_in(open_session, entry(4, gender="boys", age_band="16_18"))
    assert cells(drop_in) == {"girls/13_15": 1}
    with django_assert_num_queries(COUNT_OF_TWO_CELLS + 1):  # the first visit of a cell adds it
        assert services.count_waiting(checkin.checkin.session_id) == 3
    assert cells(drop_in) == {"girls/13_15": 2, "boys/16_18": 2}


def test_a_returning_check_in_takes_a_fixed_number_of_statements(
    world: World,
    walter: User,
    notice: object,  # noqa: F811
    open_session: str,
    queued: None,
    drop_in: Activity,
    django_assert_num_queries,
) -> None:  # type: ignore[no-untyped-def]
    fox = register(walter, world.harbour, "Fox", birth_year=2012, birth_month=1)
    with django_assert_num_queries(RETURNING):
        result = services.check_in(open_session, entry(2, Kind.RETURNING, participant=fox.pk))
    assert result.checkin.participant_id == fox.pk
    services.count_waiting(result.checkin.session_id)
    assert cells(drop_in) == {"girls/13_15": 2}


def test_a_replayed_check_in_takes_a_fixed_number_of_statements(
    open_session: str, drop_in: Activity, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    first = entry(2)
    services.check_in(open_session, first)
    with django_assert_num_queries(REPLAYED):
        assert services.check_in(open_session, first).duplicate
    assert cells(drop_in) == {"girls/13_15": 2}
