from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity, Session
from tests.conftest import World

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A youth worker on a phone at 21:00: the whole entry is these taps on one screen. At a
# generous two seconds a tap it stays well under a minute.
MAX_TAPS = 15


def test_a_drop_in_session_is_logged_on_one_phone_screen(
    live_server: Any,
    phone: Any,
    world: World,
    walter: User,
    drop_in: Activity,
) -> None:
    _sign_in(phone, live_server.url, "walter@example.org")
    taps = 0
    phone.goto(f"{live_server.url}/n/{world.harbour.pk}/log/")
    assert_accessible(phone)
    entry_url = phone.url
    # Today's activity and date are chosen already; the times come from last time.
    assert phone.input_value("#id_activity") == str(drop_in.pk)
    phone.fill("#id_start_time", "15:00")
    phone.fill("#id_end_time", "19:00")
    taps += 2
    for _ in range(4):
        phone.get_by_role("button", name="+ Girls, 13–15").click()
        taps += 1
    for _ in range(3):
        phone.get_by_role("button", name="+ Boys, 16–18").click()
        taps += 1
    phone.get_by_role("button", name="− Boys, 16–18").click()
    taps += 1
    assert phone.locator(".count-total").inner_text() == "6"
    assert phone.url == entry_url  # still one screen
    phone.get_by_role("button", name="Save the session").click()
    taps += 1
    phone.wait_for_url("**/figures/?saved=1")
    assert taps <= MAX_TAPS
    assert "Saved: Open evenings, 6 participants." in phone.content()
    assert "This week" in phone.content()
    assert_accessible(phone)
    session = Session.all_objects.get()
    assert (session.participants, session.minutes) == (6, 240)


def test_an_unsaved_entry_survives_a_lost_page_as_a_draft(
    live_server: Any,
    phone: Any,
    world: World,
    walter: User,
    drop_in: Activity,
) -> None:
    _sign_in(phone, live_server.url, "walter@example.org")
    url = f"{live_server.url}/n/{world.harbour.pk}/log/"
    phone.goto(url)
    phone.fill("#id_notes", "Board games night")
    phone.get_by_role("button", name="+ Girls, Under 13").click()
    phone.goto(url)  # the phone lost the page
    assert phone.input_value("#id_notes") == "Board games night"
    assert phone.input_value("#id_c_girls_u13") == "1"
    assert phone.locator(".draft-note").is_visible()
    phone.get_by_role("button", name="Discard it").click()
    phone.wait_for_load_state()
    assert phone.input_value("#id_notes") == ""
