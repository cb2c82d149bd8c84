"""The XLSForm pages: an upload makes one survey however often it is sent, a workbook with
problems answers 400 with each problem and its row in the reader's language and makes nothing,
and a survey's XLSForm downloads for whoever may manage surveys at the place."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pyxform.xls2xform import convert

from impactlog.accounts.models import User
from impactlog.surveys.models import Survey
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .surveys_world import make_survey
from .test_survey_xlsform import workbook

KEY = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]+)"')
GOOD = [["type", "name", "label::English (en)"], ["text", "ideas", "Ideas?"]]
BAD = [["type", "name", "label::English (en)"], ["text", "ideas", "Ideas?"], ["image", "p", "P"]]


def _upload(rows: list[list[Any]], name: str = "ideas.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, workbook(rows), content_type="application/octet-stream")


def test_an_upload_makes_one_survey_even_when_sent_twice(
    world: World, walter: User, login: Any
) -> None:
    client = login(walter)
    url = reverse("xlsform:import", args=[world.harbour.pk])
    page = client.get(url)
    assert page.status_code == 200
    key = KEY.search(page.content.decode())
    assert key is not None
    before = Survey.all_objects.count()
    body = {"idempotency_key": key.group(1)}
    first = client.post(url, {**body, "file": _upload(GOOD)})
    assert first.status_code == 302
    again = client.post(url, {**body, "file": _upload(GOOD)}, follow=True)
    assert "no other survey was made" in again.content.decode()
    assert Survey.all_objects.count() == before + 1
    with unscoped():
        made = Survey.all_objects.latest("pk")
        assert made.node == world.harbour and made.created_by == walter


def test_problems_are_listed_by_row_in_the_readers_language_and_nothing_is_made(
    world: World, walter: User, login: Any
) -> None:
    client = login(walter)
    url = reverse("xlsform:import", args=[world.harbour.pk])
    before = Survey.all_objects.count()
    page = client.post(url, {"file": _upload(BAD)})
    html = page.content.decode()
    assert page.status_code == 400
    assert "survey, row 3" in html and "“image” is not supported" in html
    page = client.post(url, {"file": _upload(BAD)}, HTTP_ACCEPT_LANGUAGE="lv")
    html = page.content.decode()
    assert page.status_code == 400 and 'lang="lv"' in html
    assert "survey, 3. rinda" in html and "netiek atbalstīts" in html
    assert Survey.all_objects.count() == before


def test_a_file_that_is_not_a_workbook_answers_400(world: World, walter: User, login: Any) -> None:
    client = login(walter)
    url = reverse("xlsform:import", args=[world.harbour.pk])
    for upload in (
        SimpleUploadedFile("notes.xlsx", b"just text"),
        SimpleUploadedFile("empty.xlsx", b""),
    ):
        page = client.post(url, {"file": upload})
        assert page.status_code == 400
    assert (
        "not an XLSForm workbook"
        in client.post(
            url, {"file": SimpleUploadedFile("n.xlsx", b"PK\x03\x04 broken")}
        ).content.decode()
    )


def test_a_survey_downloads_as_xlsform_and_is_audited(
    world: World, walter: User, maria: User, login: Any
) -> None:
    survey = make_survey(maria, world.harbour)
    response = login(walter).get(reverse("xlsform:download", args=[world.harbour.pk, survey.pk]))
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].endswith('-v1.xlsx"')
    convert(response.content, file_type=".xlsx")
    with unscoped():
        assert AuditEntry.all_objects.filter(
            action="survey.xlsform_exported", actor=walter, object_id=str(survey.pk)
        ).exists()


def test_another_places_survey_is_not_found(
    world: World, walter: User, carl: User, login: Any
) -> None:
    elsewhere = make_survey(carl, world.hill)  # a sibling unit of Harbour
    url = reverse("xlsform:download", args=[world.harbour.pk, elsewhere.pk])
    assert login(walter).get(url).status_code == 404
    # carl sees both units, but Hill's survey is not Harbour's nor shared with it
    assert login(carl).get(url).status_code == 404
    above = reverse("xlsform:download", args=[world.hill.pk, elsewhere.pk])
    assert login(carl).get(above).status_code == 200
