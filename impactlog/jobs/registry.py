"""The kinds of job there are: each a runner, registered with the permission it needs.

    @register("export.sessions", perm=Perm.VIEW_RECORDS, audit_action=AuditAction.EXPORT_SESSIONS)
    def run(job: Job, progress: Progress) -> None: ...

A runner does the work of one job: it reads `job.params`, reports its progress, and writes
`job.result`/`job.result_name`/`job.outcome` (saved by the task), or raises `JobFailed` with a
message for the person. Apps register their runners at import time, from `AppConfig.ready()`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from impactlog.jobs.models import Job, JobStatus
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.roles import Perm

Runner = Callable[[Job, "Progress"], None]


class JobFailed(Exception):
    """The job cannot be done; the message is shown to the person who started it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Registered:
    kind: str
    perm: Perm
    runner: Runner
    # What downloading the job's result writes in the audit trail.
    audit_action: AuditAction
    # Shown on the job's page once it is done, with `job` and `node` (its outcome, say).
    template: str


_runners: dict[str, Registered] = {}


def register(
    kind: str,
    *,
    perm: Perm,
    audit_action: AuditAction = AuditAction.JOB_RESULT_DOWNLOADED,
    template: str = "",
) -> Callable[[Runner], Runner]:
    """Register `runner` as the work of jobs of `kind`; `perm` is needed at the job's node to
    start it, see it and download its result. Downloading the result records `audit_action`
    with the job's params and its number; `template`, if given, is included in the job's page
    once it is done (context: `job`, `node`)."""

    def decorator(runner: Runner) -> Runner:
        existing = _runners.get(kind)
        if existing is not None and existing.runner is not runner:
            raise ValueError(f"A runner for job kind {kind!r} is already registered.")
        _runners[kind] = Registered(kind, perm, runner, audit_action, template)
        return runner

    return decorator


def registered(kind: str) -> Registered:
    try:
        return _runners[kind]
    except KeyError:
        raise LookupError(f"No runner is registered for job kind {kind!r}.") from None


def kinds() -> list[str]:
    return sorted(_runners)


def _progress_path(job_pk: int) -> str:
    return f"jobs/progress/{job_pk}.json"


def live_progress(job: Job) -> Job:
    """`job` with the progress its runner last reported, for a job still running.

    A runner that keeps all its work in one transaction (an all-or-nothing import) cannot show
    its progress through the database until it commits, so `Progress` also writes it to a small
    file next to the job's results, which other processes read at once.
    """
    if job.status != JobStatus.RUNNING:
        return job
    try:
        with default_storage.open(_progress_path(job.pk), "rb") as handle:
            reported = json.loads(handle.read())
        job.done, job.total = int(reported["done"]), reported["total"]
    except (OSError, ValueError, KeyError, TypeError):
        pass  # not reported yet, or being written: the row's own figures stand
    return job


def forget_progress(job: Job) -> None:
    default_storage.delete(_progress_path(job.pk))


class Progress:
    """How far a job is. `done`/`total` are written at most every `interval` seconds or every
    `every` items, in a short write of their own and to a progress file (see `live_progress`),
    so the status page can show them while the job runs."""

    def __init__(self, job: Job, *, interval: float = 0.5, every: int = 5000) -> None:
        self.job = job
        self.interval = interval
        self.every = every
        self._saved_at = time.monotonic()
        self._saved_done = job.done

    def set_total(self, total: int) -> None:
        self.job.total = total
        self._save()

    def advance(self, k: int = 1) -> None:
        self.job.done += k
        if (
            self.job.done - self._saved_done >= self.every
            or time.monotonic() - self._saved_at >= self.interval
        ):
            self._save()

    def flush(self) -> None:
        if self.job.done != self._saved_done:
            self._save()

    def _save(self) -> None:
        with transaction.atomic():
            # system code: the job's own row, already authorised when it was started
            Job.all_objects.filter(pk=self.job.pk).update(done=self.job.done, total=self.job.total)
        path = _progress_path(self.job.pk)
        default_storage.delete(path)
        default_storage.save(
            path, ContentFile(json.dumps({"done": self.job.done, "total": self.job.total}))
        )
        self._saved_at = time.monotonic()
        self._saved_done = self.job.done
