"""The young people's figures on the figures page, on a phone: exact for a manager, protected
for a coordinator, readable and accessible at 390 px."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from tests.conftest import World
from tests.test_logbook_figures_young import checked_in  # noqa: F401 (a fixture)

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OCTOBER = "?kind=month&start=2026-10-01"


def _young_section(phone: Any) -> Any:
    heading = phone.locator("h3[id^=young-]")
    assert heading.count() == 1
    assert heading.first.is_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    assert_accessible(phone, every_impact=True)
    return phone.locator("table:has(caption[id^=young-])")


@pytest.mark.usefixtures("checked_in")
def test_young_people_on_a_phone_exact_and_protected(
    live_server: Any, phone: Any, world: World, maria: User, carl: User
) -> None:
    base = live_server.url
    _sign_in(phone, base, "maria@example.org")
    phone.goto(f"{base}/n/{world.harbour.pk}/figures/{OCTOBER}")
    tables = _young_section(phone)
    assert tables.count() == 6
    key = tables.first
    assert key.locator("tr:has(th:text-is('Unique visitors')) td").inner_text() == "12"
    assert phone.locator("table:has(caption[id^=young-]) a.protected").count() == 0

    phone.context.clear_cookies()
    _sign_in(phone, base, "carl@example.org")
    for code in ("en", "lv"):
        if code != "en":
            phone.goto(f"{base}/n/{world.harbour.pk}/")
            phone.select_option("#language-select", code)
            phone.click(".language-form button")
            phone.wait_for_load_state()
        phone.goto(f"{base}/n/{world.harbour.pk}/figures/{OCTOBER}")
        assert phone.locator("html").get_attribute("lang") == code
        tables = _young_section(phone)
        hidden = phone.locator("table:has(caption[id^=young-]) a.protected.primary").first
        assert hidden.is_visible(), code
        hidden.click()
        assert phone.url.endswith("#small-numbers")
