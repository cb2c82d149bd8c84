"""The young person's own progress pages under /me/: their timeline, a self-assessment, a
journal entry and a recognition for a peer, each through progress.own."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.participants import mylink, services
from impactlog.participants.me_forms import JournalForm, RecognitionForm, SelfAssessmentForm
from impactlog.participants.me_views import signed_in
from impactlog.participants.models import Participant, PersonalLink
from impactlog.progress import own, queries
from impactlog.structure.pages import apply_errors


def peers_of(participant: Participant) -> list[Participant]:
    """Who a young person may recognise: the other young people of their unit whose
    registration stands, by alias only (one query)."""
    return list(
        services.consented_in(participant.organisation)
        .filter(unit_id=participant.unit_id)
        .exclude(pk=participant.pk)
        .only("pk", "alias")
        .order_by("alias", "pk")
    )


@require_safe
@never_cache
@signed_in
def timeline(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    mylink.viewed_own(link, "progress")
    context = {"link": link, "timeline": queries.timeline(link.participant, own=True)}
    return render(request, "me/progress.html", context)


@form_view
@never_cache
@signed_in
def rate(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    participant = link.participant
    form = SelfAssessmentForm(request.POST or None, organisation=participant.organisation)
    if request.method == "POST" and form.is_valid():
        try:
            own.self_assess(
                participant,
                form.chosen_competence(),
                form.cleaned_data["level"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("me:progress")
    return _form_page(request, form, "rate")


@form_view
@never_cache
@signed_in
def journal(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    form = JournalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            own.write_journal(
                link.participant, form.cleaned_data["did"], form.cleaned_data["learned"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("me:progress")
    return _form_page(request, form, "journal")


@form_view
@never_cache
@signed_in
def recognise(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    participant = link.participant
    form = RecognitionForm(
        request.POST or None, organisation=participant.organisation, peers=peers_of(participant)
    )
    if request.method == "POST" and form.is_valid():
        try:
            own.recognise(
                participant,
                form.chosen_peer(),
                form.chosen_competence(),
                form.cleaned_data["text"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("me:progress")
    return _form_page(request, form, "recognise", no_peers=not form.peers)


def _form_page(request: HttpRequest, form: object, which: str, **extra: object) -> HttpResponse:
    return render(request, "me/progress_form.html", {"form": form, "which": which, **extra})
