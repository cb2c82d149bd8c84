"""A guardian's online consent form on a phone (390 × 844), in Latvian and in Swedish: nothing
scrolls sideways, every target is at least 44 × 44 px, axe finds nothing of any impact; a
missing tick is shown as an error, then the consent registers the young person."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.participants import guardian
from impactlog.participants.models import Consent, GivenBy, Method, Participant
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.participants_world import publish

from .test_phone_pages import _fits_a_phone
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ask(world: World, walter: User, base: str) -> str:
    with unscoped():
        requested = guardian.request_guardian_consent(
            walter,
            world.harbour,
            alias="Lynx",
            birth_year=2015,
            birth_month=4,
            gender="boy",
            guardian_email="parent@example.org",
            language="lv",
            base_url=base,
        )
    return requested.link


def test_a_guardian_consents_on_a_phone_in_two_languages(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    link = _ask(world, walter, live_server.url)
    phone.goto(link)
    assert phone.locator("html").get_attribute("lang") == "lv"
    assert "Mēs glabājam tavu segvārdu." in phone.content()
    _fits_a_phone(phone, "guardian form, Latvian")
    phone.click("a[hreflang=sv]")
    phone.wait_for_load_state()
    assert phone.locator("html").get_attribute("lang") == "sv"
    assert "We keep your alias." in phone.content()  # no Swedish text: the English one
    _fits_a_phone(phone, "guardian form, Swedish")
    phone.check("#id_registration")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert phone.locator("#id_is_guardian_error").count() == 1
    _fits_a_phone(phone, "guardian form with an error")
    with unscoped():
        assert not Participant.all_objects.exists()
    phone.check("#id_is_guardian")
    phone.check("#id_registration")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Tack"
    _fits_a_phone(phone, "guardian thanks")
    with unscoped():
        consent = Consent.all_objects.get()
    assert (consent.given_by, consent.method) == (GivenBy.GUARDIAN, Method.ONLINE)
    phone.goto(link)
    assert "used already" in phone.content()  # in the reader's language: English here
    _fits_a_phone(phone, "used link")


def test_a_worker_asks_a_guardian_and_prints_the_form_on_a_phone(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    base = live_server.url
    unit = world.harbour.pk
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{unit}/young-people/guardian/new/")
    _fits_a_phone(phone, "guardian request")
    phone.fill("#id_alias", "Lynx")
    phone.fill("#id_birth_year", "2015")
    phone.select_option("#id_birth_month", "4")
    phone.check("#id_gender_1")
    phone.fill("#id_guardian_email", "parent@example.org")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert "/guardian/" in phone.locator(".guardian-link").inner_text()
    _fits_a_phone(phone, "link shown")
    phone.goto(f"{base}/n/{unit}/young-people/guardian/paper/?language=et&alias=Lynx")
    assert phone.locator("article.paper-form").get_attribute("lang") == "et"
    _fits_a_phone(phone, "printable form")
