"""The kiosk's pages: a unit's kiosks with reconciliation, revoking, pairing, the screen."""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk import api
from impactlog.kiosk.language import COOKIE as LANGUAGE_COOKIE
from impactlog.kiosk.models import KioskDevice, PairingFailure
from impactlog.logbook.models import Activity
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .test_kiosk_api import anonymous, pair, send, tablet

pytestmark = pytest.mark.django_db

PAIR = reverse("kiosk:pair")
SCREEN = reverse("kiosk:screen")


def test_the_devices_page_shows_what_each_kiosk_sent_received_and_never_sent(
    world: World, maria: User, drop_in: Activity, login: Any
) -> None:
    _device, token = pair(maria, drop_in, "Front desk")
    client = tablet(token)
    for number in (1, 2, 5):
        assert send(client, anonymous(number)).status_code == 201
    replay = anonymous(6)
    send(client, replay)
    assert send(client, replay).status_code == 200
    page = login(maria).get(reverse("kiosk:devices", args=[world.harbour.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "Front desk" in html and "Open evenings" in html
    facts = dict(re.findall(r"<dd data-(\w+)>([^<]*)</dd>", html))
    assert facts == {"sent": "6", "received": "4", "duplicates": "1", "gaps": "№ 3–4"}
    assert "Never arrived: 2." in html


def test_the_devices_page_keeps_to_its_query_budget(
    world: World, maria: User, drop_in: Activity, login: Any
) -> None:
    client = login(maria)
    url = reverse("kiosk:devices", args=[world.harbour.pk])
    counts = []
    for name in ("Front desk", "Hall", "Stage"):
        _device, token = pair(maria, drop_in, name)
        send(tablet(token), anonymous(1))
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[2], counts


def test_a_pairing_code_is_shown_once_and_pairs_a_tablet(
    world: World, maria: User, drop_in: Activity, login: Any
) -> None:
    url = reverse("kiosk:code", args=[world.harbour.pk])
    made = login(maria).post(url, {"activity": drop_in.pk})
    assert made.status_code == 201 and made["Cache-Control"] == "private, no-store"
    code = made.context["code"]
    tablet_browser = Client()
    paired = tablet_browser.post(PAIR, {"code": code.lower(), "name": "Front desk"})
    assert paired.status_code == 302 and paired["Location"] == SCREEN
    cookie = paired.cookies[api.COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/kiosk/"
    screen = tablet_browser.get(SCREEN)
    assert screen.status_code == 200 and "Laipni lūdzam: Open evenings" in screen.content.decode()
    again = Client().post(PAIR, {"code": code, "name": "Second"})
    assert again.status_code == 200 and "This code is not valid" in again.content.decode()


def test_a_code_needs_an_activity_of_the_unit(
    world: World, maria: User, hill_club: Activity, login: Any
) -> None:
    url = reverse("kiosk:code", args=[world.harbour.pk])
    refused = login(maria).post(url, {"activity": hill_club.pk})
    assert refused.status_code == 400 and "activity" in refused.context["form"].errors


def test_guessing_codes_is_limited_per_address(settings: Any) -> None:
    settings.KIOSK_PAIRING_FAILURES = 3
    guesser = Client(REMOTE_ADDR="198.51.100.9")
    for _attempt in range(3):
        assert guesser.post(PAIR, {"code": "AAAA2222", "name": "x"}).status_code == 200
    refused = guesser.post(PAIR, {"code": "AAAA2222", "name": "x"})
    assert refused.status_code == 429 and "Too many wrong codes" in refused.content.decode()
    assert (
        Client(REMOTE_ADDR="198.51.100.10").post(PAIR, {"code": "A", "name": "x"}).status_code
        == 200
    )
    with unscoped():
        assert PairingFailure.objects.count() == 4
        assert "198.51.100.9" not in str(list(PairingFailure.objects.values()))


def test_a_revoked_kiosk_answers_401_and_offers_pairing_again(
    world: World, maria: User, drop_in: Activity, login: Any
) -> None:
    device, token = pair(maria, drop_in)
    url = reverse("kiosk:revoke", args=[world.harbour.pk, device.pk])
    manager = login(maria)
    confirm = manager.get(url)
    assert confirm.status_code == 200 and "Revoke Front desk?" in confirm.content.decode()
    with unscoped():
        assert KioskDevice.all_objects.get(pk=device.pk).revoked_at is None  # a GET changes nothing
    assert manager.post(url).status_code == 302
    assert send(tablet(token), anonymous(1)).status_code == 401
    screen = tablet(token).get(SCREEN)
    assert screen.status_code == 401
    assert PAIR in screen.content.decode()


def test_the_screen_speaks_the_language_chosen_at_the_kiosk(maria: User, drop_in: Activity) -> None:
    _device, token = pair(maria, drop_in)
    client = tablet(token, language="lv")
    client.cookies["impactlog_language"] = "en"  # the staff's language is not the kiosk's
    html = client.get(SCREEN).content.decode()
    assert '<html lang="lv">' in html and "Pirmo reizi šeit" in html
    del client.cookies[LANGUAGE_COOKIE]
    html = client.get(SCREEN).content.decode()
    assert '<html lang="lv">' in html  # Harbour's own language
    assert "Just count me" in tablet(token, language="en").get(SCREEN).content.decode()


def test_the_screen_shows_no_young_persons_data(
    world: World, walter: User, maria: User, drop_in: Activity
) -> None:
    from .participants_world import publish, register

    publish(world.region)
    register(walter, world.harbour, "Foxglove")
    _device, token = pair(maria, drop_in)
    assert "Foxglove" not in tablet(token).get(SCREEN).content.decode()


@pytest.mark.django_db(transaction=True)
def test_wrong_codes_sent_at_once_get_no_more_tries(settings: Any) -> None:
    """Eight wrong codes from one address at the same moment, three tries allowed: at most
    three are tried and the others answered 429, however the requests interleave."""
    if connection.vendor == "sqlite":
        pytest.skip("one writer at a time: SQLite cannot interleave the requests")
    settings.KIOSK_PAIRING_FAILURES = 3
    ready = threading.Barrier(8)
    answers: list[int] = []

    def guess() -> None:
        try:
            client = Client(REMOTE_ADDR="198.51.100.9")
            ready.wait(timeout=30)
            answers.append(client.post(PAIR, {"code": "AAAA2222", "name": "x"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    tried = answers.count(200)
    assert len(answers) == 8 and tried <= 3 and answers.count(429) == 8 - tried
    with unscoped():
        assert PairingFailure.objects.count() == tried  # a refused try is not kept
    # Tries sent at once may refuse each other; none is lost: the address still has the rest.
    client = Client(REMOTE_ADDR="198.51.100.9")
    for _more in range(3 - tried):
        assert client.post(PAIR, {"code": "AAAA2222", "name": "x"}).status_code == 200
    assert client.post(PAIR, {"code": "AAAA2222", "name": "x"}).status_code == 429
