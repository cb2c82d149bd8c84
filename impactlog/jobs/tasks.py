"""The one task that runs every kind of job, and the removal of results past their time."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task

from impactlog.jobs.models import Job, JobStatus
from impactlog.jobs.registry import JobFailed, Progress, forget_progress, registered
from impactlog.jobs.services import expire_jobs, result_lifetime
from impactlog.tenancy.permissions import acting_as, authorize

logger = logging.getLogger("impactlog.jobs")

NO_LONGER_ALLOWED = gettext_lazy("You may no longer do this here.")
GENERIC_FAILURE = gettext_lazy(
    "Something went wrong while preparing this. Please try again; if it keeps failing, tell "
    "your administrator."
)


def _language(job: Job) -> str:
    person = job.created_by
    return (
        job.language
        or (person.language if person is not None else "")
        or job.node.language
        or (settings.LANGUAGE_CODE)
    )


@task()
def run_job(job_id: int) -> None:
    """Run job `job_id` as the person who started it, in their language. Whatever happens, the
    job ends done or failed, never left running."""
    # system code: a task runs outside any request; the job was authorised when started
    job = Job.all_objects.select_related("node", "created_by").filter(pk=job_id).first()
    if job is None:
        return
    started = timezone.now()
    # system code: the worker claims the job it was given (authorised when started)
    claimed = Job.all_objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=started
    )
    if not claimed:
        return  # already run: a task may be delivered twice
    job.status, job.started_at = JobStatus.RUNNING, started
    if job.created_by is None:  # the account is gone: nobody to do this for
        _finish(job, JobStatus.FAILED, error=str(NO_LONGER_ALLOWED))
        return
    progress = Progress(job)
    try:
        with acting_as(job.created_by), translation.override(_language(job)):
            try:
                runner = registered(job.kind)
                authorize(job.created_by, runner.perm, job.node)  # still theirs to do?
                runner.runner(job, progress)
            except PermissionDenied:
                _finish(job, JobStatus.FAILED, error=str(NO_LONGER_ALLOWED))
                return
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
    else:
        if job.result:
            job.result.storage.delete(job.result.name or "")  # half a file helps nobody
        job.result, job.result_name = "", ""
        fields += ["result", "result_name"]
    with transaction.atomic():
        job.save(update_fields=fields)
    forget_progress(job)


@task()
def expire_job_results() -> int:
    """Remove results past their time (also done whenever a job is started)."""
    return expire_jobs()
