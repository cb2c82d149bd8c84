"""Pages of the kiosk cards: a unit's cards, its printable sheet (HTML and PDF), and issuing or
revoking one young person's card. Thin views over the services and queries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from impactlog.core.types import AuthenticatedRequest
from impactlog.kiosk.cards import queries, services, sheet
from impactlog.kiosk.cards.models import KioskCard
from impactlog.participants import queries as participant_queries
from impactlog.participants.models import Participant
from impactlog.participants.services import organisation_of
from impactlog.structure.pages import node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

MAX_CHOSEN = services.MAX_SHEET


def _participant(node: Node, pk: int) -> Participant:
    found = participant_queries.participant_at(node, pk)
    if found is None:
        raise Http404
    return found


def _chosen(request: AuthenticatedRequest) -> list[int] | None:
    """The young people picked for the sheet (`?p=…`, repeated), or None for all of the unit's.
    Values that are not ids are left out."""
    values = request.GET.getlist("p")[:MAX_CHOSEN]
    if not values:
        return None
    return [int(v) for v in values if v.isascii() and v.isdigit() and 0 < len(v) < 10]


def detail_part(
    request: AuthenticatedRequest, node: Node, participant: Participant
) -> dict[str, Any]:
    """The card on a young person's page (registered with participants.views)."""
    return {
        "template": "kiosk/cards/participant_part.html",
        "card": services.live_card(participant),
    }


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def unit_cards(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)
    holders = list(queries.card_holders(node))
    context = node_context(
        request,
        node,
        holders=holders,
        without=sum(1 for h in holders if getattr(h, "card_issued", None) is None),
    )
    return render(request, "kiosk/cards/unit.html", context)


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def issue_missing(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """Cards for every young person of the unit who has none."""
    unit_or_404(node)
    holders = list(queries.without_card(node))
    try:
        issued = services.issue_cards(request.user, node, holders)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            ngettext("%(count)d card is issued.", "%(count)d cards are issued.", len(issued))
            % {"count": len(issued)},
        )
    return redirect("cards:unit", pk=node.pk)


def _sheet_context(request: AuthenticatedRequest, node: Node) -> dict[str, Any]:
    unit_or_404(node)
    shown = services.view_sheet(request.user, node, _chosen(request))
    return node_context(
        request,
        node,
        pages=sheet.printed(shown),
        count=len(shown),
        organisation=organisation_of(node),
        language=get_language(),
        query=request.GET.urlencode(),
    )


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def sheet_html(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The cards to print from the browser (A4, eight a page, with cut lines)."""
    return render(request, "kiosk/cards/sheet.html", _sheet_context(request, node))


@node_permission(Perm.VIEW_PERSONAL)
@require_safe
def sheet_pdf(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The same cards as a PDF."""
    response = HttpResponse(
        sheet.pdf_of(_sheet_context(request, node)), content_type="application/pdf"
    )
    filename = f"kiosk-cards-{node.pk}.pdf"
    response["Content-Disposition"] = content_disposition_header(False, filename) or "inline"
    return response


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def issue(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    """A new card for one young person; the one they had stops working."""
    participant = _participant(node, participant_pk)

    def done(_saved: object) -> HttpResponse:
        return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)

    if (found := idempotency.earlier(request)) is not None:  # sent again: not a second card
        return idempotency.repeated(request, found, done, already=_already_issued)

    def create() -> KioskCard | None:
        try:
            return services.issue_card(request.user, participant).card
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return None

    try:
        card = idempotency.once(request, node, create)
    except idempotency.Repeated as repeat:
        return idempotency.repeated(request, repeat.earlier, done, already=_already_issued)
    if card is not None:
        messages.success(request, _("A new card is issued: print it from “Print the card”."))
    return done(card)


def _already_issued(_saved: object) -> str:
    return _(
        "Already issued: this form had been sent before; no other card was made. The card "
        "issued then works."
    )


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def revoke(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _participant(node, participant_pk)
    try:
        services.revoke_card(request.user, participant)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The card is revoked: it no longer checks anyone in."))
    return redirect("participants:detail", pk=node.pk, participant_pk=participant.pk)
