"""The kiosk's JSON endpoints: the alias search and check-ins, for a paired tablet.

The tablet's credential is its device token, kept in the HttpOnly cookie `impactlog_kiosk`
(SameSite=Strict, path /kiosk/), never a staff session. A check-in is a JSON POST that must
say `Content-Type: application/json` and `X-Kiosk: 1`: a form on another site can send neither
without the browser asking this site first (CORS), which it does not allow, so the endpoint
needs no CSRF token. Answers are in the kiosk's own language (`kiosk.language`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import types
from typing import Any, Union, get_args, get_origin, get_type_hints

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from impactlog.kiosk import queries, services
from impactlog.kiosk.language import kiosk_language, shown_language
from impactlog.kiosk.models import CheckIn
from impactlog.kiosk.services import CheckInInput, CheckInResult, DeviceRefused, TooMany

COOKIE = "impactlog_kiosk"
COOKIE_PATH = "/kiosk/"
COOKIE_MAX_AGE = 5 * 365 * 24 * 3600  # a tablet stays paired until it is revoked
MAX_QUERY = 60
MAX_TEXT = 200
MAX_INT = 2**31 - 1  # the database's integer columns
KEY_LENGTH = CheckIn._meta.get_field("key").max_length


def set_device_cookie(response: HttpResponse, request: HttpRequest, token: str) -> None:
    """Give the tablet its device token: HttpOnly, Strict, only for the kiosk's paths."""
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Strict",
    )


def token_of(request: HttpRequest) -> str:
    return request.COOKIES.get(COOKIE, "")


def _json(data: dict[str, Any], status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _refused() -> JsonResponse:
    return _json(
        {"error": _("This kiosk is not paired, or it was revoked. Pair it again.")}, status=401
    )


def _errors(error: ValidationError) -> JsonResponse:
    if hasattr(error, "error_dict"):
        found = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    else:
        found = {"__all__": [str(m) for m in error.messages]}
    return _json({"errors": found}, status=400)


@require_safe
def aliases(request: HttpRequest) -> HttpResponse:
    """The aliases that start with what was typed (two letters at least): id and alias only."""
    try:
        device = services.device_for(token_of(request))
    except DeviceRefused:
        with translation.override(kiosk_language(request, None)):
            return _refused()
    typed = request.GET.get("q", "").replace("\x00", "")[:MAX_QUERY]
    return _json({"aliases": queries.aliases_starting(device, typed)})


# Parsing a check-in: each field of `CheckInInput` from the JSON value of the same name.


def _accepts(hint: Any) -> tuple[type, bool]:
    """The one type a field holds and whether it may be null."""
    if get_origin(hint) in (Union, types.UnionType):
        kinds = [kind for kind in get_args(hint) if kind is not type(None)]
        return kinds[0], len(kinds) < len(get_args(hint))
    return hint, False


def _value(kind: type, value: Any) -> Any:
    """The JSON value as the field's type; ValueError with the message for the kiosk."""
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_INT:
            raise ValueError(_("Give a whole number."))
        return value
    if kind is str:
        if not isinstance(value, str) or len(value) > MAX_TEXT or "\x00" in value:
            raise ValueError(_("Give a short text."))
        return value
    if kind is dt.datetime:
        try:
            moment = parse_datetime(value) if isinstance(value, str) else None
        except ValueError:
            moment = None
        if moment is None:
            raise ValueError(_("Give a date and time such as 2026-11-18T12:00:00Z."))
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment, dt.UTC)
        return moment
    raise TypeError(f"CheckInInput has a field of a type the kiosk cannot read: {kind}")


def parse_check_in(body: dict[str, Any]) -> CheckInInput:
    """A `CheckInInput` from the JSON object: every field of the dataclass by its name and type,
    unknown keys ignored; ValidationError naming each field that is missing or of a wrong type."""
    hints = get_type_hints(CheckInInput)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for spec in dataclasses.fields(CheckInInput):
        required = (
            spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
        )
        if spec.name not in body:
            if required:
                errors[spec.name] = [_("This field is required.")]
            continue
        kind, nullable = _accepts(hints[spec.name])
        value = body[spec.name]
        if value is None and nullable:
            values[spec.name] = None
            continue
        try:
            values[spec.name] = _value(kind, value)
        except ValueError as error:
            errors[spec.name] = [str(error)]
    key = values.get("key")
    if isinstance(key, str) and not 0 < len(key) <= KEY_LENGTH:  # type: ignore[operator]
        errors["key"] = [_("Give the check-in's key.")]
    if errors:
        raise ValidationError(errors)
    return CheckInInput(**values)


def _answer(result: CheckInResult) -> JsonResponse:
    checkin = result.checkin
    data: dict[str, Any] = {
        "sequence": checkin.sequence,
        "duplicate": result.duplicate,
        "registered": result.registered,
        "ask_worker": result.ask_worker,
    }
    if checkin.participant is not None:
        data["alias"] = checkin.participant.alias
    return _json(data, status=200 if result.duplicate else 201)


def _body(request: HttpRequest) -> dict[str, Any]:
    """The JSON object sent; ValidationError when the request is not the kiosk's JSON."""
    content_type = request.content_type or ""
    if content_type != "application/json" or request.headers.get("X-Kiosk") != "1":
        raise ValidationError(_("Send the check-in as JSON from the kiosk's page."))
    try:
        body = json.loads(request.body.decode("utf-8"))
    except (ValueError, RecursionError):
        raise ValidationError(_("The check-in could not be read.")) from None
    if not isinstance(body, dict):
        raise ValidationError(_("The check-in could not be read."))
    return body


@csrf_exempt  # a JSON POST with the kiosk's header: see the module's docstring
@require_POST
def check_in(request: HttpRequest) -> HttpResponse:
    """One check-in from the tablet's queue: 201 stored, 200 stored before (a replay)."""
    token = token_of(request)
    language = kiosk_language(request, None)
    with translation.override(language):
        try:
            data = parse_check_in(_body(request))
        except ValidationError as error:
            return _errors(error)
    if not shown_language(request):  # the unit's language, read from the device
        try:
            language = kiosk_language(request, services.device_for(token))
        except DeviceRefused:
            with translation.override(language):
                return _refused()
    with translation.override(language):
        try:
            result = services.check_in(token, data)
        except DeviceRefused:
            return _refused()
        except TooMany:
            response = _json({"error": _("Too many check-ins at once: wait a moment.")}, 429)
            response.headers["Retry-After"] = str(int(services.RATE_WINDOW.total_seconds()))
            return response
        except ValidationError as error:
            return _errors(error)
    return _answer(result)
