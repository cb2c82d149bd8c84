"""The kiosk, end to end: a manager makes a code, a tablet pairs with it, young people check in
(returning, new, anonymous) through a network outage and a lost answer, and the session counts
each of them once. axe and the phone width on every kiosk page, in Latvian and English."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk import api, queries, services
from impactlog.kiosk.cards import services as cards
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity, Session
from impactlog.participants.models import Participant
from impactlog.tenancy.scoping import unscoped
from tests.conftest import NOW, World
from tests.participants_world import publish, register

from .test_phone_pages import _fits_a_phone
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
WAIT = 20_000  # ms: a retry after a failure waits a few seconds


def _page(context: Any) -> Any:
    page = context.new_page()
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


@pytest.fixture
def contexts(browser: Any) -> Iterator[tuple[Any, Any]]:
    """The manager's phone and the tablet: two browsers that share nothing."""
    manager = browser.new_context(viewport=PHONE, locale="en-GB")
    tablet = browser.new_context(viewport=PHONE, locale="en-GB")
    yield manager, tablet
    manager.close()
    tablet.close()


def _sent(tablet: Any) -> None:
    """The queue on the tablet is empty."""
    tablet.wait_for_selector('#kiosk-queue[data-waiting="0"]', state="attached", timeout=WAIT)


def _stored() -> int:
    with unscoped():
        return CheckIn.all_objects.count()


def _paths_fit(tablet: Any, language: str) -> None:
    for path in ("returning", "new", "count", "card"):
        tablet.click(f'[data-path="{path}"]')
        _fits_a_phone(tablet, f"kiosk {path} in {language}")
    tablet.click('[data-path="card"]')  # closed again


def test_a_kiosk_checks_young_people_in_through_an_outage(
    live_server: Any,
    contexts: tuple[Any, Any],
    world: World,
    maria: User,
    walter: User,
    drop_in: Activity,
) -> None:
    publish(world.region)
    register(walter, world.harbour, "Fox", birth_year=2010, birth_month=3)
    base = live_server.url
    unit = world.harbour.pk
    manager_context, tablet_context = contexts

    # The manager makes a code.
    manager = _page(manager_context)
    _sign_in(manager, base, "maria@example.org")
    manager.goto(f"{base}/n/{unit}/")
    manager.click(".tabs >> text=Kiosks")
    manager.wait_for_load_state()
    _fits_a_phone(manager, "kiosks")
    manager.select_option("#id_activity", str(drop_in.pk))
    manager.click("form[action$='/kiosks/code/'] button.primary")
    manager.wait_for_load_state()
    code = manager.locator("[data-code]").inner_text()
    _fits_a_phone(manager, "pairing code")

    # The tablet pairs with it; no one is signed in there.
    tablet = _page(tablet_context)
    tablet.goto(f"{base}/kiosk/pair/")
    _fits_a_phone(tablet, "pair")
    tablet.fill("#id_code", code)
    tablet.fill("#id_name", "Front desk")
    tablet.click("button.kiosk-primary")
    tablet.wait_for_load_state()
    assert tablet.url == f"{base}/kiosk/"
    assert tablet.locator("html").get_attribute("lang") == "lv"  # Harbour's own language
    assert "Pirmo reizi šeit" in tablet.content()
    _fits_a_phone(tablet, "kiosk in lv")
    _paths_fit(tablet, "lv")
    tablet.click('[data-language="en"]')
    tablet.wait_for_load_state()
    assert tablet.locator("html").get_attribute("lang") == "en"
    _paths_fit(tablet, "en")

    # A returning young person; the answer to the first try is lost on the way back, so the
    # tablet sends the same check-in again: stored once, counted as a duplicate.
    answers_lost: list[Any] = []

    def lose_the_first_answer(route: Any) -> None:
        if not answers_lost:
            answers_lost.append(route.fetch())  # the server stores it
            route.abort()
        else:
            route.continue_()

    tablet.route("**/kiosk/api/check-in/", lose_the_first_answer)
    tablet.click('[data-path="returning"]')
    tablet.fill("#alias-typed", "f")
    tablet.fill("#alias-typed", "fo")
    tablet.click("#alias-list >> text=Fox")
    assert tablet.locator("#kiosk-message").inner_text() == "Welcome, Fox!"
    _sent(tablet)
    tablet.unroute("**/kiosk/api/check-in/")
    assert answers_lost[0].status == 201
    assert _stored() == 1

    # A new young person, old enough to consent: registered.
    tablet.click('[data-path="new"]')
    tablet.fill("#new-alias", "Lynx")
    tablet.select_option("#new-year", "2010")
    tablet.click("#new-month-5")
    tablet.click("#new-gender-boy")
    tablet.click("#form-new button[type=submit]")
    assert tablet.locator("#kiosk-message").inner_text() == "Welcome, Lynx!"
    _sent(tablet)

    # The network goes down: an anonymous check-in waits on the tablet, then goes.
    tablet_context.set_offline(True)
    tablet.click('[data-path="count"]')
    tablet.click("#count-band-16_18")
    tablet.click("#count-gender-girls")
    tablet.click("#form-count button[type=submit]")
    assert tablet.locator("#kiosk-message").inner_text() == "Thank you, you are counted!"
    tablet.wait_for_selector('#kiosk-queue[data-waiting="1"]', state="attached")
    assert "Waiting to be sent: 1" in tablet.locator("#kiosk-queue").inner_text()
    _fits_a_phone(tablet, "kiosk offline")
    assert _stored() == 2
    tablet_context.set_offline(False)
    _sent(tablet)
    assert tablet.locator("#kiosk-queue").inner_text() == "Everything is sent."

    # Three visits, each stored once: two registered young people (the unique visitors) and one
    # counted without a name.
    with unscoped():
        session = Session.all_objects.get(activity=drop_in, date=NOW.date())
        device = KioskDevice.all_objects.get()
        assert session.participants == 3
        assert queries.unique_visitors(session) == queries.SessionVisitors(2, 1)
        assert CheckIn.all_objects.count() == 3 and device.duplicates == 1
        assert Participant.all_objects.filter(alias="Lynx").exists()
    manager.goto(base + reverse("logbook:session_edit", args=[unit, session.pk]))
    line = manager.locator("[data-unique-visitors]")
    assert line.get_attribute("data-unique-visitors") == "2"
    assert line.get_attribute("data-without-name") == "1"
    manager.goto(f"{base}/n/{unit}/kiosks/")
    facts = {
        name: manager.locator(f"[data-{name}]").inner_text()
        for name in ("sent", "received", "duplicates", "gaps")
    }
    assert facts == {"sent": "3", "received": "3", "duplicates": "1", "gaps": "none"}

    # Revoked: the tablet says so at its next check-in and offers pairing again.
    manager.click("text=Revoke Front desk")
    manager.wait_for_load_state()
    _fits_a_phone(manager, "revoke")
    manager.click("button.danger")
    manager.wait_for_load_state()
    tablet.click('[data-path="count"]')
    tablet.click("#count-band-13_15")
    tablet.click("#count-gender-boys")
    tablet.click("#form-count button[type=submit]")
    tablet.wait_for_selector("#kiosk-revoked", state="visible", timeout=WAIT)
    _fits_a_phone(tablet, "kiosk revoked")
    tablet.reload()
    assert "This kiosk is not paired" in tablet.content()
    _fits_a_phone(tablet, "not paired in en")
    tablet.click('[data-language="lv"]')
    tablet.wait_for_load_state()
    _fits_a_phone(tablet, "not paired in lv")
    assert _stored() == 3


def test_a_scanner_typing_a_card_checks_its_young_person_in(
    live_server: Any,
    contexts: tuple[Any, Any],
    world: World,
    maria: User,
    walter: User,
    drop_in: Activity,
) -> None:
    """A keyboard-wedge scanner types the card's text and Enter into the card field."""
    publish(world.region)
    fox = register(walter, world.harbour, "Fox", birth_year=2010, birth_month=3)
    card = cards.issue_card(walter, fox)
    _pairing, code = services.create_pairing_code(maria, drop_in)
    _device, token = services.pair_device(code, "Front desk")
    _manager_context, tablet_context = contexts
    host = live_server.url.split("//", 1)[1].split(":")[0]
    tablet_context.add_cookies(
        [{"name": api.COOKIE, "value": token, "domain": host, "path": "/kiosk/"}]
    )
    tablet = _page(tablet_context)
    tablet.goto(f"{live_server.url}/kiosk/")
    tablet.click('[data-language="en"]')
    tablet.wait_for_load_state()
    tablet.click('[data-path="card"]')
    tablet.fill("#card-text", card.text)
    tablet.press("#card-text", "Enter")
    # Counted at once; whose card it was, only the server's answer says.
    tablet.wait_for_selector("#kiosk-message:has-text('Welcome, Fox!')", timeout=WAIT)
    _sent(tablet)
    with unscoped():
        assert CheckIn.all_objects.get().participant_id == fox.pk
    # A card of no one: the kiosk says so, nothing is stored.
    tablet.click('[data-path="card"]')
    tablet.fill("#card-text", "IL1-1-NOTACARD")
    tablet.press("#card-text", "Enter")
    tablet.wait_for_selector(".kiosk-message-error", timeout=WAIT)
    assert "card" in tablet.locator("#kiosk-message").inner_text()
    _fits_a_phone(tablet, "kiosk card refused")
    assert _stored() == 1
