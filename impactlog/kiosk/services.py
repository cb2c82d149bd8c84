"""Every change a kiosk makes: pairing, revoking, and checking young people in.

A manager of the unit (`kiosk.manage`) makes a pairing code and revokes devices; those services
authorise the manager like any other. The tablet has no staff account: the services it calls
take its device token instead of an actor, re-read the device, refuse a revoked or unknown one
(`DeviceRefused`, answered with 401) and then act as the system for the device's unit — the
device was authorised, the unit and activity are its own. Each runs in one transaction.

Consent (docs/privacy.md, "The check-in kiosk"): a young person at or above the age of digital
consent of the unit's country registers themselves with their own consent to the organisation's
current notice (method: online form); below it they are counted without a name and asked to see
a youth worker, since only a guardian can consent for them.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.core.secrets import keyed_hash
from impactlog.kiosk.models import CheckIn, CountRequest, KioskDevice, PairingCode
from impactlog.logbook import services as logbook
from impactlog.logbook.models import Activity, Session
from impactlog.logbook.models import Gender as CountGender
from impactlog.network.models import NetworkSettings
from impactlog.network.services import band_of_age, bands_in, settings_for
from impactlog.participants import consent as rules
from impactlog.participants import services as participants
from impactlog.participants.models import Gender, GivenBy, Method, Participant, alias_key_of
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import NodeKind
from impactlog.tenancy.permissions import acting_as, authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

CODE_LIFETIME = dt.timedelta(minutes=10)
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I to mistype
CODE_LENGTH = 8
# At most settings.KIOSK_RATE_LIMIT check-ins a minute from one device.
RATE_WINDOW = dt.timedelta(minutes=1)
# A device's "last seen" is written at most once a minute while it checks young people in.
LAST_SEEN_EVERY = dt.timedelta(minutes=1)

# The logbook counts in four genders; a registered young person's gender maps onto them.
COUNT_GENDER = {
    Gender.GIRL: CountGender.GIRLS,
    Gender.BOY: CountGender.BOYS,
    Gender.NON_BINARY: CountGender.NON_BINARY,
    Gender.NOT_SAY: CountGender.NOT_STATED,
    Gender.SELF: CountGender.NOT_STATED,
}


class DeviceRefused(Exception):
    """The device token is unknown or revoked: 401."""


class TooMany(Exception):
    """The device sent more check-ins in a minute than it may: 429."""


def hash_secret(kind: str, value: str) -> str:
    """The keyed hash a pairing code or a device token is stored as."""
    return keyed_hash(f"impactlog.kiosk.{kind}", value)


F = TypeVar("F", bound=Callable[..., Any])


def device_service(func: F) -> F:
    """A state change a device asks for: one transaction, acting as the system once the
    function has authorised the device (`_device`)."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with acting_as(None), transaction.atomic():
            return func(*args, **kwargs)

    return cast(F, wrapped)


def _device(token: str) -> KioskDevice:
    """The device the token belongs to, locked; DeviceRefused if unknown or revoked."""
    if not token or len(token) > 200:
        raise DeviceRefused
    device = (
        # the token is the device's credential: found by it, refused unless it is live
        KioskDevice.all_objects.select_for_update(of=("self",))
        .select_related("node", "activity")
        .filter(token_hash=hash_secret("token", token))
        .first()
    )
    if device is None or device.revoked_at is not None:
        raise DeviceRefused
    if device.activity.node_id == device.node_id:  # always: activities never change unit
        device.activity.node = device.node  # the unit once, not read twice
    return device


def device_for(token: str) -> KioskDevice:
    """The live device of a token, for reading (the kiosk page, the alias search)."""
    with acting_as(None), transaction.atomic():
        return _device(token)


# Managing kiosks.


@service
def create_pairing_code(
    actor: User | None, activity: Activity, *, now: dt.datetime | None = None
) -> tuple[PairingCode, str]:
    """A one-time code that pairs a tablet to `activity` for ten minutes; returns the code
    (shown once, stored only hashed)."""
    now = now or timezone.now()
    # re-read the object the caller named; authorize() decides
    activity = Activity.all_objects.select_related("node").get(pk=activity.pk)
    authorize(actor, Perm.MANAGE_KIOSK, activity)
    if activity.node.kind != NodeKind.UNIT or activity.node.is_archived:
        raise ValidationError(_("Kiosks are paired to an open unit."))
    if activity.archived_at is not None:
        raise ValidationError({"activity": _("Choose an activity that is not archived.")})
    code = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
    # created under the object authorised above, in this service's transaction
    pairing = PairingCode.all_objects.create(
        node=activity.node,
        activity=activity,
        code_hash=hash_secret("code", code),
        created_by=actor,
        created_at=now,
        expires_at=now + CODE_LIFETIME,
    )
    audit.record(
        actor,
        AuditAction.KIOSK_CODE_CREATED,
        pairing,
        node=activity.node,
        changes={"activity": activity.pk},
    )
    return pairing, code


def clean_code(text: str) -> str:
    """A code as typed: without spaces or dashes, in capitals."""
    return "".join(ch for ch in text if ch.isalnum()).upper()


@device_service
def pair_device(code: str, name: str, *, now: dt.datetime | None = None) -> tuple[KioskDevice, str]:
    """Pair a tablet with a code: used once, within its ten minutes. Returns the device and its
    token (sent to the tablet once, stored only hashed)."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the kiosk a name, such as “Front desk”.")})
    if len(name) > KioskDevice._meta.get_field("name").max_length:  # type: ignore[operator]
        raise ValidationError({"name": _("Keep the name under 60 characters.")})
    pairing = (
        # the code is the credential: found by it, refused unless unused and in time
        PairingCode.all_objects.select_for_update()
        .select_related("node", "activity")
        .filter(code_hash=hash_secret("code", clean_code(code)))
        .first()
    )
    if pairing is None or pairing.used_at is not None or pairing.expires_at <= now:
        raise ValidationError(
            {
                "code": _(
                    "This code is not valid. Codes work once, for ten minutes: ask for a new one."
                )
            }
        )
    pairing.used_at = now
    pairing.save(update_fields=["used_at"])
    token = secrets.token_urlsafe(32)
    # created for the pairing code just checked (a credential)
    device = KioskDevice.all_objects.create(
        node=pairing.node,
        activity=pairing.activity,
        name=name,
        token_hash=hash_secret("token", token),
        paired_by=pairing.created_by,
        paired_at=now,
        last_seen_at=now,
    )
    audit.record(
        pairing.created_by,
        AuditAction.KIOSK_PAIRED,
        device,
        node=device.node,
        changes={"name": name, "activity": pairing.activity_id},
    )
    return device, token


@service
def revoke_device(
    actor: User | None, device: KioskDevice, *, now: dt.datetime | None = None
) -> KioskDevice:
    """Stop a kiosk: its token answers 401 from now on."""
    # re-read the object the caller named; authorize() decides
    current = KioskDevice.all_objects.select_for_update().select_related("node").get(pk=device.pk)
    authorize(actor, Perm.MANAGE_KIOSK, current)
    if current.revoked_at is not None:
        raise ValidationError(_("This kiosk was revoked already."))
    current.revoked_at = now or timezone.now()
    current.save(update_fields=["revoked_at"])
    audit.record(actor, AuditAction.KIOSK_REVOKED, current, node=current.node)
    return current


# Checking in.


class Kind:
    RETURNING = "returning"
    ANONYMOUS = "anonymous"
    NEW = "new"
    CARD = "card"


@dataclass(frozen=True)
class CheckInInput:
    """What the kiosk sends for one check-in."""

    sequence: int
    key: str
    kind: str
    device_time: dt.datetime | None = None
    participant: int | None = None  # returning
    gender: str = ""  # anonymous: a logbook gender; new: a young person's gender
    age_band: str = ""  # anonymous
    alias: str = ""  # new
    birth_year: int | None = None
    birth_month: int | None = None
    card: str = ""  # card: the text of the scanned QR code


@dataclass(frozen=True)
class CheckInResult:
    checkin: CheckIn
    duplicate: bool = False  # sent before: the stored check-in
    registered: bool = False  # a first-time young person was registered
    ask_worker: bool = False  # below the age of consent: counted anonymously


def _network(device: KioskDevice) -> NetworkSettings:
    """The settings of the device's network (its age bands), read once per check-in: the device
    is read afresh by every service call, so they are never older than the transaction."""
    kept = vars(device)
    if "_network_settings" not in kept:
        kept["_network_settings"] = settings_for(device.node)
    return cast(NetworkSettings, kept["_network_settings"])


def _earlier_and_recent(
    device: KioskDevice, data: CheckInInput, now: dt.datetime
) -> tuple[CheckIn | None, int]:
    """In one query: the check-in the device stored before under the same number (else the
    same key), and how many it stored within the rate window. The three conditions each have
    an index (the two unique constraints and `checkin_device_time`); a second query reads the
    earlier check-in, only when there is one (a replay or a clash)."""
    since = now - RATE_WINDOW
    found = (
        # the device was authorised by its token; its check-ins are its own
        CheckIn.all_objects.filter(device=device)
        .filter(Q(sequence=data.sequence) | Q(key=data.key) | Q(received_at__gt=since))
        .aggregate(
            recent=Count("pk", filter=Q(received_at__gt=since)),
            by_sequence=Max("pk", filter=Q(sequence=data.sequence)),
            by_key=Max("pk", filter=Q(key=data.key)),
        )
    )
    pk = found["by_sequence"] or found["by_key"]
    # the device was authorised by its token; its check-ins are its own
    earlier = CheckIn.all_objects.get(pk=pk) if pk else None
    return earlier, int(found["recent"])


def _returning(device: KioskDevice, pk: int | None, today: dt.date) -> tuple[Participant, str, str]:
    found = (
        participants.consented_in(participants.organisation_of(device.node)).filter(pk=pk).first()
        if pk
        else None
    )
    if found is None:
        raise ValidationError({"participant": _("Choose your alias from the list.")})
    return _counted(device, found, today)


def _by_card(device: KioskDevice, text: str, today: dt.date) -> tuple[Participant, str, str]:
    from impactlog.kiosk.cards.services import card_holder  # the cards build on this module

    return _counted(device, card_holder(device.node, text), today)


def _counted(
    device: KioskDevice, found: Participant, today: dt.date
) -> tuple[Participant, str, str]:
    """Where a registered young person counts: their logbook gender and age band today."""
    if found.birth_month is None:  # anonymised: the lookups above leave those out
        raise ValidationError({"participant": _("Choose your alias from the list.")})
    age = rules.age_on(found.birth_year, found.birth_month, today)
    return found, COUNT_GENDER[Gender(found.gender)], band_of_age(bands_in(_network(device)), age)


def _anonymous(device: KioskDevice, data: CheckInInput) -> tuple[str, str]:
    if data.gender not in CountGender.values:
        raise ValidationError({"gender": _("Choose one of the answers.")})
    if data.age_band not in {key for key, _label in bands_in(_network(device))}:
        raise ValidationError({"age_band": _("Choose your age.")})
    return data.gender, data.age_band


def _first_time(
    device: KioskDevice, data: CheckInInput, now: dt.datetime
) -> tuple[Participant | None, str, str]:
    """Register a young person old enough to consent; otherwise only count them."""
    today = timezone.localdate(now)
    if data.gender not in Gender.values:
        raise ValidationError({"gender": _("Choose one of the answers.")})
    if data.birth_year is None or data.birth_month is None:
        raise ValidationError({"birth_year": _("Give the year and month you were born.")})
    rules.check_birth(data.birth_year, data.birth_month, today)
    age = rules.age_on(data.birth_year, data.birth_month, today)
    gender, band = COUNT_GENDER[Gender(data.gender)], band_of_age(bands_in(_network(device)), age)
    if age < rules.consent_age(device.node):
        return None, gender, band
    if not alias_key_of(data.alias):
        raise ValidationError({"alias": _("Choose an alias.")})
    participant = participants.register_participant(
        None,
        device.node,
        participants.GivenConsent(
            given_by=GivenBy.YOUNG_PERSON, method=Method.ONLINE, given_at=now
        ),
        today=today,
        alias=data.alias,
        birth_year=data.birth_year,
        birth_month=data.birth_month,
        gender=data.gender,
        gender_text=_("not given at the kiosk") if data.gender == Gender.SELF else "",
        status=participants.KIOSK_STATUS,
    )
    return participant, gender, band


@device_service
def check_in(token: str, data: CheckInInput, *, now: dt.datetime | None = None) -> CheckInResult:
    """Check one young person in at the device's activity: one more visit in today's session,
    counted moments later (`count_waiting`, the task `count_check_ins`).

    A check-in the device sent before (the same number and key: a replayed offline queue) is
    not stored again: the stored one is answered, and the device's duplicates count grows."""
    now = now or timezone.now()
    device = _device(token)
    earlier, recent = _earlier_and_recent(device, data, now)
    if earlier is not None:
        if earlier.key != data.key or earlier.sequence != data.sequence:
            raise ValidationError(_("This check-in number was used for another check-in."))
        device.duplicates += 1
        device.last_seen_at = now
        device.save(update_fields=["duplicates", "last_seen_at"])
        return CheckInResult(earlier, duplicate=True)
    if recent >= settings.KIOSK_RATE_LIMIT:
        raise TooMany
    participant: Participant | None = None
    registered = ask_worker = False
    if data.kind == Kind.RETURNING:
        participant, gender, band = _returning(device, data.participant, timezone.localdate(now))
    elif data.kind == Kind.CARD:
        participant, gender, band = _by_card(device, data.card, timezone.localdate(now))
    elif data.kind == Kind.ANONYMOUS:
        gender, band = _anonymous(device, data)
    elif data.kind == Kind.NEW:
        participant, gender, band = _first_time(device, data, now)
        registered, ask_worker = participant is not None, participant is None
    else:
        raise ValidationError(_("Unknown kind of check-in."))
    # The device's row is its own (locked since _device). The day's session is only read (or,
    # the first time of the day, created with this visit): the count waits (count_waiting).
    if device.last_seen_at is None or not now - LAST_SEEN_EVERY < device.last_seen_at <= now:
        device.last_seen_at = now
        device.save(update_fields=["last_seen_at"])
    session, counted = logbook.kiosk_session(
        None, device.activity, when=now, gender=gender, band=band, network=_network(device)
    )
    checkin = CheckIn.all_objects.create(
        device=device,
        session=session,
        participant=participant,
        gender=gender,
        age_band=band,
        sequence=data.sequence,
        key=data.key,
        device_time=data.device_time,
        received_at=now,
        counted_at=now if counted else None,
    )
    if participant is not None:
        audit.record(
            None,
            AuditAction.KIOSK_CHECKED_IN,
            participant,
            node=device.node,
            changes={"kiosk": device.pk, "session": session.pk},
        )
    if not counted:
        _count_later(session.pk)
    return CheckInResult(checkin, registered=registered, ask_worker=ask_worker)


def _count_later(session_id: int) -> None:
    """Ask for the session's waiting check-ins to be counted, once for many check-ins.

    The first check-in since the last count began adds the session's `CountRequest` and
    enqueues the task; the others find the row and only add to it, which locks it until they
    commit. The count deletes the row first (`count_requested`): it waits for each of them, so
    the waiting check-ins it then reads include theirs. Last in the check-in's transaction, so
    the lock is held only while it commits. The task is enqueued inside the transaction: with
    the database backend its row commits with the check-in or not at all; the immediate
    backend (tests, development) counts at once."""
    from impactlog.kiosk.tasks import count_check_ins  # the task calls back into this module

    table = connection.ops.quote_name(CountRequest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            # the table's own quoted name, and the session's key as a parameter
            f"INSERT INTO {table} (session_id, asked) VALUES (%s, 1) "  # noqa: S608
            f"ON CONFLICT (session_id) DO UPDATE SET asked = {table}.asked + 1 RETURNING asked",
            [session_id],
        )
        (asked,) = cursor.fetchone()
    if asked == 1:
        count_check_ins.enqueue(session_id=session_id)


def count_requested(session_id: int, *, now: dt.datetime | None = None) -> int:
    """The queued count of a session (the task `count_check_ins`): its request is removed,
    after every check-in that relied on it has committed, and then its waiting check-ins are
    counted (`count_waiting`); returns how many."""
    with acting_as(None), transaction.atomic():
        # system code: the task's own session; the request row has no data of anyone
        CountRequest.all_objects.filter(session_id=session_id).delete()
    return count_waiting(session_id, now=now)


@device_service
def count_waiting(session_id: int, *, now: dt.datetime | None = None) -> int:
    """Add the session's check-ins not counted yet to its counts, cell by cell, all at once, and
    mark them counted; returns how many. A second call finds none; when it fails, nothing is
    marked, and the next call counts them."""
    now = now or timezone.now()
    session = (
        # system code: the check-ins were authorised when their devices sent them
        Session.all_objects.select_for_update(of=("self",), no_key=True)
        .select_related("node")
        .filter(pk=session_id)
        .first()
    )
    if session is None:
        return 0
    waiting = list(
        # system code: the session's own check-ins, locked until they are marked
        CheckIn.all_objects.select_for_update()
        .filter(session=session, counted_at__isnull=True)
        .values_list("pk", "gender", "age_band")
    )
    if not waiting:
        return 0
    cells = Counter((gender, band) for _pk, gender, band in waiting)
    logbook.add_visits(session, dict(cells))
    # system code: the rows read and locked above
    CheckIn.all_objects.filter(pk__in=[pk for pk, _g, _b in waiting]).update(counted_at=now)
    return len(waiting)


def count_all_waiting(*, now: dt.datetime | None = None) -> int:
    """Count every waiting check-in of every session (`manage.py count_check_ins`: a worker
    that was down leaves them waiting); returns how many were counted."""
    sessions = (
        # system code: the safety net over every organisation
        CheckIn.all_objects.filter(counted_at__isnull=True)
        .order_by("session_id")
        .values_list("session_id", flat=True)
        .distinct()
    )
    return sum(count_waiting(session_id, now=now) for session_id in list(sessions))
