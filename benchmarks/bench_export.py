"""Downloads of the sessions of a generated municipality: the XLSX sent at once or as a job, and
the CSV for comparison.

Builds the benchmark city of bench_logbook (its units, activities and sessions, with the same
generator) in a throwaway SQLite file (var/bench-export.sqlite3, deleted afterwards), or in the
empty database DATABASE_URL names. Writing an XLSX file runs at about a thousand sessions a
second here (openpyxl's pure-Python XML writer), so to stay within a few minutes it builds only
BENCH_EXPORT_UNITS units of the city (default 3; the city of bench_logbook has 50, about 150,000
sessions) and exports all three years of them, about 9,000 sessions, above the threshold
`EXPORT_INLINE_MAX_SESSIONS`. Then, with the database task backend (as in production: starting a
job only queues it):

- the CSV: time to its first row (it streams from the first row, with flat memory);
- the XLSX sent at once: time to its first byte (the whole file is built first), and the peak
  memory of building it;
- the XLSX as a job: time until the job's page answers after the person asked for the file,
  then time until the job is done (run in this process as the worker would), and its peak
  memory, against the same job for the one unit of a town beside the city (about a third of the
  sessions): memory must not grow with the rows.

Peak memory is tracemalloc's peak of what Python allocated during a run of its own (tracing
slows it down, so the times come from untraced runs). See docs/performance.md.
"""

from __future__ import annotations

import gc
import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks.bench_logbook import ACTIVITIES, YEARS, _fill
from benchmarks.database import benchmark_database, migrate_empty

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench-export.sqlite3"
UNITS = int(os.environ.get("BENCH_EXPORT_UNITS", "3"))
SMALL_UNITS = 1
FIRST_ANSWER_RATIO = 3.0  # the job's page against the CSV's first row
MEMORY_RATIO = 2.0  # the job's peak memory at all the rows against the town's


def say(message: str) -> None:
    print(f"bench export: {message}", file=sys.stderr, flush=True)


def run() -> Iterator[str]:
    with benchmark_database(
        SQLITE_FILE, say, IMPACTLOG_TASK_BACKEND="django_tasks_db.DatabaseBackend"
    ):
        yield from _run()


def _run() -> Iterator[str]:
    import tempfile

    from django.conf import settings

    from impactlog.tenancy.scoping import unscoped

    migrate_empty(say, "export")
    with unscoped():
        city, town, worker, sessions, small = _build()
    with tempfile.TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media
        yield from _measure(city, town, worker, sessions, small)


def _build() -> tuple[Any, Any, Any, int, int]:
    """The city's first UNITS units, a town of SMALL_UNITS, and a manager of both."""
    from django.db import connection, transaction

    from impactlog.accounts.models import User
    from impactlog.logbook.models import Activity
    from impactlog.structure import services
    from impactlog.tenancy.models import NodeKind
    from impactlog.tenancy.roles import Role

    started = time.perf_counter()

    def node(parent: Any, kind: str, name: str, slug: str) -> Any:
        return services.create_node(
            None, parent, kind=kind, name=name, slug=slug, country="LV", language="lv"
        )

    with transaction.atomic():
        network = node(None, NodeKind.NETWORK, "Benchmark Network", "bench")
        city = node(network, NodeKind.REGION, "Benchmark City", "city")
        town = node(network, NodeKind.REGION, "Benchmark Town", "town")
        worker = User.objects.create_user(email="manager@bench.invalid", full_name="M")
        services.grant_role(None, worker, network, Role.MANAGER)
    totals = {city.pk: 0, town.pk: 0}
    for number, region in enumerate([city] * UNITS + [town] * SMALL_UNITS, 1):
        with transaction.atomic():
            unit = node(region, NodeKind.UNIT, f"Youth centre {number}", f"centre-{number}")
            activities = Activity.all_objects.bulk_create(
                Activity(node=unit, kind=kind, name=name) for kind, name, *_ in ACTIVITIES
            )
            totals[region.pk] += _fill(unit, activities, random.Random(number))[0]  # noqa: S311
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(
        f"built {UNITS} units of the city ({totals[city.pk]:,} sessions) and {SMALL_UNITS} of "
        f"a town ({totals[town.pk]:,}) in {time.perf_counter() - started:.0f} s"
    )
    return city, town, worker, totals[city.pk], totals[town.pk]


PERIOD = {"kind": "custom", "start": f"{YEARS[0]}-01-01", "end": f"{YEARS[-1]}-12-31"}


def _timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def _traced(function: Callable[[], Any]) -> float:
    """The peak of the memory Python allocated while `function()` ran, in MB (a run of its own:
    tracing slows it down)."""
    gc.collect()
    tracemalloc.start()
    try:
        function()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def _measure(city: Any, town: Any, worker: Any, sessions: int, small: int) -> Iterator[str]:
    from django.conf import settings
    from django.test import Client
    from django.urls import resolve, reverse

    from impactlog.jobs.models import Job
    from impactlog.jobs.tasks import run_job
    from impactlog.tenancy.scoping import unscoped

    client = Client()
    client.force_login(worker, backend="django.contrib.auth.backends.ModelBackend")

    def first(response: Any, count: int) -> Iterator[bytes]:
        """Read the first `count` chunks of a download; the rest is left to read untimed."""
        chunks = iter(response.streaming_content)
        for _ in range(count):
            next(chunks)
        return chunks

    # The CSV: the byte-order mark, the header and the first session.
    url = reverse("logbook:export_sessions_csv", args=[city.pk])
    started = time.perf_counter()
    rest = first(client.get(url, PERIOD), 3)
    csv_first = time.perf_counter() - started
    sum(len(chunk) for chunk in rest)
    say(f"CSV of {sessions:,} sessions: first row after {csv_first * 1000:.0f} ms")

    # The XLSX sent at once: everything is written before the first byte.
    settings.EXPORT_INLINE_MAX_SESSIONS = sessions + 1
    url = reverse("logbook:export_sessions_xlsx", args=[city.pk])

    rest, inline_first = _timed(lambda: first(client.get(url, PERIOD), 1))
    size = sum(len(chunk) for chunk in rest) + 64 * 1024  # and the first chunk
    inline_peak = _traced(lambda: sum(len(chunk) for chunk in first(client.get(url, PERIOD), 0)))
    say(
        f"XLSX at once: first byte after {inline_first:.1f} s, {size / 2**20:.1f} MB, "
        f"peak {inline_peak:.1f} MB"
    )

    # The XLSX as a job: the page answers at once, the worker writes the file.
    settings.EXPORT_INLINE_MAX_SESSIONS = min(settings.EXPORT_INLINE_MAX_SESSIONS, sessions - 1)
    start_url = reverse("logbook:export_sessions_job", args=[city.pk])

    def ask(node: Any) -> Any:
        offer = client.get(reverse("logbook:export_sessions_xlsx", args=[node.pk]), PERIOD)
        started = client.post(reverse("logbook:export_sessions_job", args=[node.pk]), PERIOD)
        page = client.get(started["Location"])
        assert offer.status_code == page.status_code == 200, (offer, page)
        with unscoped():
            return Job.objects.get(pk=resolve(started["Location"]).kwargs["job_pk"])

    started = time.perf_counter()
    job = ask(city)
    job_answer = time.perf_counter() - started
    say(f"job page answered after {job_answer * 1000:.0f} ms ({start_url})")

    def work(node: Any, job: Any = None) -> Callable[[], None]:
        """Run the job as the worker would; without one, a new job of the same export."""

        def run() -> None:
            if job is None:
                with unscoped():
                    again = Job.objects.create(
                        node=node, kind=kind, created_by=worker, params=params
                    )
            run_job.call(job_id=(job or again).pk)

        return run

    kind, params = job.kind, job.params
    _none, job_took = _timed(work(city, job))
    with unscoped():
        job = Job.objects.get(pk=job.pk)
    say(f"job {job.status}: {job.done:,} of {job.total:,} rows in {job_took:.1f} s")
    if job.status != "done" or job.done != sessions:
        yield f"bench export_job: ended {job.status} with {job.done} rows (target done) SHORT"
        return
    job_peak, small_peak = _traced(work(city)), _traced(work(town))
    say(
        f"job peak memory {job_peak:.1f} MB at {sessions:,} sessions, "
        f"{small_peak:.1f} MB at {small:,}"
    )

    ratio = job_answer / csv_first
    verdict = "ok" if ratio <= FIRST_ANSWER_RATIO else "SHORT"
    yield (
        f"bench export_job_first_answer: {ratio:.1f}x the CSV's first row "
        f"(target <= {FIRST_ANSWER_RATIO:.1f}x) {verdict}"
    )
    memory = job_peak / small_peak
    verdict = "ok" if memory <= MEMORY_RATIO else "SHORT"
    yield (
        f"bench export_job_memory: {memory:.1f}x the peak at {small:,} sessions, at {sessions:,} "
        f"(target <= {MEMORY_RATIO:.1f}x) {verdict}"
    )
    yield (
        f"bench export_xlsx_inline: first byte after {inline_first / csv_first:.0f}x the CSV's "
        f"first row, peak memory {inline_peak / job_peak:.1f}x the job's; {sessions:,} sessions "
        f"of {UNITS} units, not the city's 50 (for comparison)"
    )
