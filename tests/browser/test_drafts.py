"""A draft kept in the browser belongs to the person who typed it, and signing out removes it:
youth centres share tablets."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.logbook.models import Activity
from tests.conftest import World

from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "Talked with A. about home"


def _drafts(page: Any) -> list[str]:
    """The names of the drafts this browser keeps for the site."""
    return list(
        page.evaluate(
            "Object.keys(localStorage).filter(k => k.startsWith('impactlog.draft.')"
            " || k.startsWith('session-draft-'))"
        )
    )


def _walter_types_a_note(page: Any, base: str, world: World) -> str:
    _sign_in(page, base, "walter@example.org")
    url = f"{base}/n/{world.harbour.pk}/log/"
    page.goto(url)
    page.fill("#id_notes", NOTE)
    page.get_by_role("button", name="+ Girls, Under 13").click()
    assert len(_drafts(page)) == 1
    return url


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/accounts/login/")


def _assert_no_draft_shown(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    assert page.input_value("#id_notes") == ""
    assert page.input_value("#id_c_girls_u13") in {"", "0"}
    assert not page.locator(".draft-note").is_visible()
    assert NOTE not in page.content()


def test_a_colleague_signing_in_after_sign_out_gets_no_draft(
    live_server: Any, phone: Any, world: World, walter: User, maria: User, drop_in: Activity
) -> None:
    url = _walter_types_a_note(phone, live_server.url, world)
    _sign_out(phone)
    assert _drafts(phone) == []
    _sign_in(phone, live_server.url, "maria@example.org")
    _assert_no_draft_shown(phone, url)


def test_sign_out_clears_drafts_where_the_browser_ignores_clear_site_data(
    live_server: Any, phone: Any, world: World, walter: User, drop_in: Activity
) -> None:
    """Chromium honours Clear-Site-Data only over HTTPS or on localhost: with the header taken
    off the sign-out answer, the page's own script still removes the drafts."""
    _walter_types_a_note(phone, live_server.url, world)

    def without_clear_site_data(route: Any) -> None:
        response = route.fetch(max_redirects=0)
        headers = {k: v for k, v in response.headers.items() if k.lower() != "clear-site-data"}
        route.fulfill(response=response, headers=headers)

    phone.route("**/accounts/logout/", without_clear_site_data)
    _sign_out(phone)
    assert _drafts(phone) == []


def test_another_persons_draft_is_never_restored(
    live_server: Any, phone: Any, world: World, walter: User, maria: User, drop_in: Activity
) -> None:
    """Walter's session ended without a sign-out (the tablet was put down, the session
    expired); Maria signs in on the same browser and opens the same entry page."""
    url = _walter_types_a_note(phone, live_server.url, world)
    phone.context.clear_cookies()
    _sign_in(phone, live_server.url, "maria@example.org")
    _assert_no_draft_shown(phone, url)
    # and his draft is gone from the device, not only hidden
    assert _drafts(phone) == []


def test_a_draft_is_restored_for_the_person_who_typed_it(
    live_server: Any, phone: Any, world: World, walter: User, drop_in: Activity
) -> None:
    url = _walter_types_a_note(phone, live_server.url, world)
    phone.goto(url)  # the page was lost
    assert phone.input_value("#id_notes") == NOTE
    assert phone.locator(".draft-note").is_visible()
    # the draft's name carries no e-mail address
    assert all("walter" not in name for name in _drafts(phone))
