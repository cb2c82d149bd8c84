"""The survey builder's pages: the surveys a node runs.

Thin views over `surveys.queries`; changes go through `surveys.services`."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_safe

from impactlog.core.types import AuthenticatedRequest
from impactlog.structure.pages import node_context
from impactlog.surveys import queries
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

PAGE_SIZE = 25


@node_permission(Perm.MANAGE_SURVEYS)
@require_safe
def survey_list(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The surveys of this node and those shared from above, with their answer counts."""
    page = Paginator(queries.surveys_of(node), PAGE_SIZE).get_page(request.GET.get("page"))
    language = translation.get_language() or "en"
    rows = [(survey, survey.title_in(language)) for survey in page.object_list]
    context = node_context(request, node, page=page, rows=rows, query="")
    return render(request, "surveys/builder/list.html", context)
