"""The young person's own pages under /me/, reached through their personal link and PIN.

No staff account is involved: these views ignore `request.user` and know the young person only
from their own signed cookie (`impactlog_me`, scoped to /me/, HttpOnly, SameSite=Strict), which
names the link and the session the PIN started; it lapses after 30 minutes without a page
(the signature's age, renewed on each page) and on "Sign out". Nothing here is kept by a
browser cache.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import get_language, gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from impactlog.core.decorators import form_view
from impactlog.participants import mylink, privacy, services
from impactlog.participants.forms import PinForm
from impactlog.participants.models import PersonalLink

COOKIE = "impactlog_me"
SALT = "impactlog.participants.me"
# 410 Gone: the link existed and will not work again (expired, revoked, record stopped).
GONE = 410

MeView = Callable[[HttpRequest, PersonalLink], HttpResponse]


def _set_session(response: HttpResponse, link: PersonalLink, nonce: str) -> None:
    value = signing.dumps({"l": link.pk, "s": nonce}, salt=SALT, compress=False)
    response.set_cookie(
        COOKIE,
        value,
        max_age=int(mylink.IDLE.total_seconds()),
        path="/me/",
        secure=not settings.DEBUG and settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def _session(request: HttpRequest) -> tuple[int, str] | None:
    try:
        data = signing.loads(request.COOKIES.get(COOKIE, ""), salt=SALT, max_age=mylink.IDLE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    link_pk, nonce = data.get("l"), data.get("s")
    if not isinstance(link_pk, int) or not isinstance(nonce, str):
        return None
    return link_pk, nonce


def signed_in(view: MeView) -> Callable[[HttpRequest], HttpResponse]:
    """A page of the young person's own: the live link of the cookie's session, or the page
    that says how to open the link again (403). Each page renews the 30 minutes."""

    @wraps(view)
    def wrapped(request: HttpRequest) -> HttpResponse:
        found = _session(request)
        link = mylink.session_link(*found) if found else None
        if link is None or found is None:
            response = render(request, "me/signed_out.html", status=403)
            if COOKIE in request.COOKIES:
                response.delete_cookie(COOKIE, path="/me/", samesite="Strict")
            return response
        response = view(request, link)
        _set_session(response, link, found[1])
        return response

    return wrapped


def _dead(request: HttpRequest, reason: str) -> HttpResponse:
    status = 404 if reason == "unknown" else GONE
    return render(request, "me/dead.html", {"reason": reason}, status=status)


@form_view
@never_cache
def open_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link itself: the PIN form; on the right PIN, the young person's own session."""
    try:
        link = mylink.link_of(token)
    except mylink.LinkDead as dead:
        return _dead(request, dead.reason)
    form = PinForm(request.POST or None)
    now = timezone.now()
    locked_until = link.locked_until if link.locked_until and link.locked_until > now else None
    if request.method == "POST" and form.is_valid():
        try:
            link, nonce = mylink.sign_in(token, form.cleaned_data["pin"])
        except mylink.LinkDead as dead:
            return _dead(request, dead.reason)
        except mylink.PinLocked as locked:
            locked_until = locked.until
        except mylink.WrongPin as wrong:
            form.add_error("pin", wrong_pin_message(wrong.left))
        else:
            response = redirect("me:home")
            _set_session(response, link, nonce)
            return response
    status = 429 if locked_until else 200
    context = {"form": form, "locked_until": locked_until}
    return render(request, "me/pin.html", context, status=status)


def wrong_pin_message(left: int) -> str:
    return ngettext(
        "This PIN is not right. You can try %(count)s more time before the link locks for 15 "
        "minutes.",
        "This PIN is not right. You can try %(count)s more times before the link locks for 15 "
        "minutes.",
        left,
    ) % {"count": left}


@require_safe
@never_cache
@signed_in
def home(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    """Who they are here and what is held about them, in plain words."""
    participant = link.participant
    mylink.viewed_own(link, "home")
    notice = services.current_notice(participant.organisation)
    names = dict(ALL_LANGUAGES)
    context = {
        "participant": participant,
        "born": dt.date(participant.birth_year, participant.birth_month or 1, 1),
        "languages": [gettext(names.get(code, code)) for code in participant.languages],
        "home_area": participant.home_area.name if participant.home_area else "",
        "consents": mylink.own_consents(link),
        "link": link,
        "notice_text": notice.text_in(get_language()) if notice else "",
    }
    return render(request, "me/home.html", context)


@require_safe
@never_cache
@signed_in
def export_json(request: HttpRequest, link: PersonalLink) -> HttpResponse:
    """What is held about them, as their own pages show it: the export a youth worker can
    download for them, less what workers keep private (privacy.as_they_see_it)."""
    data: dict[str, Any] = privacy.as_they_see_it(
        privacy.subject_access(None, link.participant, get_language())
    )
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True),
        content_type="application/json; charset=utf-8",
    )
    disposition = content_disposition_header(True, "my-data.json")
    response["Content-Disposition"] = disposition or "attachment"
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    found = _session(request)
    if found is not None:
        mylink.sign_out(*found)
    response = render(request, "me/signed_out.html", {"signed_out": True})
    response.delete_cookie(COOKIE, path="/me/", samesite="Strict")
    response.headers["Cache-Control"] = "private, no-store"
    return response
