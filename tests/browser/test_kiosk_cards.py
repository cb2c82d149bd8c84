"""Kiosk cards on a phone (390 × 844): a worker issues a young person's card, gives cards to the
unit and opens the sheet to print, in English and in the longest languages. Nothing scrolls
sideways, every target is at least 44 × 44 px, axe finds nothing of any impact."""

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


def test_a_worker_issues_and_prints_cards_on_a_phone(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    with unscoped():
        fox = register(None, world.harbour, "Fox")
        register(None, world.harbour, "Owl with a rather long alias")
    base = live_server.url
    unit = world.harbour.pk
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{unit}/young-people/{fox.pk}/")
    phone.click("text=Issue a card")
    phone.wait_for_load_state()
    assert "Print the card" in phone.content()
    _fits_a_phone(phone, "record with a card")
    phone.goto(f"{base}/n/{unit}/young-people/cards/")
    _fits_a_phone(phone, "cards of the unit")
    phone.click("text=Issue a card to the 1 young person without one")
    phone.wait_for_load_state()
    assert "1 card is issued." in phone.content()
    phone.click("text=Show the sheet to print")
    phone.wait_for_load_state()
    assert phone.locator(".kiosk-card svg.kiosk-qr").count() == 2
    _fits_a_phone(phone, "sheet")
    for code in ("lt", "fi", "sl"):
        _switch_language(phone, base, unit, code)
        for path in ("young-people/cards/", "young-people/cards/sheet/"):
            phone.goto(f"{base}/n/{unit}/{path}")
            _fits_a_phone(phone, f"{path} in {code}")
    # Printed: two columns of four on A4.
    _switch_language(phone, base, unit, "en")
    phone.goto(f"{base}/n/{unit}/young-people/cards/sheet/")
    phone.emulate_media(media="print")
    columns = phone.evaluate(
        "getComputedStyle(document.querySelector('.kiosk-sheet')).gridTemplateColumns"
    )
    assert len(columns.split()) == 2, columns
    assert not phone.locator(".site-header").is_visible()
