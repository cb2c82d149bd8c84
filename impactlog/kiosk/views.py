"""The kiosk's pages: a unit's kiosks (for its manager), pairing a tablet, the kiosk screen.

Thin views over `kiosk.services` and `kiosk.queries`. The screen itself only shows the form;
`static/impactlog/kiosk.js` queues the check-ins and sends them to the JSON API (`kiosk.api`).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from impactlog.accounts.client_ip import client_ip
from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.kiosk import api, queries, services, throttle
from impactlog.kiosk.forms import CodeForm, PairForm
from impactlog.kiosk.language import kiosk_language
from impactlog.kiosk.models import KioskDevice, PairingCode
from impactlog.logbook.models import Gender as CountGender
from impactlog.network.services import bands_for
from impactlog.participants.consent import OLDEST
from impactlog.participants.models import Gender
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

# Managing a unit's kiosks.


def _devices_page(
    request: AuthenticatedRequest, node: Node, form: CodeForm, status: int = 200
) -> HttpResponse:
    context = node_context(request, node, form=form, rows=queries.devices_of(node))
    return render(request, "kiosk/devices.html", context, status=status)


@node_permission(Perm.MANAGE_KIOSK)
@require_safe
def devices(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The unit's kiosks, what each sent and received, and a code to pair another."""
    unit_or_404(node)
    return _devices_page(request, node, CodeForm(unit=node))


@node_permission(Perm.MANAGE_KIOSK)
@require_POST
def code(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """Make a pairing code and show it, once: it is stored only hashed (201: a code exists)."""
    unit_or_404(node)

    def done(_saved: object) -> HttpResponse:
        return redirect("kiosk:devices", pk=node.pk)

    if (found := idempotency.earlier(request)) is not None:  # sent again: not a second code
        return idempotency.repeated(request, found, done, already=_already_made)
    form = CodeForm(request.POST, unit=node)
    if form.is_valid():
        made: list[str] = []

        def create() -> PairingCode | None:
            try:
                pairing, text = services.create_pairing_code(
                    request.user, form.cleaned_data["activity"]
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None
            made.append(text)
            return pairing

        try:
            pairing = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, done, already=_already_made)
        if pairing is not None:
            text = made[-1]
            grouped = f"{text[:4]} {text[4:]}"
            context = node_context(request, node, pairing=pairing, code=grouped)
            response = render(request, "kiosk/code.html", context, status=201)
            response.headers["Cache-Control"] = "private, no-store"
            return response
    return _devices_page(request, node, form, status=400)


def _already_made(_saved: object) -> str:
    return _(
        "Already made: this form had been sent before; no other code was made. The code was "
        "shown only once: make a new one if it is lost."
    )


@node_permission(Perm.MANAGE_KIOSK)
@form_view
def revoke(request: AuthenticatedRequest, node: Node, device_pk: int) -> HttpResponse:
    """Stop a kiosk, after a page that says what that means."""
    device = queries.device_at(unit_or_404(node), device_pk)
    if device is None:
        raise Http404
    if request.method == "POST" and device.revoked_at is None:
        services.revoke_device(request.user, device)
        messages.success(request, _("%(name)s is revoked.") % {"name": device.name})
        return redirect("kiosk:devices", pk=node.pk)
    return render(request, "kiosk/revoke.html", node_context(request, node, device=device))


# The tablet.


@form_view
def pair(request: HttpRequest) -> HttpResponse:
    """Pair this tablet with a code from the unit's Kiosks page: the device cookie is set and
    the kiosk screen shown. Wrong codes are limited per client address (`kiosk.throttle`)."""
    form = PairForm(request.POST or None)
    client = client_ip(request)
    if request.method == "POST":
        attempt = throttle.take_try(client)
        if attempt is None:
            message = _("Too many wrong codes from this network. Wait 15 minutes and try again.")
            return render(
                request, "kiosk/pair.html", {"form": form, "refused": message}, status=429
            )
        wrong_code = False
        if form.is_valid():
            try:
                _device, token = services.pair_device(
                    form.cleaned_data["code"], form.cleaned_data["name"]
                )
            except ValidationError as error:
                wrong_code = "code" in getattr(error, "error_dict", {})
                apply_errors(form, error)
            else:
                throttle.not_a_guess(attempt)
                response = redirect("kiosk:screen")
                api.set_device_cookie(response, request, token)
                return response
        if not wrong_code:
            throttle.not_a_guess(attempt)
    return render(request, "kiosk/pair.html", {"form": form})


def _years(today: dt.date) -> list[int]:
    """Years of birth a young person at the kiosk chooses from, youngest first."""
    return list(range(today.year - 6, today.year - OLDEST - 1, -1))


@require_safe
def screen(request: HttpRequest) -> HttpResponse:
    """The kiosk screen of a paired tablet; 401 with a way to pair again otherwise."""
    try:
        device: KioskDevice | None = services.device_for(api.token_of(request))
    except services.DeviceRefused:
        device = None
    language = kiosk_language(request, device)
    with translation.override(language):
        languages = [get_language_info(code) for code, _name in settings.LANGUAGES]
        if device is None:
            refused = {"languages": languages, "language": language}
            return render(request, "kiosk/refused.html", refused, status=401)
        context = {
            "device": device,
            "languages": languages,
            "language": language,
            "bands": bands_for(device.node),
            "count_genders": CountGender.choices,
            "genders": Gender.choices,
            "years": _years(timezone.localdate()),
            "months": range(1, 13),
        }
        response = render(request, "kiosk/screen.html", context)
    response.headers["Cache-Control"] = "private, no-store"
    return response
