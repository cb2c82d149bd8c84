"""Using a template and a network's own templates (surveys/library_services.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from impactlog.accounts.models import User
from impactlog.surveys import library_services
from impactlog.surveys.models import Survey
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .surveys_world import make_survey

WHEN = dt.datetime(2026, 9, 1, 10, tzinfo=dt.UTC)


def test_the_annual_template_gets_the_october_window(world: World, walter: User) -> None:
    survey = library_services.use_template(walter, world.harbour, "annual", now=WHEN)
    assert survey.kind == "annual" and survey.made_from is None and not survey.is_template
    assert (survey.opens_on, survey.closes_on) == (dt.date(2026, 10, 5), dt.date(2026, 10, 25))


def test_a_published_template_is_used_below_and_withdrawn(
    world: World, carl: User, walter: User, otto: User
) -> None:
    own = make_survey(carl, world.region)
    template = library_services.publish_template(carl, own, world.region)
    assert template.is_template and template.node_id == world.region.pk
    made = library_services.use_template(walter, world.harbour, template)
    assert made.made_from_id == template.pk and not made.is_template
    with pytest.raises((Survey.DoesNotExist, PermissionDenied)):
        library_services.use_template(otto, world.other_org, template)
    library_services.withdraw_template(carl, template)
    with unscoped(), pytest.raises(Survey.DoesNotExist):
        library_services.use_template(walter, world.harbour, template)


def test_a_worker_cannot_publish_at_the_region(world: World, walter: User) -> None:
    own = make_survey(walter, world.harbour)
    with pytest.raises(PermissionDenied):
        library_services.publish_template(walter, own, world.region)


def test_demo_surveys_are_made_once(world: World) -> None:
    from impactlog.surveys import demo

    first = demo.load(now=WHEN)
    assert first >= 2 and first % 2 == 0
    assert demo.load(now=WHEN) == 0
