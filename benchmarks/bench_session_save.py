"""Saving a session through the real entry page, against a bare insert on the same server.

Starts gunicorn (one sync worker, as docs/deploy.md runs it, bound to 127.0.0.1 only) with
`benchmarks.server.settings`, whose URLconf adds one benchmark-only URL: a view that inserts one
row and reads nothing. Then it sends, in ROUNDS alternating rounds of REQUESTS each, session saves
(a POST of the entry form with its idempotency key, signed in as a youth worker) and bare
inserts through the same middleware, one request at a time, and reports the throughput of the
saves as a ratio of the bare inserts' (target at least TARGET_RATIO).

It runs against a throwaway SQLite file (var/bench-session-save.sqlite3, deleted afterwards) and,
when DATABASE_URL names a PostgreSQL database, against that one too (it adds its own network
there with a unique name and leaves it). Every loop is bounded; the server is stopped at the end.
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench-session-save.sqlite3"
SETTINGS = "benchmarks.server.settings"
ROUNDS = 3
REQUESTS = 60  # per kind and round
WARM_UP = 10
TARGET_RATIO = 0.4
START_TIMEOUT = 60.0
REQUEST_TIMEOUT = 30.0


def say(message: str) -> None:
    print(f"bench session save: {message}", file=sys.stderr, flush=True)


def run() -> Iterator[str]:
    databases = [("SQLite", f"sqlite:///{SQLITE_FILE}")]
    given = os.environ.get("DATABASE_URL", "")
    if given.startswith(("postgres://", "postgresql://", "pgsql://")):
        databases.append(("PostgreSQL", given))
    for label, url in databases:
        try:
            yield from _measure(label, url)
        finally:
            if url.startswith("sqlite"):
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)


def _environment(url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE=SETTINGS,
        IMPACTLOG_DEBUG="0",  # no query log: time what production runs
        IMPACTLOG_ALLOWED_HOSTS="127.0.0.1",
        PYTHONPATH=str(ROOT),
    )
    return env


def _prepare(url: str) -> dict[str, Any]:
    """Migrate the database and add a unit, an activity and a signed-in youth worker; return
    what the client needs. Runs in a child process so that this one keeps no connection."""
    if url.startswith("sqlite"):
        SQLITE_FILE.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_FILE}{suffix}").unlink(missing_ok=True)
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _PREPARE],
        env=_environment(url),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if output.returncode != 0:
        raise SystemExit(f"bench session save: preparing failed:\n{output.stderr}")
    unit, activity, session_key = output.stdout.split()[-3:]
    return {"unit": int(unit), "activity": int(activity), "session_key": session_key}


# The set-up, run by `_prepare` with the server's settings and database.
_PREPARE = """
import secrets
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from impactlog.accounts.models import User
from impactlog.logbook import services as logbook
from impactlog.structure import services
from impactlog.tenancy.models import NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

call_command("migrate", verbosity=0, interactive=False)
tag = secrets.token_hex(4)
with unscoped():
    network = services.create_node(None, None, kind=NodeKind.NETWORK, name="Bench " + tag,
                                   slug="bench-save-" + tag, country="LV", language="lv")
    unit = services.create_node(None, network, kind=NodeKind.UNIT, name="Centre",
                                slug="centre", country="LV", language="lv")
    worker = User.objects.create_user(email=tag + "@bench.invalid", full_name="Worker")
    services.grant_role(None, worker, unit, Role.WORKER)
    activity = logbook.create_activity(worker, unit, kind="drop_in", name="Open evenings")
store = SessionStore()
store[SESSION_KEY] = str(worker.pk)
store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
store[HASH_SESSION_KEY] = worker.get_session_auth_hash()
store.create()
print(unit.pk, activity.pk, store.session_key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(url: str, port: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "impactlog.config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "1",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, env=_environment(url), cwd=ROOT)  # noqa: S603
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("bench session save: the server did not start")
        try:
            status, _headers, _body = _request(port, "GET", "/healthz")
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    _stop(server)
    raise SystemExit("bench session save: the server did not answer in time")


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=15)


def _request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        connection.request(method, path, body=body or None, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _measure(label: str, url: str) -> Iterator[str]:
    say(f"{label}: preparing")
    setup = _prepare(url)
    port = _free_port()
    server = _start(url, port)
    try:
        yield from _compare(label, port, setup)
    finally:
        _stop(server)


def _compare(label: str, port: int, setup: dict[str, Any]) -> Iterator[str]:
    log = f"/n/{setup['unit']}/log/"
    cookie = f"sessionid={setup['session_key']}"
    status, headers, page = _request(port, "GET", log, headers={"Cookie": cookie})
    if status != 200:
        raise SystemExit(f"bench session save: the entry page answered {status}")
    csrf_cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", ""))
    csrf_form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if csrf_cookie is None or csrf_form is None:
        raise SystemExit("bench session save: no CSRF token on the entry page")
    common = {
        "Cookie": f"{cookie}; csrftoken={csrf_cookie[1]}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"http://127.0.0.1:{port}{log}",
    }
    token = csrf_form[1].decode()
    slots = _slots()

    def save() -> None:
        day, start = next(slots)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "idempotency_key": secrets.token_urlsafe(24),
                "activity": setup["activity"],
                "date": day.isoformat(),
                "start_time": start,
                "end_time": "23:30",
                "mode": "on_site",
                "c_girls_13_15": "4",
                "c_boys_16_18": "3",
                "youth_producers": "0",
                "youth_minutes": "0",
                "staff": "2",
                "staff_minutes": "240",
                "volunteers": "0",
                "volunteer_minutes": "0",
            }
        )
        status, headers, _body = _request(port, "POST", log, body, common)
        if status != 302 or "saved=1" not in headers.get("Location", ""):
            raise SystemExit(f"bench session save: a save answered {status}")

    def insert() -> None:
        body = urllib.parse.urlencode({"csrfmiddlewaretoken": token})
        status, _headers, _body = _request(port, "POST", "/bench/insert/", body, common)
        if status != 204:
            raise SystemExit(f"bench session save: a bare insert answered {status}")

    for _ in range(WARM_UP):
        save()
        insert()
    spent = {"save": 0.0, "insert": 0.0}
    for round_number in range(ROUNDS):
        for kind, step in (("insert", insert), ("save", save)):
            started = time.perf_counter()
            for _ in range(REQUESTS):
                step()
            spent[kind] += time.perf_counter() - started
        say(f"{label}: round {round_number + 1} of {ROUNDS}")
    count = ROUNDS * REQUESTS
    saves, inserts = count / spent["save"], count / spent["insert"]
    ratio = saves / inserts
    verdict = "ok" if ratio >= TARGET_RATIO else "SHORT"
    yield (
        f"session save ({label}, gunicorn, 1 worker): {saves:.0f} saves/s against "
        f"{inserts:.0f} bare inserts/s = {ratio:.2f}x (target {TARGET_RATIO}x) {verdict}"
    )


def _slots() -> Iterator[tuple[dt.date, str]]:
    """A distinct (day, start time) for every save: each activity has one session per start."""
    today = dt.date.today() - dt.timedelta(days=1)  # yesterday in any time zone
    for back in range(3650):
        for minute in range(0, 22 * 60, 5):
            yield today - dt.timedelta(days=back), f"{minute // 60:02d}:{minute % 60:02d}"
