"""Logbook figures on a generated municipality: 50 units × 3 years, about 150,000 sessions.

Builds the municipality in a throwaway SQLite file (var/bench-logbook.sqlite3, deleted afterwards),
or in the database DATABASE_URL names when it is set (an empty one, such as the cluster that
scripts/with-postgres.sh starts). Then it measures, best of RUNS after a warm-up:

- `figures(municipality, year)`, the computation behind the statistics page, and the page itself
  when the `logbook:figures` URL exists, each against one hand-written SQL aggregation of the same
  totals on the same database (the baseline);
- the number of queries of both for a 5-unit and a 50-unit subtree, which must be equal.

See docs/performance.md.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.database import benchmark_database, migrate_empty

ROOT = Path(__file__).resolve().parent.parent
SQLITE_FILE = ROOT / "var" / "bench-logbook.sqlite3"
UNITS, SMALL_UNITS = 50, 5  # the measured municipality and a neighbour to compare counts
YEARS = (2023, 2024, 2025)
MEASURED_YEAR = 2024
RUNS = 5
TARGET_RATIO = 3.0
GENDERS = ("girls", "boys", "non_binary", "not_stated")
BANDS = ("u13", "13_15", "16_18", "19_24", "25_29", "unknown")
# (kind, name, weekdays, start, end): about 1,000 sessions per unit and year.
ACTIVITIES = [
    ("drop_in", "Open afternoons", (0, 1, 2, 3, 4, 5), "13:00", "16:30"),
    ("drop_in", "Open evenings", (0, 1, 2, 3, 4, 5), "17:00", "21:00"),
    ("group", "Music studio", (0, 3), "16:00", "18:00"),
    ("group", "Football club", (1, 4), "17:00", "18:30"),
    ("group", "Youth council", (2, 5), "15:00", "16:30"),
    ("online", "Online gaming night", (2, 6), "19:00", "21:00"),
    ("event", "Monthly party", (), "18:00", "22:00"),
]
BASELINE_SQL = """
SELECT 'total', NULL, NULL, COUNT(*), COALESCE(SUM(s.minutes), 0), COALESCE(SUM(s.participants), 0)
FROM logbook_session s JOIN structure_node n ON n.id = s.node_id
WHERE n.path LIKE %s AND s.date >= %s AND s.date <= %s
UNION ALL
SELECT 'cell', c.gender, c.age_band, NULL, NULL, SUM(c.count)
FROM logbook_sessioncount c
JOIN logbook_session s ON s.id = c.session_id
JOIN structure_node n ON n.id = s.node_id
WHERE n.path LIKE %s AND s.date >= %s AND s.date <= %s
GROUP BY c.gender, c.age_band
"""


def say(message: str) -> None:
    print(f"bench logbook: {message}", file=sys.stderr, flush=True)


def run() -> list[str]:
    with benchmark_database(SQLITE_FILE, say):
        return _run()


def _run() -> list[str]:

    from impactlog.tenancy.scoping import unscoped

    migrate_empty(say, "logbook")
    with unscoped():
        city, town, coordinator, manager = _build()
        lines = _measure_figures(city, town, _period())
    return lines + _measure_page(city, town, coordinator, manager)


def _build() -> tuple[Any, Any, Any, Any]:
    """A municipality of 50 units, a town of 5 beside it, a coordinator of both (who sees
    protected figures) and a manager of both (who sees them exactly)."""
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
        coordinator = User.objects.create_user(email="coordinator@bench.invalid", full_name="C")
        services.grant_role(None, coordinator, network, Role.COORDINATOR)
        manager = User.objects.create_user(email="manager@bench.invalid", full_name="M")
        services.grant_role(None, manager, network, Role.MANAGER)
    places = [city] * UNITS + [town] * SMALL_UNITS
    sessions = counts = 0
    for number, region in enumerate(places, 1):
        with transaction.atomic():
            unit = node(region, NodeKind.UNIT, f"Youth centre {number}", f"centre-{number}")
            activities = Activity.all_objects.bulk_create(
                Activity(node=unit, kind=kind, name=name) for kind, name, *_ in ACTIVITIES
            )
            added = _fill(unit, activities, random.Random(number))  # noqa: S311
        sessions, counts = sessions + added[0], counts + added[1]
        if number % 5 == 0:
            say(
                f"{number} of {len(places)} units: {sessions:,} sessions, {counts:,} counts, "
                f"{time.perf_counter() - started:.0f} s"
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say(f"built in {time.perf_counter() - started:.0f} s")
    return city, town, coordinator, manager


def _fill(unit: Any, activities: list[Any], rng: random.Random) -> tuple[int, int]:
    """Three years of sessions with their counts for one unit."""
    from impactlog.logbook.models import Session, SessionCount

    cells = [(g, b) for g in GENDERS for b in BANDS]
    sessions: list[Any] = []
    breakdowns: list[dict[tuple[str, str], int]] = []
    day = dt.date(YEARS[0], 1, 1)
    while day.year <= YEARS[-1]:
        for activity, (kind, _name, days, start, end) in zip(activities, ACTIVITIES, strict=True):
            meets = day.day == 15 if kind == "event" else day.weekday() in days
            if not meets or rng.random() < 0.04:
                continue
            start_time, end_time = dt.time.fromisoformat(start), dt.time.fromisoformat(end)
            minutes = (end_time.hour - start_time.hour) * 60 + end_time.minute - start_time.minute
            known = rng.random() >= 0.05
            counts = (
                {cell: rng.randint(1, 6) for cell in rng.sample(cells, rng.randint(3, 10))}
                if known
                else {}
            )
            participants = sum(counts.values()) if known else rng.randint(5, 40)
            youth = rng.random() < 0.15
            sessions.append(
                Session(
                    activity_id=activity.pk,
                    node_id=unit.pk,
                    date=day,
                    start_time=start_time,
                    end_time=end_time,
                    minutes=minutes,
                    mode="online" if kind == "online" else "on_site",
                    participants=participants,
                    breakdown_known=known,
                    youth_produced=youth,
                    youth_producers=min(2, participants) if youth else 0,
                    youth_minutes=minutes if youth else 0,
                    staff=2,
                    staff_minutes=2 * minutes,
                    volunteers=1,
                    volunteer_minutes=minutes,
                )
            )
            breakdowns.append(counts)
        day += dt.timedelta(days=1)
    created = Session.all_objects.bulk_create(sessions, batch_size=1000)
    rows = [
        SessionCount(session_id=session.pk, gender=gender, age_band=band, count=n)
        for session, counts in zip(created, breakdowns, strict=True)
        for (gender, band), n in counts.items()
    ]
    SessionCount.objects.bulk_create(rows, batch_size=2000)
    return len(created), len(rows)


def _best_of(measured: Callable[[], Any], baseline: Callable[[], Any]) -> tuple[float, float]:
    """The best times of `measured` and `baseline`, run in turns so that load from other
    processes falls on both alike, after one warm-up run of each."""
    measured()
    baseline()
    best = [float("inf"), float("inf")]
    for _ in range(RUNS):
        for i, function in enumerate((measured, baseline)):
            started = time.perf_counter()
            function()
            best[i] = min(best[i], time.perf_counter() - started)
    return best[0], best[1]


def _baseline(node: Any, period: Any) -> dict[str, Any]:
    from django.db import connection

    params = [f"{node.path}%", period.start, period.end] * 2
    result: dict[str, Any] = {"by_cell": {}}
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL, params)
        for kind, gender, band, sessions, minutes, visits in cursor.fetchall():
            if kind == "total":
                result |= {"sessions": sessions, "minutes": minutes, "visits": visits}
            else:
                result["by_cell"][(gender, band)] = visits
    return result


def _line(name: str, ratio: float, target: float = TARGET_RATIO, of: str = "baseline") -> str:
    verdict = "ok" if ratio <= target else "SHORT"
    return f"bench {name}: {ratio:.1f}x {of} (target <= {target:.1f}x) {verdict}"


def _count_line(name: str, small: int, large: int) -> str:
    units = f"at {SMALL_UNITS} and {UNITS} units"
    if small == large:
        return f"bench {name}: {small} queries {units} (target equal) ok"
    return f"bench {name}: {small} and {large} queries {units} (target equal) SHORT"


def _queries(function: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        function()
    return len(context.captured_queries)


def _measure_figures(municipality: Any, town: Any, period: Any) -> list[str]:
    from impactlog.logbook.figures.queries import figures

    computed = figures(municipality, period)
    expected = _baseline(municipality, period)
    got = {
        "sessions": computed.sessions,
        "minutes": computed.minutes,
        "visits": computed.visits,
        "by_cell": computed.by_cell,
    }
    if got != expected:
        return ["bench logbook_figures: figures differ from the baseline SQL (target equal) SHORT"]
    say(f"{computed.sessions:,} sessions and {computed.visits:,} visits in {MEASURED_YEAR}")
    measured, baseline = _best_of(
        lambda: figures(municipality, period), lambda: _baseline(municipality, period)
    )
    say(f"figures {measured * 1000:.0f} ms, baseline SQL {baseline * 1000:.0f} ms")
    small = _queries(lambda: figures(town, period))
    large = _queries(lambda: figures(municipality, period))
    return [
        _line("logbook_figures", measured / baseline),
        _count_line("logbook_query_count", small, large),
    ]


def _measure_page(municipality: Any, town: Any, coordinator: Any, manager: Any) -> list[str]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("logbook:figures", kwargs={"pk": municipality.pk})
    except NoReverseMatch:
        say("no logbook:figures page yet; page not measured")
        return []
    client, exact_client = Client(), Client()
    client.force_login(coordinator, backend="django.contrib.auth.backends.ModelBackend")
    exact_client.force_login(manager, backend="django.contrib.auth.backends.ModelBackend")

    def get(node: Any, by: Any = client) -> Any:
        url = reverse("logbook:figures", kwargs={"pk": node.pk})
        return by.get(url, {"kind": "year", "start": f"{MEASURED_YEAR}-01-01"})

    # The coordinator's first visit decides the protected figures of the whole network for the
    # year and the year before (the immediate task backend runs the task while the page waits).
    started = time.perf_counter()
    status = get(municipality).status_code
    decided = time.perf_counter() - started
    if status != 200:
        return [f"bench logbook_figures_page: answered {status} (target 200) SHORT"]
    say(f"deciding the protected figures of two years: {decided:.1f} s")
    period = _period()
    # The page shows the year and the same figures for the year before it, so its baseline
    # is the hand-written aggregation run for both years.
    measured, baseline = _best_of(
        lambda: get(municipality),
        lambda: (_baseline(municipality, period), _baseline(municipality, period.year_before())),
    )
    say(f"figures page {measured * 1000:.0f} ms, baseline SQL {baseline * 1000:.0f} ms")
    protected, exact = _best_of(lambda: get(municipality), lambda: get(municipality, exact_client))
    say(f"protected figures page {protected * 1000:.0f} ms, exact one {exact * 1000:.0f} ms")
    small = _queries(lambda: get(town))
    large = _queries(lambda: get(municipality))
    return [
        _line("logbook_figures_page", measured / baseline),
        _line("logbook_figures_page_protected", protected / exact, 1.5, "the exact page"),
        f"bench disclosure_decide: {decided:.1f} s for two years of the network, "
        f"{decided / baseline:.0f}x the page's baseline SQL (not a target: done once per change)",
        _count_line("logbook_figures_page_query_count", small, large),
    ]


def _period() -> Any:
    from impactlog.logbook.figures.periods import period_of

    return period_of("year", dt.date(MEASURED_YEAR, 6, 1))
