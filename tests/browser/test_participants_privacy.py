"""Erasing a young person and the retention preview on a phone (390 × 844), in English and in
the longest languages: nothing scrolls sideways, every target is at least 44 × 44 px, axe finds
nothing of any impact."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.participants_world import publish, register

from .test_phone_pages import _fits_a_phone, _switch_language
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_erases_a_young_person_on_a_phone(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    with unscoped():
        fox = register(None, world.harbour)
    base = live_server.url
    unit = world.harbour.pk
    _sign_in(phone, base, "walter@example.org")
    for code in ("lt", "fi"):
        _switch_language(phone, base, unit, code)
        phone.goto(f"{base}/n/{unit}/young-people/{fox.pk}/erase/")
        _fits_a_phone(phone, f"erase in {code}")
    _switch_language(phone, base, unit, "en")
    phone.goto(f"{base}/n/{unit}/young-people/{fox.pk}/")
    _fits_a_phone(phone, "record")
    phone.click(".card-actions >> text=Erase")
    phone.wait_for_load_state()
    assert "What stays" in phone.content()
    _fits_a_phone(phone, "erase")
    phone.click("button.danger")
    phone.wait_for_load_state()
    assert "Anonymised on" in phone.content()
    _fits_a_phone(phone, "anonymised record")


def test_an_administrator_previews_retention_on_a_phone(
    live_server: Any, phone: Any, world: World, alice: User
) -> None:
    base = live_server.url
    region = world.region.pk
    _sign_in(phone, base, "alice@example.org")
    phone.goto(f"{base}/n/{region}/young-people/settings/")
    phone.click("text=Who the next retention run would anonymise")
    phone.wait_for_load_state()
    assert "would anonymise 0 young people" in phone.content()
    _fits_a_phone(phone, "retention")
    for code in ("sl", "et"):
        _switch_language(phone, base, region, code)
        phone.goto(f"{base}/n/{region}/young-people/settings/retention/")
        _fits_a_phone(phone, f"retention in {code}")
