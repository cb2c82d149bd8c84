"""A young person's personal link on phones (390 × 844): the worker makes it and sees the slip,
the young person opens it, types a wrong PIN and the right one, reads their own page in their
language and signs out. Nothing scrolls sideways, every target is at least 44 × 44 px, axe finds
nothing of any impact, no CSP violation."""

from __future__ import annotations

import re
from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.participants_world import publish, register

from .conftest import assert_accessible
from .test_phone_pages import _fits_a_phone
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _young_persons_phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda m: (
            page.csp_violations.append(m.text) if "Content Security Policy" in m.text else None
        ),
    )
    return page


def test_a_young_person_opens_their_link_with_the_pin_on_a_phone(
    live_server: Any, phone: Any, browser: Any, world: World, walter: User
) -> None:
    publish(world.region)
    with unscoped():
        robin = register(None, world.harbour, alias="Robin")
    base = live_server.url
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{world.harbour.pk}/young-people/{robin.pk}/")
    phone.click("text=Personal link")
    phone.wait_for_load_state()
    _fits_a_phone(phone, "no link yet")
    phone.click("button.primary")
    phone.wait_for_load_state()
    _fits_a_phone(phone, "the slip")
    url = phone.locator(".slip-url").inner_text().strip()
    pin = phone.locator(".slip-pin strong").inner_text().strip()
    assert re.fullmatch(r"[0-9]{6}", pin)
    assert phone.locator(".slip svg").count() == 1

    young = _young_persons_phone(browser)
    try:
        young.goto(url)
        _fits_a_phone(young, "PIN")
        young.fill("#id_pin", "000000" if pin != "000000" else "111111")
        young.click("button.primary")
        young.wait_for_load_state()
        assert "4 more times" in young.locator("#id_pin_error").inner_text()
        _fits_a_phone(young, "wrong PIN")
        young.fill("#id_pin", pin)
        young.click("button.primary")
        young.wait_for_load_state()
        assert young.locator("h1").inner_text() == "Hello, Robin"
        _fits_a_phone(young, "own page")
        young.select_option("#language-select", "lv")
        young.click(".language-form button")
        young.wait_for_load_state()
        assert young.locator("h1").inner_text() == "Sveiki, Robin"
        assert young.locator("html").get_attribute("lang") == "lv"
        _fits_a_phone(young, "own page in Latvian")
        young.click("button.sign-out")
        young.wait_for_load_state()
        assert_accessible(young, every_impact=True)
        young.goto(f"{base}/me/")
        assert young.locator("h1").count() == 1
        assert "Sveiki" not in young.content()
    finally:
        young.context.close()
