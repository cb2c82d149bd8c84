"""The pages a youth worker and a coordinator use, on a 390 × 844 phone in all seven languages:
nothing scrolls sideways, every target is at least 44 × 44 px, axe finds nothing of any impact;
each page weighs under 100 KB and asks nothing of another host."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from impactlog.accounts.models import User
from impactlog.glossary import services as definitions
from impactlog.glossary.models import Definition
from impactlog.logbook.models import Activity
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.logbook_fixtures import record
from tests.surveys_world import answer, make_survey

from .conftest import assert_accessible
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390
MIN_TARGET = 44
MAX_PAGE_BYTES = 100 * 1024

# Interactive elements smaller than 44 × 44 px. A link inside running text (a paragraph) is
# left out, as WCAG 2.5.8 leaves out inline targets; so is what is not displayed at all, and
# the skip link, which only shows on focus.
SMALL_TARGETS = """
() => {
  const small = [];
  const targets = 'a[href], button, input:not([type="hidden"]), select, textarea, summary';
  for (const el of document.querySelectorAll(targets)) {
    if (el.classList.contains("skip-link")) continue;
    if (el.tagName === "A" && el.closest("p")) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    if (box.width < 44 || box.height < 44) {
      const name = (el.innerText || el.name || el.id || "").trim().slice(0, 30);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      small.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return small;
}
"""


def _this_week_and_october(walter: User, activity: Activity) -> None:
    monday = dt.date(2026, 11, 16)  # the tests' today is Wednesday 18 November 2026
    record(walter, activity, day=monday, end="20:00", counts={("girls", "13_15"): 7})
    record(walter, activity, day=dt.date(2025, 11, 17), counts={("boys", "16_18"): 4})
    for day in range(5, 10):
        record(
            walter,
            activity,
            day=dt.date(2026, 10, day),
            counts={("girls", "13_15"): 6, ("boys", "16_18"): 5},
            youth_producers=1,
        )


def _question(walter: User, world: World) -> None:
    with unscoped():
        definitions.ensure_glossary(world.network)
        visit = Definition.all_objects.get(node=world.network, key="visit")
        definitions.ask_question(walter, visit, world.harbour, "Does a sibling waiting count?")


def _switch_language(page: Any, base: str, node_pk: int, code: str) -> None:
    page.goto(f"{base}/n/{node_pk}/")
    page.select_option("#language-select", code)
    page.click(".language-form button")
    page.wait_for_load_state()


def _fits_a_phone(page: Any, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, (where, width)
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (where, small)
    assert_accessible(page, every_impact=True)


def _pages_of_a_worker(world: World, activity: Activity) -> dict[str, str]:
    unit = world.harbour.pk
    return {
        "home": f"/n/{unit}/",
        "week grid": f"/n/{unit}/activities/{activity.pk}/week/?start=2026-11-16",
        "sessions": f"/n/{unit}/sessions/",
        "figures": f"/n/{unit}/figures/",
        "structure": f"/n/{unit}/structure/",
    }


def test_a_workers_pages_fit_a_phone_in_every_language(
    live_server: Any, phone: Any, world: World, walter: User, activity: Activity
) -> None:
    _this_week_and_october(walter, activity)
    _question(walter, world)
    base = live_server.url
    _sign_in(phone, base, "walter@example.org")
    for code, _name in settings.LANGUAGES:
        _switch_language(phone, base, world.harbour.pk, code)
        for name, path in _pages_of_a_worker(world, activity).items():
            phone.goto(base + path)
            assert phone.locator("html").get_attribute("lang") == code
            _fits_a_phone(phone, f"{code} {name}")


def test_a_coordinators_pages_fit_a_phone_in_every_language(
    live_server: Any, phone: Any, world: World, walter: User, carl: User, activity: Activity
) -> None:
    _this_week_and_october(walter, activity)
    base = live_server.url
    _sign_in(phone, base, "carl@example.org")
    region = world.region.pk
    for code, _name in settings.LANGUAGES:
        _switch_language(phone, base, region, code)
        for name, path in {
            "home": f"/n/{region}/",
            "figures": f"/n/{region}/figures/",
            "structure": f"/n/{region}/structure/",
            "people": f"/n/{region}/people/",
        }.items():
            phone.goto(base + path)
            assert phone.locator("html").get_attribute("lang") == code
            _fits_a_phone(phone, f"{code} {name}")


def test_the_pages_a_worker_uses_weigh_under_100_kb_and_ask_no_other_host(
    live_server: Any, phone: Any, world: World, walter: User, activity: Activity
) -> None:
    _this_week_and_october(walter, activity)
    _question(walter, world)
    base = live_server.url
    host = urlsplit(base).netloc
    _sign_in(phone, base, "walter@example.org")
    requests: list[str] = []
    sizes: list[int] = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.on("requestfinished", lambda request: sizes.append(_transferred(request)))
    for name, path in _pages_of_a_worker(world, activity).items():
        requests.clear()
        sizes.clear()
        # Nothing from the browser's cache: every byte the page needs is counted.
        cdp = phone.context.new_cdp_session(phone)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        phone.goto(base + path)
        phone.wait_for_load_state("networkidle")
        cdp.detach()
        assert requests, name
        elsewhere = [url for url in requests if urlsplit(url).netloc != host]
        assert elsewhere == [], (name, elsewhere)
        total = sum(sizes)
        assert 0 < total < MAX_PAGE_BYTES, (name, total)


def _transferred(request: Any) -> int:
    """The bytes of one response as they came over the network: headers and body."""
    measured = request.sizes()
    return int(measured["responseHeadersSize"]) + int(measured["responseBodySize"])


def test_a_workers_survey_pages_fit_a_phone_in_every_language(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    with unscoped():
        survey = make_survey(walter, world.harbour)
        for number in range(6):  # above the threshold of 5: the figures are shown
            answer(
                survey,
                world.harbour,
                {"safe": 4 + number % 2, "again": "yes", "gender": "girl"},
                gender="girls",
            )
    base = live_server.url
    _sign_in(phone, base, "walter@example.org")
    unit = world.harbour.pk
    for code, _name in settings.LANGUAGES:
        _switch_language(phone, base, unit, code)
        for name, path in {
            "surveys": f"/n/{unit}/surveys/",
            "results": f"/n/{unit}/surveys/{survey.pk}/results/",
            "import": f"/n/{unit}/surveys/import/",
        }.items():
            phone.goto(base + path)
            assert phone.locator("html").get_attribute("lang") == code
            _fits_a_phone(phone, f"{code} {name}")
