"""Figures for any node match the raw records exactly, whatever the records are."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactlog.accounts.models import User
from impactlog.logbook.models import AgeBand, Gender, Session
from impactlog.logbook.periods import Period, period_of
from impactlog.logbook.queries import figures

from .conftest import World
from .logbook_fixtures import record

pytestmark = pytest.mark.django_db

cells = st.dictionaries(
    st.tuples(st.sampled_from(Gender.values), st.sampled_from(AgeBand.values)),
    st.integers(min_value=0, max_value=40),
    max_size=6,
)
session_specs = st.lists(
    st.tuples(
        st.booleans(),  # Harbour or Hill
        st.integers(min_value=0, max_value=400),  # day offset within 2025-2026
        st.one_of(st.none(), st.integers(min_value=0, max_value=60)),  # single total
        cells,
        st.integers(min_value=0, max_value=3),  # youth producers
    ),
    max_size=12,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(specs=session_specs)
def test_figures_match_the_raw_records_at_every_level(
    world: World,
    walter,
    hill_club,
    drop_in,
    specs: list,
) -> None:
    Session.all_objects.all().delete()
    hill_manager = User.objects.get(email="h@example.org")
    start = dt.date(2025, 6, 1)
    used: set[tuple[int, int]] = set()
    for at_harbour, offset, total, counts, producers in specs:
        activity = drop_in if at_harbour else hill_club
        if (activity.pk, offset) in used:
            continue
        used.add((activity.pk, offset))
        participants = total if total is not None else sum(counts.values())
        record(
            walter if at_harbour else hill_manager,
            activity,
            day=start + dt.timedelta(days=offset),
            total=total,
            counts={} if total is not None else counts,
            youth_producers=min(producers, participants),
        )
    period = Period("custom", dt.date(2025, 9, 1), dt.date(2026, 6, 30))
    for node in (world.harbour, world.hill, world.region, world.network):
        raw = [
            s
            for s in Session.all_objects.filter(node__path__startswith=node.path)
            if period.start <= s.date <= period.end
        ]
        got = figures(node, period)
        assert got.sessions == len(raw)
        assert got.visits == sum(s.participants for s in raw)
        assert got.minutes == sum(s.minutes for s in raw)
        assert got.youth_producers == sum(s.youth_producers for s in raw)
        assert got.visits_without_breakdown == sum(
            s.participants for s in raw if not s.breakdown_known
        )
        assert sum(got.by_cell.values()) == got.visits_with_breakdown
        assert got.opening_minutes == sum(s.minutes for s in raw if s.activity.kind == "drop_in")
    network = figures(world.network, period)
    parts = [figures(world.harbour, period), figures(world.hill, period)]
    assert network.visits == sum(p.visits for p in parts)
    summed: dict[tuple[str, str], int] = {}
    for part in parts:
        for key, count in part.by_cell.items():
            summed[key] = summed.get(key, 0) + count
    assert network.by_cell == summed


def test_the_figures_take_the_same_number_of_queries_for_any_number_of_units(
    world: World,
    walter,
    drop_in,
    django_assert_max_num_queries,
) -> None:
    record(walter, drop_in, total=4)
    with django_assert_max_num_queries(4):
        figures(world.network, period_of("year", dt.date(2026, 10, 5)))


def test_periods_cover_weeks_terms_and_years() -> None:
    day = dt.date(2026, 10, 7)  # a Wednesday
    assert period_of("week", day) == Period("week", dt.date(2026, 10, 5), dt.date(2026, 10, 11))
    assert period_of("half", day).start == dt.date(2026, 7, 1)
    assert period_of("year", day).year_before() == Period(
        "year", dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    )
    assert period_of("month", dt.date(2024, 2, 10)).end == dt.date(2024, 2, 29)
    assert period_of("month", day).previous().start == dt.date(2026, 9, 1)


def test_a_year_before_a_leap_day_is_the_28th_of_february() -> None:
    leap_day = dt.date(2028, 2, 29)
    assert period_of("custom", leap_day, custom_days=1).year_before() == Period(
        "custom", dt.date(2027, 2, 28), dt.date(2027, 2, 28)
    )
    assert period_of("week", leap_day).year_before() == Period(
        "week", dt.date(2027, 2, 28), dt.date(2027, 3, 5)
    )
    assert period_of("month", leap_day).year_before() == Period(
        "month", dt.date(2027, 2, 1), dt.date(2027, 2, 28)
    )
    assert period_of("half", leap_day).year_before() == Period(
        "half", dt.date(2027, 1, 1), dt.date(2027, 6, 30)
    )


def test_the_february_a_year_after_a_leap_year_is_compared_with_all_of_its_february() -> None:
    february = period_of("month", dt.date(2029, 2, 10))
    assert february.year_before() == Period("month", dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    assert period_of("year", dt.date(2029, 2, 28)).year_before() == Period(
        "year", dt.date(2028, 1, 1), dt.date(2028, 12, 31)
    )


def test_the_custom_range_before_another_has_as_many_days_and_ends_the_day_before() -> None:
    week = Period("custom", dt.date(2028, 3, 1), dt.date(2028, 3, 7))
    assert week.previous() == Period("custom", dt.date(2028, 2, 23), dt.date(2028, 2, 29))
    assert week.next() == Period("custom", dt.date(2028, 3, 8), dt.date(2028, 3, 14))
