"""Imports that cost what the data costs (issue 8): hostile files refused while they are read,
refusals with their status codes and messages, encodings, and large files checked and imported
as jobs."""

from __future__ import annotations

import datetime as dt
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.logbook.io.importers import reading, uploads
from impactlog.logbook.models import Activity
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)
from .logbook_io_helpers import (
    GOOD_ROWS,
    _audit,
    _check,
    _confirm,
    _file,
    _sessions,
    _upload,
    good_row,
    hostile_workbooks,
    workbook,
)

pytestmark = pytest.mark.django_db


# Hardening (issue 8)

HOSTILE = hostile_workbooks()


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_workbook_is_refused_while_its_sheet_is_read(
    world: World, walter: User, activity: Activity, login: Any, kind: str
) -> None:
    client = login(walter)

    response = _upload(client, world.harbour.pk, HOSTILE[kind], name="sessions.xlsx")

    assert response.status_code == 413
    page = response.content.decode()
    if "unpacks" in kind:
        assert "The workbook is too large once unpacked." in page
    elif "cells" in kind:
        assert "A row of the workbook has more than 200 cells." in page
    else:
        assert "The file has more than 10,000 rows. Split it into smaller files." in page
    assert _check(client, world.harbour.pk).status_code == 302, "nothing waits for import"


@pytest.mark.parametrize(
    "dimension", ["A1:M10002", "A1:$C$3000000", "B3000000"], ids=["past", "absolute", "one cell"]
)
def test_a_workbook_that_declares_rows_past_the_limit_is_refused(
    world: World, walter: User, activity: Activity, login: Any, dimension: str
) -> None:
    content = workbook(good_row(2), dimension=dimension)

    response = _upload(login(walter), world.harbour.pk, content, name="sessions.xlsx")

    assert response.status_code == 413
    assert "more than 10,000 rows" in response.content.decode()


def test_a_cell_past_the_limit_is_refused_even_in_an_early_row(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    content = workbook(good_row(2), b'<row r="3"><c r="A20000"><v>1</v></c></row>')

    response = _upload(login(walter), world.harbour.pk, content, name="sessions.xlsx")

    assert response.status_code == 413


def test_a_workbook_that_declares_entities_is_refused(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    laughs = '<!DOCTYPE worksheet [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    content = workbook(good_row(2), prolog=laughs)

    response = _upload(login(walter), world.harbour.pk, content, name="sessions.xlsx")

    assert response.status_code == 400
    assert "could not be opened as an XLSX workbook" in response.content.decode()


def test_blank_rows_count_towards_the_row_limit(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = _file(GOOD_ROWS[0], *([",,"] * reading.MAX_ROWS), header="activity,date,start")

    response = _upload(client, world.harbour.pk, content)

    assert response.status_code == 413
    assert "more than 10,000 rows" in response.content.decode()
    exactly = _file(GOOD_ROWS[0], *([",,"] * (reading.MAX_ROWS - 1)), header="activity,date,start")
    assert _upload(client, world.harbour.pk, exactly).status_code == 302


def test_a_workbook_at_the_row_limit_is_read(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = workbook(good_row(2), f'<row r="{reading.MAX_ROWS + 1}"/>'.encode())

    assert _upload(client, world.harbour.pk, content, name="s.xlsx").status_code == 302
    assert _check(client, world.harbour.pk).context["summary"].rows == 1


def test_the_file_is_read_once_and_not_kept(
    world: World, walter: User, activity: Activity, login: Any, monkeypatch: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))

    def read_again(*args: Any) -> None:
        raise AssertionError("the uploaded file was read again")

    monkeypatch.setattr(reading, "read_table", read_again)
    kept = sorted(p.name for p in Path(uploads.default_storage.location, "imports").iterdir())
    assert [name.split(".", 1)[1] for name in kept] == ["check.json", "json"], "rows, not file"
    assert _check(client, world.harbour.pk).context["summary"].new == 2
    assert _confirm(client, world.harbour.pk).status_code == 302
    assert len(_sessions()) == 2


def test_an_import_writes_in_bulk_whatever_its_number_of_rows(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    queries = []
    for rows, month in ((2, 1), (30, 3)):  # SQLite inserts at most 39 sessions a statement
        days = [dt.date(2026, month, 1) + dt.timedelta(days=n) for n in range(rows)]
        lines = [f"Open evenings,{day},15:00,19:00,,,,1,2,,,," for day in days]
        _upload(client, world.harbour.pk, _file(*lines))
        with CaptureQueriesContext(connection) as captured:
            assert _confirm(client, world.harbour.pk).status_code == 302
        queries.append(len(captured))

    assert len(_sessions()) == 32
    assert queries[0] == queries[1]


def test_an_imported_session_has_the_revision_and_audit_entry_of_one_entered_by_hand(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    from impactlog.logbook import services
    from impactlog.logbook.models import SessionRevision

    client = login(walter)
    _upload(client, world.harbour.pk, _file(GOOD_ROWS[0]))
    _confirm(client, world.harbour.pk)
    with unscoped():
        other = services.create_activity(walter, world.harbour, kind="drop_in", name="Other")
    by_hand = record(
        walter,
        other,
        counts={("girls", "13_15"): 4, ("boys", "16_18"): 6},
        youth_producers=1,
        youth_produced=True,
        staff=2,
        staff_minutes=480,
        notes="Table tennis",
    )
    imported = next(s for s in _sessions() if s.activity_id == activity.pk)

    revisions = {r.session_id: r for r in SessionRevision.all_objects.all()}
    assert revisions[imported.pk].changes == revisions[by_hand.pk].changes
    assert revisions[imported.pk].version == 1 and revisions[imported.pk].by == walter
    entries = {e.object_id: e for e in _audit("session.created")}
    made, typed = entries[str(imported.pk)], entries[str(by_hand.pk)]
    assert made.changes == typed.changes
    assert (made.values_perm, made.object_type, made.actor_label, made.node_id) == (
        typed.values_perm,
        typed.object_type,
        typed.actor_label,
        typed.node_id,
    )
    assert made.object_repr == str(imported)


def test_an_import_into_an_archived_activity_is_a_problem_of_its_row(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    from impactlog.logbook import services

    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    with unscoped():
        services.update_activity(walter, activity, archived_at=dt.datetime(2026, 11, 1, tzinfo=UTC))

    _confirm(client, world.harbour.pk)
    response = _check(client, world.harbour.pk)

    assert response.status_code == 422
    assert "Some rows have problems, so nothing was imported." in response.content.decode()
    assert _sessions() == []


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig"])
def test_a_csv_file_in_utf_16_or_with_a_bom_is_read(
    world: World, walter: User, activity: Activity, login: Any, encoding: str
) -> None:
    client = login(walter)
    content = "activity;date;start;end;girls_u13\nOpen evenings;05.10.2026;15:00;16:30;2\n"

    response = _upload(client, world.harbour.pk, content.encode(encoding))

    assert response.status_code == 302
    assert _check(client, world.harbour.pk).context["summary"].new == 1


def test_an_unknown_column_message_names_a_few_and_counts_the_rest(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    header = ",".join(["activity", "date", "start", *(f"col_{n}" for n in range(5_000))])

    response = _upload(login(walter), world.harbour.pk, (header + "\n").encode())

    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown columns: col_0, col_1," in page
    assert "col_9 … and 4,990 more." in page
    assert "col_10," not in page and "col_4999" not in page


def test_a_long_column_name_is_cut_in_the_message(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    header = ",".join(["activity", "date", "start", "x" * 100_000])

    response = _upload(login(walter), world.harbour.pk, (header + "\n").encode())

    assert response.status_code == 400
    page = response.content.decode()
    assert "Unknown columns: " + "x" * 39 + "…" in page
    assert "x" * 41 not in page


def test_a_pending_import_naming_a_job_that_is_not_theirs_starts_again(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    session = client.session
    session[f"logbook_import_{world.harbour.pk}"] = {
        "token": "0" * 32,
        "name": "s.csv",
        "apply_job": 987654,
    }
    session.save()

    first = _check(client, world.harbour.pk)
    assert first.status_code == 302
    assert first["Location"] == reverse("logbook:import", args=[world.harbour.pk])
    assert f"logbook_import_{world.harbour.pk}" not in client.session
    assert _check(client, world.harbour.pk).status_code == 302  # and not stuck on 404


# Large files: checked by a job, imported by a job (finding 7).


def test_a_large_file_is_checked_by_a_job_and_imported_by_another(
    world: World, walter: User, activity: Activity, login: Any, settings: Any
) -> None:
    from impactlog.jobs.models import Job

    settings.IMPORT_INLINE_CHECK_BYTES = 10
    client = login(walter)

    assert _upload(client, world.harbour.pk, _file(*GOOD_ROWS)).status_code == 302
    check = Job.all_objects.get(kind="import.check")
    assert (check.status, check.done, check.total) == ("done", 2, 2)
    assert check.outcome["summary"]["new"] == 2
    kept = [p.name for p in Path(uploads.default_storage.location, "imports").iterdir()]
    assert all(name.endswith(".json") for name in kept), "the file itself is not kept"
    assert _check(client, world.harbour.pk).context["summary"].new == 2

    assert _confirm(client, world.harbour.pk).status_code == 302
    apply = Job.all_objects.get(kind="import.apply")
    assert (apply.status, apply.outcome) == ("done", {"created": 2, "already": 0, "skipped": 0})
    page = client.get(reverse("logbook:import_check", args=[world.harbour.pk]), follow=True)
    assert "2 sessions were imported." in page.content.decode()
    assert len(_sessions()) == 2
    assert list(Path(uploads.default_storage.location, "imports").iterdir()) == []


def test_a_running_import_shows_its_progress_and_the_page_follows_it(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    url = reverse("logbook:import_check", args=[world.harbour.pk])
    client.post(url)  # the job is queued; the test runs it below

    page = client.get(url)
    assert page.status_code == 200
    assert f'hx-get="{url}"' in page.content.decode() and "Reload" in page.content.decode()
    part = client.get(url, headers={"HX-Request": "true"})
    assert "<html" not in part.content.decode() and "hx-trigger" in part.content.decode()
    assert _sessions() == []

    from impactlog.jobs.models import Job
    from impactlog.jobs.tasks import run_job

    run_job.call(Job.all_objects.get(kind="import.apply").pk)
    finished = client.get(url, headers={"HX-Request": "true"})
    assert finished["HX-Redirect"] == url
    assert "2 sessions were imported." in client.get(url, follow=True).content.decode()
    assert len(_sessions()) == 2


def test_a_large_file_the_check_job_refuses_answers_400_with_its_message(
    world: World, walter: User, activity: Activity, login: Any, settings: Any
) -> None:
    settings.IMPORT_INLINE_CHECK_BYTES = 10
    client = login(walter)
    header = ",".join(["activity", "date", "start", *(f"col_{n}" for n in range(5_000))])

    assert _upload(client, world.harbour.pk, (header + "\n").encode()).status_code == 302
    response = _check(client, world.harbour.pk)

    assert response.status_code == 400
    page = response.content.decode()
    assert "col_9 … and 4" in page and "990 more." in page  # in the node's number format
    assert _check(client, world.harbour.pk).status_code == 302, "nothing waits for import"
    assert list(Path(uploads.default_storage.location, "imports").iterdir()) == []


def test_a_large_hostile_workbook_is_refused_before_any_job_starts(
    world: World, walter: User, activity: Activity, login: Any, settings: Any
) -> None:
    from impactlog.jobs.models import Job

    settings.IMPORT_INLINE_CHECK_BYTES = 10
    content = HOSTILE["one cell at row 3,000,000"]

    response = _upload(login(walter), world.harbour.pk, content, name="s.xlsx")

    assert response.status_code == 413
    assert not Job.all_objects.exists()
