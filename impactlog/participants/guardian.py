"""A guardian's consent given online (docs/privacy.md, "Guardian consent").

A youth worker asks for it for a young person who is not registered yet (below the age of
digital consent nobody is, until a guardian consents): `request_guardian_consent` keeps the
least a registration needs and the guardian's address in a `GuardianRequest`, and sends the
guardian a link that works once and expires after 14 days. The link's token is stored only as a
keyed hash. On the public page the guardian reads the organisation's current privacy notice in
their language, confirms that they are the parent or guardian, and consents to the registration
and, separately, to photos and stories: `give_guardian_consent` registers the young person with
`Consent(given_by=guardian, method=online)` to the version they read, in one transaction.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.core.secrets import keyed_hash
from impactlog.participants import consent as rules
from impactlog.participants import services
from impactlog.participants.models import (
    ConsentKind,
    Gender,
    GivenBy,
    GuardianRequest,
    Method,
    Participant,
    PrivacyNotice,
    alias_key_of,
    clean_alias,
)
from impactlog.participants.tasks import send_guardian_request
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import acting_as, authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

LIFETIME = dt.timedelta(days=14)
# What a request holds until it is used or expires; cleared then (the row stays).
CLEARED = {"alias": "", "birth_year": None, "birth_month": None, "gender": "", "guardian_email": ""}


def token_hash(token: str) -> str:
    return keyed_hash("impactlog.participants.guardian", token)


def link_path(token: str) -> str:
    return reverse("participants:guardian_consent", args=[token])


def _clear_expired(now: dt.datetime) -> None:
    """Expired requests keep no data: each new request clears them (system code)."""
    # system code: clears every expired request, keeps nothing readable
    GuardianRequest.all_objects.filter(used_at__isnull=True, expires_at__lte=now).exclude(
        guardian_email=""
    ).update(**CLEARED)


@dataclass(frozen=True)
class Requested:
    request: GuardianRequest
    link: str  # shown to the worker once; only its keyed hash is stored


@service
def request_guardian_consent(
    actor: User | None,
    unit: Node,
    *,
    alias: str,
    birth_year: int,
    birth_month: int,
    gender: str,
    guardian_email: str,
    language: str,
    base_url: str,
    now: dt.datetime | None = None,
) -> Requested:
    """Ask a guardian to consent online to a young person's registration at `unit`."""
    now = now or timezone.now()
    unit = Node.all_objects.get(pk=unit.pk)  # re-read the place the caller named
    authorize(actor, Perm.EDIT_PERSONAL, unit)
    if unit.kind != NodeKind.UNIT or unit.is_archived:
        raise ValidationError(_("Young people are registered at an open unit."))
    organisation = services.organisation_of(unit)
    services._notice_or_refuse(organisation)
    rules.check_birth(birth_year, birth_month, timezone.localdate(now))
    if gender not in Gender.values or gender == Gender.SELF:
        raise ValidationError({"gender": _("Choose one of the answers.")})
    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose a language from the list.")})
    alias = clean_alias(alias)
    if not alias_key_of(alias) or alias.startswith(services.PLACEHOLDER_PREFIX):
        raise ValidationError({"alias": _("Choose an alias.")})
    # alias taken in the organisation authorised above (a yes or no)
    if Participant.all_objects.filter(
        organisation=organisation, alias_key=alias_key_of(alias)
    ).exists():
        raise ValidationError(
            {"alias": _("This alias is already taken in the organisation. Choose another one.")}
        )
    email = guardian_email.strip()
    if not email:
        raise ValidationError({"guardian_email": _("Write the guardian's e-mail address.")})
    _clear_expired(now)
    token = secrets.token_urlsafe(32)
    # created under the object authorised above, in this service's transaction
    request = GuardianRequest.all_objects.create(
        unit=unit,
        alias=alias,
        birth_year=birth_year,
        birth_month=birth_month,
        gender=gender,
        guardian_email=email,
        language=language,
        token_hash=token_hash(token),
        requested_by=actor,
        requested_at=now,
        expires_at=now + LIFETIME,
    )
    # Nothing of the young person or the guardian: that a request was made, and until when.
    audit.record(
        actor,
        AuditAction.GUARDIAN_CONSENT_REQUESTED,
        request,
        node=unit,
        changes={"expires_at": request.expires_at.isoformat()},
    )
    link = base_url.rstrip("/") + link_path(token)
    transaction.on_commit(lambda: send_guardian_request.enqueue(request_id=request.pk, link=link))
    return Requested(request, link)


class LinkRefused(Exception):
    """The link is unknown, used or expired: `message` says which, for the guardian."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def open_request(token: str, *, now: dt.datetime | None = None) -> GuardianRequest:
    """The request behind a link, or LinkRefused with a message a guardian understands."""
    now = now or timezone.now()
    found = (
        # a lookup by the link's token (a credential)
        GuardianRequest.all_objects.select_related("unit")
        .filter(token_hash=token_hash(token))
        .first()
        if token
        else None
    )
    if found is None:
        raise LinkRefused(
            _("This link is not known. Check that it was copied whole from the e-mail."), 404
        )
    if found.used_at is not None:
        raise LinkRefused(
            _("This link was used already: the consent is recorded. It works only once."), 410
        )
    if found.expires_at <= now:
        raise LinkRefused(
            _(
                "This link expired on %(date)s. Ask the youth centre for a new one, or sign "
                "the paper form there."
            )
            % {"date": timezone.localdate(found.expires_at).isoformat()},
            410,
        )
    return found


def give_guardian_consent(
    token: str,
    *,
    notice_version: int,
    photos: bool,
    now: dt.datetime | None = None,
) -> Participant:
    """The guardian consents: the young person is registered with the guardian's consent to the
    notice version they read (and photos and stories if ticked), all or nothing. The link is
    the guardian's authority: once it is found, the registration runs as the system."""
    now = now or timezone.now()
    with acting_as(None), transaction.atomic():
        request = open_request(token, now=now)
        # re-read the request opened by its token (a credential)
        request = GuardianRequest.all_objects.select_for_update().get(pk=request.pk)
        if request.used_at is not None:
            raise LinkRefused(_("This link was used already: the consent is recorded."), 410)
        organisation = services.organisation_of(request.unit)
        notice = services._notice_or_refuse(organisation)
        if notice.version != notice_version:
            raise ValidationError(
                _(
                    "The privacy notice was changed while you were reading it. Read the new "
                    "version below and consent again."
                )
            )
        given = services.GivenConsent(given_by=GivenBy.GUARDIAN, method=Method.ONLINE, given_at=now)
        assert request.birth_year is not None and request.birth_month is not None
        participant = services.register_participant(
            None,
            request.unit,
            given,
            today=timezone.localdate(now),
            notice_language=request.language,
            alias=request.alias,
            birth_year=request.birth_year,
            birth_month=request.birth_month,
            gender=request.gender,
            guardian_email=request.guardian_email,
        )
        if photos:
            services.record_consent(
                None, participant, ConsentKind.PHOTOS, given, today=timezone.localdate(now)
            )
        request.used_at = now
        request.participant = participant
        for name, value in CLEARED.items():
            setattr(request, name, value)
        request.save()
        audit.record(
            None,
            AuditAction.GUARDIAN_CONSENT_GIVEN,
            request,
            node=request.unit,
            changes={"photos": photos, "notice_version": notice.version},
        )
    return participant


def notice_of(request: GuardianRequest) -> PrivacyNotice | None:
    return services.current_notice(services.organisation_of(request.unit))
