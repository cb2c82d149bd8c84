"""A young person's progress on a phone (390 × 844): the timeline with a worker's and an own
rating side by side, a rating added through its form, the recognitions waiting and the learning
summary; nothing scrolls sideways, every target is at least 44 × 44 px, axe finds nothing of any
impact, in English and in the longest languages."""

from __future__ import annotations

from typing import Any

import pytest

from impactlog.accounts.models import User
from impactlog.progress import own, services
from impactlog.tenancy.scoping import unscoped
from tests.conftest import World
from tests.participants_world import publish, register

from .test_phone_pages import _fits_a_phone, _switch_language
from .test_walkthrough import _sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_worker_follows_a_young_persons_progress_on_a_phone(
    live_server: Any, phone: Any, world: World, walter: User
) -> None:
    publish(world.region)
    with unscoped():
        fox = register(None, world.harbour, "Fox")
        owl = register(None, world.harbour, "Owl")
        services.rate(walter, fox, "digital", 2, note="Shy with the camera at first")
        goal = services.add_goal(
            walter, fox, "Lead a workshop for the younger ones", mentor=walter, steps=["Plan"]
        )
    own.self_assess(fox, "digital", 4)
    own.write_journal(fox, "We filmed a short film about our area", "A shot can be planned")
    own.recognise(owl, fox, "citizenship", "You helped me understand the camera")
    base = live_server.url
    unit = world.harbour.pk
    timeline = f"{base}/n/{unit}/young-people/{fox.pk}/progress/"
    _sign_in(phone, base, "walter@example.org")
    phone.goto(f"{base}/n/{unit}/young-people/{fox.pk}/")
    phone.click("text=Progress and learning")
    phone.wait_for_load_state()
    assert "Seen differently: worth talking about." in phone.content()
    _fits_a_phone(phone, "timeline")

    phone.click("text=Rate a competence")
    phone.wait_for_load_state()
    _fits_a_phone(phone, "rating form")
    phone.select_option("select[name=competence]", "literacy")
    phone.check("input[name=level][value='3']")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert phone.url == timeline and "The rating is saved." in phone.content()

    phone.goto(f"{base}/n/{unit}/young-people/recognitions/")
    assert "You helped me understand the camera" in phone.content()
    _fits_a_phone(phone, "recognitions waiting")
    phone.click("button.primary")
    phone.wait_for_load_state()
    assert "No recognitions are waiting." in phone.content()

    phone.goto(f"{timeline}goals/{goal.pk}/")
    _fits_a_phone(phone, "goal")
    phone.goto(f"{timeline}summary/")
    assert "Digital competence" in phone.content()
    _fits_a_phone(phone, "learning summary")
    for code in ("lt", "fi"):
        _switch_language(phone, base, unit, code)
        phone.goto(timeline)
        _fits_a_phone(phone, f"timeline in {code}")
