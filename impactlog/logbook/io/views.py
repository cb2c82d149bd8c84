"""Files in and out of the logbook: downloads of records and figures, and the import of
historical sessions with a dry run."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from impactlog.core.decorators import form_view
from impactlog.core.suppression import SMALL_NUMBER
from impactlog.core.types import AuthenticatedRequest
from impactlog.jobs.services import start_job
from impactlog.logbook.io import exporters
from impactlog.logbook.io.forms import ConfirmImportForm, ExportPeriodForm, ImportUploadForm
from impactlog.logbook.io.importers import applying, columns, uploads
from impactlog.logbook.views.lookups import unit_or_404
from impactlog.network.services import bands_for, settings_for
from impactlog.structure.pages import node_context
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm


def _export(
    request: AuthenticatedRequest, node: Node, exporter: type[exporters.PeriodExporter], fmt: str
) -> HttpResponseBase:
    form = ExportPeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        return _bad_period(request, node, form)
    export = exporter(node, form.cleaned_data["period"])
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
    form = ExportPeriodForm(request.GET or None, today=timezone.localdate())
    context = node_context(request, node, form=form, small_number=SMALL_NUMBER)
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


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_sessions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)
    limit = settings_for(node).plausible_participants
    form = (
        ImportUploadForm(request.POST, request.FILES, limit=limit, bands=bands_for(node))
        if request.method == "POST"
        else ImportUploadForm(limit=limit, bands=bands_for(node))
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _forget_pending(request, node)
            confirm_large = form.cleaned_data["confirm_large"]
            # The file is read once, here; the check page and the import use its parsed rows.
            token = uploads.store_table(form.table)
            analysis = applying.analyse(
                node, form.table, today=timezone.localdate(), confirm_large=confirm_large
            )
            uploads.store_summary(token, analysis.summary().plain())
            request.session[_pending_key(node)] = {
                "token": token,
                "name": form.table.name,
                "confirm_large": confirm_large,
            }
            return redirect("logbook:import_check", pk=node.pk)
        status = 413 if form.too_large else 400
    context = node_context(request, node, form=form, columns=columns.column_help(bands_for(node)))
    return render(request, "logbook/io_import.html", context, status=status)


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_check(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """What the check of the uploaded file found, and its confirmation. The file is not read
    again: the check page shows what was found at upload, the import uses the parsed rows."""
    unit_or_404(node)
    pending = request.session.get(_pending_key(node))
    plain = uploads.load_summary(pending["token"]) if pending else None
    if pending is None or plain is None:
        messages.info(request, _("No uploaded file is waiting to be imported here."))
        return redirect("logbook:import", pk=node.pk)
    summary = applying.Summary.from_plain(plain)
    form = ConfirmImportForm(request.POST if request.method == "POST" else None, summary=summary)
    status = 200
    if request.method == "POST":
        table = uploads.load_table(pending["token"])
        if table is None:
            _forget_pending(request, node)
            messages.info(request, _("No uploaded file is waiting to be imported here."))
            return redirect("logbook:import", pk=node.pk)
        if form.is_valid():
            try:
                done = applying.run_import(
                    request.user,
                    node,
                    table,
                    confirm_large=bool(pending["confirm_large"]),
                    skip_bad=form.cleaned_data.get("skip_bad_rows", False),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                _forget_pending(request, node)
                created = len(done.new)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s session was imported.",
                        "%(count)s sessions were imported.",
                        created,
                    )
                    % {"count": created},
                )
                return redirect("logbook:import", pk=node.pk)
        status = 422
    context = node_context(
        request,
        node,
        form=form,
        summary=summary,
        file_name=pending["name"],
        problems=summary.problems,
        problems_hidden=summary.problems_hidden,
    )
    return render(request, "logbook/io_import_check.html", context, status=status)
