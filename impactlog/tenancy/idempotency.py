"""Idempotency keys: a form that creates something is saved once, however often it is sent.

Every form that creates a record carries a hidden random key (`{% idempotency_key %}` from the
`idempotency` template library, next to `{% csrf_token %}`). The view asks `earlier(request)`
before it validates a submission: a resend of a form that was saved already (a dropped
connection, a double click, the back button) answers with the saved record and "Already saved";
the same key with other content is refused with 409 (`repeated`). The first submission saves
through `once(request, node, create)`, which stores the key with the created object in the
transaction that created it, so two identical submissions at the same moment store one record
(the key is unique per person). A submission without a key (an old tab) is saved as before.

Keys are kept for `KEEP`; each new one removes its sender's expired keys.

This lives in the tenancy layer, not in `core`: a key belongs to a person and a place, and
`core` imports no app of ours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib import messages
from django.db import IntegrityError, models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.tenancy.models import IdempotencyKey, Node

FIELD = "idempotency_key"
KEEP = dt.timedelta(days=7)
_WELL_FORMED = re.compile(r"[A-Za-z0-9_-]{16,64}")
# What a resubmission may change without being another submission: the CSRF token rotates
# with a new sign-in.
_IGNORED = frozenset({FIELD, "csrfmiddlewaretoken"})

T = TypeVar("T", bound=models.Model)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def key_of(request: HttpRequest) -> str | None:
    """The key the submission carries; None without one (or with a malformed one)."""
    value = request.POST.get(FIELD, "")
    return value if _WELL_FORMED.fullmatch(value) else None


def fingerprint(request: HttpRequest) -> str:
    """A hash of what was submitted and where: the address it was sent to (the form and the
    place), every field but the key and the CSRF token, and the name, size and bytes of every
    file. The same key sent to another form or place is other content."""
    cached: str | None = getattr(request, "_impactlog_fingerprint", None)
    if cached is not None:
        return cached
    digest = hashlib.sha256()
    digest.update(json.dumps(["path", request.path]).encode())
    for name in sorted(request.POST):
        if name not in _IGNORED:
            digest.update(json.dumps([name, request.POST.getlist(name)]).encode())
    for name in sorted(request.FILES):
        for upload in request.FILES.getlist(name):
            digest.update(json.dumps([name, upload.name, upload.size]).encode())
            for chunk in upload.chunks():
                digest.update(chunk)
            upload.seek(0)
    value = digest.hexdigest()
    request._impactlog_fingerprint = value  # type: ignore[attr-defined]
    return value


@dataclass(frozen=True)
class Earlier:
    """What an earlier submission with the same key did."""

    same_content: bool
    # The record it saved, when the person may still see it (None if it is gone since).
    saved: Any


class Repeated(Exception):
    """The submission was sent before (or at the same moment) with the same key."""

    def __init__(self, earlier: Earlier) -> None:
        super().__init__("repeated submission")
        self.earlier = earlier


def earlier(request: HttpRequest) -> Earlier | None:
    """The earlier submission of this form by this person, if its key was used already."""
    key = key_of(request)
    if key is None or not request.user.is_authenticated:
        return None
    row = (
        # a person's own keys: filtered by the person, whatever the scope
        IdempotencyKey.all_objects.filter(
            user=request.user, key=key, created_at__gte=timezone.now() - KEEP
        ).first()
    )
    if row is None:
        return None
    if row.fingerprint != fingerprint(request):
        return Earlier(same_content=False, saved=None)
    try:
        model = apps.get_model(row.object_type)
    except (LookupError, ValueError):
        return Earlier(same_content=True, saved=None)
    # Read in the request's scope: a record the person may no longer see is not shown.
    return Earlier(same_content=True, saved=model.objects.filter(pk=row.object_id).first())


def once(request: HttpRequest, node: Node, create: Callable[[], T | None]) -> T | None:
    """Run `create` (a service call that returns the created record, or None when it refused
    the input) and store the submission's key with the record in the same transaction.

    Raises `Repeated` when an identical submission stored its key first: this one's record was
    rolled back.
    """
    key = key_of(request)
    if key is None or not request.user.is_authenticated:
        return create()
    try:
        with transaction.atomic():
            saved = create()
            if saved is not None:
                now = timezone.now()
                IdempotencyKey.all_objects.filter(
                    user=request.user, created_at__lt=now - KEEP
                ).delete()
                IdempotencyKey.all_objects.create(
                    user=request.user,
                    key=key,
                    node=node,
                    fingerprint=fingerprint(request),
                    object_type=saved._meta.label_lower,
                    object_id=str(saved.pk),
                    created_at=now,
                )
    except IntegrityError:
        found = earlier(request)
        if found is None:
            raise
        raise Repeated(found) from None
    if saved is None:
        # Refused, perhaps because a twin sent at the same moment saved the same record.
        found = earlier(request)
        if found is not None:
            raise Repeated(found)
    return saved


def repeated(
    request: HttpRequest,
    found: Earlier,
    done: Callable[[Any], HttpResponse],
    *,
    already: Callable[[Any], str] | None = None,
    back: str = "",
) -> HttpResponse:
    """The answer to a repeated submission: the saved record with "Already saved" (`done` gets
    the record, or None if it is gone), or 409 when the content differs."""
    if not found.same_content:
        return refused(request, back or request.get_full_path())
    if found.saved is not None and already is not None:
        text = already(found.saved)
    elif found.saved is not None:
        text = _(
            "Already saved: %(record)s. This form had been sent before; nothing was added."
        ) % {"record": found.saved}
    else:
        text = _("Already saved. This form had been sent before; nothing was added.")
    messages.info(request, text)
    return done(found.saved)


def refused(request: HttpRequest, back: str) -> HttpResponse:
    return render(request, "idempotency_refused.html", {"back": back}, status=409)
