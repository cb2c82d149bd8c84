"""Streamed exports of the logbook: records and figures, audited, small numbers hidden."""

from __future__ import annotations

import datetime as dt
import gc
import http.client
import io
from typing import Any

import pytest
from django.core.signals import request_finished
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from impactlog.accounts.models import User
from impactlog.jobs.models import Job
from impactlog.logbook.models import Activity
from impactlog.tenancy.scoping import unscoped

from .conftest import LEAP_DAY, NOW, World
from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)
from .logbook_io_helpers import YEAR_2026, _audit, _body, _csv, _export

pytestmark = pytest.mark.django_db


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


@pytest.mark.parametrize(
    ("moment", "today", "a_year_earlier"),
    [
        (NOW, dt.date(2026, 11, 18), dt.date(2025, 11, 18)),
        (LEAP_DAY, dt.date(2028, 2, 29), dt.date(2027, 2, 28)),
    ],
)
def test_an_export_without_a_period_covers_this_year(
    world: World,
    walter: User,
    activity: Activity,
    login: Any,
    time_machine: Any,
    moment: dt.datetime,
    today: dt.date,
    a_year_earlier: dt.date,
) -> None:
    time_machine.move_to(moment, tick=False)
    record(walter, activity, today, start="00:05", end="00:35")
    record(walter, activity, a_year_earlier)

    response = _export(login(walter), "export_sessions_csv", world.harbour.pk)

    assert response.status_code == 200
    assert [row["date"] for row in _csv(response)] == [today.isoformat()]
    [entry] = _audit("export.sessions")
    assert (entry.changes["start"], entry.changes["end"]) == (
        f"{today.year}-01-01",
        f"{today.year}-12-31",
    )


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

    rows = _csv(response)
    figures = {row["metric"]: row["value"] for row in rows}
    assert len(figures) == len(rows), "every metric has a key of its own"
    assert figures["place"] == "Riverside Municipality"
    assert (figures["period_start"], figures["period_end"]) == ("2026-01-01", "2026-12-31")
    assert (figures["sessions"], figures["visits"], figures["visits_without_breakdown"]) == (
        "2",
        "15",
        "9",
    )
    assert figures["hours"] == "8.0" and figures["sessions_kind_drop_in"] == "2"
    assert figures["sessions_mode_online"] == "0"  # one key for the mode, another for the kind
    assert _audit("export.figures")[0].node_id == world.region.pk


def test_the_figures_export_hides_small_numbers_by_gender_and_age(
    world: World, walter: User, activity: Activity, carl: User, login: Any
) -> None:
    record(walter, activity, counts={("girls", "13_15"): 3, ("boys", "16_18"): 7})
    client = login(carl)

    rows = _csv(_export(client, "export_figures_csv", world.harbour.pk, **YEAR_2026))
    figures = {row["metric"]: row["value"] for row in rows}
    notes = {row["metric"]: row["note"] for row in rows}
    assert figures["visits_girls_13_15"] == "<5" and notes["visits_girls_13_15"] == "fewer than 5"
    assert figures["visits_girls"] == "<5" and figures["visits_age_13_15"] == "<5"
    # 10 visits less 7 boys would give back the 3 girls: the boys are hidden too, and say why
    assert figures["visits_boys_16_18"] == "x"
    assert notes["visits_boys_16_18"] == "hidden, so that another count cannot be worked out"
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


# Downloads through a real server (issue 8, finding 1): a download leaves nothing behind that
# touches the request machinery after its request ended.


def _get(
    server: http.client.HTTPConnection, path: str, cookie: str
) -> tuple[int, dict[str, str], bytes]:
    server.request("GET", path, headers={"Cookie": f"sessionid={cookie}"})
    response = server.getresponse()
    return response.status, dict(response.getheaders()), response.read()


@pytest.mark.django_db(transaction=True)
def test_downloads_in_a_row_on_one_connection_leave_the_next_request_alone(
    live_server: Any, world: World, walter: User, activity: Activity, client: Any
) -> None:
    """Two XLSX downloads and a CSV on one keep-alive connection, garbage collected in between,
    then a page that reads the database: all answer, and the end of each request is announced
    once, when it ends. (An XLSX once sent as a FileResponse over a file whose `__del__` closed
    it: the server's file wrapper had replaced that `close` with the response's, so collecting it
    later announced the end of a request again, in the middle of another one, closing its
    database connection: "Cannot operate on a closed database". The test database lives in
    memory, where Django ignores a close, so what is counted is the announcement itself.)"""
    record(walter, activity, counts={("girls", "13_15"): 3})
    client.force_login(walter, backend="django.contrib.auth.backends.ModelBackend")
    cookie = client.cookies["sessionid"].value
    finished: list[int] = []

    def note(**kwargs: Any) -> None:
        finished.append(1)

    pk = world.harbour.pk
    query = "?kind=year&start=2026-01-01"
    downloads = [
        reverse("logbook:export_sessions_xlsx", args=[pk]) + query,
        reverse("logbook:export_figures_xlsx", args=[pk]) + query,
        reverse("logbook:export_figures_csv", args=[pk]) + query,
    ]
    host, port = live_server.url.removeprefix("http://").split(":")
    server = http.client.HTTPConnection(host, int(port), timeout=30)
    request_finished.connect(note)
    try:
        for path in downloads:
            status, headers, body = _get(server, path, cookie)
            assert status == 200, path
            if ".xlsx" in path:
                assert body.startswith(b"PK"), "a whole XLSX file (a zip)"
                assert int(headers["Content-Length"]) == len(body)
                assert headers.get("Connection") != "close", "the connection stays open"
            else:
                assert body.decode("utf-8-sig").startswith("metric,name,value")
            gc.collect()  # whatever the downloads left behind goes now, between requests
        status, _headers, page = _get(server, reverse("logbook:sessions", args=[pk]), cookie)
        gc.collect()
    finally:
        request_finished.disconnect(note)
        server.close()
    assert status == 200
    assert b"Open evenings" in page
    assert len(finished) == len(downloads) + 1, "each request's end is announced once"


def test_an_xlsx_download_is_a_stream_that_states_its_length(
    world: World, walter: User, activity: Activity, login: Any
) -> None:
    record(walter, activity)
    response = _export(login(walter), "export_sessions_xlsx", world.harbour.pk, **YEAR_2026)
    assert not hasattr(response, "file_to_stream"), "no FileResponse: see jobs/streaming.py"
    body = _body(response)
    assert int(response["Content-Length"]) == len(body)
    assert len(list(load_workbook(io.BytesIO(body))["sessions"].iter_rows())) == 2


# A sessions XLSX too large to build while the browser waits becomes a job (finding 8).


def test_a_large_sessions_xlsx_is_prepared_as_a_job_and_downloaded_from_its_page(
    world: World,
    walter: User,
    activity: Activity,
    login: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EXPORT_INLINE_MAX_SESSIONS = 2
    for day in range(3):
        record(walter, activity, MONDAY + dt.timedelta(days=day), total=4 + day)
    client = login(walter)

    offer = _export(client, "export_sessions_xlsx", world.harbour.pk, **YEAR_2026)
    assert offer.status_code == 200 and not offer.streaming
    assert reverse("logbook:export_sessions_job", args=[world.harbour.pk]).encode() in (
        offer.content
    )
    assert _audit("export.sessions") == [], "nothing was taken out yet"

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            reverse("logbook:export_sessions_job", args=[world.harbour.pk]),
            {"kind": "year", "start": "2026-01-01"},
        )
    assert started.status_code == 302
    page = client.get(started["Location"])
    assert page.status_code == 200
    job = page.context["job"]
    assert (job.status, job.done, job.total, job.progress_percent) == ("done", 3, 3, 100)
    assert job.result_name == "harbour-sessions-2026-01-01-2026-12-31.xlsx"
    download_url = reverse("jobs:download", args=[world.harbour.pk, job.pk])
    assert download_url.encode() in page.content

    response = client.get(download_url)
    assert response.status_code == 200
    assert "harbour-sessions-2026-01-01-2026-12-31.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(_body(response)), read_only=True)["sessions"]
    rows = list(sheet.iter_rows(values_only=True))
    headers = list(rows[0])
    assert [row[headers.index("participants")] for row in rows[1:]] == [4, 5, 6]
    [entry] = _audit("export.sessions")
    assert entry.actor == walter and entry.node_id == world.harbour.pk
    assert entry.changes == {
        "period": "year",
        "start": "2026-01-01",
        "end": "2026-12-31",
        "format": "xlsx",
        "job": job.pk,
    }


def test_the_sessions_csv_is_sent_at_once_however_large(
    world: World, walter: User, activity: Activity, login: Any, settings: Any
) -> None:
    settings.EXPORT_INLINE_MAX_SESSIONS = 0
    record(walter, activity)
    response = _export(login(walter), "export_sessions_csv", world.harbour.pk, **YEAR_2026)
    assert response.streaming and len(_csv(response)) == 1


def test_a_viewer_cannot_start_the_sessions_job(
    world: World, vera: User, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = login(vera).post(
            reverse("logbook:export_sessions_job", args=[world.harbour.pk]), {"kind": "year"}
        )
    assert response.status_code == 403
    with unscoped():
        assert not Job.objects.exists()


def test_the_sessions_job_with_a_bad_period_answers_400(
    world: World, walter: User, login: Any
) -> None:
    response = login(walter).post(
        reverse("logbook:export_sessions_job", args=[world.harbour.pk]),
        {"kind": "custom", "start": "2026-05-01", "end": "2026-04-01"},
    )
    assert response.status_code == 400
    assert b"The last day is before the first day." in response.content
