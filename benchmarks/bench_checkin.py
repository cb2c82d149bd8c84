"""Check-ins from 20 kiosks at once, against a bare insert on the same server (issue 11).

Builds a network with an organisation, a unit, a drop-in, 20 kiosks paired through the services
and 200 young people registered with their consent. Starts gunicorn (WORKERS processes of THREADS
threads, so that every kiosk has a server thread of its own, bound to 127.0.0.1 only) with
`benchmarks.server.settings`. Then 20 client threads, one per kiosk, each post check-ins as fast
as the server answers for SECONDS: two in three of a returning young person (a random one of the
200), one in three "just count me", each with the kiosk's next number and a fresh key. In turn
with them, the same 20 threads post to a bare view of the same server that parses the same JSON
and inserts one row. ROUNDS alternating rounds of each, after a warm-up.

It reports the check-ins' throughput as a ratio of the bare inserts' (target at least
TARGET_RATIO), the 95th percentile of a check-in's latency as a kiosk sees it, and every answer
that was not 2xx. Any such answer (a "database is locked" is a 500) makes the line SHORT, and the
server's log is searched for "database is locked". Afterwards it checks that the day's session
counts exactly the check-ins that were answered 2xx, and that the check-ins are stored once each.

Check-ins go to the kiosk's JSON endpoint (`impactlog.kiosk.api`) when it exists, else to a
benchmark-only view that calls `kiosk.services.check_in` (benchmarks/server/urls.py). The rate
limit is lifted on the benchmark's server (KIOSK_RATE_LIMIT in benchmarks/server/settings.py).

The server runs with the database task backend and one task worker (`manage.py db_worker`), as
in production: a check-in is stored at once and added to the session's counts by the worker
moments later (kiosk.tasks.count_check_ins), so the check-in's time is what a kiosk waits for.
After the last round the benchmark waits (at most DRAIN_TIMEOUT) until no check-in is waiting,
then stops the worker and checks the counts.

It runs against a throwaway SQLite file (var/bench-checkin.sqlite3, deleted afterwards) and, when
DATABASE_URL names a PostgreSQL database, against that one too (it adds its own network there
and leaves it). Every loop is bounded; the server is stopped at the end.
"""

from __future__ import annotations

import http.client
import importlib.util
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import bench_session_save as server

ROOT = server.ROOT
SQLITE_FILE = ROOT / "var" / "bench-checkin.sqlite3"
KIOSKS = 20
PARTICIPANTS = 200
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
THREADS = int(os.environ.get("BENCH_THREADS", "10"))  # 2 × 10 = KIOSKS: a thread for each
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
SECONDS = 6.0  # per kind and round
WARM_UP = 2.0
TARGET_RATIO = 0.5
RETURNING_SHARE = 2 / 3
REQUEST_TIMEOUT = 60.0
COOKIE = "impactlog_kiosk"
BARE = "/bench/kiosk-insert/"
TASK_BACKEND = "django_tasks_db.DatabaseBackend"
DRAIN_TIMEOUT = 120.0


def say(message: str) -> None:
    print(f"bench checkin: {message}", file=sys.stderr, flush=True)


def run() -> Iterator[str]:
    databases = [("SQLite", f"sqlite:///{SQLITE_FILE}")]
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://", "pgsql://")):
        databases.append(("PostgreSQL", given))
    only = os.environ.get("BENCH_ONLY")  # "SQLite" or "PostgreSQL": one of them
    for label, url in databases:
        if only and label != only:
            continue
        try:
            yield from _measure(label, url)
        finally:
            if url.startswith("sqlite"):
                _remove_sqlite()


def _remove_sqlite() -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def _endpoint() -> str:
    """The kiosk's own JSON endpoint when it exists, else the benchmark's view of the service."""
    return (
        "/kiosk/api/check-in/"
        if importlib.util.find_spec("impactlog.kiosk.api")
        else ("/bench/check-in/")
    )


def _environment(url: str) -> dict[str, str]:
    """The server's environment, with the database task backend of production."""
    return server._environment(url) | {"IMPACTLOG_TASK_BACKEND": TASK_BACKEND}


def _child(url: str, function: str) -> Any:
    """Run `function` of this module in a child process with the server's settings and database;
    its last line of output, as JSON. This process keeps no connection."""
    output = subprocess.run(  # noqa: S603 (our own module)
        [sys.executable, "-c", f"from benchmarks.bench_checkin import {function}; {function}()"],
        env=_environment(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if output.returncode != 0:
        raise SystemExit(f"bench checkin: {function} failed:\n{output.stderr}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def prepare_here() -> None:
    """Migrate; add the network, unit, drop-in, kiosks and young people; print what clients need."""
    import datetime as dt
    import secrets

    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from impactlog.accounts.models import User
    from impactlog.kiosk import services as kiosk
    from impactlog.logbook import services as logbook
    from impactlog.participants import services as participants
    from impactlog.participants.models import GivenBy, Method
    from impactlog.structure import services as structure
    from impactlog.tenancy.models import NodeKind
    from impactlog.tenancy.roles import Role
    from impactlog.tenancy.scoping import unscoped

    call_command("migrate", verbosity=0, interactive=False)
    tag = secrets.token_hex(4)
    today = timezone.localdate()
    with unscoped():
        network = structure.create_node(
            None,
            None,
            kind=NodeKind.NETWORK,
            name=f"Bench {tag}",
            slug=f"bench-checkin-{tag}",
            country="LV",
            language="lv",
        )
        organisation = structure.create_node(
            None, network, kind=NodeKind.ORGANISATION, name="Club", slug="club", country="LV"
        )
        unit = structure.create_node(
            None, organisation, kind=NodeKind.UNIT, name="Centre", slug="centre", country="LV"
        )
        manager = User.objects.create_user(email=f"{tag}@bench.invalid", full_name="Manager")
        structure.grant_role(None, manager, unit, Role.MANAGER)
        activity = logbook.create_activity(manager, unit, kind="drop_in", name="Open evenings")
        participants.publish_notice(None, organisation, {"en": "We keep your alias."})
        given = participants.GivenConsent(
            given_by=GivenBy.YOUNG_PERSON,
            method=Method.WORKER,
            given_at=timezone.now() - dt.timedelta(days=1),
        )
        people = [
            participants.register_participant(
                manager,
                unit,
                given,
                alias=f"Fox {number}",
                birth_year=today.year - 14 - number % 5,
                birth_month=1 + number % 12,
                gender=("girl", "boy", "non_binary", "not_say")[number % 4],
                status="school",
            ).pk
            for number in range(PARTICIPANTS)
        ]
        tokens = []
        for number in range(KIOSKS):
            _pairing, code = kiosk.create_pairing_code(manager, activity)
            _device, token = kiosk.pair_device(code, f"Kiosk {number + 1}")
            tokens.append(token)
    print(json.dumps({"activity": activity.pk, "participants": people, "tokens": tokens}))


def waiting_here() -> None:
    """How many of the benchmark's check-ins are not counted yet."""
    import django

    django.setup()
    from impactlog.kiosk.models import CheckIn
    from impactlog.tenancy.scoping import unscoped

    activity = int(os.environ["BENCH_ACTIVITY"])
    with unscoped():
        waiting = CheckIn.all_objects.filter(
            session__activity_id=activity, counted_at__isnull=True
        ).count()
    print(json.dumps({"waiting": waiting}))


def _worker(url: str, log: Any) -> subprocess.Popen[bytes]:
    """One task worker, as production runs it (docs/deploy.md)."""
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603 (our own worker)
        command, env=_environment(url), cwd=ROOT, stdout=log, stderr=log
    )


def _drain(url: str) -> int:
    """Wait until the worker counted every check-in; how many still wait after DRAIN_TIMEOUT."""
    deadline = time.monotonic() + DRAIN_TIMEOUT
    while True:
        waiting = int(_child(url, "waiting_here")["waiting"])
        if not waiting or time.monotonic() > deadline:
            return waiting
        time.sleep(0.5)


def tally_here() -> None:
    """What the database holds for the benchmark's activity: check-ins, visits, counted cells."""
    import django

    django.setup()
    from django.db.models import Sum

    from impactlog.kiosk.models import CheckIn
    from impactlog.logbook.models import Session, SessionCount
    from impactlog.tenancy.scoping import unscoped

    activity = int(os.environ["BENCH_ACTIVITY"])
    with unscoped():
        sessions = Session.all_objects.filter(activity_id=activity)
        checkins = CheckIn.all_objects.filter(session__activity_id=activity)
        cells = SessionCount.all_objects.filter(session__activity_id=activity)
        print(
            json.dumps(
                {
                    "sessions": sessions.count(),
                    "visits": sessions.aggregate(n=Sum("participants"))["n"] or 0,
                    "cells": cells.aggregate(n=Sum("count"))["n"] or 0,
                    "checkins": checkins.count(),
                    "distinct": checkins.values("device_id", "sequence").distinct().count(),
                }
            )
        )


def _start(url: str, port: int, log: Any) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "impactlog.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        "gthread",
        "--workers",
        str(WORKERS),
        "--threads",
        str(THREADS),
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(  # noqa: S603 (our own server)
        command, env=_environment(url), cwd=ROOT, stderr=log
    )
    deadline = time.monotonic() + server.START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit("bench checkin: the server did not start")
        try:
            status, _headers, _body = server._request(port, "GET", "/healthz")
            if status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.2)
    server._stop(process)
    raise SystemExit("bench checkin: the server did not answer in time")


def _measure(label: str, url: str) -> Iterator[str]:
    if url.startswith("sqlite"):
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        _remove_sqlite()
    say(f"{label}: preparing {KIOSKS} kiosks and {PARTICIPANTS} young people")
    setup = _child(url, "prepare_here")
    port = server._free_port()
    os.environ["BENCH_ACTIVITY"] = str(setup["activity"])
    with tempfile.TemporaryFile() as log:
        worker = _worker(url, log)
        try:
            process = _start(url, port, log)
            try:
                result = _compare(label, port, setup)
            finally:
                server._stop(process)
            began = time.monotonic()
            left = _drain(url)
            say(
                f"{label}: the worker counted the last check-ins {time.monotonic() - began:.1f} s "
                f"after the last round ({left} left waiting)"
            )
        finally:
            server._stop(worker)
        log.seek(0)
        locked = log.read().decode(errors="replace").count("database is locked")
    stored = _child(url, "tally_here")
    yield _line(label, result, locked, stored)


class Kiosk:
    """One tablet: its token, its numbering, and what it was answered."""

    def __init__(self, token: str, participants: list[int], seed: int) -> None:
        self.token = token
        self.participants = participants
        self.sequence = 0
        self.random = random.Random(seed)  # noqa: S311 (a benchmark's mix, not a secret)

    def check_in(self) -> dict[str, Any]:
        self.sequence += 1
        body: dict[str, Any] = {"sequence": self.sequence, "key": uuid.uuid4().hex}
        if self.random.random() < RETURNING_SHARE:
            body |= {"kind": "returning", "participant": self.random.choice(self.participants)}
        else:
            gender = self.random.choice(["girls", "boys", "non_binary", "not_stated"])
            band = self.random.choice(["13_15", "16_18", "19_24"])
            body |= {"kind": "anonymous", "gender": gender, "age_band": band}
        return body


def _post(
    connection: list[http.client.HTTPConnection], port: int, path: str, body: str, cookie: str
) -> int:
    """POST on the kiosk's kept-alive connection (opened again if the server closed it)."""
    # what kiosk.js sends: JSON, its header, and the language its page shows
    headers = {
        "Content-Type": "application/json",
        "X-Kiosk": "1",
        "X-Kiosk-Language": "lv",
        "Cookie": cookie,
    }
    for attempt in (1, 2):
        if not connection:
            connection.append(
                http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
            )
        try:
            connection[0].request("POST", path, body=body, headers=headers)
            response = connection[0].getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection.pop().close()
            return response.status
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            connection.pop().close()
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _burst(
    kiosks: list[Kiosk], port: int, path: str, seconds: float
) -> tuple[int, float, list[float], Counter[int]]:
    """Every kiosk posting to `path` in its own thread for `seconds`: answered 2xx, time taken,
    latencies and statuses."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(len(kiosks) + 1)
    deadline = [0.0]

    def client(kiosk: Kiosk) -> None:
        connection: list[http.client.HTTPConnection] = []
        cookie = f"{COOKIE}={kiosk.token}"
        mine: list[float] = []
        seen: Counter[int] = Counter()
        start.wait()
        while time.perf_counter() < deadline[0]:
            body = json.dumps(kiosk.check_in())
            began = time.perf_counter()
            try:
                status = _post(connection, port, path, body, cookie)
            except OSError:
                status = 0  # no answer at all
            mine.append(time.perf_counter() - began)
            seen[status] += 1
        for open_one in connection:
            open_one.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)

    threads = [threading.Thread(target=client, args=(kiosk,)) for kiosk in kiosks]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join(timeout=seconds + REQUEST_TIMEOUT * 2)
    spent = time.perf_counter() - began
    done = sum(count for status, count in statuses.items() if 200 <= status < 300)
    return done, spent, latencies, statuses


def _compare(label: str, port: int, setup: dict[str, Any]) -> dict[str, Any]:
    endpoint = _endpoint()
    kiosks = [
        Kiosk(token, setup["participants"], seed) for seed, token in enumerate(setup["tokens"])
    ]
    say(f"{label}: {KIOSKS} kiosks posting to {endpoint} and to {BARE}")
    kinds: dict[str, Callable[[float], tuple[int, float, list[float], Counter[int]]]] = {
        "bare": lambda seconds: _burst(kiosks, port, BARE, seconds),
        "checkin": lambda seconds: _burst(kiosks, port, endpoint, seconds),
    }
    totals = {
        kind: {"done": 0, "spent": 0.0, "latencies": [], "statuses": Counter()} for kind in kinds
    }
    warm = {kind: step(WARM_UP) for kind, step in kinds.items()}
    for round_number in range(ROUNDS):
        for kind, step in kinds.items():
            done, spent, latencies, statuses = step(SECONDS)
            total = totals[kind]
            total["done"] += done
            total["spent"] += spent
            total["latencies"].extend(latencies)
            total["statuses"].update(statuses)
        say(f"{label}: round {round_number + 1} of {ROUNDS}")
    answered = warm["checkin"][0] + totals["checkin"]["done"]
    refused = warm["checkin"][3] + totals["checkin"]["statuses"]
    return totals | {
        "answered": answered,
        "not_2xx": {s: n for s, n in refused.items() if not 200 <= s < 300},
        "bare_not_2xx": {
            s: n
            for s, n in (warm["bare"][3] + totals["bare"]["statuses"]).items()
            if not 200 <= s < 300
        },
        "endpoint": endpoint,
    }


def _p95(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000 if ordered else 0.0


def _line(label: str, result: dict[str, Any], locked: int, stored: dict[str, int]) -> str:
    checkins = result["checkin"]["done"] / result["checkin"]["spent"]
    bares = result["bare"]["done"] / result["bare"]["spent"]
    ratio = checkins / bares if bares else 0.0
    errors = sum(result["not_2xx"].values()) + sum(result["bare_not_2xx"].values())
    right = (
        stored["sessions"] == 1
        and stored["visits"] == stored["cells"] == stored["checkins"] == result["answered"]
        and stored["distinct"] == stored["checkins"]
    )
    if errors or locked:
        say(
            f"{label}: ERRORS: check-ins answered {result['not_2xx']}, bare inserts "
            f"{result['bare_not_2xx']}; 'database is locked' {locked} times in the server's log"
        )
    if not right:
        say(f"{label}: WRONG COUNTS: {stored}, {result['answered']} check-ins answered 2xx")
    met = ratio >= TARGET_RATIO and not errors and not locked and right
    return (
        f"bench checkin ({label}, gunicorn {WORKERS} workers × {THREADS} threads, {KIOSKS} "
        f"kiosks): {checkins:.0f} check-ins/s against {bares:.0f} bare inserts/s = {ratio:.2f}x, "
        f"p95 {_p95(result['checkin']['latencies']):.0f} ms (bare "
        f"{_p95(result['bare']['latencies']):.0f} ms), {errors} not 2xx, {locked} locked, "
        f"{'counted right' if right else 'COUNTED WRONG'} "
        f"(target {TARGET_RATIO}x, none refused) {'ok' if met else 'SHORT'}"
    )
