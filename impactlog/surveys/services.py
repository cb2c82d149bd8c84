"""Every change to a survey's definition: making it from a spec, saving an edited spec as its
questions (a new version once the current one has answers), and archiving it.

Each service re-reads and authorises the object (`surveys.manage` at the survey's node), runs in
one transaction and writes the audit record. Handing surveys out and answering them live in
their own modules.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.surveys.models import (
    Choice,
    ChoiceList,
    Question,
    Response,
    Survey,
    SurveyVersion,
)
from impactlog.surveys.spec import Problem, SurveySpec, problems
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User


class SpecRefused(ValidationError):
    """The spec has problems; `problems` lists each with where it is."""

    def __init__(self, found: list[Problem]) -> None:
        super().__init__([problem.message for problem in found])
        self.problems = found


def _refuse_problems(spec: SurveySpec) -> None:
    found = problems(spec)
    if found:
        raise SpecRefused(found)


def _store_questions(version: SurveyVersion, spec: SurveySpec) -> None:
    """The spec's lists and questions as the rows of `version` (which has none)."""
    lists = ChoiceList.all_objects.bulk_create(
        [ChoiceList(version=version, name=choice_list.name) for choice_list in spec.lists]
    )
    by_name = {stored.name: stored for stored in lists}
    Choice.all_objects.bulk_create(
        [
            Choice(choice_list=stored, position=position, value=choice.value, label=choice.label)
            for stored, choice_list in zip(lists, spec.lists, strict=True)
            for position, choice in enumerate(choice_list.choices)
        ]
    )
    Question.all_objects.bulk_create(
        [
            Question(
                version=version,
                position=position,
                name=question.name,
                type=question.type,
                label=question.label,
                hint=question.hint,
                required=question.required,
                choice_list=by_name.get(question.list_name) if question.list_name else None,
                relevant=question.relevant.strip(),
                role=question.role,
                limits=question.limits,
            )
            for position, question in enumerate(spec.questions)
        ]
    )


def _survey_fields(survey: Survey, spec: SurveySpec) -> None:
    survey.kind = spec.kind
    survey.title = spec.title
    survey.languages = spec.languages
    survey.purpose = spec.purpose
    survey.timing = spec.timing
    survey.citation = spec.citation
    survey.minutes = spec.minutes
    survey.per_page = spec.per_page


@service
def create_survey(
    actor: User | None,
    node: Node,
    spec: SurveySpec,
    *,
    is_template: bool = False,
    made_from: Survey | None = None,
    now: dt.datetime | None = None,
) -> Survey:
    """A new survey (or template) at `node` with the spec's questions as its first version;
    SpecRefused listing every problem, nothing stored."""
    now = now or timezone.now()
    # re-read the node the caller named; authorize() decides
    node = Node.all_objects.get(pk=node.pk)
    authorize(actor, Perm.MANAGE_SURVEYS, node)
    if node.is_archived:
        raise ValidationError(_("Surveys are made at a place that is not archived."))
    _refuse_problems(spec)
    survey = Survey(node=node, is_template=is_template, made_from=made_from, created_at=now)
    survey.created_by = actor
    _survey_fields(survey, spec)
    survey.save()
    version = SurveyVersion.all_objects.create(
        survey=survey, number=1, created_at=now, created_by=actor
    )
    _store_questions(version, spec)
    audit.record(
        actor,
        AuditAction.SURVEY_CREATED,
        survey,
        node=node,
        changes={"questions": len(spec.questions), "template": is_template},
    )
    return survey


def current_version(survey: Survey) -> SurveyVersion:
    """The version new answers are given to: the highest number."""
    # the survey was read in the caller's scope; its versions are its own
    return SurveyVersion.all_objects.filter(survey=survey).order_by("-number").first()  # type: ignore[return-value]


@service
def save_questions(
    actor: User | None, survey: Survey, spec: SurveySpec, *, now: dt.datetime | None = None
) -> SurveyVersion:
    """Store an edited spec as the survey's questions: in place while the current version has
    no answers, else as a new version (answers keep the one they answered). Returns the
    version that now takes answers."""
    now = now or timezone.now()
    # re-read the object the caller named, locked so that two editors do not both add a version
    survey = Survey.all_objects.select_for_update().select_related("node").get(pk=survey.pk)
    authorize(actor, Perm.MANAGE_SURVEYS, survey)
    if survey.archived_at is not None:
        raise ValidationError(_("This survey is archived: restore it before changing it."))
    _refuse_problems(spec)
    version = current_version(survey)
    # system code: the survey's own version, authorised above
    answered = Response.all_objects.filter(version=version).exists()
    if answered:
        number = (
            SurveyVersion.all_objects.filter(survey=survey).aggregate(top=Max("number"))["top"] or 0
        )
        version = SurveyVersion.all_objects.create(
            survey=survey, number=number + 1, created_at=now, created_by=actor
        )
    else:
        # the unanswered version's rows, replaced as a whole
        Question.all_objects.filter(version=version).delete()
        ChoiceList.all_objects.filter(version=version).delete()
    _store_questions(version, spec)
    _survey_fields(survey, spec)
    survey.save()
    audit.record(
        actor,
        AuditAction.SURVEY_CHANGED,
        survey,
        node=survey.node,
        changes={"version": version.number, "new_version": answered},
    )
    return version


@service
def archive_survey(actor: User | None, survey: Survey, *, now: dt.datetime | None = None) -> Survey:
    """Archive a survey: it takes no more answers; its answers and results stay."""
    # re-read the object the caller named; authorize() decides
    survey = Survey.all_objects.select_for_update().select_related("node").get(pk=survey.pk)
    authorize(actor, Perm.MANAGE_SURVEYS, survey)
    if survey.archived_at is not None:
        raise ValidationError(_("This survey is archived already."))
    survey.archived_at = now or timezone.now()
    survey.save(update_fields=["archived_at"])
    audit.record(actor, AuditAction.SURVEY_ARCHIVED, survey, node=survey.node)
    return survey
