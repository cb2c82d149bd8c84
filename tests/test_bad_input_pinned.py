"""The 500s the bad-input tests (tests/test_bad_input_urls.py, tests/test_bad_input_forms.py)
found, each pinned with the answer it gets now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.logbook.models import Session
from impactlog.tenancy.scoping import unscoped
from tests.logbook_fixtures import SETTINGS_FORM

OUT_OF_RANGE = "Choose a day between"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "kind=week&start=0001-01-01",  # the year before: year 0
        "kind=year&start=0001-12-31",
        "kind=week&start=9999-12-31",  # the week ends in year 10000
        "kind=month&start=9999-12-25",
        "kind=half&start=9999-12-31",
        "kind=custom&start=2026-01-01&end=9999-12-31",
    ],
)
def test_a_period_at_the_ends_of_the_calendar_is_refused(
    query: str, world: Any, walter: User, login: Any
) -> None:
    client = login(walter)
    harbour = world.harbour.pk
    figures = client.get(f"{reverse('logbook:figures', args=[harbour])}?{query}")
    assert figures.status_code == 400
    assert OUT_OF_RANGE in figures.content.decode()
    for name in ["export_sessions_csv", "export_figures_xlsx"]:
        download = client.get(f"{reverse(f'logbook:{name}', args=[harbour])}?{query}")
        assert download.status_code == 400
        assert OUT_OF_RANGE in download.content.decode()
    page = client.get(f"{reverse('logbook:export', args=[harbour])}?{query}")
    assert page.status_code == 200
    assert OUT_OF_RANGE in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("start", ["9999-12-31", "0001-01-01", "²"])
def test_the_week_grid_beyond_the_calendar_shows_this_week(
    start: str, world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    response = login(walter).get(url, {"start": start})
    assert response.status_code == 200
    assert response.context["monday"] == dt.date(2026, 11, 16)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"csrfmiddlewaretoken": "x"},
        {"day-TOTAL_FORMS": "8", "day-INITIAL_FORMS": "0"},
        {"day-TOTAL_FORMS": "6", "day-INITIAL_FORMS": "0"},
        {"day-TOTAL_FORMS": "²", "day-INITIAL_FORMS": "0"},
    ],
)
def test_a_week_grid_without_its_seven_days_is_refused(
    body: dict[str, str], world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    url = reverse("logbook:week", args=[world.harbour.pk, drop_in.pk])
    response = login(walter).post(url, body)
    assert response.status_code == 400
    assert "did not have its seven days" in response.content.decode()
    with unscoped():
        assert not Session.all_objects.filter(activity=drop_in).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("wanted", ["²", "٣", str(10**30), "-1"])
def test_an_activity_asked_for_in_other_digits_is_not_chosen(
    wanted: str, world: Any, walter: User, drop_in: Any, login: Any
) -> None:
    response = login(walter).get(
        reverse("logbook:log", args=[world.harbour.pk]), {"activity": wanted}
    )
    assert response.status_code == 200
    assert response.context["form"].initial["activity"] == drop_in


@pytest.mark.django_db
@pytest.mark.parametrize("bands", ["²-³", "١٠-١٤", "10-" + "9" * 5000])
def test_age_bands_in_other_digits_are_refused(
    bands: str, world: Any, alice: User, login: Any
) -> None:
    url = reverse("network:settings", args=[world.harbour.pk])
    response = login(alice).post(url, {**SETTINGS_FORM, "bands": bands})
    assert response.status_code == 400
    assert "write a band as two ages" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("token", ["%C3%A9", "%C3%28", "%FF", "%E2%82%AC" * 20])
def test_an_invitation_link_with_other_characters_is_invalid(
    token: str, client: Client, world: Any
) -> None:
    response = client.get(f"/accounts/invitation/{token}/")
    assert response.status_code == 404
    assert "accounts/invitation_invalid.html" in [t.name for t in response.templates]


@pytest.mark.django_db
@pytest.mark.parametrize("field_name", ["responsible", "tags"])
def test_an_activity_naming_a_row_by_a_huge_number_is_refused(
    field_name: str, world: Any, walter: User, login: Any
) -> None:
    url = reverse("logbook:activity_add", args=[world.harbour.pk])
    body = {"name": "Evening club", "kind": "drop_in", field_name: str(10**30)}
    response = login(walter).post(url, body)
    assert response.status_code == 200
    assert response.context["form"].errors[field_name]
