"""Starting a job, finding it again, and downloading its result."""

from __future__ import annotations

import datetime as dt
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.jobs.models import Job, JobStatus
from impactlog.jobs.registry import registered
from impactlog.tenancy import audit
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, resolve, service


class JobGone(Exception):
    """The job's result was removed after its time ran out."""


class JobNotReady(Exception):
    """The job has no result to download (yet, or because it failed)."""


def result_lifetime() -> dt.timedelta:
    return dt.timedelta(hours=settings.IMPACTLOG_JOB_RESULT_HOURS)


@service
def start_job(actor: User | None, node: Node, kind: str, params: dict[str, Any]) -> Job:
    """Queue a job of `kind` at `node` for `actor`; it runs once this transaction commits."""
    from impactlog.jobs.tasks import run_job  # the task module imports this one

    runner = registered(kind)
    authorize(actor, runner.perm, node)
    job = Job.objects.create(
        node=node,
        kind=kind,
        created_by=actor,
        params=params,
        language=translation.get_language() or "",  # its messages in the language of the page
    )
    transaction.on_commit(lambda: run_job.enqueue(job_id=job.pk))
    transaction.on_commit(expire_jobs)  # results past their time go while we are here
    return job


def job_for(actor: User, pk: Any) -> Job:
    """The job `pk` if `actor` started it and still holds its kind's permission at its node:
    404 for anyone else's job (or one outside their tree), 403 without the permission."""
    try:
        # system code: only who started it and its kind, before anything is shown
        row = Job.all_objects.filter(pk=int(pk)).values_list("created_by", "kind").first()
    except (TypeError, ValueError, OverflowError):
        row = None
    if row is None or actor.pk is None or row[0] != actor.pk:
        raise Http404
    try:
        perm = registered(row[1]).perm
    except LookupError:
        raise Http404 from None
    return resolve(actor, Job, pk, perm)


def is_expired(job: Job, now: dt.datetime | None = None) -> bool:
    """Whether the file the job made is past its time (a job that made none never expires)."""
    return (
        bool(job.result_name)
        and job.expires_at is not None
        and job.expires_at <= (now or timezone.now())
    )


@service
def download(actor: User, job: Job) -> tuple[IO[bytes], str]:
    """The open result file of a finished job and the name to offer it under; audited.

    Raises JobNotReady before it is done, when it failed or made no file; JobGone once its time
    ran out.
    """
    runner = registered(job.kind)
    authorize(actor, runner.perm, job)
    if job.created_by_id != actor.pk:
        raise Http404
    if job.status != JobStatus.DONE or not job.result_name:
        raise JobNotReady  # not done, failed, or a job whose outcome is a page, not a file
    if is_expired(job) or not job.result:
        raise JobGone
    try:
        handle = job.result.storage.open(job.result.name or "", "rb")
    except FileNotFoundError:
        raise JobGone from None
    try:
        audit.record(
            actor,
            runner.audit_action,
            job,
            node=job.node,
            changes={**_plain(job.params), "job": job.pk},
        )
    except BaseException:
        handle.close()
        raise
    return handle, job.result_name or _("download")


def _plain(params: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in params.items() if isinstance(v, str | int | float | bool)}


def expire_jobs(now: dt.datetime | None = None) -> int:
    """Remove the result files of jobs past their time; the rows stay, to say so. Returns how
    many were removed."""
    now = now or timezone.now()
    removed = 0
    # system code: housekeeping across every organisation, touching only expired results
    expired = Job.all_objects.filter(expires_at__lte=now).exclude(result="")
    for job in expired.only("pk", "result"):
        name = job.result.name or ""
        job.result.storage.delete(name)
        # system code: the expiry run, over every job
        Job.all_objects.filter(pk=job.pk).update(result="")
        removed += 1
    return removed
