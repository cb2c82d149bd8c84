"""The session entry page on a 390 × 844 phone, in each of the seven languages: nothing
scrolls sideways, every target is at least 44 × 44 px, Save and the usual counts are on the
first screen, and a drop-in of 20 is logged by tapping."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.conf import settings

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity, Session
from tests.conftest import NOW, PASSWORD, World
from tests.logbook_fixtures import record

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 390, 844
TARGET = 44
LANGUAGES = [code for code, _name in settings.LANGUAGES]

# The visible things one can tap or focus in the form, and any smaller than TARGET px.
SMALL_TARGETS = """
() => Array.from(document.querySelectorAll(
  "form.session-form :is(a, button, input, select, textarea, summary)"
)).filter((el) => el.type !== "hidden" && el.getClientRects().length > 0
    && !el.closest(".visually-hidden"))
  .map((el) => ({ el, box: el.getBoundingClientRect() }))
  .filter(({ box }) => box.width < 44 || box.height < 44)
  .map(({ el, box }) => `${el.tagName.toLowerCase()}#${el.id || el.className || el.name}`
    + ` ${Math.round(box.width)}×${Math.round(box.height)}`)
"""


# What reaches past the right edge of the screen, for the message of a failed check.
WIDEST = """
() => Array.from(document.querySelectorAll("body *"))
  .map((el) => [el, el.getBoundingClientRect()])
  .filter(([el, box]) => box.right > 391 || el.scrollWidth > el.clientWidth + 1)
  .slice(0, 6).map(([el, box]) => `${el.tagName.toLowerCase()}.${el.className} ${box.right}`)
"""


def _a_teenage_drop_in(walter: User, drop_in: Activity) -> None:
    """Last week's drop-ins had teenagers, so the page shows 13–15 and 16–18 first."""
    for day, (girls, boys) in enumerate([(6, 8), (7, 9)]):
        record(
            walter,
            drop_in,
            day=NOW.date() - dt.timedelta(days=7 - day),
            start="15:00",
            end="20:00",
            counts={("girls", "13_15"): girls, ("boys", "13_15"): boys, ("boys", "16_18"): 2},
        )


def _open(phone: Any, base: str, world: World, language: str) -> None:
    phone.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    )
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{world.harbour.pk}/log/")


def _fits(phone: Any) -> None:
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= WIDTH, f"{phone.url} is {width} px wide: " + ", ".join(phone.evaluate(WIDEST))
    assert phone.evaluate(SMALL_TARGETS) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_entry_page_fits_a_phone_in_every_language(
    live_server: Any, phone: Any, world: World, walter: User, drop_in: Activity, language: str
) -> None:
    _a_teenage_drop_in(walter, drop_in)
    _open(phone, live_server.url, world, language)
    assert phone.locator("html").get_attribute("lang") == language
    _fits(phone)
    # Save and the total are on screen, above everything else they might cover.
    save = phone.locator(".save-bar button[type=submit]")
    box = save.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= HEIGHT
    bar_top = phone.locator(".save-bar").bounding_box()["y"]
    # The usual bands are shown, the others hidden, and every shown count fits above the bar.
    shown = phone.locator(".count-grid tbody tr:visible")
    assert [shown.nth(i).get_attribute("data-band") for i in range(shown.count())] == [
        "13_15",
        "16_18",
    ]
    for cell in phone.locator(".count-grid tbody tr:visible input.count").all():
        cell_box = cell.bounding_box()
        assert cell_box is not None and cell_box["y"] + cell_box["height"] <= bar_top
    # "I only know the total" comes before the grid.
    assert phone.evaluate(
        "document.querySelector('#id_breakdown_unknown').compareDocumentPosition("
        "document.querySelector('.count-grid')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    # Start and end on one line, as tall as the other targets.
    start, end = (phone.locator(f"#id_{name}_time").bounding_box() for name in ("start", "end"))
    assert start["y"] == end["y"] and start["height"] >= TARGET
    assert_accessible(phone, every_impact=True)
    # Everything unfolded: all the bands and sections still fit and keep their sizes.
    phone.locator("button.show-bands").click()
    assert phone.locator(".count-grid tbody tr:visible").count() == 6
    for summary in phone.locator("form.session-form summary").all():
        summary.click()
    _fits(phone)
    assert_accessible(phone, every_impact=True)


def test_a_drop_in_of_twenty_is_logged_by_tapping(
    live_server: Any, phone: Any, world: World, walter: User, drop_in: Activity
) -> None:
    _a_teenage_drop_in(walter, drop_in)
    _open(phone, live_server.url, world, "en")
    for name, taps in [("Girls, 13–15", 8), ("Boys, 13–15", 9), ("Boys, 16–18", 4)]:
        button = phone.get_by_role("button", name=f"+ {name}")
        for _ in range(taps):
            button.click()
    assert phone.locator(".count-total").inner_text() == "21"
    # One tap too many: undone.
    phone.get_by_role("button", name="Undo the last tap").click()
    assert phone.input_value("#id_c_boys_16_18") == "3"
    assert phone.locator("#tally-status").inner_text() == "Undone: Boys, 16–18 3"
    assert phone.locator(".count-total").inner_text() == "20"
    # A band that has a value never hides; the others are one tap away.
    assert not phone.locator("#id_c_girls_u13").is_visible()
    phone.get_by_role("button", name="Show all age bands").click()
    assert phone.locator("#id_c_girls_u13").is_visible()
    assert phone.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "+ Girls, Under 13"
    )
    phone.get_by_role("button", name="Save the session").click()
    phone.wait_for_url("**/figures/?saved=1")
    assert "Saved: Open evenings, 20 participants." in phone.content()
    session = Session.all_objects.get(date=NOW.date())
    assert (session.start_time, session.end_time, session.participants) == (
        dt.time(15),
        dt.time(20),
        20,
    )
    assert {(c.gender, c.age_band, c.count) for c in session.counts.all()} == {
        ("girls", "13_15", 8),
        ("boys", "13_15", 9),
        ("boys", "16_18", 3),
    }


def test_a_typed_count_and_the_total_only_path(
    live_server: Any, phone: Any, world: World, walter: User, drop_in: Activity
) -> None:
    _a_teenage_drop_in(walter, drop_in)
    _open(phone, live_server.url, world, "en")
    cell = phone.locator("#id_c_girls_13_15")
    assert (cell.get_attribute("inputmode"), cell.get_attribute("pattern")) == (
        "numeric",
        "[0-9]*",
    )
    cell.click()
    phone.keyboard.type("12")  # the 0 is replaced, not added to
    assert phone.locator(".count-total").inner_text() == "12"
    # Tabbing on, the focused field is never hidden under the bar (WCAG 2.4.11).
    phone.locator("button.show-bands").focus()
    for _ in range(8):
        phone.keyboard.press("Tab")
        focused = phone.evaluate(
            "(() => { const b = document.activeElement.getBoundingClientRect();"
            " return [document.activeElement.tagName, b.top, b.bottom]; })()"
        )
        if phone.evaluate("document.activeElement.closest('.save-bar') !== null"):
            break
        bar_top = phone.locator(".save-bar").bounding_box()["y"]
        assert focused[2] <= bar_top + 1, focused
    phone.locator("#id_breakdown_unknown").check()
    assert not phone.locator(".count-grid").is_visible()
    assert phone.evaluate("document.activeElement.id") == "id_total"
    phone.keyboard.type("17")
    assert phone.locator(".count-total").inner_text() == "17"
    phone.get_by_role("button", name="Save the session").click()
    phone.wait_for_url("**/figures/?saved=1")
    session = Session.all_objects.get(date=NOW.date())
    assert (session.participants, session.breakdown_known) == (17, False)


def test_without_javascript_every_band_shows(
    browser: Any, live_server: Any, world: World, walter: User, drop_in: Activity
) -> None:
    _a_teenage_drop_in(walter, drop_in)
    context = browser.new_context(
        viewport={"width": WIDTH, "height": HEIGHT}, java_script_enabled=False
    )
    page = context.new_page()
    try:
        base = live_server.url
        page.goto(f"{base}/accounts/login/")  # signed in by hand: axe needs JavaScript
        page.fill("#id_username", "walter@example.org")
        page.fill("#id_password", PASSWORD)
        page.click("button.primary")
        page.wait_for_load_state()
        page.goto(f"{base}/n/{world.harbour.pk}/log/")
        assert page.locator(".count-grid tbody tr:visible").count() == 6
        assert not page.locator("button.show-bands").is_visible()
        assert page.locator(".save-bar button[type=submit]").is_visible()
    finally:
        context.close()
