"""Registering a young person on a phone (390 × 844): nothing scrolls sideways, every target is
at least 44 × 44 px, axe finds nothing of any impact; with an error on the form too; then the
record and the list."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.participants.models import Participant
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.participants_world import publish

from .test_phone_pages import _fits_a_phone, _switch_language
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_registers_a_young_person_on_a_phone(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    base = live_server.url
    unit = world.harbour.pk
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{unit}/young-people/new/")
    _fits_a_phone(phone, "register")
    phone.fill("#id_alias", "Fox")
    phone.fill("#id_birth_year", "2018")  # 8 years old: a guardian must consent
    phone.select_option("#id_birth_month", "3")
    phone.check("#id_gender_0")
    phone.select_option("#id_status", "school")
    phone.check("#id_given_by_0")  # the young person
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert "guardian" in phone.locator("#id_given_by_error").inner_text()
    _fits_a_phone(phone, "register with an error")
    with unscoped():
        assert not Participant.all_objects.exists()
    phone.check("#id_given_by_1")  # a parent or guardian
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Fox"
    _fits_a_phone(phone, "record")
    phone.click("text=Record a consent")
    phone.wait_for_load_state()
    _fits_a_phone(phone, "record a consent")
    phone.goto(record := phone.url.rsplit("consent/", 1)[0])
    phone.click(".card-actions >> text=Withdraw")
    phone.wait_for_load_state()
    assert "stops all further processing" in phone.content()
    _fits_a_phone(phone, "withdraw")
    phone.click("button.danger")
    phone.wait_for_load_state()
    assert phone.url == record
    assert "consent was withdrawn" in phone.content()
    phone.goto(f"{base}/n/{unit}/young-people/")
    _fits_a_phone(phone, "list")
    for code in ("lv", "fi"):
        _switch_language(phone, base, unit, code)
        phone.goto(f"{base}/n/{unit}/young-people/new/")
        _fits_a_phone(phone, f"register in {code}")


def test_an_administrator_sets_up_the_records_on_a_phone(
    live_server: Any, phone: Any, world: World, alice: User
) -> None:
    base = live_server.url
    _sign_in(phone, base, "alice@example.org")
    phone.goto(f"{base}/n/{world.region.pk}/young-people/settings/")
    _fits_a_phone(phone, "settings")
    phone.click("text=Publish a new version")
    phone.wait_for_load_state()
    _fits_a_phone(phone, "notice")
    phone.fill("#id_en", "We keep your alias.")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert "Version 1, published on" in phone.content()
