"""Files in and out of the logbook: streamed exports of records and figures, and the import of
historical sessions with a dry run, all or nothing, never twice."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from impactlog.accounts.models import User
from impactlog.core.models import AuditEntry
from impactlog.core.permissions import Role
from impactlog.core.scoping import unscoped
from impactlog.logbook import importers
from impactlog.logbook.models import Activity, Session
from impactlog.logbook.settings_services import default_bands
from impactlog.structure import services as structure

from .conftest import World, make_person
from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)

pytestmark = pytest.mark.django_db

YEAR_2026 = {"kind": "year", "start": "2026-01-01"}


@pytest.fixture
def activity(drop_in: Activity) -> Activity:  # noqa: F811
    """ "Open evenings", the drop-in of Harbour Youth Centre."""
    return drop_in


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _body(response: Any) -> bytes:
    assert response.streaming, "exports are streamed"
    return b"".join(response.streaming_content)


def _csv(response: Any) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_body(response).decode("utf-8-sig"))))


def _export(client: Client, name: str, node_pk: int, **params: str) -> Any:
    return client.get(reverse(f"logbook:{name}", args=[node_pk]), params)


def _audit(action: str) -> list[AuditEntry]:
    with unscoped():
        return list(AuditEntry.objects.filter(action=action).order_by("pk"))


def _sessions() -> list[Session]:
    return list(Session.all_objects.order_by("date", "start_time"))


# Exports


def test_records_csv_streams_one_row_per_session_with_its_counts(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 3, ("boys", "16_18"): 4}, staff=2)
    record(walter, activity, MONDAY + dt.timedelta(days=1), end="", minutes=90, total=12)

    response = _export(login(walter), "export_sessions_csv", world.harbour.pk, **YEAR_2026)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    first, second = _csv(response)
    assert first["unit"] == "Harbour Youth Centre"
    assert first["activity"] == "Open evenings"
    assert first["kind"] == "drop_in"
    assert (first["date"], first["start"], first["end"]) == ("2026-10-05", "15:00", "19:00")
    assert (first["minutes"], first["participants"], first["breakdown_known"]) == ("240", "7", "1")
    assert (first["girls_13_15"], first["boys_16_18"], first["girls_u13"]) == ("3", "4", "0")
    assert first["staff"] == "2"
    assert (second["date"], second["end"], second["minutes"]) == ("2026-10-06", "", "90")
    assert (second["participants"], second["breakdown_known"]) == ("12", "0")
    assert second["girls_13_15"] == "", "without a breakdown the cells are unknown, not zero"
    [entry] = _audit("export.sessions")
    assert entry.actor == walter and entry.node_id == world.harbour.pk
    assert entry.changes == {
        "period": "year",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "format": "csv",
    }


def test_records_csv_keeps_only_the_period(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity, MONDAY)
    record(walter, activity, dt.date(2025, 10, 6))

    response = _export(
        login(walter), "export_sessions_csv", world.harbour.pk, kind="month", start="2026-10-20"
    )

    assert [row["date"] for row in _csv(response)] == ["2026-10-05"]


def test_records_xlsx_opens_and_holds_the_rows(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 3}, notes="Table tennis")

    response = _export(login(walter), "export_sessions_xlsx", world.harbour.pk, **YEAR_2026)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    body = _body(response)
    assert int(response["Content-Length"]) == len(body)
    workbook = load_workbook(io.BytesIO(body))
    header, *rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1
    row = dict(zip(header, rows[0], strict=True))
    assert row["activity"] == "Open evenings"
    assert row["date"].date() == MONDAY  # a real date cell
    assert row["girls_13_15"] == 3 and row["notes"] == "Table tennis"
    assert _audit("export.sessions")[0].changes["format"] == "xlsx"


def test_text_that_looks_like_a_formula_stays_text(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity, notes='=HYPERLINK("http://evil.example")')
    client = login(walter)

    [row] = _csv(_export(client, "export_sessions_csv", world.harbour.pk, **YEAR_2026))
    assert row["notes"].startswith("'=")
    xlsx = _body(_export(client, "export_sessions_xlsx", world.harbour.pk, **YEAR_2026))
    header, cells = list(load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows())
    notes = cells[[c.value for c in header].index("notes")]
    assert notes.data_type == "s" and notes.value.startswith("=HYPERLINK")


def test_an_export_without_a_period_covers_this_year(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    today = timezone.localdate()
    record(walter, activity, today, start="00:05", end="00:35")
    record(walter, activity, today.replace(year=today.year - 1))

    response = _export(login(walter), "export_sessions_csv", world.harbour.pk)

    assert [row["date"] for row in _csv(response)] == [today.isoformat()]
    assert _audit("export.sessions")[0].changes["start"] == f"{today.year}-01-01"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"kind": "decade"}, "Select a valid choice"),
        ({"kind": "month", "start": "5 May"}, "Enter a valid date"),
        ({"kind": "custom", "start": "2026-01-01"}, "needs its first and its last day"),
        ({"kind": "custom", "start": "2026-02-01", "end": "2026-01-01"}, "before the first day"),
    ],
)
def test_a_bad_period_answers_400_with_a_message(
    world: World, walter: User, login: Any, params: dict[str, str], message: str
) -> None:
    client = login(walter)
    for name in ["export_sessions_csv", "export_figures_xlsx"]:
        response = _export(client, name, world.harbour.pk, **params)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert _audit("export.sessions") == []


def test_the_download_page_offers_records_only_to_people_who_may_see_them(
    world: World, walter: User, carl: User, login: Any
) -> None:
    url = reverse("logbook:export", args=[world.harbour.pk])
    records = reverse("logbook:export_sessions_csv", args=[world.harbour.pk])
    figures = reverse("logbook:export_figures_xlsx", args=[world.harbour.pk])

    for person, sees_records in [(walter, True), (carl, False)]:
        page = login(person).get(url).content.decode()
        assert f'formaction="{figures}"' in page
        assert (f'formaction="{records}"' in page) is sees_records
        assert "<legend>Period</legend>" in page


def test_exports_need_the_right_role(
    world: World,
    walter: User,
    maria: User,
    carl: User,
    vera: User,
    otto: User,
    alice: User,
    login: Any,
) -> None:
    expected = {
        # person: (records, figures)
        walter: (200, 200),
        maria: (200, 200),
        carl: (403, 200),
        vera: (403, 200),
        alice: (403, 200),
        otto: (404, 404),
    }
    for person, (records, figures) in expected.items():
        client = login(person)
        got = (
            _export(client, "export_sessions_csv", world.harbour.pk).status_code,
            _export(client, "export_figures_csv", world.harbour.pk).status_code,
        )
        assert got == (records, figures), person.email


def test_a_coordinator_exports_the_figures_of_the_whole_municipality(
    world: World, walter: User, activity: Activity, carl: User, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 6})
    record(walter, activity, MONDAY + dt.timedelta(days=2), total=9)

    response = _export(login(carl), "export_figures_csv", world.region.pk, **YEAR_2026)

    figures = {row["metric"]: row["value"] for row in _csv(response)}
    assert figures["place"] == "Riverside Municipality"
    assert (figures["period_start"], figures["period_end"]) == ("2026-01-01", "2026-12-31")
    assert (figures["sessions"], figures["visits"], figures["visits_without_breakdown"]) == (
        "2",
        "15",
        "9",
    )
    assert figures["hours"] == "8.0" and figures["sessions_drop_in"] == "2"
    assert _audit("export.figures")[0].node_id == world.region.pk


def test_the_figures_export_hides_small_numbers_by_gender_and_age(
    world: World, walter: User, activity: Activity, carl: User, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 3, ("boys", "16_18"): 7})
    client = login(carl)

    figures = {
        row["metric"]: row["value"]
        for row in _csv(_export(client, "export_figures_csv", world.harbour.pk, **YEAR_2026))
    }
    assert figures["visits_girls_13_15"] == "<5"
    assert figures["visits_girls"] == "<5" and figures["visits_age_13_15"] == "<5"
    assert figures["visits_boys_16_18"] == "7"
    assert figures["visits_non_binary_u13"] == "0", "nobody is not a small number"
    xlsx = _body(_export(client, "export_figures_xlsx", world.harbour.pk, **YEAR_2026))
    rows = load_workbook(io.BytesIO(xlsx)).worksheets[0].iter_rows(values_only=True)
    assert {row[0]: row[2] for row in rows}["visits_girls_13_15"] == "<5"


def test_the_records_export_takes_as_many_queries_for_30_sessions_as_for_one(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as captured:
            rows = _csv(_export(client, "export_sessions_csv", world.harbour.pk, **YEAR_2026))
        return len(captured), len(rows)

    record(walter, activity, counts={("girls", "13_15"): 1})
    one = queries()
    for day in range(1, 30):
        record(walter, activity, MONDAY - dt.timedelta(days=day), counts={("boys", "u13"): day})
    thirty = queries()

    assert (one[1], thirty[1]) == (1, 30)
    assert one[0] == thirty[0]


# Import


HEADER = "activity,date,start,end,minutes,mode,participants_total,girls_13_15,boys_16_18,"
HEADER += "youth_producers,staff,staff_minutes,notes"
GOOD_ROWS = [
    "Open evenings,2026-10-05,15:00,19:00,,on_site,,4,6,1,2,480,Table tennis",
    "Open evenings,12.10.2026,15:00,,90,,15,,,,1,90,No breakdown",
]


def _file(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode()


def _upload(client: Client, node_pk: int, content: bytes, name: str = "s.csv", **extra: Any) -> Any:
    upload = SimpleUploadedFile(name, content)
    return client.post(reverse("logbook:import", args=[node_pk]), {"file": upload, **extra})


def _check(client: Client, node_pk: int) -> Any:
    return client.get(reverse("logbook:import_check", args=[node_pk]))


def _confirm(client: Client, node_pk: int, **data: str) -> Any:
    return client.post(reverse("logbook:import_check", args=[node_pk]), data)


def test_the_import_page_explains_every_column_and_offers_the_template(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)

    page = client.get(reverse("logbook:import", args=[world.harbour.pk])).content.decode()
    for column in importers.columns_for(default_bands()):
        assert f"<code>{column}</code>" in page
    template_csv = client.get(reverse("logbook:import_template_csv", args=[world.harbour.pk]))
    header = _body(template_csv).decode("utf-8-sig").strip()
    assert header.split(",") == importers.columns_for(default_bands())
    assert "girls_13_15" in header and "participants_total" in header
    template_xlsx = client.get(reverse("logbook:import_template_xlsx", args=[world.harbour.pk]))
    workbook = load_workbook(io.BytesIO(_body(template_xlsx)))
    assert workbook.sheetnames == ["sessions", "columns", "activities"]
    assert [c.value for c in next(workbook["sessions"].iter_rows())] == importers.columns_for(
        default_bands()
    )
    assert workbook["activities"]["A2"].value == "Open evenings"


def test_the_dry_run_shows_every_problem_with_row_and_column_and_writes_nothing(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
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
    analysis = response.context["analysis"]
    assert (len(analysis.new), len(analysis.bad)) == (1, 9)
    assert _sessions() == []
    assert _audit("import.completed") == []


def test_confirming_a_clean_file_imports_every_row_at_once(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))

    assert len(_check(client, world.harbour.pk).context["analysis"].new) == 2
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
    follow = client.get(response["Location"])
    assert "2 sessions were imported." in follow.content.decode()
    assert list(Path(importers.default_storage.location, "imports").iterdir()) == []


def test_importing_the_same_file_twice_creates_nothing_twice(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    _confirm(client, world.harbour.pk)

    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    analysis = _check(client, world.harbour.pk).context["analysis"]
    response = _confirm(client, world.harbour.pk)

    assert (len(analysis.new), len(analysis.already), len(analysis.bad)) == (0, 2, 0)
    assert response.status_code == 200
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
    assert refused.status_code == 200
    assert "choose to skip those rows" in refused.content.decode()
    assert _sessions() == []

    _confirm(client, world.harbour.pk, skip_bad_rows="on")
    assert len(_sessions()) == 2
    assert _audit("import.completed")[0].changes["skipped"] == 1


def test_an_import_that_fails_half_way_saves_nothing(
    world: World, walter: User, activity: Activity, login: Any, monkeypatch: Any
) -> None:
    client = login(walter)
    _upload(client, world.harbour.pk, _file(*GOOD_ROWS))
    # Someone records the second session between the dry run and the confirmation.
    save = importers.services.save_session
    calls = []

    def save_then_collide(actor: User, activity: Activity, data: Any, **kwargs: Any) -> Any:
        calls.append(data)
        if len(calls) == 2:
            save(actor, activity, data, **kwargs)
        return save(actor, activity, data, **kwargs)

    monkeypatch.setattr(importers.services, "save_session", save_then_collide)
    response = _confirm(client, world.harbour.pk)

    assert response.status_code == 200
    assert "Row 3 could not be saved" in response.content.decode()
    assert _sessions() == []
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
    analysis = _check(client, world.harbour.pk).context["analysis"]

    assert (len(analysis.new), analysis.problems) == (1, [])


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
        ("sessions.csv", b"\xff\xfeactivity", "not UTF-8 text"),
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

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _check(client, world.harbour.pk).status_code == 302, "nothing waits for import"


def test_a_file_over_5_mb_is_refused(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    client = login(walter)
    content = _file(*GOOD_ROWS) + b"\n" + b" " * importers.MAX_BYTES

    response = _upload(client, world.harbour.pk, content)

    assert response.status_code == 200
    assert "The file is larger than 5 MB." in response.content.decode()
    assert not Path(importers.default_storage.location, "imports").exists()


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
