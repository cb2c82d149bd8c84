"""Workers' pages of a young person's progress: thin views over the forms, services and queries.

Each page about one young person is a view of their record, written to the audit trail
(participants.services.view_participant), as the record's own page is.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.participants import queries as registry_queries
from impactlog.participants import services as registry
from impactlog.participants.models import Participant
from impactlog.progress import queries, services
from impactlog.progress.forms import (
    AnswerForm,
    CompetenceForm,
    GoalForm,
    GoalUpdateForm,
    NoteForm,
    RatingForm,
)
from impactlog.progress.models import (
    Goal,
    JournalEntry,
    Recognition,
)
from impactlog.progress.summary_pdf import pdf_of
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm


def _viewed(request: AuthenticatedRequest, node: Node, participant_pk: int) -> Participant:
    """The unit's young person, opened as a view of their record (audited)."""
    found = registry_queries.participant_at(unit_or_404(node), participant_pk)
    if found is None:
        raise Http404
    return registry.view_participant(request.user, found)


def _to_timeline(node: Node, participant: Participant) -> HttpResponse:
    return redirect("progress:timeline", pk=node.pk, participant_pk=participant.pk)


def _already(_saved: object) -> str:
    return _("Already saved. This form had been sent before; nothing was added.")


def _resent(
    request: AuthenticatedRequest, node: Node, participant: Participant
) -> HttpResponse | None:
    """The answer to a form sent again with the same idempotency key, else None."""
    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(
            request, found, lambda _saved: _to_timeline(node, participant), already=_already
        )
    return None


def _save_once(
    request: AuthenticatedRequest,
    node: Node,
    participant: Participant,
    form: forms.BaseForm,
    save: Callable[[], models.Model],
    saved_text: str,
) -> HttpResponse | None:
    """Save through `save` (a service call) once per idempotency key (tenancy/idempotency.py)
    and go back to the timeline; None when the service refused the input, its errors now on
    the form to show again."""

    def create() -> models.Model | None:
        try:
            return save()
        except ValidationError as error:
            apply_errors(form, error)
            return None

    try:
        saved = idempotency.once(request, node, create)
    except idempotency.Repeated as repeat:
        return idempotency.repeated(
            request,
            repeat.earlier,
            lambda _saved: _to_timeline(node, participant),
            already=_already,
        )
    if saved is None:
        return None
    messages.success(request, saved_text)
    return _to_timeline(node, participant)


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def timeline(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    context = node_context(
        request, node, participant=participant, timeline=queries.timeline(participant, own=False)
    )
    return render(request, "progress/timeline.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def rate(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    if (resent := _resent(request, node, participant)) is not None:
        return resent
    form = RatingForm(request.POST or None, organisation=participant.organisation)
    if request.method == "POST" and form.is_valid():
        done = _save_once(
            request,
            node,
            participant,
            form,
            lambda: services.rate(
                request.user,
                participant,
                form.chosen_competence() or "",
                form.cleaned_data["level"],
                on=form.cleaned_data["rated_on"],
                note=form.cleaned_data["note"],
            ),
            _("The rating is saved."),
        )
        if done is not None:
            return done
    context = node_context(request, node, participant=participant, form=form)
    return render(request, "progress/rate.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def note(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    if (resent := _resent(request, node, participant)) is not None:
        return resent
    form = NoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_once(
            request,
            node,
            participant,
            form,
            lambda: services.add_note(
                request.user,
                participant,
                form.cleaned_data["text"],
                shared=form.cleaned_data["shared"],
            ),
            _("The note is saved."),
        )
        if done is not None:
            return done
    context = node_context(request, node, participant=participant, form=form)
    return render(request, "progress/note.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def goal_add(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    if (resent := _resent(request, node, participant)) is not None:
        return resent
    form = GoalForm(request.POST or None, unit=node)
    if request.method == "POST" and form.is_valid():
        done = _save_once(
            request,
            node,
            participant,
            form,
            lambda: services.add_goal(
                request.user,
                participant,
                form.cleaned_data["title"],
                mentor=form.chosen_mentor(),
                steps=form.step_texts(),
            ),
            _("The goal is set."),
        )
        if done is not None:
            return done
    context = node_context(request, node, participant=participant, form=form)
    return render(request, "progress/goal_add.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def goal(
    request: AuthenticatedRequest, node: Node, participant_pk: int, goal_pk: int
) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    found = (
        Goal.objects.filter(participant=participant, pk=goal_pk)
        .select_related("mentor")
        .prefetch_related("steps")
        .first()
    )
    if found is None:
        raise Http404
    if (resent := _resent(request, node, participant)) is not None:
        return resent  # a resent update adds its new step once
    form = GoalUpdateForm(request.POST or None, goal=found)
    if request.method == "POST" and form.is_valid():
        done = _save_once(
            request,
            node,
            participant,
            form,
            lambda: services.update_goal(
                request.user,
                found,
                status=form.cleaned_data["status"],
                reached_on=form.reached_day(),
                done=set(form.cleaned_data["done"]),
                new_step=form.cleaned_data["new_step"],
            ),
            _("Your changes were saved."),
        )
        if done is not None:
            return done
    context = node_context(request, node, participant=participant, goal=found, form=form)
    return render(request, "progress/goal.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def answer(
    request: AuthenticatedRequest, node: Node, participant_pk: int, entry_pk: int
) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    entry = (
        JournalEntry.objects.filter(participant=participant, pk=entry_pk)
        .prefetch_related("replies__written_by")
        .first()
    )
    if entry is None:
        raise Http404
    if (resent := _resent(request, node, participant)) is not None:
        return resent
    form = AnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _save_once(
            request,
            node,
            participant,
            form,
            lambda: services.answer_journal(request.user, entry, form.cleaned_data["text"]),
            _("Your answer is saved."),
        )
        if done is not None:
            return done
    context = node_context(request, node, participant=participant, entry=entry, form=form)
    return render(request, "progress/answer.html", context)


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def summary(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    context = node_context(
        request, node, participant=participant, summary=queries.summary(participant)
    )
    return render(request, "progress/summary.html", context)


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def summary_pdf(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _viewed(request, node, participant_pk)
    response = HttpResponse(
        pdf_of(queries.summary(participant), get_language()), content_type="application/pdf"
    )
    filename = f"learning-summary-{participant.pk}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def recognitions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The unit's list of peers' recognitions waiting for a worker."""
    waiting = services.view_recognitions(request.user, unit_or_404(node))
    return render(
        request, "progress/recognitions.html", node_context(request, node, waiting=waiting)
    )


def _recognition(node: Node, recognition_pk: int) -> Recognition:
    found = Recognition.objects.filter(peer__unit=unit_or_404(node), pk=recognition_pk).first()
    if found is None:
        raise Http404
    return found


def _decide(request: AuthenticatedRequest, node: Node, pk: int, approve: bool) -> HttpResponse:
    try:
        services.decide_recognition(request.user, _recognition(node, pk), approve)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if approve:
            messages.success(request, _("The recognition is approved: the young person sees it."))
        else:
            messages.success(request, _("The recognition will not be shown."))
    return redirect("progress:recognitions", pk=node.pk)


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def recognition_approve(
    request: AuthenticatedRequest, node: Node, recognition_pk: int
) -> HttpResponse:
    return _decide(request, node, recognition_pk, True)


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def recognition_reject(
    request: AuthenticatedRequest, node: Node, recognition_pk: int
) -> HttpResponse:
    return _decide(request, node, recognition_pk, False)


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def competences(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The organisation's own competences, and a form to add one."""
    if node.kind not in (NodeKind.UNIT, *registry.KEEPERS):
        raise Http404
    organisation = registry.organisation_of(node)
    if not has_perm(request.user, Perm.MANAGE_STRUCTURE, organisation):
        raise PermissionDenied
    form = CompetenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_competence(
                request.user,
                organisation,
                form.cleaned_data["name"],
                form.cleaned_data["key_competence"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The competence is added."))
            return redirect("progress:competences", pk=node.pk)
    context = node_context(
        request,
        node,
        form=form,
        organisation=organisation,
        competences=queries.competences_of(organisation),
    )
    return render(request, "progress/competences.html", context)
