"""A coordinator's figures page on a phone: protected counts read as such, in every language."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity
from tests.conftest import World
from tests.logbook_fixtures import record

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_reads_protected_figures_on_a_phone_in_every_language(
    live_server: Any, phone: Any, world: World, walter: User, activity: Activity, carl: User
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 3, ("boys", "13_15"): 12})
    base = live_server.url
    _sign_in(phone, base, "carl@example.org")
    for code, _name in settings.LANGUAGES:
        phone.goto(f"{base}/n/{world.harbour.pk}/")
        phone.select_option("#language-select", code)
        phone.click(".language-form button")
        phone.wait_for_load_state()
        # The page as it opens (this week and this term: two panels, each with its tables)
        # and a chosen period; axe finds nothing on either, of any impact.
        phone.goto(f"{base}/n/{world.harbour.pk}/figures/")
        assert phone.locator("section.panel h2[id^=panel-]").count() == 2
        assert_accessible(phone, every_impact=True)
        phone.goto(f"{base}/n/{world.harbour.pk}/figures/?kind=month&start=2026-10-01")
        assert phone.locator("html").get_attribute("lang") == code
        hidden = phone.locator("a.protected.primary").first
        assert hidden.is_visible(), code
        assert_accessible(phone, every_impact=True)
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, (code, width)
        hidden.click()
        assert phone.url.endswith("#small-numbers")
        assert phone.locator("#small-numbers").is_visible()
