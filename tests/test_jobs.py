"""Jobs: long work started by a person, followed on its page, its result downloaded once ready
and kept for a while; only the person who started it sees it."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.jobs.models import Job, JobStatus
from impactlog.jobs.registry import JobFailed, Progress, forget_progress, register
from impactlog.jobs.services import expire_jobs, start_job
from impactlog.jobs.tasks import GENERIC_FAILURE
from impactlog.logbook.models import Activity
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .logbook_fixtures import MONDAY, drop_in, record  # noqa: F401  (drop_in: a fixture)

pytestmark = pytest.mark.django_db

YEAR = {"period": "year", "start": "2026-01-01", "end": "2026-12-31", "format": "xlsx"}


# Runners of this test module: real runners, registered like any app's.


@register("test.greeting", perm=Perm.VIEW_REPORTS)
def _greeting(job: Job, progress: Progress) -> None:
    progress.set_total(2)
    progress.advance(2)
    job.result.save("greeting.txt", ContentFile(b"hello"), save=False)
    job.result_name = "greeting.txt"
    job.outcome = {"words": 1}


@register("test.refuses", perm=Perm.VIEW_REPORTS)
def _refuses(job: Job, progress: Progress) -> None:
    progress.set_total(10)
    progress.advance(3)
    raise JobFailed("The file has no rows.")


@register("test.breaks", perm=Perm.VIEW_REPORTS)
def _breaks(job: Job, progress: Progress) -> None:
    job.result.save("half.txt", ContentFile(b"half"), save=False)
    raise RuntimeError("a bug")


@register("test.tally", perm=Perm.VIEW_REPORTS)
def _tally(job: Job, progress: Progress) -> None:
    job.outcome = {"counted": 7}


def _start(user: User, node: Any, kind: str, capture: Any, params: Any = None) -> Job:
    with unscoped(), capture(execute=True):  # the immediate backend runs it on commit
        job = start_job(user, node, kind, params or {})
    with unscoped():
        return Job.objects.get(pk=job.pk)


def _status_url(job: Job) -> str:
    return reverse("jobs:status", args=[job.node_id, job.pk])


def _download_url(job: Job) -> str:
    return reverse("jobs:download", args=[job.node_id, job.pk])


def test_a_job_runs_as_its_starter_and_keeps_its_result(
    world: World, walter: User, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _start(walter, world.harbour, "test.greeting", django_capture_on_commit_callbacks)
    assert job.status == JobStatus.DONE
    assert (job.done, job.total, job.progress_percent) == (2, 2, 100)
    assert job.created_by == walter and job.outcome == {"words": 1}
    assert job.started_at is not None and job.finished_at is not None
    assert job.expires_at == job.finished_at + dt.timedelta(hours=24)
    assert job.result.name.startswith("jobs/")

    client = login(walter)
    page = client.get(_status_url(job))
    assert page.status_code == 200
    assert _download_url(job).encode() in page.content
    assert b'hx-trigger="every 2s"' not in page.content, "a finished job stops asking"
    response = client.get(_download_url(job))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"hello"
    assert response["Content-Length"] == "5"
    assert 'filename="greeting.txt"' in response["Content-Disposition"]
    with unscoped():
        [entry] = AuditEntry.objects.filter(action=AuditAction.JOB_RESULT_DOWNLOADED)
    assert entry.actor == walter and entry.node_id == world.harbour.pk
    assert entry.changes == {"job": job.pk}


def test_a_running_job_shows_its_progress_and_asks_again(
    world: World, walter: User, login: Any
) -> None:
    with unscoped():
        job = Job.objects.create(
            node=world.harbour,
            kind="export.sessions",
            created_by=walter,
            status=JobStatus.RUNNING,
            done=250,
            total=1000,
            params=YEAR,
        )
    client = login(walter)
    page = client.get(_status_url(job))
    assert page.status_code == 200
    assert b"250 of 1000 rows written" in page.content
    assert b'<progress value="250" max="1000">' in page.content
    assert b'hx-trigger="every 2s"' in page.content
    assert _status_url(job).encode() in page.content, "a plain link reloads without JavaScript"
    assert job.progress_percent == 25

    fragment = client.get(_status_url(job), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content and b'id="job-progress"' in fragment.content

    # Not ready: the download leads back to the page.
    response = client.get(_download_url(job))
    assert response.status_code == 302 and response["Location"] == _status_url(job)


def test_progress_is_written_every_so_many_items(world: World, walter: User) -> None:
    with unscoped():
        job = Job.objects.create(node=world.harbour, kind="test.greeting", created_by=walter)
        progress = Progress(job, interval=3600, every=2)

        def stored() -> tuple[int, int | None]:
            return Job.objects.values_list("done", "total").get(pk=job.pk)

        progress.set_total(5)
        assert stored() == (0, 5)
        progress.advance()
        assert stored() == (0, 5), "not after every item"
        progress.advance()
        assert stored() == (2, 5)
        progress.advance()
        progress.flush()
        assert stored() == (3, 5)


def test_progress_inside_one_transaction_reaches_the_page_at_once(
    world: World, walter: User, login: Any
) -> None:
    """An all-or-nothing import keeps its work in one transaction: the job's row cannot show
    its progress until it commits, so the page reads what the runner last reported."""
    with unscoped():
        job = Job.objects.create(
            node=world.harbour,
            kind="export.sessions",
            created_by=walter,
            status=JobStatus.RUNNING,
            params=YEAR,
        )
    progress = Progress(job, interval=0, every=1)
    progress.set_total(1000)
    progress.advance(400)
    # As another process sees it: the row as committed before the runner's transaction.
    with unscoped():
        Job.all_objects.filter(pk=job.pk).update(done=0, total=None)
    page = login(walter).get(_status_url(job))
    assert page.status_code == 200
    assert b"400 of 1000 rows written" in page.content
    forget_progress(job)
    page = login(walter).get(_status_url(job))
    assert b"400 of 1000" not in page.content


def test_a_job_that_fails_says_why_and_keeps_no_file(
    world: World,
    walter: User,
    login: Any,
    django_capture_on_commit_callbacks: Any,
    caplog: pytest.LogCaptureFixture,
    settings: Any,
) -> None:
    refused = _start(walter, world.harbour, "test.refuses", django_capture_on_commit_callbacks)
    assert (refused.status, refused.error) == (JobStatus.FAILED, "The file has no rows.")
    assert (refused.done, refused.total) == (3, 10)
    page = login(walter).get(_status_url(refused))
    assert page.status_code == 200 and b"The file has no rows." in page.content

    with caplog.at_level(logging.ERROR, logger="impactlog.jobs"):
        broken = _start(walter, world.harbour, "test.breaks", django_capture_on_commit_callbacks)
    assert broken.status == JobStatus.FAILED and broken.finished_at is not None
    assert broken.error == str(GENERIC_FAILURE), "no traceback for the person"
    assert "a bug" in caplog.text, "the traceback is logged"
    assert not broken.result
    assert list(Path(settings.MEDIA_ROOT).rglob("half*")) == []
    assert login(walter).get(_download_url(broken)).status_code == 302


def test_only_the_person_who_started_a_job_sees_it(
    world: World,
    walter: User,
    maria: User,
    alice: User,
    otto: User,
    login: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = _start(walter, world.harbour, "test.greeting", django_capture_on_commit_callbacks)
    for other in (maria, alice, otto):  # the same rights, rights elsewhere, another organisation
        client.force_login(other, backend="django.contrib.auth.backends.ModelBackend")
        assert client.get(_status_url(job)).status_code == 404
        assert client.get(_download_url(job)).status_code == 404
    # Asked at another place than its own: 404 too.
    wrong_place = reverse("jobs:status", args=[world.hill.pk, job.pk])
    assert login(walter).get(wrong_place).status_code == 404
    assert (
        login(walter).get(reverse("jobs:status", args=[world.harbour.pk, 99999])).status_code == 404
    )


def test_a_job_needs_its_kinds_permission(
    world: World,
    vera: User,
    walter: User,
    activity: Activity,
    login: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with unscoped(), pytest.raises(PermissionDenied):
        start_job(vera, world.harbour, "export.sessions", YEAR)  # records.view: not a viewer's
    with unscoped():
        assert not Job.objects.exists()

    # A person who lost the right before the job ran: the job fails and says so.
    record(walter, activity, MONDAY)
    with unscoped():
        job = Job.objects.create(
            node=world.harbour,
            kind="export.sessions",
            created_by=vera,
            params=YEAR,
            language="en",  # started from an English page
        )
    from impactlog.jobs.tasks import run_job

    run_job.enqueue(job_id=job.pk)
    with unscoped():
        job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "You may no longer do this here."
    assert not job.result


def test_a_result_past_its_time_is_gone_with_a_clear_page(
    world: World,
    walter: User,
    login: Any,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.IMPACTLOG_JOB_RESULT_HOURS = 2
    job = _start(walter, world.harbour, "test.greeting", django_capture_on_commit_callbacks)
    stored = Path(settings.MEDIA_ROOT) / job.result.name
    assert stored.exists()
    with time_machine.travel(NOW + dt.timedelta(hours=3), tick=False):
        client = login(walter)
        page = client.get(_status_url(job))
        assert page.status_code == 410
        assert b"This file is no longer kept" in page.content
        assert client.get(_download_url(job)).status_code == 410
        with unscoped():
            assert not AuditEntry.objects.filter(action=AuditAction.JOB_RESULT_DOWNLOADED)
        # Starting any job removes the results past their time; so does the task.
        assert expire_jobs() == 1
    assert not stored.exists()
    with unscoped():
        job.refresh_from_db()
    assert not job.result
    assert login(walter).get(_download_url(job)).status_code == 410


def test_a_job_that_makes_no_file_has_nothing_to_download_nor_to_expire(
    world: World, walter: User, login: Any, django_capture_on_commit_callbacks: Any
) -> None:
    job = _start(walter, world.harbour, "test.tally", django_capture_on_commit_callbacks)
    assert (job.status, job.outcome, job.result_name) == (JobStatus.DONE, {"counted": 7}, "")
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        client = login(walter)
        page = client.get(_status_url(job))
        assert page.status_code == 200 and b"Done." in page.content
        assert _download_url(job).encode() not in page.content
        assert client.get(_download_url(job)).status_code == 302
