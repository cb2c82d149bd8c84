"""The survey builder's pages: the list of a node's surveys."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.surveys_world import make_survey

pytestmark = pytest.mark.django_db


def test_the_list_shows_a_units_surveys_and_those_shared_from_above(
    world, walter, carl, login, django_assert_max_num_queries
):
    make_survey(walter, world.harbour)
    shared = make_survey(carl, world.region)
    client = login(walter)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("surveys:list", args=[world.harbour.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count("How was today?") == 2
    assert shared.node.name in text
    assert "data-answers>0<" in text


def test_a_survey_of_a_unit_is_not_listed_above_it(world, walter, carl, login):
    make_survey(walter, world.harbour)
    page = login(carl).get(reverse("surveys:list", args=[world.region.pk]))
    assert "How was today?" not in page.content.decode()
    assert "No survey here yet." in page.content.decode()
