"""Importing historical sessions: a dry run, all or nothing, never twice."""

from __future__ import annotations

import datetime as dt
import io
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
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
from .logbook_io_helpers import _audit, _body, _sessions, good_row, hostile_workbooks, workbook

pytestmark = pytest.mark.django_db

HEADER = "activity,date,start,end,minutes,mode,participants_total,girls_13_15,boys_16_18,"
HEADER += "youth_producers,staff,staff_minutes,notes"
GOOD_ROWS = [
    "Open evenings,2026-10-05,15:00,19:00,,on_site,,4,6,1,2,480,Table tennis",
    "Open evenings,12.10.2026,15:00,,90,,15,,,,1,90,No breakdown",
]


def _file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def _upload(client: Client, node_pk: int, content: bytes, name: str = "s.csv", **extra: Any) -> Any:
    """Send a file; a job started by the request (the check of a large file) runs after it."""
    upload = SimpleUploadedFile(name, content)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("logbook:import", args=[node_pk]), {"file": upload, **extra})


def _check(client: Client, node_pk: int) -> Any:
    return client.get(reverse("logbook:import_check", args=[node_pk]))


def _confirm(client: Client, node_pk: int, **data: str) -> Any:
    """Confirm the import; the import job it starts runs after the request."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("logbook:import_check", args=[node_pk]), data)


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
