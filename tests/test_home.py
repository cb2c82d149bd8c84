"""The home page of a place, where a person lands after signing in: the work first."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.glossary import services as definitions
from impactlog.glossary.models import Definition
from impactlog.logbook.models import Activity
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import more_centres, record

pytestmark = pytest.mark.django_db

# The tests' today is Wednesday 18 November 2026: this week so far is Monday 16 to today, the
# same days a year earlier Monday 16 to Wednesday 18 November 2025; the last whole month October.
THIS_MONDAY = dt.date(2026, 11, 16)
A_YEAR_EARLIER = dt.date(2025, 11, 17)  # Monday of ISO week 47 of 2025
OCTOBER = dt.date(2026, 10, 5)

# Queries of a unit's home for its youth worker (session, user, memberships, breadcrumbs, the
# week's figures, the last sessions, the open questions, …) and of a coordinator's home: a fixed
# part, and at most 3 for each place below (its month's sessions, its protected figures).
WORKER_HOME_QUERIES = 11
PER_PLACE_QUERIES = 3


def _home(client: Any, node_pk: int) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("structure:node", args=[node_pk]))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _main(body: str) -> str:
    return body[body.index('<main id="main"') :]


def _ask(user: User, world: World, text: str) -> None:
    with unscoped():
        definitions.ensure_glossary(world.network)
        visit = Definition.all_objects.get(node=world.network, key="visit")
        definitions.ask_question(user, visit, world.harbour, text)


def test_signing_in_at_one_unit_lands_on_its_home_with_log_a_session_first(
    world: World, client: Any, walter: User
) -> None:
    client.force_login(walter, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(reverse("core:home"))
    assert response["Location"] == reverse("structure:node", args=[world.harbour.pk])
    main = _main(client.get(response["Location"]).content.decode())
    log = reverse("logbook:log", args=[world.harbour.pk])
    # The first link after the breadcrumbs and the tabs, right under the heading.
    after_heading = main[main.index("<h1>") :]
    first_link = re.search(r'<a [^>]*href="([^"]+)"', after_heading)
    assert first_link is not None and first_link.group(1) == log
    assert 'class="button" href="' + log + '">Log a session</a>' in after_heading


def test_a_worker_sees_this_week_so_far_against_the_same_days_a_year_earlier(
    world: World, login: Any, walter: User, drop_in: Activity
) -> None:
    record(walter, drop_in, day=THIS_MONDAY, counts={("girls", "13_15"): 7, ("boys", "13_15"): 5})
    record(walter, drop_in, day=A_YEAR_EARLIER, counts={("girls", "13_15"): 3})
    # The Thursday a year earlier lies beyond the days compared: it does not count.
    record(walter, drop_in, day=A_YEAR_EARLIER + dt.timedelta(days=3), counts={("boys", "u13"): 40})
    _count, body = _home(login(walter), world.harbour.pk)
    figures = body[body.index('id="home-figures"') : body.index('id="home-sessions"')]
    assert "This week so far" in figures
    visits = re.search(r"<dt>Visits</dt><dd>([^<]*)</dd><dd[^>]*>([^<]*)", figures)
    assert visits is not None
    assert visits.group(1) == "12"
    assert visits.group(2).split(":")[-1].strip() == "3"
    sessions = re.search(r"<dt>Sessions</dt><dd>([^<]*)</dd>", figures)
    assert sessions is not None and sessions.group(1) == "1"


def test_a_worker_sees_the_last_sessions_with_a_link_to_each_and_her_open_questions(
    world: World, login: Any, walter: User, drop_in: Activity
) -> None:
    sessions = [
        record(walter, drop_in, day=OCTOBER + dt.timedelta(days=d), counts={("girls", "u13"): 2})
        for d in range(7)
    ]
    _ask(walter, world, "Does a sibling waiting at the door count?")
    _count, body = _home(login(walter), world.harbour.pk)
    listed = body[body.index('id="home-sessions"') : body.index('id="home-questions"')]
    links = re.findall(r'href="(/n/\d+/sessions/\d+/)"', listed)
    newest = sorted(sessions, key=lambda s: s.date, reverse=True)[:5]
    assert links == [reverse("logbook:session_edit", args=[world.harbour.pk, s.pk]) for s in newest]
    questions = body[body.index('id="home-questions"') :]
    assert "Does a sibling waiting at the door count?" in questions
    assert reverse("glossary:definition", args=[world.harbour.pk, "visit"]) in questions


def test_someone_elses_waiting_question_is_not_shown(
    world: World, login: Any, walter: User, maria: User
) -> None:
    """As in the glossary: a question waiting for an answer is for its asker and the editors."""
    _ask(maria, world, "Does a parent at the door count?")
    _count, body = _home(login(walter), world.harbour.pk)
    assert "Does a parent at the door count?" not in body
    _count, body = _home(login(maria), world.harbour.pk)
    assert "Does a parent at the door count?" in body


def test_a_question_answered_is_no_longer_open(
    world: World, login: Any, walter: User, alice: User
) -> None:
    _ask(walter, world, "One visit or two?")
    with unscoped():
        question = Definition.all_objects.get(node=world.network, key="visit").questions.get()
        definitions.answer_question(alice, question, "One visit.")
    _count, body = _home(login(walter), world.harbour.pk)
    assert "One visit or two?" not in body
    assert 'id="home-questions"' not in body


def test_a_coordinator_sees_the_places_below_with_protected_figures_of_last_month(
    world: World, login: Any, walter: User, carl: User, drop_in: Activity
) -> None:
    # 3 visits in October at Harbour: fewer than the threshold (5), so not shown as a number.
    record(walter, drop_in, day=OCTOBER, counts={("girls", "13_15"): 3})
    _count, body = _home(login(carl), world.region.pk)
    places = body[body.index('id="home-places"') :]
    assert "October 2026" in places
    harbour = places[places.index("Harbour Youth Centre") : places.index("Hill Youth Centre")]
    assert "<dt>Sessions</dt><dd>1</dd>" in harbour
    assert "fewer than 5" in harbour
    assert "<dd>3</dd>" not in harbour
    assert "Log a session" not in _main(body)
    assert "This week so far" not in body
    assert "Last sessions logged" not in body  # a coordinator has no records rights


def test_a_worker_with_records_rights_below_sees_exact_figures_of_her_places(
    world: World, login: Any, walter: User, drop_in: Activity
) -> None:
    """Someone with records rights at a place sees its exact figures, as on its figures page."""
    from impactlog.structure import services as structure
    from impactlog.tenancy.roles import Role

    with unscoped():
        structure.grant_role(None, walter, world.region, Role.WORKER)
    record(walter, drop_in, day=OCTOBER, counts={("girls", "13_15"): 3})
    _count, body = _home(login(walter), world.region.pk)
    harbour = body[body.index('id="home-places"') :]
    harbour = harbour[harbour.index("Harbour Youth Centre") : harbour.index("Hill Youth Centre")]
    assert "<dt>Visits</dt><dd>3</dd>" in harbour


def test_the_workers_home_asks_a_fixed_number_of_queries(
    world: World, login: Any, walter: User, drop_in: Activity
) -> None:
    client = login(walter)
    empty, _body = _home(client, world.harbour.pk)
    for day in range(10):
        record(walter, drop_in, day=OCTOBER + dt.timedelta(days=day), counts={("boys", "u13"): 2})
    _ask(walter, world, "Does a sibling count?")
    _ask(walter, world, "Does a parent count?")
    busy, _body = _home(client, world.harbour.pk)
    assert empty <= busy <= WORKER_HOME_QUERIES, (empty, busy)


def test_the_coordinators_home_asks_a_fixed_number_of_queries_per_place_below(
    world: World, login: Any, walter: User, carl: User, drop_in: Activity
) -> None:
    record(walter, drop_in, day=OCTOBER, counts={("girls", "13_15"): 8})
    client = login(carl)
    two, body = _home(client, world.region.pk)  # Harbour and Hill
    assert body.count('class="card"') == 2
    more_centres(world, walter, 3)
    five, body = _home(client, world.region.pk)
    assert body.count('class="card"') == 5
    assert five - two <= 3 * PER_PLACE_QUERIES, (two, five)
