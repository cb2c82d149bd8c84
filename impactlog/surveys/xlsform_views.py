"""XLSForm pages: upload a workbook to make a survey at a place (with the row-by-row report of
what cannot be imported, in the reader's language), and download a survey's XLSForm.

Thin views over `surveys.xlsform`; both need `surveys.manage` at the place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.structure.pages import apply_errors, node_context
from impactlog.surveys import xlsform
from impactlog.surveys.models import Survey
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("XLSForm workbook"),
        help_text=gettext_lazy("An .xlsx file with a survey sheet, at most 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > xlsform.MAX_BYTES:
            raise ValidationError(
                _("The file is larger than %(size)d MB.")
                % {"size": xlsform.MAX_BYTES // (1024 * 1024)}
            )
        self.content: bytes = upload.read()
        self.name: str = upload.name
        if not self.content:
            raise ValidationError(_("The file is empty."))
        return upload


def _page(
    request: AuthenticatedRequest,
    node: Node,
    form: UploadForm,
    status: int = 200,
    found: list[xlsform.RowProblem] | None = None,
) -> HttpResponse:
    context = node_context(request, node, form=form, problems=found or [])
    return render(request, "surveys/xlsform/import.html", context, status=status)


def _made(survey: Survey) -> str:
    return _("The survey “%(title)s” was made from the workbook.") % {"title": survey}


@node_permission(Perm.MANAGE_SURVEYS)
@form_view
def import_survey(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """Upload a workbook: a survey is made from it, or every problem is listed with its sheet
    and row and nothing is made (400)."""

    def done(_saved: object) -> HttpResponse:
        return redirect("xlsform:import", pk=node.pk)

    if request.method != "POST":
        return _page(request, node, UploadForm())
    if (found := idempotency.earlier(request)) is not None:  # sent again: not a second survey
        return idempotency.repeated(request, found, done, already=_already_made)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, node, form, status=400)
    problems: list[xlsform.RowProblem] = []

    def create() -> Survey | None:
        try:
            return xlsform.import_workbook(request.user, node, form.content, form.name)
        except xlsform.ImportRefused as refused:
            problems.extend(xlsform.rows_of(refused.problems))
        except ValidationError as error:  # not a workbook, or the place refuses surveys
            apply_errors(form, error)
        return None

    try:
        survey = idempotency.once(request, node, create)
    except idempotency.Repeated as repeat:
        return idempotency.repeated(request, repeat.earlier, done, already=_already_made)
    if survey is None:
        return _page(request, node, form, status=400, found=problems)
    messages.success(request, _made(survey))
    return redirect("xlsform:import", pk=node.pk)


def _already_made(saved: object) -> str:
    return _("Already made: this workbook had been sent before; no other survey was made.")


@node_permission(Perm.MANAGE_SURVEYS)
@require_safe
def download(request: AuthenticatedRequest, node: Node, survey_pk: int) -> HttpResponse:
    """The survey's current questions as an XLSForm workbook: a survey of this place or one
    shared with it from above."""
    survey = Survey.objects.filter(
        pk=survey_pk, node_id__in=[*node.ancestor_ids(), node.pk]
    ).first()
    if survey is None:
        raise Http404
    version, data = xlsform.export_survey(request.user, survey)
    name = slugify(str(survey)) or "survey"
    response = HttpResponse(data, content_type=XLSX)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{name}-v{version.number}.xlsx"'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response
