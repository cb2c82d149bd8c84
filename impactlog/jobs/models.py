"""A job: long work done in the background for one person at one place (a large export, an
import), with its progress, its result file and what happened."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("In progress")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})


class Job(TenantModel):
    """One run of a registered runner (`kind`), owned by the node it was started at.

    `params` hold plain values only (primary keys, ISO dates, formats, an upload token), so
    that the task that runs the job can be queued. `done`/`total` are its progress; `result`
    and `result_name` its file, kept until `expires_at`; `outcome` what the page shows
    afterwards; `error` a message for the person when it failed.
    """

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # The language of the page that started it: its messages and files are written in it.
    language = models.CharField(max_length=8, blank=True)
    result = models.FileField(upload_to="jobs/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        indexes = [models.Index(fields=["status", "expires_at"], name="job_status_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED

    @property
    def progress_percent(self) -> int | None:
        """How far the job is, 0–100; None while the total is not known."""
        if self.status == JobStatus.DONE:
            return 100
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)
