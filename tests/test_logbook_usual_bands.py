"""The age bands a session's entry page shows first: set on the activity, else learnt from its
last sessions, else all of them; read in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.logbook import services
from impactlog.logbook.figures.queries import USUAL_BANDS_FROM_SESSIONS, usual_bands
from impactlog.logbook.models import Activity, ActivityKind
from impactlog.network.services import default_bands
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.logbook_fixtures import MONDAY, record

pytestmark = pytest.mark.django_db

BANDS = [band for band, _label in default_bands()]


def _counted(user: User, activity: Activity, day: dt.date, *bands: str) -> None:
    record(user, activity, day=day, counts={("girls", band): 2 for band in bands})


def _activity(user: User, world: World, name: str, **fields: Any) -> Activity:
    with unscoped():
        return services.create_activity(
            user, world.harbour, kind=ActivityKind.GROUP, name=name, **fields
        )


def test_the_bands_are_learnt_from_the_last_sessions_only(
    world: World, walter: User, drop_in: Activity
) -> None:
    # An old session of the under-13s, then ten recent ones of teenagers.
    _counted(walter, drop_in, MONDAY - dt.timedelta(days=30), "u13")
    for day in range(USUAL_BANDS_FROM_SESSIONS):
        band = "13_15" if day % 2 else "16_18"
        _counted(walter, drop_in, MONDAY + dt.timedelta(days=day), band)
    with unscoped():
        assert usual_bands([drop_in], BANDS) == {drop_in.pk: ["13_15", "16_18"]}


def test_bands_set_on_the_activity_win_and_an_activity_without_sessions_shows_all(
    world: World, walter: User, maria: User, drop_in: Activity
) -> None:
    _counted(walter, drop_in, MONDAY, "13_15")
    chosen = _activity(maria, world, "Girls' club", usual_age_bands=["19_24", "u13", "gone"])
    fresh = _activity(maria, world, "New club")
    only_totals = _activity(maria, world, "Quiz nights")
    record(walter, only_totals, day=MONDAY, total=12)
    with unscoped():
        found = usual_bands([drop_in, chosen, fresh, only_totals], BANDS)
    assert found == {
        drop_in.pk: ["13_15"],
        chosen.pk: ["u13", "19_24"],  # in the network's order; a band it no longer has is left out
        fresh.pk: BANDS,
        only_totals.pk: BANDS,
    }


def test_usual_bands_take_two_queries_however_many_activities(
    world: World, walter: User, maria: User, drop_in: Activity, django_assert_num_queries: Any
) -> None:
    activities = [drop_in] + [_activity(maria, world, f"Club {n}") for n in range(5)]
    for number, activity in enumerate(activities):
        for week in range(3):
            _counted(walter, activity, MONDAY + dt.timedelta(weeks=week, days=number), "13_15")
    with unscoped(), django_assert_num_queries(2):
        found = usual_bands(activities, BANDS)
    assert found == {activity.pk: ["13_15"] for activity in activities}
    set_everywhere = [
        _activity(maria, world, f"Set {n}", usual_age_bands=["u13"]) for n in range(3)
    ]
    with unscoped(), django_assert_num_queries(0):
        usual_bands(set_everywhere, BANDS)


def test_the_activity_form_sets_the_usual_bands_and_the_entry_page_names_them(
    world: World, login: Any, maria: User, drop_in: Activity
) -> None:
    client = login(maria)
    url = reverse("logbook:activity_edit", args=[world.harbour.pk, drop_in.pk])
    page = client.get(url).content.decode()
    assert 'name="usual_age_bands" value="13_15"' in page
    response = client.post(
        url,
        {"name": drop_in.name, "kind": drop_in.kind, "usual_age_bands": ["16_18", "13_15"]},
    )
    assert response.status_code == 302
    drop_in.refresh_from_db()
    assert sorted(drop_in.usual_age_bands) == ["13_15", "16_18"]
    entry = client.get(reverse("logbook:log", args=[world.harbour.pk])).content.decode()
    assert f'{{"{drop_in.pk}": ["13_15", "16_18"]}}' in entry
    # Every band is in the page (without JavaScript all show); the script hides the others.
    assert 'data-band="u13"' in entry and 'data-band="unknown"' in entry
