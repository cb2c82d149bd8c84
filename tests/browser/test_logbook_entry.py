from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity, Session
from tests.conftest import NOW, World
from tests.logbook_fixtures import record

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A youth worker on a phone at 21:00 logs the whole session on one screen with at most this many
# taps and keystrokes: at a generous three seconds each, within a minute.
MAX_INTERACTIONS = 20

# Counts what the person really does, on every page of the tab, into sessionStorage (so the tap
# on "Save" is counted though the page then changes): trusted pointer presses (taps) and key
# presses, and text put in without keys (a paste, or Playwright's fill() of a text field) by its
# characters. A value set by a script, such as fill() on a date or time field, is "scripted":
# a way round the count, so the test allows none; the page's own + buttons and Undo are not counted.
COUNT_INTERACTIONS = """
(() => {
  const KEY = "test-interactions";
  let afterKey = false;
  function bump(name, n) {
    try {
      const c = JSON.parse(sessionStorage.getItem(KEY) || "{}");
      c[name] = (c[name] || 0) + n;
      sessionStorage.setItem(KEY, JSON.stringify(c));
    } catch (e) {}  // about:blank has no sessionStorage
  }
  const stepped = (e) => e.target.classList && e.target.classList.contains("count");
  addEventListener("pointerdown", (e) => { if (e.isTrusted) bump("taps", 1); }, true);
  addEventListener("keydown", (e) => {
    if (e.isTrusted) { bump("keys", 1); afterKey = true; }
  }, true);
  addEventListener("input", (e) => {
    if (!e.isTrusted) { if (!stepped(e)) bump("scripted", 1); }
    else if (!afterKey && e.data) bump("typed", e.data.length);
    afterKey = false;
  }, true);
  addEventListener("change", (e) => {
    if (!e.isTrusted && !stepped(e)) bump("scripted", 1);
  }, true);
})();
"""


def _interactions(page: Any) -> dict[str, int]:
    counted = page.evaluate("JSON.parse(sessionStorage.getItem('test-interactions') || '{}')")
    return {name: counted.get(name, 0) for name in ("taps", "keys", "typed", "scripted")}


def test_a_drop_in_session_is_logged_on_one_phone_screen(
    live_server: Any,
    phone: Any,
    world: World,
    walter: User,
    drop_in: Activity,
) -> None:
    record(walter, drop_in, day=dt.date(2026, 11, 16), start="15:00", end="19:00", total=9)
    phone.context.add_init_script(COUNT_INTERACTIONS)
    _sign_in(phone, live_server.url, "walter@example.org")
    phone.goto(f"{live_server.url}/n/{world.harbour.pk}/log/")
    assert_accessible(phone)
    phone.evaluate("sessionStorage.removeItem('test-interactions')")  # signing in not counted
    entry_url = phone.url
    # Today's activity and date are chosen already; the times come from last time.
    assert phone.input_value("#id_activity") == str(drop_in.pk)
    assert phone.input_value("#id_date") == NOW.date().isoformat()
    assert (phone.input_value("#id_start_time"), phone.input_value("#id_end_time")) == (
        "15:00",
        "19:00",
    )
    # tonight it stayed open an hour longer: a tap on the hours of the end time, one up
    phone.click("#id_end_time", position={"x": 16, "y": 22})
    phone.keyboard.press("ArrowUp")
    for _ in range(4):
        phone.get_by_role("button", name="+ Girls, 13–15").click()
    for _ in range(3):
        phone.get_by_role("button", name="+ Boys, 16–18").click()
    phone.get_by_role("button", name="Undo the last tap").click()
    assert phone.locator(".count-total").inner_text() == "6"
    phone.click("#id_notes")
    phone.keyboard.type("Quiz")
    assert phone.url == entry_url  # still one screen
    phone.get_by_role("button", name="Save the session").click()
    phone.wait_for_url("**/figures/?saved=1")

    done = _interactions(phone)
    assert done["scripted"] == 0, done
    assert done["taps"] + done["keys"] + done["typed"] <= MAX_INTERACTIONS, done
    assert "Saved: Open evenings, 6 participants." in phone.content()
    assert "This week" in phone.content()
    assert_accessible(phone, every_impact=True)
    session = Session.all_objects.exclude(date=dt.date(2026, 11, 16)).get()
    assert (session.date, session.start_time, session.end_time) == (
        NOW.date(),
        dt.time(15),
        dt.time(20),
    )
    assert (session.minutes, session.participants, session.notes) == (300, 6, "Quiz")
    assert {(c.gender, c.age_band, c.count) for c in session.counts.all()} == {
        ("girls", "13_15", 4),
        ("boys", "16_18", 2),
    }


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
