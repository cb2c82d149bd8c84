"""The young person's personal link: issued by a youth worker, opened with a PIN, without an
account (docs/privacy.md, "The personal link").

A worker who may change the unit's records (`personal.edit`) issues a link for a participant,
with an expiry and a PIN; a new link revokes the previous one. The token in the link is a long
random string stored only as a keyed hash, the PIN (4 to 6 digits) only through Django's password
hashers; both are shown once. The young person's side (`link_of`, `sign_in`, `session_link`,
`sign_out`) takes the token or the signed session instead of an actor: once the link is found
live it acts as the system for that one participant, as the kiosk does for its device.

Five wrong PINs in a row lock the link (not the address it came from) for fifteen minutes. A
right PIN starts the link's one session (`session_hash`): signing in elsewhere ends the one
before, and revoking or expiry ends it too.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.core.secrets import keyed_hash
from impactlog.participants import privacy, services
from impactlog.participants.models import Consent, Participant, PersonalLink
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.permissions import acting_as, authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

DEFAULT_DAYS = 90
MAX_DAYS = 365
PIN_LENGTH = 6  # of a generated PIN; a chosen one has 4 to 6 digits
PIN_PATTERN = re.compile(r"[0-9]{4,6}")
MAX_FAILED_PINS = 5
# The first lockout lasts 15 minutes; each further one without a right PIN in between twice as
# long, up to a day: a 4-digit PIN cannot be worked through within a link's life.
LOCKOUT = dt.timedelta(minutes=15)
MAX_LOCKOUT = dt.timedelta(days=1)
IDLE = dt.timedelta(minutes=30)
TOKEN_MAX_LENGTH = 100


class LinkDead(Exception):
    """The link cannot be used: unknown, expired, revoked, or its young person's record stopped
    or anonymised."""

    def __init__(self, reason: str, link: PersonalLink | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.link = link


class PinLocked(Exception):
    """Too many wrong PINs: the link takes none until `until`."""

    def __init__(self, until: dt.datetime) -> None:
        super().__init__(until.isoformat())
        self.until = until


class WrongPin(Exception):
    """The PIN was wrong; `left` more tries before the link is locked."""

    def __init__(self, left: int) -> None:
        super().__init__(left)
        self.left = left


@dataclass(frozen=True)
class Issued:
    """A new link and its secrets, which exist only here: shown once, then gone."""

    link: PersonalLink
    token: str
    pin: str


def _token_hash(token: str) -> str:
    return keyed_hash("impactlog.participants.link", token)


def _session_hash(nonce: str) -> str:
    return keyed_hash("impactlog.participants.link-session", nonce)


def _weak(pin: str) -> bool:
    """One digit repeated, or a run up or down (1234, 9876): the first ones anyone tries."""
    steps = {int(b) - int(a) for a, b in itertools.pairwise(pin)}
    return len(steps) == 1 and steps <= {-1, 0, 1}


def _check_pin(pin: str) -> None:
    if not PIN_PATTERN.fullmatch(pin):
        raise ValidationError({"pin": _("A PIN has 4 to 6 digits.")})
    if _weak(pin):
        raise ValidationError(
            {"pin": _("This PIN is too easy to guess. Choose another one, or leave it empty.")}
        )


def _new_pin() -> str:
    while True:
        pin = "".join(secrets.choice("0123456789") for _i in range(PIN_LENGTH))
        if not _weak(pin):
            return pin


def dead_reason(link: PersonalLink, now: dt.datetime) -> str:
    """Why a link no longer opens, or "" while it is live."""
    participant = link.participant
    if participant.anonymised_at is not None or participant.stopped_at is not None:
        return "stopped"
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return ""


def live_link_of(participant: Participant, now: dt.datetime) -> PersonalLink | None:
    """The participant's link that still opens, for the worker's page (one query)."""
    link = (
        PersonalLink.objects.filter(participant=participant, revoked_at__isnull=True)
        .select_related("participant")
        .first()
    )
    return link if link is not None and not dead_reason(link, now) else None


# The worker's side.


def _revoke_live(participant: Participant, now: dt.datetime) -> list[PersonalLink]:
    live = list(
        # the links of the young person issue_link/revoke authorised
        PersonalLink.all_objects.select_for_update().filter(
            participant=participant, revoked_at__isnull=True
        )
    )
    for link in live:
        link.revoked_at = now
        link.session_hash = ""
        link.save(update_fields=["revoked_at", "session_hash"])
    return live


@service
def issue_link(
    actor: User | None,
    participant: Participant,
    *,
    days: int = DEFAULT_DAYS,
    pin: str = "",
    now: dt.datetime | None = None,
) -> Issued:
    """Issue a personal link valid for `days`, with the chosen PIN or a generated one; the
    participant's earlier link stops working."""
    now = now or timezone.now()
    current = services.locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    services.refuse_stopped(current)
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError(
            {"days": _("A link is valid for 1 to %(count)s days.") % {"count": MAX_DAYS}}
        )
    chosen = bool(pin)
    if chosen:
        _check_pin(pin)
    else:
        pin = _new_pin()
    _revoke_live(current, now)
    token = secrets.token_urlsafe(32)
    # created under the object authorised above, in this service's transaction
    link = PersonalLink.all_objects.create(
        participant=current,
        token_hash=_token_hash(token),
        pin_hash=make_password(pin),
        issued_by=actor,
        issued_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    # When it ends and whether the PIN was chosen; never the token or the PIN.
    audit.record(
        actor,
        AuditAction.PERSONAL_LINK_ISSUED,
        link,
        node=current.unit,
        changes={"participant": current.pk, "days": days, "pin": "chosen" if chosen else "made"},
    )
    return Issued(link=link, token=token, pin=pin)


@service
def revoke_link(
    actor: User | None, participant: Participant, *, now: dt.datetime | None = None
) -> int:
    """Stop the participant's link (and its session) now; the number of links stopped."""
    now = now or timezone.now()
    current = services.locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    stopped = _revoke_live(current, now)
    for link in stopped:
        audit.record(
            actor,
            AuditAction.PERSONAL_LINK_REVOKED,
            link,
            node=current.unit,
            changes={"participant": current.pk},
        )
    return len(stopped)


# The young person's side: no actor, the token or the session is the credential.

F = TypeVar("F", bound=Callable[..., Any])


def link_service(func: F) -> F:
    """What a link asks for: one transaction, acting as the system for the link's participant
    once the function has found the link by its secret."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with acting_as(None), transaction.atomic():
            return func(*args, **kwargs)

    return cast(F, wrapped)


def _by_token(token: str, *, lock: bool) -> PersonalLink:
    if not token or len(token) > TOKEN_MAX_LENGTH:
        raise LinkDead("unknown")
    # the token is the credential: found by its hash, the participant's rows only
    found = PersonalLink.all_objects.select_related(
        "participant__unit", "participant__organisation"
    ).filter(token_hash=_token_hash(token))
    if lock:
        found = found.select_for_update(of=("self",))
    link = found.first()
    if link is None:
        raise LinkDead("unknown")
    return link


@link_service
def link_of(token: str, *, now: dt.datetime | None = None) -> PersonalLink:
    """The live link of a token; LinkDead with its reason otherwise. Writes nothing."""
    link = _by_token(token, lock=False)
    reason = dead_reason(link, now or timezone.now())
    if reason:
        raise LinkDead(reason, link)
    return link


def sign_in(token: str, pin: str, *, now: dt.datetime | None = None) -> tuple[PersonalLink, str]:
    """Check the PIN: the link and a new session nonce when right. Raises LinkDead, PinLocked
    or WrongPin; a wrong PIN is counted (and a lockout saved) before the refusal is raised."""
    now = now or timezone.now()
    outcome = _attempt(token, pin, now)
    if isinstance(outcome, Exception):
        raise outcome
    return outcome


@link_service
def _attempt(
    token: str, pin: str, now: dt.datetime
) -> tuple[PersonalLink, str] | LinkDead | PinLocked | WrongPin:
    link = _by_token(token, lock=True)
    reason = dead_reason(link, now)
    if reason:
        return LinkDead(reason, link)
    if link.locked_until is not None and link.locked_until > now:
        return PinLocked(link.locked_until)
    unit = link.participant.unit
    if not check_password(pin, link.pin_hash):
        # Wrong PINs since the last right one: every fifth locks the link (see LOCKOUT).
        link.failed_pins = min(link.failed_pins + 1, 30_000)
        if link.failed_pins % MAX_FAILED_PINS == 0:
            lockouts = link.failed_pins // MAX_FAILED_PINS
            link.locked_until = now + min(LOCKOUT * 2 ** min(lockouts - 1, 16), MAX_LOCKOUT)
            link.session_hash = ""
            link.save(update_fields=["failed_pins", "locked_until", "session_hash"])
            audit.record(None, AuditAction.PERSONAL_LINK_LOCKED, link, node=unit)
            return PinLocked(link.locked_until)
        link.save(update_fields=["failed_pins"])
        return WrongPin(MAX_FAILED_PINS - link.failed_pins % MAX_FAILED_PINS)
    nonce = secrets.token_urlsafe(32)
    link.failed_pins = 0
    link.locked_until = None
    link.session_hash = _session_hash(nonce)
    link.last_opened_at = now
    link.save(update_fields=["failed_pins", "locked_until", "session_hash", "last_opened_at"])
    audit.record(None, AuditAction.PERSONAL_LINK_OPENED, link, node=unit)
    return link, nonce


@link_service
def session_link(
    link_pk: int, nonce: str, *, now: dt.datetime | None = None
) -> PersonalLink | None:
    """The live link whose current session is `nonce`, or None. Writes nothing."""
    if not nonce or len(nonce) > TOKEN_MAX_LENGTH:
        return None
    link = (
        # a lookup by the session's link and nonce (a credential)
        PersonalLink.all_objects.select_related(
            "participant__unit", "participant__organisation", "participant__home_area"
        )
        .filter(pk=link_pk, session_hash=_session_hash(nonce))
        .first()
    )
    if link is None or dead_reason(link, now or timezone.now()):
        return None
    return link


def own_consents(link: PersonalLink) -> QuerySet[Consent]:
    """The consents of the link's young person, for their own page: the request has no staff
    scope, so they are read unscoped, limited by hand to the one participant (one query)."""
    # the consents of the young person of the link (a credential)
    return Consent.all_objects.filter(participant_id=link.participant_id).select_related("notice")


@link_service
def sign_out(link_pk: int, nonce: str) -> None:
    """End the session: the signed cookie, even if kept, opens nothing any more."""
    if nonce and len(nonce) <= TOKEN_MAX_LENGTH:
        # a lookup by the session's link and nonce (a credential)
        PersonalLink.all_objects.filter(pk=link_pk, session_hash=_session_hash(nonce)).update(
            session_hash=""
        )


@link_service
def viewed_own(link: PersonalLink, page: str) -> None:
    """A young person read their own pages: audited like any view of a record."""
    audit.record(
        None,
        AuditAction.PARTICIPANT_VIEWED_OWN,
        link.participant,
        node=link.participant.unit,
        changes={"page": page},
    )


@privacy.anonymiser
def _links_stop(participant: Participant, now: dt.datetime) -> None:
    """An anonymised record has no personal link: every link stops with its session."""
    # system code: part of the young person's stop or anonymising, authorised by its caller
    PersonalLink.all_objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=now, session_hash=""
    )
