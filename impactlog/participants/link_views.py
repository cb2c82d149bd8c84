"""The youth worker's pages of a young person's personal link: issue (shown once), revoke."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.participants import mylink, queries
from impactlog.participants.forms import IssueLinkForm
from impactlog.participants.models import Participant, PersonalLink
from impactlog.structure.pages import apply_errors, node_context
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

# The session key under which a new link's secrets wait for the one page that shows them, and
# how long they may wait (the redirect right after the form; a page opened later shows nothing).
SHOWN_ONCE = "personal_link_shown"
SHOWN_WITHIN = 300  # seconds


def _participant(node: Node, pk: int) -> Participant:
    found = queries.participant_at(node, pk)
    if found is None:
        raise Http404
    return found


@node_permission(Perm.EDIT_PERSONAL)
@form_view
@never_cache
def link_page(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    """The participant's link: when it ends, a form for a new one, and once, right after it is
    made, the link itself as a URL, a QR code and the PIN on a slip to print."""
    participant = _participant(node, participant_pk)

    def done(_saved: object) -> HttpResponse:
        return redirect("participants:link", pk=node.pk, participant_pk=participant.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, done, already=_already)
    form = IssueLinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        made: list[mylink.Issued] = []

        def create() -> PersonalLink | None:
            try:
                issued = mylink.issue_link(
                    request.user,
                    participant,
                    days=form.cleaned_data["days"],
                    pin=form.cleaned_data["pin"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None
            made.append(issued)
            return issued.link

        try:
            saved = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done, already=_already)
        if saved is not None:
            issued = made[-1]
            # Kept server-side for the one GET that follows (the redirect), then forgotten.
            request.session[SHOWN_ONCE] = {
                "participant": participant.pk,
                "link": issued.link.pk,
                "token": issued.token,
                "pin": issued.pin,
                "at": timezone.now().timestamp(),
            }
            return done(saved)
    shown = None
    if request.method != "POST":
        secret = request.session.pop(SHOWN_ONCE, None)
        fresh = isinstance(secret, dict) and (
            0 <= timezone.now().timestamp() - float(secret.get("at", 0)) <= SHOWN_WITHIN
        )
        if fresh and secret.get("participant") == participant.pk:
            url = request.build_absolute_uri(reverse("me:open", args=[secret["token"]]))
            qr = segno.make(url, error="m").svg_inline(
                scale=4, title=_("QR code of the personal link"), dark="#000", light="#fff"
            )
            shown = {"url": url, "pin": secret["pin"], "qr": qr}
    link = mylink.live_link_of(participant, timezone.now())
    context = node_context(
        request, node, participant=participant, form=form, link=link, shown=shown
    )
    return render(request, "participants/link.html", context)


def _already(_saved: object) -> str:
    return _(
        "Already made: this form had been sent before; nothing was added. The link made then "
        "still works; it is shown only once."
    )


@node_permission(Perm.EDIT_PERSONAL)
@require_POST
def link_revoke(request: AuthenticatedRequest, node: Node, participant_pk: int) -> HttpResponse:
    participant = _participant(node, participant_pk)
    if mylink.revoke_link(request.user, participant):
        messages.success(request, _("The personal link no longer works."))
    return redirect("participants:link", pk=node.pk, participant_pk=participant.pk)
