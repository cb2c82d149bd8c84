"""Pages of a guardian's consent: the worker's request, the guardian's public online form (a
link, no account), and the printable paper form (HTML and PDF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.participants import guardian, paper
from impactlog.participants.forms import GuardianConsentForm, GuardianRequestForm, PaperFormOptions
from impactlog.participants.models import GuardianRequest
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@node_permission(Perm.EDIT_PERSONAL)
@form_view
def guardian_request(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """Ask a guardian to consent online; the link is shown to the worker once.

    A resent form (same idempotency key, same content) stores no second request and sends no
    second e-mail: it answers with the request saved first, without the link (only its hash is
    kept), and says the e-mail went out once."""
    unit_or_404(node)

    def done(saved: GuardianRequest | None, link: str = "") -> HttpResponse:
        context = node_context(request, node, request_saved=saved, link=link)
        return render(request, "participants/guardian_requested.html", context)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, done, already=_already)
    form = GuardianRequestForm(request.POST or None, default_language=node.language)
    if request.method == "POST" and form.is_valid():
        made: list[guardian.Requested] = []

        def create() -> GuardianRequest | None:
            try:
                requested = guardian.request_guardian_consent(
                    request.user,
                    node,
                    base_url=request.build_absolute_uri("/"),
                    **form.cleaned_data,
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None
            made.append(requested)
            return requested.request

        try:
            saved = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done, already=_already)
        if saved is not None:
            return done(saved, made[-1].link)
    context = node_context(request, node, form=form)
    return render(request, "participants/guardian_request.html", context)


def _already(saved: GuardianRequest) -> str:
    return _(
        "Already sent: this form had been sent before. The e-mail went to the guardian once; "
        "nothing was added. The link was shown only the first time."
    )


def _chosen_language(request: HttpRequest, default: str) -> str:
    wanted = request.GET.get("language", "") or request.POST.get("language", "")
    return wanted if wanted in LANGUAGE_CODES else default


@never_cache
@form_view
def guardian_consent(request: HttpRequest, token: str) -> HttpResponse:
    """The guardian's form: the notice in their language, then their consents."""
    try:
        found = guardian.open_request(token)
    except guardian.LinkRefused as refused:
        context: dict[str, Any] = {"message": refused.message}
        return render(
            request, "participants/guardian_link_refused.html", context, status=refused.status
        )
    language = _chosen_language(request, found.language)
    notice = guardian.notice_of(found)
    with translation.override(language):
        form = GuardianConsentForm(request.POST or None, alias=found.alias)
        if request.method == "POST" and form.is_valid():
            try:
                guardian.give_guardian_consent(
                    token,
                    notice_version=form.cleaned_data["notice_version"],
                    photos=form.cleaned_data["photos"],
                )
            except guardian.LinkRefused as refused:
                context = {"message": refused.message}
                return render(
                    request,
                    "participants/guardian_link_refused.html",
                    context,
                    status=refused.status,
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                context = {"alias": found.alias, "unit": found.unit, "language": language}
                return render(request, "participants/guardian_thanks.html", context)
        elif request.method != "POST" and notice is not None:
            form.initial["notice_version"] = notice.version
        context = {
            "form": form,
            "alias": found.alias,
            "unit": found.unit,
            "notice": notice,
            "notice_text": notice.text_in(language) if notice else "",
            "language": language,
            "languages": [
                (code, translation.get_language_info(code)["name_local"]) for code in LANGUAGE_CODES
            ],
        }
        return render(request, "participants/guardian_consent.html", context)


def _paper_context(
    request: AuthenticatedRequest, node: Node
) -> tuple[PaperFormOptions, dict[str, object]]:
    options = PaperFormOptions(request.GET)
    options.is_valid()  # a value that is not one of the choices is left out, never an error
    language = options.cleaned_data.get("language") or node.language or get_language()
    alias = options.cleaned_data.get("alias", "")
    return options, paper.context_for(node, language, alias)


@node_permission(Perm.EDIT_PERSONAL)
@require_safe
def paper_form(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The printable guardian consent form, in the chosen language (print it from the browser)."""
    unit_or_404(node)
    options, document = _paper_context(request, node)
    pdf_query = urlencode({"language": str(document["language"]), "alias": str(document["alias"])})
    context = node_context(request, node, options=options, pdf_query=pdf_query, **document)
    return render(request, "participants/guardian_paper.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@require_safe
def paper_form_pdf(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The same form as a PDF (WeasyPrint, nothing fetched)."""
    unit_or_404(node)
    _options, document = _paper_context(request, node)
    response = HttpResponse(paper.pdf_of(document), content_type="application/pdf")
    filename = f"guardian-consent-{document['language']}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, filename) or "attachment"
    return response
