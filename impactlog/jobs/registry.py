"""The kinds of job there are: each a runner, registered with the permission it needs.

    @register("export.sessions", perm=Perm.VIEW_RECORDS, audit_action=AuditAction.EXPORT_SESSIONS)
    def run(job: Job, progress: Progress) -> None: ...

A runner does the work of one job: it reads `job.params`, reports its progress, and writes
`job.result`/`job.result_name`/`job.outcome` (saved by the task), or raises `JobFailed` with a
message for the person. Apps register their runners at import time, from `AppConfig.ready()`.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from impactlog.jobs.models import Job
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


_runners: dict[str, Registered] = {}


def register(
    kind: str, *, perm: Perm, audit_action: AuditAction = AuditAction.JOB_RESULT_DOWNLOADED
) -> Callable[[Runner], Runner]:
    """Register `runner` as the work of jobs of `kind`; `perm` is needed at the job's node to
    start it, see it and download its result."""

    def decorator(runner: Runner) -> Runner:
        existing = _runners.get(kind)
        if existing is not None and existing.runner is not runner:
            raise ValueError(f"A runner for job kind {kind!r} is already registered.")
        _runners[kind] = Registered(kind, perm, runner, audit_action)
        return runner

    return decorator


def registered(kind: str) -> Registered:
    try:
        return _runners[kind]
    except KeyError:
        raise LookupError(f"No runner is registered for job kind {kind!r}.") from None


def kinds() -> list[str]:
    return sorted(_runners)


class Progress:
    """How far a job is. `done`/`total` are written at most every `interval` seconds or every
    `every` items, in a short write of their own, so the status page can show them while the job
    runs. (A runner that wraps all its work in one transaction makes them visible only at its
    end: keep the writes of a long runner in chunks.)"""

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
        self._saved_at = time.monotonic()
        self._saved_done = self.job.done
