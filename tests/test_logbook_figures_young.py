"""The "Young people" section of the figures page (logbook/figures/young.py).

Exact for the people with records rights at the place (Maria, Walter), protected with the
threshold for people for everyone else (Carl, Vera), nothing for another organisation.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity, Session
from impactlog.participants.models import HomeArea, Participant
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .test_disclosure_figures import _chart_values, _downloads

OCTOBER = {"kind": "month", "start": "2026-10-01"}
GIRLS, BOYS, ANONYMOUS = 9, 3, 2


@pytest.fixture
def checked_in(world: World, activity: Activity) -> None:
    """October at Harbour Youth Centre: 9 girls and 3 boys of the region checked in (the first
    girl on two days a week apart), 2 without a name, and a boy of another organisation. Half
    of them live in the Old Town; the others' home area is not recorded."""
    with unscoped():
        old_town = HomeArea.all_objects.create(owner=world.region, name="Old Town")
        device = KioskDevice.all_objects.create(
            node=world.harbour, activity=activity, name="Desk", token_hash="t", paired_at=NOW
        )
        sessions = [
            Session.all_objects.create(
                activity=activity, node=world.harbour, date=day, start_time=dt.time(16), minutes=90
            )
            for day in (dt.date(2026, 10, 6), dt.date(2026, 10, 13))
        ]
        sequence = 0

        def check_in(session: Session, who: Participant | None) -> None:
            nonlocal sequence
            sequence += 1
            CheckIn.all_objects.create(
                device=device,
                session=session,
                participant=who,
                gender="girls",
                age_band="13_15",
                sequence=sequence,
                key=str(sequence),
                received_at=NOW,
            )

        people = [
            Participant.all_objects.create(
                organisation=world.region,
                unit=world.harbour,
                alias=f"Y{n}",
                alias_key=f"y{n}",
                birth_year=2012,
                birth_month=1,
                gender="girl" if n < GIRLS else "boy",
                status="school",
                home_area=old_town if n % 2 else None,
            )
            for n in range(GIRLS + BOYS)
        ]
        for person in people:
            check_in(sessions[0], person)
        check_in(sessions[1], people[0])
        for _ in range(ANONYMOUS):
            check_in(sessions[1], None)
        stranger = Participant.all_objects.create(
            organisation=world.other_org,
            unit=world.other_club,
            alias="Stranger",
            alias_key="stranger",
            birth_year=2012,
            birth_month=1,
            gender="boy",
            status="school",
        )
        check_in(sessions[1], stranger)


def _young(client: Client, node_pk: int) -> Any:
    response = client.get(reverse("logbook:figures", args=[node_pk]), OCTOBER)
    assert response.status_code == 200
    (panel,) = response.context["panels"]
    return response, panel.young


def _table(young: Any, caption: str) -> dict[str, Any]:
    (table,) = [t for t in young.tables if t.caption == caption]
    return dict(table.rows)


@pytest.mark.usefixtures("checked_in")
@pytest.mark.parametrize("who", ["maria", "walter"])
def test_records_rights_see_the_young_people_exactly(
    world: World, login: Any, who: str, request: pytest.FixtureRequest
) -> None:
    reader: User = request.getfixturevalue(who)
    response, young = _young(login(reader), world.harbour.pk)
    assert young.any
    key = {label: value.value for label, value in young.key}
    assert key["Unique visitors"] == GIRLS + BOYS  # the stranger is not counted
    assert key["New visitors"] == GIRLS + BOYS
    assert key["Returning visitors"] == 0
    assert key["Came back within 30 days"] == 1
    assert key["Check-ins without a name"] == ANONYMOUS
    assert key["Share who came back within 30 days"] == pytest.approx(1 / 12)
    by_gender = _table(young, "Unique visitors by gender")
    assert (by_gender["Girl"].value, by_gender["Boy"].value) == (GIRLS, BOYS)
    assert _table(young, "Unique visitors by age")["13–15"].value == GIRLS + BOYS
    assert _table(young, "Unique visitors by school or work")["In school"].value == 12
    often = _table(young, "How often they came")
    assert (often["1 visit"].value, often["2–3 visits"].value) == (GIRLS + BOYS - 1, 1)
    by_area = _table(young, "Unique visitors by home area")
    assert (by_area["Old Town"].value, by_area["Not recorded"].value) == (6, 6)
    assert list(by_area) == ["Old Town", "Not recorded"]
    assert 12.0 in _chart_values(young.chart)
    page = response.content.decode()
    assert "Young people: key figures" in page
    assert "Unique visitors by gender" in page


@pytest.mark.usefixtures("checked_in")
@pytest.mark.parametrize("who", ["carl", "vera"])
@pytest.mark.parametrize("place", ["harbour", "region"])
def test_others_see_the_protected_young_people(
    world: World, login: Any, who: str, place: str, request: pytest.FixtureRequest
) -> None:
    reader: User = request.getfixturevalue(who)
    response, young = _young(login(reader), getattr(world, place).pk)
    assert young.any and young.cells.available
    boys = _table(young, "Unique visitors by gender")["Boy"]
    assert boys.hidden == "primary" and boys.text == "fewer than 5"
    anonymous = dict(young.key)["Check-ins without a name"]
    assert anonymous.hidden == "primary"
    # 1 of 12 came back: the share would give the count away, so it is hidden with it
    assert dict(young.key)["Share who came back within 30 days"].hidden
    shown = [value for _l, value in young.key]
    shown += [value for t in young.tables for _l, value in t.rows]
    for value in shown:
        assert value.hidden or value.value == 0 or value.value >= 5, value
    assert "Old Town" in _table(young, "Unique visitors by home area")
    by_age = [v.value for v in _table(young, "Unique visitors by age").values() if v.value]
    assert sorted(v for v in _chart_values(young.chart) if v) == sorted(by_age)
    page = response.content.decode()
    assert 'class="protected primary" href="#small-numbers">fewer than 5</a>' in page
    assert "Why some numbers are not shown" in page


def test_no_section_without_check_ins(world: World, login: Any, maria: User, carl: User) -> None:
    for reader, place in ((maria, world.harbour), (carl, world.region)):
        response, young = _young(login(reader), place.pk)
        assert not young.any
        assert "Young people: key figures" not in response.content.decode()


@pytest.mark.usefixtures("checked_in")
def test_another_organisation_sees_nothing_of_them(world: World, login: Any, otto: User) -> None:
    client = login(otto)
    assert client.get(reverse("logbook:figures", args=[world.harbour.pk])).status_code == 404
    assert client.get(reverse("logbook:figures", args=[world.region.pk])).status_code == 404
    # Their own young person checked in at Harbour: not a visitor of their own club either.
    _response, young = _young(client, world.other_club.pk)
    assert not young.any


@pytest.mark.usefixtures("checked_in")
def test_the_figures_files_hold_the_young_people_exactly_for_records_rights(
    world: World, login: Any, maria: User
) -> None:
    files = _downloads(login(maria), world.harbour.pk, OCTOBER)
    for kind, found in files.items():
        as_text = {k: str(v) for k, v in found.items()}
        assert as_text["people_visitors"] == str(GIRLS + BOYS), kind
        assert as_text["people_gender_boy"] == str(BOYS), kind
        assert as_text["people_without_name"] == str(ANONYMOUS), kind
        assert as_text["people_frequency_2_3"] == "1", kind
        assert as_text["people_area_none"] == "6", kind
        assert float(as_text["people_returned_share"]) == pytest.approx(100 / 12, abs=0.1), kind


@pytest.mark.usefixtures("checked_in")
@pytest.mark.parametrize("who", ["carl", "vera"])
def test_the_figures_files_hold_the_protected_young_people_as_the_page_shows_them(
    world: World, login: Any, who: str, request: pytest.FixtureRequest
) -> None:
    client = login(request.getfixturevalue(who))
    _response, young = _young(client, world.harbour.pk)
    files = _downloads(client, world.harbour.pk, OCTOBER)
    on_page = dict(young.key)["Unique visitors"]
    as_written = {"": str(int(on_page.value or 0)), "primary": "<5"}.get(on_page.hidden, "x")
    for kind, found in files.items():
        assert found["people_gender_boy"] == "<5", kind
        assert found["people_without_name"] == "<5", kind
        assert str(found["people_visitors"]) == as_written, kind
        assert found["people_returned_share"] == "x", kind
        for key, value in found.items():
            if key.startswith("people_") and str(value).isdigit():
                assert int(value) == 0 or int(value) >= 5, (kind, key, value)


@pytest.mark.usefixtures("checked_in")
def test_while_the_young_peoples_decision_is_made_the_page_says_so_and_the_files_wait(
    world: World, login: Any, carl: User, settings: Any
) -> None:
    from impactlog.tenancy.models import DisclosureDecision

    client = login(carl)
    _young(client, world.harbour.pk)  # both families decided
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with unscoped():
        DisclosureDecision.all_objects.filter(family="people").delete()
    response, young = _young(client, world.harbour.pk)
    assert young.any and not young.cells.available
    assert {value.text for _label, value in young.key} == {"…"}
    (panel,) = response.context["panels"]
    assert "being prepared" in panel.notice
    assert panel.rows[1].now.hidden == ""  # the visits (family logbook) are shown meanwhile
    csv_url = reverse("logbook:export_figures_csv", args=[world.harbour.pk])
    assert client.get(csv_url, OCTOBER).status_code == 503
