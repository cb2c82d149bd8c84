"""The read side of the survey builder's pages."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from impactlog.surveys.models import Survey
from impactlog.tenancy.models import Node


def surveys_of(node: Node) -> QuerySet[Survey]:
    """The surveys of `node` and those shared from above it, newest first, each with
    `answers` (how many complete answers it has: a count only, no results)."""
    owners = [*node.ancestor_ids(), node.pk]
    return (
        Survey.objects.filter(node_id__in=owners)
        .select_related("node")
        .annotate(
            answers=Count(
                "versions__responses", filter=Q(versions__responses__complete=True), distinct=True
            )
        )
        .order_by("archived_at", "-created_at", "-pk")
    )
