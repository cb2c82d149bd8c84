"""Figures of people (kiosk/figures.py) against a plain count of distinct participants.

The expected numbers are worked out here with Python sets over the raw rows the test wrote,
never with the code under test: unique visitors do not add up across places or periods.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import pytest

from impactlog.kiosk import figures, queries
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity, ActivityKind, Session
from impactlog.network.services import band_of_age, default_bands
from impactlog.participants.models import Participant
from impactlog.tenancy.models import Node
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World

GENDERS = ["girl", "boy", "non_binary", "not_say", "self"]
STATUSES = ["school", "studying", "working", "neet", "other", ""]


class Raw:
    """What the test wrote: (participant pk, unit pk, session pk, date) per check-in."""

    def __init__(self) -> None:
        self.rows: list[tuple[int, int, int, dt.date]] = []
        self.anonymous: list[tuple[int, dt.date]] = []
        self.people: dict[int, Participant] = {}
        self.sessions: dict[tuple[int, dt.date], Session] = {}
        self.stranger_session = 0


def _session(raw: Raw, activity: Activity, unit: Node, day: dt.date) -> Session:
    key = (unit.pk, day)
    if key not in raw.sessions:
        raw.sessions[key] = Session.all_objects.create(
            activity=activity, node=unit, date=day, start_time=dt.time(16), minutes=60
        )
    return raw.sessions[key]


def build(world: World, seed: int, people: int = 14, checkins: int = 90) -> Raw:
    rng = random.Random(seed)
    raw = Raw()
    with unscoped():
        units = [world.harbour, world.hill]
        activities = {
            u.pk: Activity.all_objects.create(
                node=u, kind=ActivityKind.DROP_IN, name=f"Open {seed}"
            )
            for u in units
        }
        devices = {
            u.pk: KioskDevice.all_objects.create(
                node=u,
                activity=activities[u.pk],
                name="Desk",
                token_hash=f"{seed}-{u.pk}",
                paired_at=NOW,
            )
            for u in units
        }
        for n in range(people):
            p = Participant.all_objects.create(
                organisation=world.region,
                unit=rng.choice(units),
                alias=f"P{seed}-{n}",
                alias_key=f"p{seed}-{n}",
                birth_year=rng.randint(2006, 2014),
                birth_month=rng.choice([None, *range(1, 13)]),
                gender=rng.choice(GENDERS),
                status=rng.choice(STATUSES),
            )
            raw.people[p.pk] = p
        sequence = 0
        for _ in range(checkins):
            unit = rng.choice(units)
            day = dt.date(2025, 11, 1) + dt.timedelta(days=rng.randrange(420))
            session = _session(raw, activities[unit.pk], unit, day)
            sequence += 1
            anonymous = rng.random() < 0.15
            who = None if anonymous else raw.people[rng.choice(sorted(raw.people))]
            CheckIn.all_objects.create(
                device=devices[unit.pk],
                session=session,
                participant=who,
                gender="girls",
                age_band="13_15",
                sequence=sequence,
                key=str(sequence),
                received_at=NOW,
            )
            if who is None:
                raw.anonymous.append((unit.pk, day))
            else:
                raw.rows.append((who.pk, unit.pk, session.pk, day))
        # A young person of another organisation checked in at Harbour: never counted here.
        stranger = Participant.all_objects.create(
            organisation=world.other_org,
            unit=world.other_club,
            alias=f"Stranger {seed}",
            alias_key=f"stranger {seed}",
            birth_year=2011,
            birth_month=5,
            gender="girl",
            status="school",
        )
        day = dt.date(2026, 3, 3)
        sequence += 1
        session = _session(raw, activities[world.harbour.pk], world.harbour, day)
        raw.stranger_session = session.pk
        CheckIn.all_objects.create(
            device=devices[world.harbour.pk],
            session=session,
            participant=stranger,
            gender="girls",
            age_band="13_15",
            sequence=sequence,
            key=str(sequence),
            received_at=NOW,
        )
    return raw


def expected(raw: Raw, units: set[int], start: dt.date, end: dt.date) -> dict[str, object]:
    """The figures, counted plainly from the raw rows."""
    rows = [r for r in raw.rows if r[1] in units and start <= r[3] <= end]
    visitors = {r[0] for r in rows}
    first_ever = {pk: min(r[3] for r in raw.rows if r[0] == pk) for pk in visitors}
    by_gender: dict[str, int] = defaultdict(int)
    by_status: dict[str, int] = defaultdict(int)
    by_band: dict[str, int] = defaultdict(int)
    by_frequency: dict[str, int] = defaultdict(int)
    returned = 0
    for pk in visitors:
        person = raw.people[pk]
        by_gender[person.gender] += 1
        by_status[person.status or "none"] += 1
        first = min(r[3] for r in rows if r[0] == pk)
        month = person.birth_month or 12
        age = first.year - person.birth_year - (1 if first.month <= month else 0)
        by_band[band_of_age(default_bands(), age)] += 1
        sessions = len({r[2] for r in rows if r[0] == pk})
        by_frequency[
            "1"
            if sessions == 1
            else "2_3"
            if sessions <= 3
            else "4_9"
            if sessions <= 9
            else "10_plus"
        ] += 1
        days = sorted({r[3] for r in rows if r[0] == pk})
        if any(0 < (b - a).days <= 30 for a in days for b in days):
            returned += 1
    return {
        "visitors": len(visitors),
        "without_name": len([a for a in raw.anonymous if a[0] in units and start <= a[1] <= end]),
        "new": len([pk for pk in visitors if first_ever[pk] >= start]),
        "by_gender": dict(by_gender),
        "by_status": dict(by_status),
        "by_band": dict(by_band),
        "by_frequency": dict(by_frequency),
        "returned": returned,
    }


PERIODS = [
    (dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31)),
    (dt.date(2025, 12, 20), dt.date(2026, 2, 10)),
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_unique_visitors_are_a_plain_count_of_distinct_participants(
    world: World, seed: int
) -> None:
    raw = build(world, seed)
    places = {
        world.harbour: {world.harbour.pk},
        world.hill: {world.hill.pk},
        world.region: {world.harbour.pk, world.hill.pk},
        world.network: {world.harbour.pk, world.hill.pk},
    }
    with unscoped():
        for node, units in places.items():
            for start, end in PERIODS:
                found = figures.people_of(node, start, end)
                want = expected(raw, units, start, end)
                got = {
                    "visitors": found.visitors,
                    "without_name": found.without_name,
                    "new": found.new,
                    "by_gender": found.by_gender,
                    "by_status": found.by_status,
                    "by_band": found.by_band,
                    "by_frequency": found.by_frequency,
                    "returned": found.returned,
                }
                assert got == want, (node, start, end)
                # Breakdowns within one place and period add up to its visitors.
                for breakdown in (found.by_gender, found.by_band, found.by_status, found.by_area):
                    assert sum(breakdown.values()) == found.visitors
                assert found.new + found.returning == found.visitors


def test_one_young_person_at_two_centres_is_one_visitor_of_the_organisation(world: World) -> None:
    raw = build(world, 7, people=1, checkins=0)
    (pk,) = raw.people
    with unscoped():
        person = raw.people[pk]
        for unit in (world.harbour, world.hill):
            activity = Activity.all_objects.create(node=unit, kind=ActivityKind.DROP_IN, name="x")
            device = KioskDevice.all_objects.create(
                node=unit, activity=activity, name="x", token_hash=f"t{unit.pk}", paired_at=NOW
            )
            CheckIn.all_objects.create(
                device=device,
                session=_session(raw, activity, unit, dt.date(2026, 2, 2)),
                participant=person,
                gender="girls",
                age_band="13_15",
                sequence=1,
                key="1",
                received_at=NOW,
            )
        month = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
        assert figures.people_of(world.harbour, *month).visitors == 1
        assert figures.people_of(world.hill, *month).visitors == 1
        assert figures.people_of(world.region, *month).visitors == 1
        # The stranger of the other organisation checked in at Harbour in March: not theirs.
        march = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
        assert figures.people_of(world.harbour, *march).visitors == 0
        assert figures.people_of(world.other_org, *march).visitors == 0


def test_a_return_is_a_later_day_within_thirty_days_in_the_period() -> None:
    def visit(day: dt.date, session: int) -> figures.Visit:
        return figures.Visit(1, session, day, 2010, 3, "girl", None, "school")

    bands = default_bands()
    year = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    same_day = [visit(dt.date(2026, 5, 1), 1), visit(dt.date(2026, 5, 1), 2)]
    assert figures.count_people(same_day, {}, bands, *year).returned == 0
    thirty = [visit(dt.date(2026, 5, 1), 1), visit(dt.date(2026, 5, 31), 2)]
    assert figures.count_people(thirty, {}, bands, *year).returned == 1
    thirty_one = [visit(dt.date(2026, 5, 1), 1), visit(dt.date(2026, 6, 1), 2)]
    assert figures.count_people(thirty_one, {}, bands, *year).returned == 0
    may = (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert figures.count_people(thirty_one, {}, bands, *may).returned == 0
    assert figures.count_people(same_day, {}, bands, *may).by_frequency == {"2_3": 1}


def test_people_figures_keep_to_their_query_budget(world: World, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for seed, checkins in ((11, 5), (12, 120)):
        build(world, seed, checkins=checkins)
        with unscoped(), django_assert_num_queries(figures.QUERIES):
            figures.people_of(world.region, dt.date(2025, 1, 1), dt.date(2026, 12, 31))


def test_a_sessions_unique_visitors_leave_out_anonymous_check_ins(world: World) -> None:
    raw = build(world, 5, people=3, checkins=25)
    with unscoped():
        for (unit, day), session in raw.sessions.items():
            found = queries.unique_visitors(session)
            rows = [r for r in raw.rows if r[2] == session.pk]
            anonymous = [a for a in raw.anonymous if a == (unit, day)]
            if session.pk == raw.stranger_session:
                continue  # counted with the stranger of the other organisation
            assert found == queries.SessionVisitors(len({r[0] for r in rows}), len(anonymous))


def test_people_without_records_rights_read_the_protected_decision(world: World) -> None:
    """The task decides the family `people` for the network's year; a municipality's month is
    read from the store, and no small count of people is in it."""
    from impactlog.logbook.figures import people
    from impactlog.logbook.figures.periods import period_of

    build(world, 21, people=3, checkins=6)
    with unscoped():
        month = period_of("month", dt.date(2026, 3, 1))
        found = people.protected_people(world.region, month, 5)
        assert found.available and found.current
        exact = figures.people_of(world.region, month.start, month.end)
        cell = found[people.VISITORS]
        assert cell.value == exact.visitors or cell.hidden
        for position, value in found.cells.items():
            assert isinstance(value, str) or value >= 5, position
