"""Pages of the registry of young people: thin views over the forms, services and queries."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.participants import consent as rules
from impactlog.participants import dedup, privacy, queries, services
from impactlog.participants.export_pdf import pdf_of
from impactlog.participants.forms import (
    ConsentForm,
    NoticeForm,
    ParticipantForm,
    RegisterForm,
    SettingsForm,
)
from impactlog.participants.models import Consent, Participant, PrivacyNotice
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm

PAGE_SIZE = 25

# What apps built on the registry add to a young person's page (the kiosk: their card). Each
# part is `part(request, node, participant) -> dict` with a "template" to include and its
# context; registered in the app's `AppConfig.ready`, since this app must not import them.
DetailPart = Callable[[AuthenticatedRequest, Node, Participant], dict[str, Any]]
_detail_parts: list[DetailPart] = []


def register_detail_part(part: DetailPart) -> None:
    if part not in _detail_parts:
        _detail_parts.append(part)


def _participant(node: Node, pk: int) -> Participant:
    found = queries.participant_at(node, pk)
    if found is None:
        raise Http404
    return found


def _form_kwargs(unit: Node) -> dict[str, Any]:
    organisation = services.organisation_of(unit)
    return {
        "keeps": services.settings_of(organisation),
        "areas": services.home_areas(organisation),
        "today": timezone.localdate(),
    }


def _notice(unit: Node) -> dict[str, object]:
    """The current privacy notice of the unit's organisation, in the reader's language."""
    notice = services.current_notice(services.organisation_of(unit))
    return {"notice": notice, "notice_text": notice.text_in(get_language()) if notice else ""}


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def participant_list(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)
    search = request.GET.get("q", "").replace("\x00", "")[:60]
    page = Paginator(queries.participants_of(node, search), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = urlencode({"q": search}) if search else ""
    context = node_context(request, node, page=page, search=search, query=query)
    return render(request, "participants/list.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def register(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)

    def done(participant: Participant | None) -> HttpResponse:
        if participant is None:
            return redirect("participants:list", pk=node.pk)
        return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, done)
    form = RegisterForm(request.POST or None, **_form_kwargs(node))
    if request.method == "POST" and form.is_valid():

        def create() -> Participant | None:
            try:
                return services.register_participant(
                    request.user, node, form.given(), **form.values()
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            participant = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done)
        if participant is not None:
            messages.success(request, _("%(alias)s is registered.") % {"alias": participant.alias})
            return done(participant)
    context = node_context(request, node, form=form, **_notice(node))
    return render(request, "participants/register.html", context)


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def detail(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = services.view_participant(request.user, _participant(node, participant_pk))
    context = node_context(
        request,
        node,
        participant=participant,
        age=(
            None
            if participant.birth_month is None  # anonymised: only the year is kept
            else rules.age_on(participant.birth_year, participant.birth_month, timezone.localdate())
        ),
        consents=queries.consents_of(participant),
        detail_parts=[part(request, node, participant) for part in _detail_parts],
    )
    return render(request, "participants/detail.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def edit(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _participant(node, participant_pk)
    if request.method != "POST":
        # The form shows the record: that is a view of it, audited as one.
        participant = services.view_participant(request.user, participant)
    initial = {name: getattr(participant, name) for name in services.FIELDS}
    form = ParticipantForm(request.POST or None, initial=initial, **_form_kwargs(node))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_participant(request.user, participant, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)
    if request.method == "POST":
        # Shown again with its errors: still a view of the record.
        participant = services.view_participant(request.user, participant)
    context = node_context(request, node, form=form, participant=participant)
    return render(request, "participants/edit.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def consent_add(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _participant(node, participant_pk)

    def done(_consent: Consent | None) -> HttpResponse:
        return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, done)
    form = ConsentForm(request.POST or None, with_kind=True)
    if request.method == "POST" and form.is_valid():

        def create() -> Consent | None:
            try:
                return services.record_consent(
                    request.user, participant, form.cleaned_data["kind"], form.given()
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            consent = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done)
        if consent is not None:
            messages.success(request, _("The consent is recorded."))
            return done(consent)
    context = node_context(request, node, form=form, participant=participant, **_notice(node))
    return render(request, "participants/consent.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def consent_withdraw(
    request: AuthenticatedRequest, node: Node, participant_pk: int, consent_pk: int
) -> HttpResponse:
    participant = _participant(node, participant_pk)
    consent = Consent.objects.filter(participant=participant, pk=consent_pk).first()
    if consent is None:
        raise Http404
    error = ""
    if request.method == "POST":
        try:
            services.withdraw_consent(request.user, consent)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("The consent is withdrawn."))
            return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)
    context = node_context(request, node, participant=participant, consent=consent, error=error)
    return render(request, "participants/withdraw.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def erase(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    """Erase on request, after a page that says what goes and what stays."""
    participant = _participant(node, participant_pk)
    if request.method == "POST":
        privacy.erase_participant(request.user, participant)
        messages.success(request, _("The record is anonymised."))
        return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)
    context = node_context(request, node, participant=participant)
    return render(request, "participants/erase.html", context)


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def export_json(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    """Everything held about one young person, as a JSON download (a view of the record)."""
    participant = _participant(node, participant_pk)
    data = privacy.subject_access(request.user, participant, get_language())
    # Built whole before the response: nothing runs after the view has returned.
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
        content_type="application/json; charset=utf-8",
    )
    filename = f"young-person-{participant.pk}.json"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def export_pdf(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    """The same export as a readable PDF in the reader's language (a view of the record)."""
    participant = _participant(node, participant_pk)
    data = privacy.subject_access(request.user, participant, get_language())
    response = HttpResponse(pdf_of(data), content_type="application/pdf")
    filename = f"young-person-{participant.pk}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response


def _keeper(request: AuthenticatedRequest, node: Node) -> Node:
    """The organisation whose settings a place's page edits; only for someone who may change
    them there (the service checks again on saving)."""
    if node.kind not in (NodeKind.UNIT, *services.KEEPERS):
        raise Http404
    organisation = services.organisation_of(node)
    if not has_perm(request.user, Perm.MANAGE_STRUCTURE, organisation):
        raise PermissionDenied
    return organisation


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def settings_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    organisation = _keeper(request, node)
    form = SettingsForm(request.POST or None, instance=services.settings_of(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(
                request.user,
                organisation,
                ask_real_name=form.cleaned_data["ask_real_name"],
                ask_email=form.cleaned_data["ask_email"],
                ask_phone=form.cleaned_data["ask_phone"],
                retention_months=form.cleaned_data["retention_months"],
                deduplicate=form.cleaned_data["deduplicate"],
                new_areas=form.areas(),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("participants:settings", pk=node.pk)
    context = node_context(
        request,
        node,
        form=form,
        organisation=organisation,
        areas=services.home_areas(organisation),
        notice=services.current_notice(organisation),
        dedup_key=dedup.available(),
    )
    return render(request, "participants/settings.html", context)


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def notice_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    organisation = _keeper(request, node)

    def done(_notice: PrivacyNotice | None) -> HttpResponse:
        return redirect("participants:settings", pk=node.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, done)
    current = services.current_notice(organisation)
    form = NoticeForm(request.POST or None, current=current.texts if current else None)
    if request.method == "POST" and form.is_valid():

        def create() -> PrivacyNotice | None:
            try:
                return services.publish_notice(request.user, organisation, form.texts())
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            notice = idempotency.once(request, organisation, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done)
        if notice is not None:
            messages.success(
                request, _("Version %(version)s is published.") % {"version": notice.version}
            )
            return done(notice)
    context = node_context(request, node, form=form, organisation=organisation, notice=current)
    return render(request, "participants/notice.html", context)


@node_permission(Perm.MANAGE_STRUCTURE)
@require_safe
def retention_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """Who the next retention run would anonymise, and when it is counted from. Writes nothing."""
    _keeper(request, node)
    preview = privacy.retention_preview(request.user, node, timezone.now())
    return render(request, "participants/retention.html", node_context(request, node, **preview))
