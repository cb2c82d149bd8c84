"""Files in and out of the logbook: downloads of records and figures, and the import of
historical sessions with a dry run."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.core.suppression import SMALL_NUMBER
from impactlog.core.types import AuthenticatedRequest
from impactlog.logbook import exporters, importers
from impactlog.logbook.periods import PERIOD_KINDS, Period, period_of
from impactlog.network.services import Band, bands_for, settings_for
from impactlog.structure.pages import node_context
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.roles import Perm

PROBLEMS_SHOWN = 200


class PeriodForm(forms.Form):
    """The period of a download. Nothing given means this year."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=list(PERIOD_KINDS.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label=gettext_lazy("A day in the period, or its first day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=gettext_lazy("Last day (custom range only)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": "year", "start": today})
        super().__init__(*args, **kwargs)
        self.today = today

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, start, end = data.get("kind") or "year", data.get("start"), data.get("end")
        if self.errors:
            return data
        if kind == "custom":
            if start is None or end is None:
                raise ValidationError(_("A custom range needs its first and its last day."))
            if end < start:
                raise ValidationError(_("The last day is before the first day."))
            data["period"] = Period("custom", start, end)
        else:
            data["period"] = period_of(kind, start or self.today)
        return data


def _export(
    request: AuthenticatedRequest, node: Node, exporter: type[exporters.PeriodExporter], fmt: str
) -> HttpResponseBase:
    form = PeriodForm(request.GET, today=timezone.localdate())
    if not form.is_valid():
        context = node_context(request, node, form=form)
        return render(request, "logbook/io_bad_request.html", context, status=400)
    export = exporter(node, form.cleaned_data["period"])
    exporters.record_export(request.user, node, export, fmt)
    return exporters.respond(export, fmt)


@node_permission(Perm.VIEW_REPORTS)
@require_safe
def export_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    form = PeriodForm(request.GET or None, today=timezone.localdate())
    context = node_context(request, node, form=form, small_number=SMALL_NUMBER)
    return render(request, "logbook/io_export.html", context)


@node_permission(Perm.VIEW_RECORDS)
@require_safe
def export_sessions(
    request: AuthenticatedRequest, node: Node, file_format: str
) -> HttpResponseBase:
    return _export(request, node, exporters.SessionsExporter, file_format)


@node_permission(Perm.VIEW_REPORTS)
@require_safe
def export_figures(request: AuthenticatedRequest, node: Node, file_format: str) -> HttpResponseBase:
    return _export(request, node, exporters.FiguresExporter, file_format)


def _unit(node: Node) -> Node:
    """Sessions are imported into a unit; elsewhere the import pages do not exist."""
    if node.kind != NodeKind.UNIT:
        raise Http404
    return node


@node_permission(Perm.EDIT_RECORDS)
@require_safe
def import_template(
    request: AuthenticatedRequest, node: Node, file_format: str
) -> HttpResponseBase:
    return exporters.respond(importers.ImportTemplate(_unit(node)), file_format)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or XLSX file with the template's columns, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    confirm_large = forms.BooleanField(required=False)

    def __init__(self, *args: Any, limit: int, bands: list[Band], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bands = bands
        self.fields["confirm_large"].label = _(
            "Sessions with more than %(count)s participants are right; import them as they are"
        ) % {"count": limit}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > importers.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": importers.MAX_BYTES // (1024 * 1024)}
            )
        self.content: bytes = upload.read()
        self.table = importers.read_table(upload.name, self.content, self.bands)
        return upload


def _pending_key(node: Node) -> str:
    return f"logbook_import_{node.pk}"


def _forget_pending(request: AuthenticatedRequest, node: Node) -> None:
    pending = request.session.pop(_pending_key(node), None)
    if pending:
        importers.discard_upload(pending["token"])


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_sessions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    _unit(node)
    limit = settings_for(node).plausible_participants
    form = (
        UploadForm(request.POST, request.FILES, limit=limit, bands=bands_for(node))
        if request.method == "POST"
        else UploadForm(limit=limit, bands=bands_for(node))
    )
    if request.method == "POST" and form.is_valid():
        _forget_pending(request, node)
        request.session[_pending_key(node)] = {
            "token": importers.store_upload(form.content),
            "name": form.table.name,
            "confirm_large": form.cleaned_data["confirm_large"],
        }
        return redirect("logbook:import_check", pk=node.pk)
    context = node_context(request, node, form=form, columns=importers.column_help(bands_for(node)))
    return render(request, "logbook/io_import.html", context)


class ConfirmImportForm(forms.Form):
    skip_bad_rows = forms.BooleanField(
        label=gettext_lazy("Import the good rows and skip the rows with problems"),
        required=False,
    )

    def __init__(self, *args: Any, analysis: importers.Analysis, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.analysis = analysis
        if not analysis.bad:
            del self.fields["skip_bad_rows"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.analysis.new:
            raise ValidationError(_("There is nothing new to import in this file."))
        if self.analysis.bad and not data.get("skip_bad_rows"):
            raise ValidationError(
                _(
                    "Some rows have problems. Correct the file and upload it again, or choose "
                    "to skip those rows."
                )
            )
        return data


@node_permission(Perm.EDIT_RECORDS)
@form_view
def import_check(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The dry run of the uploaded file, and its confirmation."""
    _unit(node)
    pending = request.session.get(_pending_key(node))
    content = importers.load_upload(pending["token"]) if pending else None
    if pending is None or content is None:
        messages.info(request, _("No uploaded file is waiting to be imported here."))
        return redirect("logbook:import", pk=node.pk)
    try:
        table = importers.read_table(pending["name"], content, bands_for(node))
    except ValidationError as error:  # read once already; only a change of limits gets here
        _forget_pending(request, node)
        messages.error(request, " ".join(error.messages))
        return redirect("logbook:import", pk=node.pk)
    confirm_large = bool(pending["confirm_large"])
    today = timezone.localdate()
    analysis = importers.analyse(node, table, today=today, confirm_large=confirm_large)
    form = ConfirmImportForm(request.POST if request.method == "POST" else None, analysis=analysis)
    if request.method == "POST" and form.is_valid():
        try:
            done = importers.run_import(
                request.user,
                node,
                table,
                confirm_large=confirm_large,
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
                    "%(count)s session was imported.", "%(count)s sessions were imported.", created
                )
                % {"count": created},
            )
            return redirect("logbook:import", pk=node.pk)
    problems = analysis.problems
    context = node_context(
        request,
        node,
        form=form,
        analysis=analysis,
        file_name=table.name,
        problems=problems[:PROBLEMS_SHOWN],
        problems_hidden=max(0, len(problems) - PROBLEMS_SHOWN),
    )
    return render(request, "logbook/io_import_check.html", context)
