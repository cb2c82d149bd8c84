"""Figures for any node match the raw records exactly, whatever the records are."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactlog.accounts.models import User
from impactlog.logbook import services
from impactlog.logbook.figures.periods import Period, period_of
from impactlog.logbook.figures.queries import Figures, figures, figures_for
from impactlog.logbook.models import Activity, ActivityKind, Gender, Session, SessionMode
from impactlog.logbook.services import SessionInput
from impactlog.network.models import AgeBand
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person
from .logbook_fixtures import more_centres, record

# Read-side functions are called directly here, outside any request: no tenant scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

# The activities the generated sessions belong to: (unit, kind, name). The places each unit is
# counted in are written out by hand, not taken from the tree's paths.
ACTIVITIES = [
    ("harbour", ActivityKind.DROP_IN, "Open evenings"),
    ("harbour", ActivityKind.GROUP, "Girls' club"),
    ("harbour", ActivityKind.ONLINE, "Online quiz nights"),
    ("harbour", ActivityKind.EVENT, "Summer camp"),
    ("hill", ActivityKind.GROUP, "Film club"),
    ("hill", ActivityKind.DROP_IN, "Hill open house"),
    ("hill", ActivityKind.OUTREACH, "Street work"),
    ("other_club", ActivityKind.DROP_IN, "Club nights"),
]
COUNTED_IN = {
    "harbour": {"harbour", "region", "network"},
    "hill": {"hill", "region", "network"},
    "other_club": {"other_club", "other_org"},
}
PLACES = ["harbour", "hill", "region", "network", "other_club", "other_org"]
FIRST_DAY, LAST_DAY = dt.date(2024, 6, 1), dt.date(2026, 10, 31)


@st.composite
def session_specs(draw: Any) -> dict[str, Any]:
    """One session as a person would enter it, as a plain dict."""
    minutes = draw(st.integers(min_value=1, max_value=720))
    breakdown_known = draw(st.booleans())
    counts = (
        draw(
            st.dictionaries(
                st.tuples(st.sampled_from(Gender.values), st.sampled_from(AgeBand.values)),
                st.integers(min_value=0, max_value=80),
                max_size=8,
            )
        )
        if breakdown_known
        else {}
    )
    total = None if breakdown_known else draw(st.integers(min_value=0, max_value=400))
    participants = sum(counts.values()) if breakdown_known else total
    staff = draw(st.integers(min_value=0, max_value=4))
    volunteers = draw(st.integers(min_value=0, max_value=6))
    return {
        "activity": draw(st.integers(min_value=0, max_value=len(ACTIVITIES) - 1)),
        "date": draw(st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)),
        "start": dt.time(draw(st.integers(6, 22)), draw(st.sampled_from([0, 15, 30, 45]))),
        "minutes": minutes,
        "with_end_time": draw(st.booleans()),
        "mode": draw(st.sampled_from(SessionMode.values)),
        "counts": counts,
        "total": total,
        "youth_produced": draw(st.booleans()),
        "youth_producers": draw(st.integers(min_value=0, max_value=participants)),
        "youth_minutes": draw(st.integers(min_value=0, max_value=minutes)),
        "staff": staff,
        "staff_minutes": draw(st.integers(min_value=0, max_value=staff * minutes)),
        "volunteers": volunteers,
        "volunteer_minutes": draw(st.integers(min_value=0, max_value=volunteers * minutes)),
        "online_live": draw(st.one_of(st.none(), st.integers(min_value=0, max_value=500))),
        "online_views": draw(st.one_of(st.none(), st.integers(min_value=0, max_value=5000))),
    }


@st.composite
def periods(draw: Any) -> Period:
    """A period that may start before the first session, end after the last, or cut through."""
    start = draw(st.dates(min_value=FIRST_DAY - dt.timedelta(days=30), max_value=LAST_DAY))
    days = draw(st.integers(min_value=1, max_value=600))
    return Period("custom", start, start + dt.timedelta(days=days - 1))


def _input(spec: dict[str, Any]) -> SessionInput:
    start = dt.datetime.combine(spec["date"], spec["start"])
    end = start + dt.timedelta(minutes=spec["minutes"])
    with_end = spec["with_end_time"] and end.date() == start.date()
    return SessionInput(
        date=spec["date"],
        start_time=spec["start"],
        end_time=end.time() if with_end else None,
        minutes=None if with_end else spec["minutes"],
        mode=spec["mode"],
        counts=spec["counts"],
        total=spec["total"],
        **{
            name: spec[name]
            for name in (
                "youth_produced",
                "youth_producers",
                "youth_minutes",
                "staff",
                "staff_minutes",
                "volunteers",
                "volunteer_minutes",
                "online_live",
                "online_views",
            )
        },
    )


def _expected(specs: list[dict[str, Any]], place: str, period: Period) -> dict[str, Any]:
    """Every figure of `figures()`, summed by hand from what was entered."""
    chosen = [
        spec
        for spec in specs
        if place in COUNTED_IN[ACTIVITIES[spec["activity"]][0]]
        and period.start <= spec["date"] <= period.end
    ]

    def visits(spec: dict[str, Any]) -> int:
        return spec["total"] if spec["total"] is not None else sum(spec["counts"].values())

    def kind(spec: dict[str, Any]) -> str:
        return ACTIVITIES[spec["activity"]][1].value

    by_cell: dict[tuple[str, str], int] = {}
    by_mode: dict[str, tuple[int, int]] = {}
    by_kind: dict[str, int] = {}
    by_month: dict[str, int] = {}
    for spec in chosen:
        for cell, count in spec["counts"].items():
            by_cell[cell] = by_cell.get(cell, 0) + count
        sessions, mode_visits = by_mode.get(spec["mode"], (0, 0))
        by_mode[spec["mode"]] = (sessions + 1, mode_visits + visits(spec))
        by_kind[kind(spec)] = by_kind.get(kind(spec), 0) + 1
        month = f"{spec['date']:%Y-%m}"
        by_month[month] = by_month.get(month, 0) + visits(spec)
    return {
        "period": period,
        "sessions": len(chosen),
        "minutes": sum(spec["minutes"] for spec in chosen),
        "opening_minutes": sum(spec["minutes"] for spec in chosen if kind(spec) == "drop_in"),
        "group_minutes": sum(spec["minutes"] for spec in chosen if kind(spec) == "group"),
        "visits": sum(visits(spec) for spec in chosen),
        "visits_without_breakdown": sum(
            spec["total"] for spec in chosen if spec["total"] is not None
        ),
        "youth_minutes": sum(spec["youth_minutes"] for spec in chosen),
        "youth_producers": sum(spec["youth_producers"] for spec in chosen),
        "youth_sessions": sum(1 for spec in chosen if spec["youth_produced"]),
        "staff_minutes": sum(spec["staff_minutes"] for spec in chosen),
        "volunteer_minutes": sum(spec["volunteer_minutes"] for spec in chosen),
        # A cell nobody was counted in is not a figure.
        "by_cell": {cell: count for cell, count in by_cell.items() if count},
        "by_mode": by_mode,
        "by_kind": by_kind,
        "by_month": by_month,
    }


def _expected_shares(specs: list[dict[str, Any]], place: str, period: Period) -> dict[str, Any]:
    """The figures derived from the sums: by gender, by age band and the shares."""
    chosen = [
        spec
        for spec in specs
        if place in COUNTED_IN[ACTIVITIES[spec["activity"]][0]]
        and period.start <= spec["date"] <= period.end
    ]
    by_gender: dict[str, int] = {}
    by_band: dict[str, int] = {}
    for spec in chosen:
        for (gender, band), count in spec["counts"].items():
            if count:
                by_gender[gender] = by_gender.get(gender, 0) + count
                by_band[band] = by_band.get(band, 0) + count
    with_breakdown = sum(sum(spec["counts"].values()) for spec in chosen if spec["total"] is None)
    minutes = sum(spec["minutes"] for spec in chosen)
    return {
        "by_gender": {gender: n for gender, n in by_gender.items() if n},
        "by_band": {band: n for band, n in by_band.items() if n},
        "visits_with_breakdown": with_breakdown,
        "girls_share": by_gender.get("girls", 0) / with_breakdown if with_breakdown else None,
        "youth_share": (
            sum(spec["youth_minutes"] for spec in chosen) / minutes if minutes else None
        ),
    }


def _as_dict(got: Figures) -> dict[str, Any]:
    return {field.name: getattr(got, field.name) for field in dataclasses.fields(got)}


@pytest.fixture
def managers(world: World, maria: User) -> dict[str, User]:
    """Who records the sessions of each unit: Maria at Harbour, Hilda at Hill, Olga at the
    outsider's club."""
    return {
        "harbour": maria,
        "hill": make_person("hilda@example.org", "Hilda Hill", world.hill, Role.MANAGER),
        "other_club": make_person("olga@example.org", "Olga Other", world.other_club, Role.MANAGER),
    }


@pytest.fixture
def activities_everywhere(world: World, managers: dict[str, User]) -> list[Activity]:
    """The activities of ACTIVITIES, at Harbour, at Hill and at the outsider's club."""
    with unscoped():
        return [
            services.create_activity(managers[unit], getattr(world, unit), kind=kind, name=name)
            for unit, kind, name in ACTIVITIES
        ]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    specs=st.lists(
        session_specs(),
        max_size=14,
        unique_by=lambda spec: (spec["activity"], spec["date"], spec["start"]),
    ),
    period=periods(),
)
def test_figures_match_the_raw_records_at_every_level(
    world: World,
    managers: dict[str, User],
    activities_everywhere: list[Activity],
    specs: list[dict[str, Any]],
    period: Period,
) -> None:
    Session.all_objects.all().delete()  # the examples share one database transaction
    with unscoped():
        for spec in specs:
            unit = ACTIVITIES[spec["activity"]][0]
            activity = activities_everywhere[spec["activity"]]
            services.create_session(managers[unit], activity, _input(spec), confirm_large=True)
    assert Session.all_objects.count() == len(specs)
    a_year_earlier = period.year_before()
    for place in PLACES:
        node = getattr(world, place)
        got = figures(node, period)
        assert _as_dict(got) == _expected(specs, place, period), place
        shares = _expected_shares(specs, place, period)
        assert got.by_gender() == shares["by_gender"], place
        assert got.by_band() == shares["by_band"], place
        assert got.visits_with_breakdown == shares["visits_with_breakdown"], place
        assert got.girls_share == pytest.approx(shares["girls_share"]), place
        assert got.youth_share == pytest.approx(shares["youth_share"]), place
        # The page asks for a period and the same stretch a year earlier in one go.
        both = figures_for(node, [period, a_year_earlier])
        assert [_as_dict(f) for f in both] == [
            _expected(specs, place, period),
            _expected(specs, place, a_year_earlier),
        ], place


def test_the_figures_take_two_queries_for_two_units_and_for_six(
    world: World,
    walter: User,
    drop_in: Activity,
    hill_club: Activity,
    django_assert_num_queries: Any,
) -> None:
    hilda = User.objects.get(email="h@example.org")
    record(walter, drop_in, counts={("girls", "13_15"): 4, ("boys", "16_18"): 2})
    record(hilda, hill_club, total=5)
    year = period_of("year", dt.date(2026, 10, 5))
    with django_assert_num_queries(2):
        two_units = figures(world.network, year)
    with django_assert_num_queries(2):
        figures_for(
            world.network, [year, year.year_before(), period_of("week", dt.date(2026, 10, 5))]
        )
    more_centres(world, walter, 4)
    with django_assert_num_queries(2):
        six_units = figures(world.network, year)
    with django_assert_num_queries(2):
        figures_for(
            world.network, [year, year.year_before(), period_of("week", dt.date(2026, 10, 5))]
        )
    # Four more centres, two activities each, three sessions of each.
    assert (two_units.sessions, six_units.sessions) == (2, 2 + 4 * 2 * 3)
    assert Session.all_objects.values("node").distinct().count() == 6


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
    # a week: the same ISO week (the 9th), Monday to Sunday
    assert period_of("week", leap_day).year_before() == Period(
        "week", dt.date(2027, 3, 1), dt.date(2027, 3, 7)
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
