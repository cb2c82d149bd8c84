"""Files in and out of the logbook: downloads of records and figures, and the import of
historical sessions with a dry run."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.jobs.models import Job, JobStatus
from impactlog.jobs.services import job_for, start_job
from impactlog.logbook.io import exporters
from impactlog.logbook.io.forms import ConfirmImportForm, ExportPeriodForm, ImportUploadForm
from impactlog.logbook.io.importers import applying, columns, uploads
from impactlog.logbook.io.importers import jobs as import_jobs
from impactlog.network.services import bands_for, settings_for, thresholds_for
from impactlog.structure.pages import node_context, unit_or_404
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm


def _export(
    request: AuthenticatedRequest, node: Node, exporter: type[exporters.PeriodExporter], fmt: str
) -> HttpResponseBase:
    exact = has_perm(request.user, Perm.VIEW_RECORDS, node)
    form = ExportPeriodForm(request.GET, today=timezone.localdate(), protected=not exact)
    if not form.is_valid():
        return _bad_period(request, node, form)
    period = form.cleaned_data["period"]
    if exporter is exporters.FiguresExporter:
        figures = exporters.FiguresExporter(node, period, exact=exact)
        if not figures.ready():
            context = node_context(request, node, form=form)
            response = render(request, "logbook/io_not_ready.html", context, status=503)
            response["Retry-After"] = "60"
            return response
        export: exporters.PeriodExporter = figures
    else:
        export = exporter(node, period)
    if (
        isinstance(export, exporters.SessionsExporter)
        and fmt == "xlsx"
        and exporters.too_large_to_send_at_once(export)
    ):
        # Too large to build while the browser waits: offer to prepare it as a job.
        context = node_context(request, node, form=form, period=export.period)
        return render(request, "logbook/io_export_job.html", context)
    exporters.record_export(request.user, node, export, fmt)
    return exporters.respond(export, fmt)


def _bad_period(request: AuthenticatedRequest, node: Node, form: ExportPeriodForm) -> HttpResponse:
    context = node_context(request, node, form=form)
    return render(request, "logbook/io_bad_request.html", context, status=400)


@node_permission(Perm.VIEW_REPORTS)
@require_safe
def export_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    exact = has_perm(request.user, Perm.VIEW_RECORDS, node)
    form = ExportPeriodForm(request.GET or None, today=timezone.localdate(), protected=not exact)
    context = node_context(
        request, node, form=form, exact=exact, threshold=thresholds_for(node).visits
    )
    return render(request, "logbook/io_export.html", context)


@node_permission(Perm.VIEW_RECORDS)
@require_safe
def export_sessions(
    request: AuthenticatedRequest, node: Node, file_format: str
) -> HttpResponseBase:
    return _export(request, node, exporters.SessionsExporter, file_format)


@node_permission(Perm.VIEW_RECORDS)
@require_POST
def export_sessions_job(request: AuthenticatedRequest, node: Node) -> HttpResponseBase:
    """Prepare the sessions XLSX in the background, then follow it on the job's page. The
    download itself is audited when it is taken from there."""
    form = ExportPeriodForm(request.POST, today=timezone.localdate())
    if not form.is_valid():
        return _bad_period(request, node, form)
    params = exporters.period_params(form.cleaned_data["period"], "xlsx")
    job = start_job(request.user, node, exporters.EXPORT_SESSIONS_JOB, params)
    return redirect("jobs:status", pk=node.pk, job_pk=job.pk)


@node_permission(Perm.VIEW_REPORTS)
@require_safe
def export_figures(request: AuthenticatedRequest, node: Node, file_format: str) -> HttpResponseBase:
    return _export(request, node, exporters.FiguresExporter, file_format)


@node_permission(Perm.EDIT_RECORDS)
@require_safe
def import_template(
    request: AuthenticatedRequest, node: Node, file_format: str
) -> HttpResponseBase:
    return exporters.respond(columns.ImportTemplate(unit_or_404(node)), file_format)


def _pending_key(node: Node) -> str:
    return f"logbook_import_{node.pk}"


def _forget_pending(request: AuthenticatedRequest, node: Node) -> None:
    pending = request.session.pop(_pending_key(node), None)
    if pending:
        uploads.discard_upload(pending["token"])


_IMPORT_JOB_KINDS = {"apply_job": "import.apply", "check_job": "import.check"}


def _pending_job(
    request: AuthenticatedRequest, node: Node, pending: dict[str, Any], key: str
) -> Job | None:
    """The import job the person's pending import names, if it names one: theirs, of the kind
    the step expects, at this place; Http404 otherwise."""
    if not pending.get(key):
        return None
    job = job_for(request.user, pending[key])
    if job.kind != _IMPORT_JOB_KINDS[key] or job.node_id != node.pk:
        raise Http404
    return job


def _upload_page(
    request: AuthenticatedRequest,
    node: Node,
    form: ImportUploadForm,
    status: int = 200,
    refused: str = "",
) -> HttpResponse:
    help_ = columns.column_help(bands_for(node))
    context = node_context(request, node, form=form, columns=help_, refused=refused)
    return render(request, "logbook/io_import.html", context, status=status)


def _upload_form(request: AuthenticatedRequest, node: Node) -> ImportUploadForm:
    limit = settings_for(node).plausible_participants
    if request.method == "POST":
        return ImportUploadForm(request.POST, request.FILES, limit=limit, bands=bands_for(node))
    return ImportUploadForm(limit=limit, bands=bands_for(node))


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_sessions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The upload. A small file is read and checked at once; a large one by a job."""
    unit_or_404(node)
    form = _upload_form(request, node)
    if request.method != "POST":
        return _upload_page(request, node, form)
    form.inline_max_bytes = settings.IMPORT_INLINE_CHECK_BYTES
    if not form.is_valid():
        return _upload_page(request, node, form, status=413 if form.too_large else 400)
    _forget_pending(request, node)
    confirm_large = form.cleaned_data["confirm_large"]
    pending: dict[str, Any] = {"name": form.name, "confirm_large": confirm_large}
    if form.table is None:  # large: the job reads it
        pending["token"] = uploads.store_upload(form.content)
        params = {"token": pending["token"], "name": form.name, "confirm_large": confirm_large}
        pending["check_job"] = start_job(request.user, node, import_jobs.CHECK, params).pk
    else:  # read once, here; the check page and the import use its parsed rows
        pending["token"] = uploads.store_table(form.table)
        found = applying.analyse(
            node, form.table, today=timezone.localdate(), confirm_large=confirm_large
        )
        uploads.store_summary(pending["token"], found.plain())
    request.session[_pending_key(node)] = pending
    return redirect("logbook:import_check", pk=node.pk)


def _progress(request: AuthenticatedRequest, node: Node, job: Job, file_name: str) -> HttpResponse:
    """The page of a running check or import; with HX-Request only its part that updates, or,
    once the job is finished, the instruction to load the whole page again."""
    here = reverse("logbook:import_check", args=[node.pk])
    if request.headers.get("HX-Request"):
        if job.is_finished:
            return HttpResponse(headers={"HX-Redirect": here})
        context = node_context(request, node, job=job, here=here)
        return render(request, "logbook/io_import_progress_part.html", context)
    context = node_context(request, node, job=job, here=here, file_name=file_name)
    return render(request, "logbook/io_import_progress.html", context)


def _imported(request: AuthenticatedRequest, node: Node, created: int) -> HttpResponse:
    _forget_pending(request, node)
    messages.success(
        request,
        ngettext("%(count)s session was imported.", "%(count)s sessions were imported.", created)
        % {"count": created},
    )
    return redirect("logbook:import", pk=node.pk)


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_check(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """What the check of the uploaded file found, and its confirmation, which starts the
    import as a job; then the job's progress and its end. The file is never read again here:
    the check found what it found once, the import uses the parsed rows."""
    unit_or_404(node)
    pending = request.session.get(_pending_key(node))
    if pending is None:
        messages.info(request, _("No uploaded file is waiting to be imported here."))
        return redirect("logbook:import", pk=node.pk)
    failure = ""
    try:
        apply_job = _pending_job(request, node, pending, "apply_job")
        check_job = _pending_job(request, node, pending, "check_job")
    except (Http404, PermissionDenied):
        _forget_pending(request, node)  # a job that is gone or not theirs: start again
        return redirect("logbook:import", pk=node.pk)
    if apply_job is not None:
        job = apply_job
        if not job.is_finished or request.headers.get("HX-Request"):
            return _progress(request, node, job, pending["name"])
        if job.status == JobStatus.DONE:
            return _imported(request, node, int(job.outcome.get("created", 0)))
        failure = job.error  # the check is shown again with what stopped the import
        del pending["apply_job"]
        request.session.modified = True
    if check_job is not None:
        job = check_job
        if not job.is_finished or request.headers.get("HX-Request"):
            return _progress(request, node, job, pending["name"])
        if job.status == JobStatus.FAILED:
            _forget_pending(request, node)
            blank = ImportUploadForm(limit=settings_for(node).plausible_participants, bands=[])
            return _upload_page(request, node, blank, status=400, refused=job.error)
    plain = uploads.load_summary(pending["token"])
    if plain is None:
        _forget_pending(request, node)
        messages.info(request, _("No uploaded file is waiting to be imported here."))
        return redirect("logbook:import", pk=node.pk)
    summary = applying.Summary.from_plain(plain)
    posted = request.method == "POST" and not failure
    form = ConfirmImportForm(request.POST if posted else None, summary=summary)
    status = 422 if failure else 200
    if posted:
        if form.is_valid():
            params = {
                "token": pending["token"],
                "confirm_large": bool(pending["confirm_large"]),
                "skip_bad": form.cleaned_data.get("skip_bad_rows", False),
            }
            job = start_job(request.user, node, import_jobs.APPLY, params)
            pending["apply_job"] = job.pk
            request.session.modified = True
            return redirect("logbook:import_check", pk=node.pk)
        status = 422
    context = node_context(
        request,
        node,
        form=form,
        summary=summary,
        file_name=pending["name"],
        problems=summary.problems,
        problems_hidden=summary.problems_hidden,
        failure=failure,
    )
    return render(request, "logbook/io_import_check.html", context, status=status)
