"""The forms of issue 11 that make a secret shown once (a personal link, a kiosk card, a pairing
code): sent again with the same idempotency key, they make nothing new, so the link, card or code
given out first keeps working, and the answer says so."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk.cards.models import KioskCard
from impactlog.kiosk.models import PairingCode
from impactlog.logbook.models import Activity
from impactlog.participants.models import Participant, PersonalLink
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import publish, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def fox(world: World, walter: User) -> Participant:
    publish(world.region)
    return register(walter, world.harbour, "Fox", birth_year=2009, birth_month=1)


def _key(client: Client, url: str) -> str:
    found = re.findall(r'name="idempotency_key" value="([\w-]+)"', client.get(url).content.decode())
    assert found, "the form carries no idempotency key"
    return str(found[0])


def _twice(client: Client, url: str, body: dict[str, Any]) -> tuple[Any, str]:
    first = client.post(url, body)
    again = client.post(url, body, follow=True)
    return first, again.content.decode()


def test_a_resent_personal_link_form_keeps_the_first_link(
    world: World, walter: User, login: Any, fox: Participant
) -> None:
    client = login(walter)
    url = reverse("participants:link", args=[world.harbour.pk, fox.pk])
    body = {"days": "90", "pin": "", "idempotency_key": _key(client, url)}
    first, again = _twice(client, url, body)
    assert first.status_code == 302
    assert "Already made" in again
    with unscoped():
        links = PersonalLink.all_objects.filter(participant=fox)
        assert links.count() == 1 and links.get().revoked_at is None


def test_a_resent_card_form_keeps_the_first_card(
    world: World, walter: User, login: Any, fox: Participant
) -> None:
    client = login(walter)
    detail = reverse("participants:detail", args=[world.harbour.pk, fox.pk])
    url = reverse("cards:issue", args=[world.harbour.pk, fox.pk])
    first, again = _twice(client, url, {"idempotency_key": _key(client, detail)})
    assert first.status_code == 302
    assert "Already issued" in again
    with unscoped():
        cards = KioskCard.all_objects.filter(participant=fox)
        assert cards.count() == 1 and cards.get().revoked_at is None


def test_a_resent_pairing_code_form_makes_one_code(
    world: World, maria: User, login: Any, drop_in: Activity
) -> None:
    client = login(maria)
    page = reverse("kiosk:devices", args=[world.harbour.pk])
    url = reverse("kiosk:code", args=[world.harbour.pk])
    body = {"activity": str(drop_in.pk), "idempotency_key": _key(client, page)}
    first, again = _twice(client, url, body)
    assert first.status_code == 201
    assert "Already made" in again
    with unscoped():
        assert PairingCode.all_objects.count() == 1
