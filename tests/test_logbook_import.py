"""Importing historical sessions: a dry run, all or nothing, never twice."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from impactlog.accounts.models import User
from impactlog.logbook.io.importers import columns, reading, uploads
from impactlog.logbook.models import Activity
from impactlog.network.services import default_bands
from impactlog.structure import services as structure
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person
from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)
from .logbook_io_helpers import (
    GOOD_ROWS,
    _audit,
    _body,
    _check,
    _confirm,
    _file,
    _sessions,
    _upload,
)

pytestmark = pytest.mark.django_db


def test_the_import_page_explains_every_column_and_offers_the_template(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)

    page = client.get(reverse("logbook:import", args=[world.harbour.pk])).content.decode()
    for column in columns.columns_for(default_bands()):
        assert f"<code>{column}</code>" in page
    template_csv = client.get(reverse("logbook:import_template_csv", args=[world.harbour.pk]))
    header = _body(template_csv).decode("utf-8-sig").strip()
    assert header.split(",") == columns.columns_for(default_bands())
    assert "girls_13_15" in header and "participants_total" in header
    template_xlsx = client.get(reverse("logbook:import_template_xlsx", args=[world.harbour.pk]))
    workbook = load_workbook(io.BytesIO(_body(template_xlsx)))
    assert workbook.sheetnames == ["sessions", "columns", "activities"]
    assert [c.value for c in next(workbook["sessions"].iter_rows())] == columns.columns_for(
        default_bands()
    )
    assert workbook["activities"]["A2"].value == "Open evenings"


def test_the_dry_run_shows_every_problem_with_row_and_column_and_writes_nothing(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    tomorrow = "2026-11-19"  # the day after NOW
    content = _file(
        GOOD_ROWS[0],
        "Open evenings,31/31/2026,15:00,19:00,,,,,,,,,",
        "Open evenings,2026-10-06,15:00,19:00,,,,-2,,,,,",
        "Open evenings,2026-10-07,19:00,15:00,,,,1,,,,,",
        "Chess club,2026-10-08,15:00,19:00,,,,1,,,,,",
        f"Open evenings,{tomorrow},15:00,19:00,,,,1,,,,,",
        "Open evenings,2026-10-09,15:00,19:00,,,,1,,5,,,",
        "Open evenings,2026-10-10,3pm,,,,,1,,,,,",
        "Open evenings,2026-10-11,15:00,,,,,x,,,,,",
        "Open evenings,2026-10-05,15:00,19:00,,on_site,,4,6,1,2,480,Table tennis",
    )

    assert _upload(client, world.harbour.pk, content).status_code == 302
    response = _check(client, world.harbour.pk)

    assert response.status_code == 200
    found = {(p.row, p.column) for p in response.context["problems"]}
    assert found == {
        (3, "date"),
        (4, "girls_13_15"),
        (5, "end"),
        (6, "activity"),
        (7, "date"),
        (8, "youth_producers"),
        (9, "start"),
        (10, "girls_13_15"),
        (11, "start"),
    }
    page = response.content.decode()
    assert "Not a date" in page and "The end is before the start." in page
    assert "This unit has no activity called “Chess club”." in page
    assert "The date is in the future." in page
    assert "Row 2 has the same activity, date and start." in page
    summary = response.context["summary"]
    assert (summary.new, summary.bad) == (1, 9)
    assert _sessions() == []
    assert _audit("import.completed") == []


def test_confirming_a_clean_file_imports_every_row_at_once(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))

    assert _check(client, world.harbour.pk).context["summary"].new == 2
    response = _confirm(client, world.harbour.pk)

    assert response.status_code == 302
    first, second = _sessions()
    assert (first.date, first.minutes, first.participants, first.breakdown_known) == (
        MONDAY,
        240,
        10,
        True,
    )
    assert {(c.gender, c.age_band): c.count for c in first.counts.all()} == {
        ("girls", "13_15"): 4,
        ("boys", "16_18"): 6,
    }
    assert (first.youth_produced, first.youth_producers, first.staff_minutes) == (True, 1, 480)
    assert first.notes == "Table tennis" and first.created_by == walter
    assert (second.date, second.end_time, second.minutes) == (dt.date(2026, 10, 12), None, 90)
    assert (second.participants, second.breakdown_known) == (15, False)
    [entry] = _audit("import.completed")
    assert entry.node_id == world.harbour.pk
    assert entry.changes == {
        "file": "s.csv",
        "rows": 2,
        "created": 2,
        "already_imported": 0,
        "skipped": 0,
    }
    assert len(_audit("session.created")) == 2
    follow = client.get(response["Location"], follow=True)
    assert "2 sessions were imported." in follow.content.decode()
    assert list(Path(uploads.default_storage.location, "imports").iterdir()) == []


def test_importing_the_same_file_twice_creates_nothing_twice(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    _confirm(client, world.harbour.pk)

    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    summary = _check(client, world.harbour.pk).context["summary"]
    response = _confirm(client, world.harbour.pk)

    assert (summary.new, summary.already, summary.bad) == (0, 2, 0)
    assert response.status_code == 422
    assert "There is nothing new to import in this file." in response.content.decode()
    assert len(_sessions()) == 2


def test_a_file_that_adds_to_an_earlier_import_saves_only_the_new_rows(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(GOOD_ROWS[0]))
    _confirm(client, world.harbour.pk)

    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    _confirm(client, world.harbour.pk)

    assert len(_sessions()) == 2
    assert _audit("import.completed")[-1].changes["already_imported"] == 1


def test_a_row_that_differs_from_a_recorded_session_at_that_time_is_a_problem(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 1})
    client = login(walter)

    _upload(client, world.harbour.pk, _file(GOOD_ROWS[0]))
    response = _check(client, world.harbour.pk)

    [problem] = response.context["problems"]
    assert (problem.row, problem.column) == (2, "start")
    assert problem.message == "A different session already exists at this time."


def test_a_file_with_problems_is_imported_only_when_bad_rows_are_skipped_explicitly(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS, "Chess club,2026-10-08,15:00,19:00"))

    refused = _confirm(client, world.harbour.pk)
    assert refused.status_code == 422
    assert "choose to skip those rows" in refused.content.decode()
    assert _sessions() == []

    _confirm(client, world.harbour.pk, skip_bad_rows="on")
    assert len(_sessions()) == 2
    assert _audit("import.completed")[0].changes["skipped"] == 1


def test_an_import_that_fails_half_way_saves_nothing(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    # Someone records the second session between the check and the confirmation, with other
    # numbers: the import sees it and refuses the row.
    record(walter, activity, day=dt.date(2026, 10, 12), end="", minutes=90, total=3)

    assert _confirm(client, world.harbour.pk).status_code == 302
    response = _check(client, world.harbour.pk)

    assert response.status_code == 422
    assert "Some rows have problems, so nothing was imported." in response.content.decode()
    assert len(_sessions()) == 1
    assert _audit("import.completed") == []


def test_an_xlsx_file_with_date_and_time_cells_is_imported(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Activity", "date", "start", "end", "girls_u13", "notes"])
    sheet.append(["open evenings", dt.datetime(2026, 10, 5), dt.time(15), dt.time(18), 3.0, None])
    sheet.append([None] * 6)
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = login(walter)

    _upload(client, world.harbour.pk, buffer.getvalue(), name="Sessions.XLSX")
    _confirm(client, world.harbour.pk)

    [session] = _sessions()
    assert (session.date, session.minutes, session.participants) == (MONDAY, 180, 3)


def test_a_csv_file_separated_by_semicolons_is_read(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = "\ufeffactivity;date;start;end;girls_u13\nOpen evenings;05.10.2026;15:00;16:30;2\n"

    _upload(client, world.harbour.pk, content.encode())
    summary = _check(client, world.harbour.pk).context["summary"]

    assert (summary.new, summary.problems) == (1, [])


def test_unusually_many_participants_are_imported_only_when_confirmed(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = _file("Open evenings,2026-10-05,15:00,19:00,,,400,,,,,,Festival")

    _upload(client, world.harbour.pk, content)
    [problem] = _check(client, world.harbour.pk).context["problems"]
    assert "unusually many" in problem.message and problem.column == ""

    _upload(client, world.harbour.pk, content, confirm_large="on")
    _confirm(client, world.harbour.pk)
    assert [s.participants for s in _sessions()] == [400]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", b"%PDF-1.4", "Upload a CSV or XLSX file."),
        ("sessions.xlsx", b"activity,date,start\n", "could not be opened as an XLSX workbook"),
        ("sessions.csv", b"", "The submitted file is empty."),
        ("sessions.csv", b"\xff\xfea\x00c", "looks like UTF-16 text but cannot be read"),
        ("sessions.csv", b"activity,date,start\n\xe4,,\n", "The file is not UTF-8 text."),
        ("sessions.csv", b"activity,start\nOpen evenings,15:00\n", "Missing: date"),
        ("sessions.csv", b"activity,date,start,girls_13-15\n", "Unknown columns: girls_13-15"),
        ("sessions.csv", b"activity,date,start\n,,\n", "no sessions below the column names"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_with_a_message(
    world: World,
    walter: User,
    activity: Activity,
    login: Any,
    name: str,
    content: bytes,
    message: str,
) -> None:
    client = login(walter)

    response = _upload(client, world.harbour.pk, content, name=name)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _check(client, world.harbour.pk).status_code == 302, "nothing waits for import"


def test_a_file_over_5_mb_is_refused(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = _file(*GOOD_ROWS) + b"\n" + b" " * reading.MAX_BYTES

    response = _upload(client, world.harbour.pk, content)

    assert response.status_code == 413
    assert "The file is larger than 5 MB." in response.content.decode()
    assert not Path(uploads.default_storage.location, "imports").exists()


def test_the_check_page_without_an_upload_leads_back_to_the_import_page(
    world: World, walter: User, login: Any
) -> None:
    response = _check(login(walter), world.harbour.pk)

    assert response.status_code == 302
    assert response["Location"] == reverse("logbook:import", args=[world.harbour.pk])


def test_an_upload_waits_only_in_the_session_of_the_person_who_sent_it(
    world: World, walter: User, maria: User, activity: Activity
) -> None:
    walters, marias = Client(), Client()
    walters.force_login(walter, backend="django.contrib.auth.backends.ModelBackend")
    marias.force_login(maria, backend="django.contrib.auth.backends.ModelBackend")
    _upload(walters, world.harbour.pk, _file(*GOOD_ROWS))

    assert _confirm(marias, world.harbour.pk).status_code == 302
    assert _sessions() == []


def test_sessions_are_imported_only_into_a_unit(world: World, activity: Activity) -> None:
    regional = make_person("rm@example.org", "Regional Manager")
    with unscoped():
        structure.grant_role(None, regional, world.region, Role.MANAGER)
    client = Client()
    client.force_login(regional, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(reverse("logbook:import", args=[world.region.pk])).status_code == 404
    assert client.get(reverse("logbook:import", args=[world.harbour.pk])).status_code == 200
