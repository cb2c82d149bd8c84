"""The one task that runs every kind of job, and the removal of results past their time."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from impactlog.jobs.models import Job, JobStatus
from impactlog.jobs.registry import JobFailed, Progress, registered
from impactlog.jobs.services import expire_jobs, result_lifetime
from impactlog.tenancy.permissions import acting_as

logger = logging.getLogger("impactlog.jobs")

GENERIC_FAILURE = gettext_lazy(
    "Something went wrong while preparing this. Please try again; if it keeps failing, tell "
    "your administrator."
)


def _language(job: Job) -> str:
    person = job.created_by
    return (
        (person.language if person is not None else "")
        or job.node.language
        or (settings.LANGUAGE_CODE)
    )


@task()
def run_job(job_id: int) -> None:
    """Run job `job_id` as the person who started it, in their language. Whatever happens, the
    job ends done or failed, never left running."""
    # system code: a task runs outside any request; the job was authorised when started
    job = Job.all_objects.select_related("node", "created_by").filter(pk=job_id).first()
    if job is None or job.status != JobStatus.QUEUED:
        return  # gone, or already run (a task may be delivered twice)
    job.status, job.started_at = JobStatus.RUNNING, timezone.now()
    job.save(update_fields=["status", "started_at"])
    progress = Progress(job)
    try:
        with acting_as(job.created_by), translation.override(_language(job)):
            try:
                registered(job.kind).runner(job, progress)
            except JobFailed as failure:
                _finish(job, JobStatus.FAILED, error=failure.message)
                return
            except Exception:
                logger.exception("job %s (%s) failed", job.pk, job.kind)
                _finish(job, JobStatus.FAILED, error=str(GENERIC_FAILURE))
                return
        progress.flush()
        _finish(job, JobStatus.DONE)
    except BaseException:  # even an interrupted worker leaves no job "running"
        if job.status == JobStatus.RUNNING:
            _finish(job, JobStatus.FAILED, error=_("The work was interrupted. Please try again."))
        raise


def _finish(job: Job, status: JobStatus, *, error: str = "") -> None:
    now = timezone.now()
    job.status, job.finished_at, job.error = status, now, error
    fields = ["status", "finished_at", "error", "done", "total"]
    if status == JobStatus.DONE:
        job.expires_at = now + result_lifetime()
        fields += ["expires_at", "result", "result_name", "outcome"]
    elif job.result:
        job.result.storage.delete(job.result.name or "")  # half a file helps nobody
        job.result = ""
        fields.append("result")
    with transaction.atomic():
        job.save(update_fields=fields)


@task()
def expire_job_results() -> int:
    """Remove results past their time (also done whenever a job is started)."""
    return expire_jobs()
