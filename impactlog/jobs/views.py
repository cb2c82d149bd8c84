"""The page of a job (its progress, then its result) and the download of the result."""

from __future__ import annotations

import mimetypes

from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from impactlog.core.types import AuthenticatedRequest
from impactlog.jobs import services
from impactlog.jobs.models import Job
from impactlog.jobs.registry import live_progress, registered
from impactlog.jobs.streaming import file_download
from impactlog.structure.pages import node_context
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm


def _job_at(request: AuthenticatedRequest, node: Node, job_pk: int) -> Job:
    job = services.job_for(request.user, job_pk)
    if job.node_id != node.pk:
        raise Http404
    return job


def _page(
    request: AuthenticatedRequest, node: Node, job: Job, *, status: int = 200
) -> HttpResponse:
    expired = services.is_expired(job)
    job = live_progress(job)
    template = registered(job.kind).template
    context = node_context(request, node, job=job, expired=expired, kind_template=template)
    if request.headers.get("HX-Request"):
        return render(request, "jobs/_progress.html", context, status=status)
    return render(request, "jobs/status.html", context, status=410 if expired else status)


@node_permission(Perm.VIEW_NODE)  # and the job kind's own permission, asked by job_for
@require_safe
def status(request: AuthenticatedRequest, node: Node, job_pk: int) -> HttpResponse:
    return _page(request, node, _job_at(request, node, job_pk))


@node_permission(Perm.VIEW_NODE)  # and the job kind's own permission, asked by download
@require_safe
def download(request: AuthenticatedRequest, node: Node, job_pk: int) -> HttpResponseBase:
    job = _job_at(request, node, job_pk)
    try:
        handle, name = services.download(request.user, job)
    except services.JobGone:
        return _page(request, node, job, status=410)
    except services.JobNotReady:
        return redirect("jobs:status", pk=node.pk, job_pk=job.pk)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return file_download(handle, name, content_type)
