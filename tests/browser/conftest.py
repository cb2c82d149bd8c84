"""Browser tests: real Chromium from Debian driven by Playwright, with axe on every page."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One Chromium for the browser tests, closed before any other test runs.

    Playwright's sync API keeps an event loop running in this thread while it is open; the
    ORM calls of the tests themselves are still synchronous and safe, so Django's async guard
    is lifted for exactly that time.
    """
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            yield chromium
            chromium.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A phone-sized page that records Content-Security-Policy violations."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
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
    yield page
    context.close()


_axe = Axe()


def assert_accessible(page: Any, *, every_impact: bool = False) -> None:
    """axe finds no serious or critical violation, and the page broke no CSP rule.

    With `every_impact`, axe must find no violation at all, minor and moderate ones included:
    for the pages that are already clean of them, so that they stay clean.
    """
    results = _axe.run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(node["target"][0] for node in v["nodes"][:3])
        for v in results.response["violations"]
        if every_impact or v["impact"] in {"serious", "critical"}
    ]
    assert bad == [], f"{page.url}: " + "; ".join(bad)
    assert page.csp_violations == [], page.csp_violations
