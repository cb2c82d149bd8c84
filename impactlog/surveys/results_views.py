"""The results page of a survey at a place, and the download of a unit's answers."""

from __future__ import annotations

from django import forms
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from impactlog.core.types import AuthenticatedRequest
from impactlog.logbook.io.exporters import csv_response, respond
from impactlog.structure.pages import node_context, unit_or_404
from impactlog.surveys import export, results
from impactlog.surveys.models import SCALES, Survey, SurveyVersion
from impactlog.surveys.services import current_version
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_of

FORMATS = ("csv", "xlsx")


class ResultsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    unit = forms.TypedChoiceField(label=_("Unit"), required=False, coerce=int, empty_value=None)

    def __init__(self, data: object, units: list[Node]) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        field = self.fields["unit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All units")), *((u.pk, u.name) for u in units)]

    def clean(self) -> dict[str, object]:
        cleaned = super().clean() or {}
        if cleaned.get("month") and not cleaned.get("year"):
            self.add_error("month", _("Choose a year to see one month."))
        return cleaned


def survey_at(node: Node, survey_pk: int) -> Survey:
    """The survey, if it is handed out at or under the node, or shared with it from above."""
    survey = Survey.objects.filter(pk=survey_pk, is_template=False).select_related("node").first()
    if survey is None:
        raise Http404
    if not (node.path.startswith(survey.node.path) or survey.node.path.startswith(node.path)):
        raise Http404
    return survey


@node_permission(Perm.VIEW_REPORTS)
@require_safe
def results_page(request: AuthenticatedRequest, node: Node, survey_pk: int) -> HttpResponse:
    """Aggregated results, protected by the survey thresholds for everyone but the unit's own
    workers, who also read the free texts there (audited)."""
    survey = survey_at(node, survey_pk)
    units = list(Node.objects.filter(path__startswith=node.path, kind=NodeKind.UNIT))
    form = ResultsFilterForm(request.GET or None, units)
    if request.GET and not form.is_valid():
        context = node_context(request, node, survey=survey, form=form, found=None)
        return render(request, "surveys/results/page.html", context, status=400)
    cleaned = form.cleaned_data if request.GET else {}
    unit = next((u for u in units if u.pk == cleaned.get("unit")), None)
    filters = results.Filters(node, unit, cleaned.get("year"), cleaned.get("month"))
    own = results.is_unit_worker(request.user, node)
    version = current_version(survey)
    found = results.results(
        survey,
        version,
        filters,
        protected=not own,
        language=get_language() or "en",
        with_texts=own,
    )
    if own and any(q.texts for q in found.questions):
        export.read_answers(request.user, survey, node)
    beside = (
        _beside(survey, version, node, found) if node.kind == NodeKind.UNIT and found.shown else []
    )
    context = node_context(
        request,
        node,
        survey=survey,
        form=form,
        found=found,
        beside=beside,
        own=own,
    )
    return render(request, "surveys/results/page.html", context)


def _beside(
    survey: Survey, version: SurveyVersion, unit: Node, found: results.Results
) -> list[dict[str, object]]:
    """Each scale question's mean at the unit beside the spread of the network's units that
    pass the threshold."""
    network = root_of(unit)
    rows = []
    for figures in found.questions:
        if figures.question.type not in SCALES or figures.interval is None:
            continue
        means = results.unit_means(survey, version, network, figures.question, found.threshold)
        spread = results.spread(means.values())
        if spread is not None:
            rows.append({"label": figures.label, "mean": figures.interval.mean, "spread": spread})
    return rows


@node_permission(Perm.READ_ANSWERS)
@require_safe
def answers_export(
    request: AuthenticatedRequest, node: Node, survey_pk: int, file_format: str
) -> HttpResponseBase:
    """The unit's answers as CSV or XLSX (with its codebook sheet); audited."""
    if file_format not in FORMATS:
        raise Http404
    unit = unit_or_404(node)
    survey = survey_at(unit, survey_pk)
    export.export_answers(request.user, survey, unit, file_format)
    return respond(export.AnswersExporter(survey, current_version(survey), unit), file_format)


@node_permission(Perm.READ_ANSWERS)
@require_safe
def codebook_export(request: AuthenticatedRequest, node: Node, survey_pk: int) -> HttpResponseBase:
    """The codebook of the CSV download: question names, texts, types, choice values, labels."""
    unit = unit_or_404(node)
    survey = survey_at(unit, survey_pk)
    answers = export.AnswersExporter(survey, current_version(survey), unit)
    return csv_response(export.CodebookExporter(answers))
