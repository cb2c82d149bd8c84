"""A check-in is stored at once and counted moments later: the task `count_check_ins` adds the
session's waiting check-ins to its counts, many at once (docs/performance.md, "Check-ins")."""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from impactlog.accounts.models import User
from impactlog.kiosk import services, tasks
from impactlog.kiosk.models import CheckIn, CountRequest
from impactlog.logbook.models import Activity, Session
from impactlog.tenancy.models import DisclosureChanges
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .test_kiosk_services import cells, entry, kiosk  # noqa: F401 (fixtures)

PENDING = "from the kiosk {} still being added to the counts"


@pytest.fixture
def token(kiosk: tuple, drop_in: Activity) -> str:  # noqa: F811
    """A kiosk whose first check-in of the day opened the session (counted as it opened it)."""
    _device, token = kiosk
    services.check_in(token, entry(1))
    return token


@pytest.fixture
def queued(settings: Any) -> None:
    """A task backend that only queues, like the database backend while no worker has run."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _session(activity: Activity) -> Session:
    with unscoped():
        return Session.all_objects.get(activity=activity)


def _waiting() -> int:
    with unscoped():
        return CheckIn.all_objects.filter(counted_at__isnull=True).count()


def _changes(world: World) -> int:
    with unscoped():
        return DisclosureChanges.all_objects.get(network_id=world.network.pk).count


def test_the_first_check_in_of_the_day_opens_the_session_counted(
    token: str, drop_in: Activity
) -> None:
    assert cells(drop_in) == {"girls/13_15": 1}
    assert _session(drop_in).participants == 1
    assert _waiting() == 0


def test_with_an_immediate_backend_a_check_in_is_counted_at_once(
    token: str, drop_in: Activity
) -> None:
    services.check_in(token, entry(2, gender="boys"))
    assert cells(drop_in) == {"girls/13_15": 1, "boys/13_15": 1}
    assert _waiting() == 0


def test_a_queued_check_in_waits_and_the_task_counts_it_once(
    world: World, token: str, queued: None, drop_in: Activity
) -> None:
    from django_tasks import default_task_backend

    changes = _changes(world)
    result = services.check_in(token, entry(2, gender="boys", age_band="16_18"))
    assert result.checkin.counted_at is None
    assert cells(drop_in) == {"girls/13_15": 1}
    assert _session(drop_in).participants == 1
    assert _changes(world) == changes  # nothing counted: nothing to decide again yet
    (enqueued,) = default_task_backend.results  # type: ignore[attr-defined]
    assert enqueued.task.func is tasks.count_check_ins.func
    assert enqueued.kwargs == {"session_id": _session(drop_in).pk}

    assert tasks.count_check_ins.call(**enqueued.kwargs) == 1
    assert cells(drop_in) == {"girls/13_15": 1, "boys/16_18": 1}
    assert _session(drop_in).participants == 2
    assert _changes(world) == changes + 1
    assert _waiting() == 0

    assert tasks.count_check_ins.call(**enqueued.kwargs) == 0  # delivered twice: counted once
    assert cells(drop_in) == {"girls/13_15": 1, "boys/16_18": 1}
    assert _session(drop_in).participants == 2
    assert _changes(world) == changes + 1


def test_twenty_waiting_check_ins_fold_into_their_cells_at_once(
    world: World, token: str, queued: None, drop_in: Activity
) -> None:
    mixed = (
        [("girls", "13_15")] * 7
        + [("boys", "13_15")] * 5
        + [("boys", "16_18")] * 4
        + [("non_binary", "19_24")] * 3
        + [("not_stated", "u13")]
    )
    for number, (gender, band) in enumerate(mixed, start=2):
        services.check_in(token, entry(number, gender=gender, age_band=band))
    assert _waiting() == 20
    changes = _changes(world)
    assert tasks.count_check_ins.call(_session(drop_in).pk) == 20
    assert cells(drop_in) == {
        "girls/13_15": 8,  # with the first check-in, counted as it opened the session
        "boys/13_15": 5,
        "boys/16_18": 4,
        "non_binary/19_24": 3,
        "not_stated/u13": 1,
    }
    assert _session(drop_in).participants == 21
    assert _changes(world) == changes + 1  # once for the twenty
    assert _waiting() == 0


def test_a_failed_count_leaves_the_check_ins_waiting_for_the_next(
    world: World, token: str, drop_in: Activity, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The immediate backend runs the task inside the check-in; a count that fails undoes its
    part only: the check-in is stored, waiting, and the next count takes it."""
    from impactlog.tenancy.disclosure import store

    def unavailable(node: object) -> None:
        raise RuntimeError("the counter is unavailable")

    monkeypatch.setattr(store, "records_changed", unavailable)
    result = services.check_in(token, entry(2, gender="boys"))
    assert result.checkin.pk is not None
    assert _waiting() == 1
    assert cells(drop_in) == {"girls/13_15": 1}
    assert _session(drop_in).participants == 1
    monkeypatch.undo()
    services.check_in(token, entry(3, gender="boys"))  # its count takes both
    assert cells(drop_in) == {"girls/13_15": 1, "boys/13_15": 2}
    assert _session(drop_in).participants == 3
    assert _waiting() == 0


def test_the_command_counts_every_waiting_check_in(
    token: str, queued: None, drop_in: Activity
) -> None:
    for number in (2, 3, 4):
        services.check_in(token, entry(number, gender="non_binary"))
    call_command("count_check_ins", stdout=(out := io.StringIO()))
    assert "Counted 3 waiting check-ins." in out.getvalue()
    assert cells(drop_in) == {"girls/13_15": 1, "non_binary/13_15": 3}
    call_command("count_check_ins", stdout=(out := io.StringIO()))
    assert "Counted 0 waiting check-ins." in out.getvalue()
    assert cells(drop_in) == {"girls/13_15": 1, "non_binary/13_15": 3}


def test_the_session_page_says_while_check_ins_are_still_being_added(
    world: World, walter: Any, login: Any, token: str, queued: None, drop_in: Activity
) -> None:
    client = login(walter)
    url = reverse("logbook:session_edit", args=[world.harbour.pk, _session(drop_in).pk])
    assert "from the kiosk" not in client.get(url).content.decode()
    services.check_in(token, entry(2))
    page = client.get(url).content.decode()
    assert "1 check-in " + PENDING.format("is") in page
    services.check_in(token, entry(3))
    assert "2 check-ins " + PENDING.format("are") in client.get(url).content.decode()
    tasks.count_check_ins.call(_session(drop_in).pk)
    assert "from the kiosk" not in client.get(url).content.decode()


def test_check_ins_while_a_count_waits_ask_for_no_other(
    token: str, queued: None, drop_in: Activity
) -> None:
    from django_tasks import default_task_backend

    for number in range(2, 7):
        services.check_in(token, entry(number))
    (enqueued,) = default_task_backend.results  # type: ignore[attr-defined]
    with unscoped():
        assert CountRequest.all_objects.get().asked == 5  # one request, five relied on it
    assert tasks.count_check_ins.call(**enqueued.kwargs) == 5
    with unscoped():
        assert not CountRequest.all_objects.exists()
    services.check_in(token, entry(7))  # after the count began: a count of its own
    assert len(default_task_backend.results) == 2  # type: ignore[attr-defined]
    assert cells(drop_in) == {"girls/13_15": 6}


@pytest.mark.django_db(transaction=True)
def test_kiosks_and_counts_at_once_lose_no_check_in(
    maria: User, drop_in: Activity, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four kiosks check in side by side while the database backend's worker runs each count as
    it is enqueued: afterwards every check-in is counted, none twice (the count request's lock).

    Each check-in pauses a moment between asking for the count and committing, as a busy
    server may: a count that read the waiting check-ins without waiting for it would miss it.
    """
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("one writer at a time: SQLite cannot interleave the transactions")
    settings.KIOSK_RATE_LIMIT = 10_000  # as fast as the kiosks can
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    ask = services._count_later

    def ask_then_pause(session_id: int) -> None:
        ask(session_id)
        time.sleep(0.03)

    monkeypatch.setattr(services, "_count_later", ask_then_pause)
    tokens = []
    for name in ("Desk", "Hall", "Door", "Yard"):
        _pairing, code = services.create_pairing_code(maria, drop_in)
        tokens.append(services.pair_device(code, name)[1])
    services.check_in(tokens[0], entry(1))  # the session of the day, counted as it opens
    per_kiosk = 15
    done = threading.Event()
    failures: list[BaseException] = []

    def kiosk_sends(token: str) -> None:
        try:
            for number in range(2, per_kiosk + 2):
                services.check_in(token, entry(number))
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    def batch() -> None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test",
            excluded_queue_names=[],
        ).run()

    def worker() -> None:
        """The real worker, in batches: every task ready, then again, until the kiosks stop
        (its command would install signal handlers, which only the main thread may)."""
        try:
            while not done.is_set():
                batch()
            batch()
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    counting = threading.Thread(target=worker)
    counting.start()
    kiosks = [threading.Thread(target=kiosk_sends, args=(token,)) for token in tokens]
    for thread in kiosks:
        thread.start()
    for thread in kiosks:
        thread.join(timeout=120)
    done.set()
    counting.join(timeout=120)
    assert not failures
    with unscoped():
        assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
        counts = DBTaskResult.objects.count()
    assert 1 <= counts < 4 * per_kiosk  # counted many at once
    assert _waiting() == 0
    assert cells(drop_in) == {"girls/13_15": 1 + 4 * per_kiosk}
    assert _session(drop_in).participants == 1 + 4 * per_kiosk
