"""The template library's changes: making a survey from a template, and a network's or an
organisation's own templates published to its members and withdrawn.

Each goes through services.create_survey / archive_survey, which re-read, authorise
(`surveys.manage` at the node), run in one transaction and write the audit record.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.surveys import library, services
from impactlog.surveys.models import Survey, SurveyKind
from impactlog.surveys.spec import spec_of
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import service

if TYPE_CHECKING:
    from impactlog.accounts.models import User


def annual_window(
    today: dt.date, weeks: tuple[int, int] = library.ANNUAL_WEEKS
) -> tuple[dt.date, dt.date]:
    """Monday of the first week to Sunday of the last, this year or, once past, next year."""
    for year in (today.year, today.year + 1):
        closes = dt.date.fromisocalendar(year, weeks[1], 7)
        if closes >= today:
            return dt.date.fromisocalendar(year, weeks[0], 1), closes
    raise AssertionError("unreachable")


@service
def use_template(
    actor: User | None, node: Node, template: str | Survey, *, now: dt.datetime | None = None
) -> Survey:
    """A new survey at `node` made from a built-in template (its key) or a published one."""
    now = now or timezone.now()
    made_from = None
    if isinstance(template, str):
        if template not in library.TEMPLATES:
            raise ValidationError(_("There is no such template."))
        spec = library.spec(template)
    else:
        # re-read the template; it must be offered to this node (published at it or above)
        made_from = Survey.all_objects.select_related("node").get(pk=template.pk)
        place = Node.all_objects.get(pk=node.pk)
        if (
            not made_from.is_template
            or made_from.archived_at
            or not place.is_within(made_from.node)
        ):
            raise Survey.DoesNotExist
        spec = spec_of(services.current_version(made_from))
    survey = services.create_survey(actor, node, spec, made_from=made_from, now=now)
    if survey.kind == SurveyKind.ANNUAL:
        survey.opens_on, survey.closes_on = annual_window(timezone.localdate(now))
        survey.save(update_fields=["opens_on", "closes_on"])
    return survey


@service
def publish_template(
    actor: User | None, survey: Survey, node: Node, *, now: dt.datetime | None = None
) -> Survey:
    """A copy of `survey` as a template at `node` (a network or organisation), offered to its
    subtree; `surveys.manage` at `node` is checked by create_survey."""
    # re-read the survey the caller named; managing it is checked by copying it at node
    survey = Survey.all_objects.get(pk=survey.pk)
    spec = spec_of(services.current_version(survey))
    return services.create_survey(actor, node, spec, is_template=True, made_from=survey, now=now)


def withdraw_template(actor: User | None, template: Survey) -> Survey:
    """The template is no longer offered; surveys made from it stay."""
    if not template.is_template:
        raise ValidationError(_("Only a template can be withdrawn."))
    return services.archive_survey(actor, template)
