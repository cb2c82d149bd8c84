from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.logbook.models import Activity, Session
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.scoping import unscoped

from .conftest import LEAP_DAY, NOW, RIGA, World
from .logbook_fixtures import MONDAY, more_centres, record

pytestmark = pytest.mark.django_db

# The figures page of a place, whatever the number of units below it, for a coordinator (who sees
# protected figures, decided already): 5 to sign the person in and find the place, 1 for the
# network's settings (age bands and thresholds), 3 per panel (the sums of the sessions; the
# network's protected-figure decisions for the year and the year before; this place's protected
# cells under them; and, since issue 11, 2 for the young people's protected figures, the
# decision of the family `people` and this place's cells under it) and 2 for the definitions
# printed beneath. By default it shows two panels (this month, this term); for a chosen period
# one. (The names of home areas are one query more per panel when young people have one.)
FIGURES_PAGE_QUERIES = 18
CHOSEN_PERIOD_QUERIES = 13
# A page of the sessions list: 5 to sign in and find the place, the ancestors for the
# breadcrumbs, the count for the pages and the page of sessions with their activities and units.
SESSIONS_LIST_QUERIES = 8
# Saving a session through the entry page (34 statements before issue 8):
# - 5 to sign the person in and find the place (session, user, memberships, two-factor, node);
# - 3 for the form: the network's settings (limit and age bands), the reflection questions, the
#   chosen activity;
# - 1 for the idempotency key: was this form sent before?
# - 2 for the transaction that stores the key with the session (savepoint, release);
# - the service's 8: savepoint, the activity re-read and locked with its unit, the network's
#   settings, the session, its head-counts, its revision, its audit entry, release;
# - 2 to store the key: removing the person's expired keys, the key.
# - 1 to mark the network's protected figures out of date (issue 9).
SESSION_SAVE_QUERIES = 22


def _entry(activity: Activity, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "activity": activity.pk,
        "date": NOW.date().isoformat(),
        "start_time": "15:00",
        "end_time": "19:00",
        "mode": "on_site",
        "c_girls_13_15": "4",
        "c_boys_16_18": "3",
        "youth_producers": "0",
        "youth_minutes": "0",
        "staff": "2",
        "staff_minutes": "480",
        "volunteers": "0",
        "volunteer_minutes": "0",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("moment", "today"),
    [
        (NOW, "2026-11-18"),
        # 23:30 in London is already the next day in Riga, where the centres are.
        (dt.datetime(2026, 11, 18, 23, 30, tzinfo=dt.UTC), "2026-11-19"),
        (dt.datetime(2028, 2, 29, 0, 5, tzinfo=RIGA), "2028-02-29"),
    ],
)
def test_the_entry_page_preselects_the_activity_and_todays_date(
    world: World,
    login,
    walter,
    drop_in,
    time_machine,
    moment: dt.datetime,
    today: str,
) -> None:
    time_machine.move_to(moment, tick=False)
    page = login(walter).get(reverse("logbook:log", args=[world.harbour.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{drop_in.pk}" selected>' in text
    assert f'name="date" value="{today}"' in text


def test_a_worker_logs_a_session_and_lands_on_the_figures(
    world: World,
    login,
    walter,
    drop_in,
) -> None:
    client = login(walter)
    response = client.post(reverse("logbook:log", args=[world.harbour.pk]), _entry(drop_in))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("logbook:figures", args=[world.harbour.pk]))
    session = Session.all_objects.get()
    assert (session.participants, session.minutes, session.staff_minutes) == (7, 240, 480)
    figures = client.get(response["Location"]).content.decode()
    assert "This week so far" in figures and "This half-year so far" in figures
    assert "Log another session" in figures


def test_bad_entries_are_explained_and_nothing_is_saved(
    world: World,
    login,
    walter,
    drop_in,
) -> None:
    response = login(walter).post(
        reverse("logbook:log", args=[world.harbour.pk]),
        _entry(drop_in, date="2026-11-19", end_time="14:00", c_girls_13_15="-2"),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "The date is in the future." in text
    assert "The end is before the start." in text
    assert "Ensure this value is greater than or equal to 0." in text
    assert not Session.all_objects.exists()


def test_a_large_count_asks_for_confirmation_then_saves(
    world: World,
    login,
    walter,
    drop_in,
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    first = client.post(url, _entry(drop_in, c_girls_13_15="400"))
    assert "unusually many" in first.content.decode()
    assert "Yes, these numbers are right" in first.content.decode()
    assert not Session.all_objects.exists()
    client.post(url, _entry(drop_in, c_girls_13_15="400", confirm_large="on"))
    assert Session.all_objects.get().participants == 403


def test_saving_a_session_makes_a_fixed_number_of_queries(
    world: World, login, walter, drop_in, django_assert_num_queries
) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode())
    assert key is not None
    with django_assert_num_queries(SESSION_SAVE_QUERIES):
        response = client.post(url, {**_entry(drop_in), "idempotency_key": key[1]})
    assert response.status_code == 302
    session = Session.all_objects.get()
    assert (session.participants, session.counts.count(), session.revisions.count()) == (7, 2, 1)


def test_a_resent_form_without_a_key_is_stored_once(world: World, login, walter, drop_in) -> None:
    client = login(walter)
    url = reverse("logbook:log", args=[world.harbour.pk])
    client.post(url, _entry(drop_in))
    again = client.post(url, _entry(drop_in))
    assert "already has a session on this day at this time" in again.content.decode()
    assert Session.all_objects.count() == 1


def test_same_as_last_time_copies_the_shape_of_the_last_session(
    world: World,
    login,
    walter,
    drop_in,
) -> None:
    record(
        walter,
        drop_in,
        day=dt.date(2026, 1, 5),
        start="16:00",
        end="20:00",
        counts={("girls", "u13"): 9},
        staff=3,
    )
    page = (
        login(walter)
        .get(
            reverse("logbook:log", args=[world.harbour.pk]),
            {"copy": "last", "activity": drop_in.pk},
        )
        .content.decode()
    )
    assert 'name="c_girls_u13" value="9"' in page
    assert 'name="start_time" value="16:00' in page
    assert 'name="date" value="2026-11-18"' in page  # today, not the day of the last session


def test_editing_shows_a_conflict_instead_of_overwriting(
    world: World,
    login,
    walter,
    maria,
    drop_in,
) -> None:
    session = record(walter, drop_in, day=dt.date(2026, 1, 5), total=5)
    url = reverse("logbook:session_edit", args=[world.harbour.pk, session.pk])
    stale = _entry(
        drop_in, date="2026-01-05", version=str(session.version), breakdown_unknown="on", total="6"
    )
    login(maria).post(url, stale)
    response = login(walter).post(url, {**stale, "total": "9"})
    assert "Someone else saved this session" in response.content.decode()
    session.refresh_from_db()
    assert session.participants == 6
    history = (
        login(walter)
        .get(reverse("logbook:session_history", args=[world.harbour.pk, session.pk]))
        .content.decode()
    )
    assert "Version 2" in history and "Maria Manager" in history


def test_deleting_asks_first(world: World, login, walter, drop_in) -> None:
    session = record(walter, drop_in, day=dt.date(2026, 1, 5), total=5)
    client = login(walter)
    url = reverse("logbook:session_delete", args=[world.harbour.pk, session.pk])
    assert "Delete the session of Open evenings" in client.get(url).content.decode()
    assert Session.all_objects.exists()
    client.post(url)
    assert not Session.all_objects.exists()


def test_a_session_of_another_unit_is_not_found(
    world: World,
    login,
    walter,
    hill_club,
) -> None:
    with unscoped():
        from impactlog.accounts.models import User

        hilda = User.objects.get(email="h@example.org")
    other = record(hilda, hill_club, total=4)
    response = login(walter).get(reverse("logbook:session_edit", args=[world.harbour.pk, other.pk]))
    assert response.status_code == 404


def test_an_activity_is_added_with_validation(world: World, login, maria) -> None:
    client = login(maria)
    url = reverse("logbook:activity_add", args=[world.harbour.pk])
    bad = client.post(url, {"name": "", "kind": "drop_in"})
    assert "This field is required." in bad.content.decode()
    good = client.post(url, {"name": "Girls' club", "kind": "group", "responsible": [maria.pk]})
    assert good.status_code == 302
    activity = Activity.all_objects.get(name="Girls' club")
    assert list(activity.responsible.all()) == [maria]
    twice = client.post(url, {"name": "Girls' club", "kind": "group"})
    assert "already has an activity with this name" in twice.content.decode()


def test_figures_for_a_chosen_period_and_bad_periods(
    world: World,
    login,
    carl,
    walter,
    drop_in,
) -> None:
    record(walter, drop_in, day=dt.date(2025, 3, 3), counts={("girls", "13_15"): 2})
    record(
        walter,
        drop_in,
        day=dt.date(2026, 3, 2),
        counts={("girls", "13_15"): 5, ("boys", "13_15"): 5},
    )
    client = login(carl)
    url = reverse("logbook:figures", args=[world.region.pk])
    # the first quarter of 2026 is over (a protected reader sees a period not over yet without
    # a year earlier: test_logbook_so_far.py)
    page = client.get(url, {"kind": "quarter", "start": "2026-01-01"})
    text = page.content.decode()
    assert page.status_code == 200
    # 2 visits a year earlier are protected: no change can be worked out from them
    assert (
        '<td>10</td><td><a class="protected primary" href="#small-numbers">fewer than 5</a></td>'
        "<td>–</td>" in text.replace("\n", "")
    )
    assert "data:image/svg+xml;base64," in text
    assert "What the figures count" in text and "Opening hour" in text  # definitions printed
    assert "On site: 1 session, 10 visits" in text
    # a coordinator chooses calendar periods only; a worker may choose any range
    assert client.get(url, {"kind": "custom", "start": "2026-05-01"}).status_code == 400
    assert client.get(url, {"kind": "decade", "start": "x"}).status_code == 400
    bad = login(walter).get(
        reverse("logbook:figures", args=[world.harbour.pk]),
        {"kind": "custom", "start": "2026-05-01", "end": "2026-01-01"},
    )
    assert bad.status_code == 400
    assert "The end date is before the start date." in bad.content.decode()


@pytest.mark.parametrize(
    ("moment", "week", "term", "last_years_week", "last_years_term", "weeks_compared", "terms"),
    [
        # Wednesday 18 November 2026: the week of 16 November, the autumn term.
        (
            NOW,
            "2026-11-16",
            "2026-11-02",
            "2025-11-17",
            "2025-09-01",
            ("16/11/2026 – 18/11/2026", "17/11/2025 – 19/11/2025"),
            ("8", "9"),
        ),
        # Tuesday 29 February 2028: the same ISO week a year earlier starts on 1 March 2027,
        # but the half-year so far ends a year earlier on the same calendar day, 28 February
        # (not 60 days in, 1 March): last year's week is not in it.
        (
            LEAP_DAY,
            "2028-02-29",
            "2028-01-10",
            "2027-03-01",
            "2027-02-27",
            ("28/02/2028 – 29/02/2028", "01/03/2027 – 02/03/2027"),
            ("8", "7"),
        ),
    ],
)
def test_the_figures_page_shows_this_week_and_this_term_against_a_year_earlier(
    world: World,
    login,
    walter,
    drop_in,
    time_machine,
    moment: dt.datetime,
    week: str,
    term: str,
    last_years_week: str,
    last_years_term: str,
    weeks_compared: tuple[str, str],
    terms: tuple[str, str],
) -> None:
    time_machine.move_to(moment, tick=False)
    for day, visits in ((week, 5), (term, 3), (last_years_week, 2), (last_years_term, 7)):
        record(walter, drop_in, day=dt.date.fromisoformat(day), total=visits)
    response = login(walter).get(reverse("logbook:figures", args=[world.harbour.pk]))
    assert response.status_code == 200
    this_week, this_term = response.context["panels"]
    assert (this_week.title, this_term.title) == ("This week so far", "This half-year so far")
    assert (this_week.period_label, this_week.before_label) == weeks_compared

    def visits(panel: Any) -> tuple[str, str]:
        row = next(row for row in panel.rows if row.label == "Visits")
        return row.now.text, row.before.text

    assert visits(this_week) == ("5", "2")
    assert visits(this_term) == terms


def test_the_figures_page_makes_the_same_number_of_queries_for_two_or_six_units(
    world: World,
    login,
    carl,
    walter,
    drop_in,
    hill_club,
) -> None:
    with unscoped():
        from impactlog.accounts.models import User

        hilda = User.objects.get(email="h@example.org")
    record(walter, drop_in, day=dt.date(2026, 3, 2), counts={("girls", "13_15"): 4})
    record(hilda, hill_club, day=dt.date(2025, 3, 3), total=6)
    client = login(carl)
    url = reverse("logbook:figures", args=[world.region.pk])

    def count(params: dict[str, str]) -> int:
        client.get(url, params)  # the protected figures are decided once, then read
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        assert "Figures of Riverside Municipality" in response.content.decode()
        return len(queries)

    this_year = {"kind": "year", "start": "2026-01-01"}
    two_units = (count({}), count(this_year))
    more_centres(world, walter, 4)
    with unscoped():
        assert Node.all_objects.filter(parent=world.region, kind=NodeKind.UNIT).count() == 6
        assert Session.all_objects.values("node").distinct().count() == 6
    six_units = (count({}), count(this_year))
    assert two_units == six_units == (FIGURES_PAGE_QUERIES, CHOSEN_PERIOD_QUERIES)


@pytest.fixture
def rita(world: World):
    """Manager of all of Riverside's centres: she reads the sessions of every unit in it."""
    from impactlog.tenancy.roles import Role

    from .conftest import make_person

    return make_person("rita@example.org", "Rita Regional", world.region, Role.MANAGER)


def _queries_of(client, url: str, params: dict[str, str] | None = None) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_the_sessions_list_makes_the_same_number_of_queries_for_two_sessions_or_a_page_full(
    world: World, login, walter, rita, drop_in, hill_club
) -> None:
    with unscoped():
        from impactlog.accounts.models import User

        hilda = User.objects.get(email="h@example.org")
    record(walter, drop_in, total=3)
    record(hilda, hill_club, counts={("girls", "u13"): 2})
    harbour = reverse("logbook:sessions", args=[world.harbour.pk])
    region = reverse("logbook:sessions", args=[world.region.pk])
    small = (_queries_of(login(walter), harbour), _queries_of(login(rita), region))
    assert "Open evenings" in small[0][1] and "Film club" in small[1][1]

    more_centres(world, walter, 4)  # 4 centres, 2 activities each, 3 sessions of each
    for day in range(55):
        record(walter, drop_in, day=MONDAY - dt.timedelta(days=day + 1), total=day)
    large = (_queries_of(login(walter), harbour), _queries_of(login(rita), region))
    assert "Page 1 of 2" in large[0][1] and "Page 1 of 2" in large[1][1]
    assert "Youth Centre 5" in large[1][1]  # the unit of each session, at the region
    assert (
        [n for n, _text in small]
        == [n for n, _text in large]
        == [
            SESSIONS_LIST_QUERIES,
            SESSIONS_LIST_QUERIES,
        ]
    )


def _week(activity: Activity, monday: dt.date, held: dict[int, dict[str, str]]) -> dict[str, str]:
    data = {
        "day-TOTAL_FORMS": "7",
        "day-INITIAL_FORMS": "7",
        "day-MIN_NUM_FORMS": "7",
        "day-MAX_NUM_FORMS": "7",
    }
    for i in range(7):
        data[f"day-{i}-date"] = (monday + dt.timedelta(days=i)).isoformat()
        for key, value in held.get(i, {}).items():
            data[f"day-{i}-{key}"] = value
    return data


def test_a_week_is_filled_in_at_once(world: World, login, walter, drop_in) -> None:
    monday = dt.date(2026, 3, 2)
    client = login(walter)
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    page = client.get(url, {"start": "2026-03-04"}).content.decode()
    assert 'value="2026-03-02"' in page  # the week starts on Monday
    day = {"held": "on", "start_time": "15:00", "end_time": "19:00", "girls": "5", "boys": "7"}
    response = client.post(f"{url}?start=2026-03-02", _week(drop_in, monday, {0: day, 2: day}))
    assert response.status_code == 302
    saved = Session.all_objects.order_by("date")
    assert [s.date.day for s in saved] == [2, 4]
    assert all(s.participants == 12 for s in saved)
    assert {c.age_band for s in saved for c in s.counts.all()} == {"unknown"}


def test_a_week_with_one_bad_day_saves_nothing(world: World, login, walter, drop_in) -> None:
    monday = dt.date(2026, 3, 2)
    good = {"held": "on", "start_time": "15:00", "end_time": "19:00", "girls": "5"}
    bad = {"held": "on", "start_time": "19:00", "end_time": "15:00", "girls": "5"}
    response = login(walter).post(
        reverse("logbook:week", args=[world.harbour.pk, drop_in.pk]),
        _week(drop_in, monday, {0: good, 1: bad}),
    )
    assert response.status_code == 200
    assert "The end is before the start." in response.content.decode()
    assert not Session.all_objects.exists()


def test_a_week_for_an_archived_activity_is_refused_with_a_message(
    world: World, login, walter, maria, drop_in
) -> None:
    from impactlog.logbook import services

    with unscoped():
        services.update_activity(maria, drop_in, archived_at=NOW)
    day = {"held": "on", "start_time": "15:00", "end_time": "17:00", "girls": "3"}
    response = login(walter).post(
        reverse("logbook:week", args=[world.harbour.pk, drop_in.pk]) + "?start=2026-11-02",
        _week(drop_in, dt.date(2026, 11, 2), {0: day}),
    )
    assert response.status_code == 200
    assert "This activity is archived: no sessions can be recorded in it." in (
        response.content.decode()
    )
    assert not Session.all_objects.exists()


def test_a_week_for_an_activity_of_an_archived_unit_is_refused_with_a_message(
    world: World, login, walter, alice, drop_in
) -> None:
    from impactlog.structure import services as structure

    structure.archive_node(alice, world.harbour)
    day = {"held": "on", "start_time": "15:00", "end_time": "17:00", "girls": "3"}
    response = login(walter).post(
        reverse("logbook:week", args=[world.harbour.pk, drop_in.pk]) + "?start=2026-11-02",
        _week(drop_in, dt.date(2026, 11, 2), {0: day}),
    )
    assert response.status_code == 200
    assert "Nothing can be recorded in an archived place." in response.content.decode()
    assert not Session.all_objects.exists()


def test_reflection_answers_are_kept_changed_and_cleared_through_the_edit_page(
    world: World, login, maria, walter, drop_in
) -> None:
    from impactlog.logbook.models import ReflectionAnswer
    from impactlog.network import services as network

    with unscoped():
        first = network.add_question(maria, world.harbour, "What went well?")
        second = network.add_question(maria, world.harbour, "What went wrong?")
    session = record(
        walter,
        drop_in,
        reflections={first.pk: " The quiz. ", second.pk: "The music.", 999: "ignored"},
    )
    answers = ReflectionAnswer.all_objects.filter(session=session)
    assert dict(answers.values_list("question_id", "text")) == {
        first.pk: "The quiz.",
        second.pk: "The music.",
    }
    created = session.revisions.get().changes["reflections"]
    assert created == [{}, {str(first.pk): "The quiz.", str(second.pk): "The music."}]
    client = login(walter)
    url = reverse("logbook:session_edit", args=[world.harbour.pk, session.pk])
    body = _entry(drop_in, date=MONDAY.isoformat(), version="1")
    body.update({f"r_{first.pk}": "The quiz.", f"r_{second.pk}": "", "c_girls_13_15": "0"})
    assert client.post(url, body).status_code == 302
    assert dict(answers.values_list("question_id", "text")) == {first.pk: "The quiz."}
    changed = session.revisions.get(version=2).changes["reflections"]
    assert changed == [
        {str(first.pk): "The quiz.", str(second.pk): "The music."},
        {str(first.pk): "The quiz."},
    ]
