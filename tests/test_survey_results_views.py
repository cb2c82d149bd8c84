"""The results page and the answers' download: protected for everyone but the unit's own
workers, who alone read the free texts and download the answers (both audited)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .surveys_world import answer, make_survey


@pytest.fixture
def answered(world: World, walter: User):  # type: ignore[no-untyped-def]
    with unscoped():
        survey = make_survey(walter, world.harbour)
        for i in range(6):
            answer(survey, world.harbour, {"safe": 4, "again": "no", "why_not": f"Music {i}"})
    return survey


def test_the_units_worker_reads_free_texts_audited(
    login, world: World, walter: User, answered
) -> None:  # type: ignore[no-untyped-def]
    page = login(walter).get(reverse("results:page", args=[world.harbour.pk, answered.pk]))
    assert page.status_code == 200 and "Music 3" in page.content.decode()
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.SURVEY_ANSWERS_READ).count() == 1


def test_the_coordinator_sees_figures_but_no_free_text(
    login, world: World, carl: User, answered
) -> None:  # type: ignore[no-untyped-def]
    page = login(carl).get(reverse("results:page", args=[world.region.pk, answered.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Music" not in text and "6 complete answers" in text


def test_below_the_threshold_the_page_says_how_many(
    login, world: World, carl: User, walter: User
) -> None:  # type: ignore[no-untyped-def]
    with unscoped():
        survey = make_survey(walter, world.harbour)
        answer(survey, world.harbour, {"safe": 4, "again": "yes"})
    page = login(carl).get(reverse("results:page", args=[world.region.pk, survey.pk]))
    assert "Not enough answers yet (1 of 5)" in page.content.decode()


def test_the_export_holds_the_answers_and_is_audited(
    login, world: World, walter: User, answered
) -> None:  # type: ignore[no-untyped-def]
    client = login(walter)
    got = client.get(reverse("results:export", args=[world.harbour.pk, answered.pk, "csv"]))
    text = b"".join(got.streaming_content).decode()
    assert "why_not" in text.splitlines()[0] and "Music 5" in text
    with unscoped():
        assert (
            AuditEntry.all_objects.filter(action=AuditAction.SURVEY_ANSWERS_EXPORTED).count() == 1
        )
    book = client.get(reverse("results:codebook", args=[world.harbour.pk, answered.pk]))
    assert "yes_no_maybe" not in (c := b"".join(book.streaming_content).decode()) and "Maybe" in c
    xlsx = client.get(reverse("results:export", args=[world.harbour.pk, answered.pk, "xlsx"]))
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
