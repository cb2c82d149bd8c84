"""Each network sets its small-number thresholds: one per kind of measure, within bounds, lowered
below a default only with the person's confirmation, and audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.network import services
from impactlog.network.models import NetworkSettings
from impactlog.network.services import Thresholds
from impactlog.tenancy.models import AuditEntry

from .conftest import World
from .logbook_fixtures import SETTINGS_FORM

# Read-side functions are called directly here, outside any request: no tenant scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

DEFAULTS = Thresholds(visits=5, people=5, annual_survey=15, other_surveys=5)
CONFIRM = "I understand that lower numbers protect young people less"
LOWER_REFUSED = "Tick the box to confirm that you understand"


def _post(client: Client, world: World, **changes: str) -> Any:
    url = reverse("network:settings", args=[world.harbour.pk])
    return client.post(url, {**SETTINGS_FORM, **changes})


def _stored() -> list[tuple[int, int, int, int]]:
    return list(
        NetworkSettings.all_objects.values_list(
            "threshold_visits",
            "threshold_people",
            "threshold_annual_survey",
            "threshold_other_surveys",
        )
    )


def test_every_place_of_a_network_has_the_defaults_until_it_sets_its_own(world: World) -> None:
    for node in (world.network, world.region, world.harbour, world.other_club):
        assert services.thresholds_for(node) == DEFAULTS
    assert services.default_thresholds() == DEFAULTS
    assert not NetworkSettings.all_objects.exists()  # read, not written


def test_the_settings_page_shows_the_thresholds_with_their_explanation(
    world: World, login: Any, alice: User
) -> None:
    page = login(alice).get(reverse("network:settings", args=[world.harbour.pk]))
    text = page.content.decode()
    assert "<legend>Small numbers</legend>" in text
    assert 'name="threshold_annual_survey" value="15"' in text
    assert "a count of 1 to 4 visits is shown as “fewer than 5”" in text
    assert reverse("glossary:definitions", args=[world.network.pk]) in text
    assert CONFIRM in text


def test_a_network_sets_its_thresholds_and_the_change_is_audited(
    world: World, login: Any, alice: User
) -> None:
    response = _post(login(alice), world, threshold_visits="10", threshold_annual_survey="20")
    assert response.status_code == 302
    assert services.thresholds_for(world.hill) == Thresholds(
        visits=10, people=5, annual_survey=20, other_surveys=5
    )
    entry = AuditEntry.all_objects.get(action="logbook.settings_changed")
    assert entry.actor == alice and entry.node == world.network
    assert entry.changes == {"threshold_annual_survey": [15, 20], "threshold_visits": [5, 10]}


def test_saving_the_settings_without_thresholds_keeps_them(world: World, alice: User) -> None:
    services.update_settings(
        alice, world.harbour, plausible_participants=300, thresholds=Thresholds(8, 6, 15, 5)
    )
    services.update_settings(alice, world.region, plausible_participants=120)
    assert services.thresholds_for(world.harbour) == Thresholds(8, 6, 15, 5)
    assert services.settings_for(world.harbour).plausible_participants == 120


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("threshold_visits", "2", "Use at least 3: with a lower number, a count of one or two"),
        ("threshold_people", "1", "Use at least 3"),
        ("threshold_other_surveys", "0", "Use at least 3"),
        ("threshold_annual_survey", "-15", "Use at least 3"),
        ("threshold_visits", "51", "Use at most 50: a higher number would hide nearly every"),
        ("threshold_annual_survey", str(10**30), "Use at most 50"),
        ("threshold_people", "five", "Enter a whole number."),
        ("threshold_visits", "", "This field is required."),
    ],
)
def test_a_threshold_out_of_bounds_is_refused_with_its_reason(
    field: str, value: str, message: str, world: World, login: Any, alice: User
) -> None:
    response = _post(login(alice), world, **{field: value, "confirm_lower": "on"})
    assert response.status_code == 400
    [error] = response.context["form"].errors[field]  # one reason, not the form's and the model's
    assert error.startswith(message)
    assert message in response.content.decode()
    assert _stored() == []
    assert not AuditEntry.all_objects.filter(action="logbook.settings_changed").exists()


def test_the_service_refuses_a_threshold_out_of_bounds(world: World, alice: User) -> None:
    with pytest.raises(ValidationError) as refused:
        services.update_settings(
            alice,
            world.network,
            plausible_participants=300,
            thresholds=Thresholds(visits=5, people=5, annual_survey=15, other_surveys=2),
            confirm_lower=True,
        )
    assert "threshold_other_surveys" in refused.value.message_dict
    assert _stored() == []


def test_a_threshold_lowered_below_its_default_needs_the_confirmation(
    world: World, login: Any, alice: User
) -> None:
    client = login(alice)
    refused = _post(client, world, threshold_visits="4")
    assert refused.status_code == 400
    assert LOWER_REFUSED in refused.content.decode()
    assert _stored() == []

    assert _post(client, world, threshold_visits="4", confirm_lower="on").status_code == 302
    assert services.thresholds_for(world.harbour).visits == 4
    # Kept as it is, or raised, it needs no new confirmation; lowered again, it does.
    assert _post(client, world, threshold_visits="4").status_code == 302
    assert _post(client, world, threshold_visits="3").status_code == 400
    assert services.thresholds_for(world.harbour).visits == 4


@pytest.mark.parametrize(
    ("before", "after", "lowered"),
    [
        (DEFAULTS, DEFAULTS, []),
        (DEFAULTS, Thresholds(10, 5, 30, 5), []),  # raised
        (Thresholds(10, 5, 30, 5), Thresholds(6, 5, 15, 5), []),  # lowered, not below a default
        (DEFAULTS, Thresholds(5, 4, 14, 5), ["people", "annual_survey"]),
        (Thresholds(4, 5, 15, 5), Thresholds(4, 5, 15, 5), []),  # confirmed before
        (Thresholds(4, 5, 15, 5), Thresholds(3, 5, 15, 5), ["visits"]),
        (Thresholds(3, 5, 15, 5), Thresholds(4, 5, 15, 5), []),  # raised, still below
    ],
)
def test_which_changes_lower_a_threshold_below_its_default(
    before: Thresholds, after: Thresholds, lowered: list[str]
) -> None:
    assert services.lowered_below_default(before, after) == lowered


def test_the_service_asks_for_the_confirmation_too(world: World, alice: User) -> None:
    lower = Thresholds(visits=5, people=5, annual_survey=10, other_surveys=5)
    with pytest.raises(ValidationError) as refused:
        services.update_settings(alice, world.network, plausible_participants=300, thresholds=lower)
    assert list(refused.value.message_dict) == ["confirm_lower"]
    assert _stored() == []
    services.update_settings(
        alice, world.network, plausible_participants=300, thresholds=lower, confirm_lower=True
    )
    assert services.thresholds_for(world.harbour) == lower


def test_the_thresholds_are_explained_in_the_readers_language(
    world: World, login: Any, alice: User
) -> None:
    alice.language = "lv"
    alice.save()
    client = login(alice)
    page = client.get(reverse("network:settings", args=[world.harbour.pk])).content.decode()
    assert "<legend>Mazi skaitļi</legend>" in page
    assert "Saprotu, ka mazāki skaitļi jauniešus aizsargā mazāk" in page
    assert "Small numbers" not in page
    refused = _post(client, world, threshold_visits="2").content.decode()
    assert "Norādiet vismaz 3: ar mazāku skaitli" in refused
    lowered = _post(client, world, threshold_visits="4").content.decode()
    assert "Atzīmējiet izvēles rūtiņu" in lowered
