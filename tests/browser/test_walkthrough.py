from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from tests.conftest import PASSWORD, World

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    assert_accessible(page)
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_load_state()


def test_a_worker_signs_in_switches_language_and_reaches_her_unit(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    base = live_server.url
    _sign_in(phone, base, "walter@example.org")
    assert phone.url.endswith(f"/n/{world.harbour.pk}/")
    assert phone.locator("h1").inner_text() == "Harbour Youth Centre"
    assert_accessible(phone)

    phone.select_option("#language-select", "lv")
    phone.click(".language-form button")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "lv"
    assert phone.url.endswith(f"/n/{world.harbour.pk}/")
    assert phone.locator("h1").inner_text() == "Harbour Youth Centre"
    assert phone.locator(".account-nav button").inner_text() != "Sign out"
    assert_accessible(phone)
    walter.refresh_from_db()
    assert walter.language == "lv"

    phone.goto(f"{base}/n/{world.harbour.pk}/structure/")
    assert_accessible(phone)
    phone.goto(f"{base}/accounts/profile/")
    assert_accessible(phone)


def test_an_admin_manages_the_structure_and_people(
    live_server: Any, phone: Any, world: World, alice: User, walter: User
) -> None:
    base = live_server.url
    _sign_in(phone, base, "alice@example.org")
    phone.goto(f"{base}/n/{world.network.pk}/structure/")
    assert_accessible(phone)
    phone.goto(f"{base}/n/{world.region.pk}/add/")
    assert_accessible(phone)
    phone.fill("#id_name", "Dock Youth Club")
    phone.fill("#id_slug", "hill")  # taken: the form explains and keeps the input
    phone.click("button.primary")
    assert "Another place here already uses this short name." in phone.content()
    assert phone.input_value("#id_name") == "Dock Youth Club"
    assert_accessible(phone)
    phone.fill("#id_slug", "dock")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert "Dock Youth Club" in phone.content()

    phone.goto(f"{base}/n/{world.harbour.pk}/people/")
    assert "Walter Worker" in phone.content()
    assert_accessible(phone)
    phone.goto(f"{base}/n/{world.harbour.pk}/people/invite/")
    assert_accessible(phone)
    phone.goto(f"{base}/n/{world.network.pk}/audit/")
    assert "Place added" in phone.content()
    assert_accessible(phone)
    phone.goto(f"{base}/n/{world.harbour.pk}/archive/")
    assert_accessible(phone)
    phone.goto(f"{base}/accounts/two-factor/")
    assert_accessible(phone)
