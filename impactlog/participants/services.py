"""Every change to the registry of young people: one function per action, each authorising the
object it changes, in one transaction, audited without the record's data.

Consent rules (docs/privacy.md, "Young people's records"): below the age of digital consent of
the unit's country a young person is registered only with a guardian's consent; until then they
are only counted anonymously in the logbook. Withdrawing the registration consent stops further
processing: the record can still be read (and that is audited) but nothing more is recorded
about them until a new registration consent is given. A young person's own registration consent
and a guardian's may both be held: withdrawing either withdraws the registration. An anonymised
record (impactlog.participants.privacy) is never changed or given consent again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.participants import consent as rules
from impactlog.participants import dedup, tasks
from impactlog.participants.models import (
    Consent,
    ConsentKind,
    Gender,
    GivenBy,
    HomeArea,
    Participant,
    ParticipantSettings,
    PrivacyNotice,
    alias_key_of,
    clean_alias,
)
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import ancestors

if TYPE_CHECKING:
    from impactlog.accounts.models import User

# The fields of a participant a form may set; the audit trail names the ones that changed.
FIELDS = [
    "alias",
    "birth_year",
    "birth_month",
    "gender",
    "gender_text",
    "home_area",
    "status",
    "languages",
    "real_name",
    "email",
    "phone",
    "guardian_email",
]
IDENTITY_FIELDS = {"real_name": "ask_real_name", "email": "ask_email", "phone": "ask_phone"}
KEEPERS = (NodeKind.ORGANISATION, NodeKind.REGION)
# The first character of an anonymised record's placeholder alias (privacy.placeholder).
PLACEHOLDER_PREFIX = "~"


class Unchanged:
    """The value of an argument left out: the setting stays as it is."""


UNCHANGED = Unchanged()

# The kiosk does not ask about school or work: empty until a youth worker fills it in.
KIOSK_STATUS = ""


@dataclass(frozen=True)
class GivenConsent:
    """Who consented, how and when (to the organisation's current privacy notice)."""

    given_by: str
    method: str
    given_at: dt.datetime


# Reading.


def organisation_of(node: Node) -> Node:
    """The organisation that keeps the young people's records of a place: the nearest
    organisation (or municipality, for its own centres) at or above it, else the top of the
    tree. Aliases are unique there, and its settings and privacy notice apply."""
    if node.kind in KEEPERS:
        return node
    above = ancestors(node)
    for candidate in reversed(above):
        if candidate.kind in KEEPERS:
            return candidate
    return above[0] if above else node


def settings_of(organisation: Node) -> ParticipantSettings:
    # within the organisation the caller authorised (this helper is not a way in)
    found = ParticipantSettings.all_objects.filter(owner=organisation).first()
    return found if found is not None else ParticipantSettings(owner=organisation)


def current_notice(organisation: Node) -> PrivacyNotice | None:
    # within the organisation the caller authorised (this helper is not a way in)
    return PrivacyNotice.all_objects.filter(owner=organisation).order_by("-version").first()


def home_areas(organisation: Node) -> Any:
    # within the organisation the caller authorised (this helper is not a way in)
    return HomeArea.all_objects.filter(owner=organisation)


def consented_in(organisation: Node) -> Any:
    """The organisation's young people whose registration consent stands."""
    # a subquery on the young people below, scoped by them
    live = Consent.all_objects.filter(
        participant=OuterRef("pk"), kind=ConsentKind.REGISTRATION, withdrawn_at__isnull=True
    )
    # within the organisation the caller authorised (this helper is not a way in)
    return Participant.all_objects.filter(
        Exists(live), organisation=organisation, stopped_at__isnull=True
    )


def active_registration(participant: Participant) -> Consent | None:
    return (
        # the consent of a young person the caller authorised
        Consent.all_objects.filter(
            participant=participant, kind=ConsentKind.REGISTRATION, withdrawn_at__isnull=True
        )
        .order_by("-given_at", "-pk")
        .first()
    )


# Checking.


def _birth_month(participant: Participant) -> int:
    """The month of birth, which only an anonymised record lacks (and nothing checks those)."""
    if participant.birth_month is None:
        raise ValidationError({"birth_month": _("Choose a month from 1 to 12.")})
    return participant.birth_month


def _check_consent(participant: Participant, given: GivenConsent, today: dt.date) -> None:
    """A consent is given between the young person's birth and today (a paper form may be older
    than the notice's publication here: the same notice, signed before it was put in); below the
    age of digital consent only a guardian may give it."""
    day = given.given_at.date()
    month = _birth_month(participant)
    if day > today:
        raise ValidationError({"given_on": _("The consent cannot be given in the future.")})
    if day < dt.date(participant.birth_year, month, 1):
        raise ValidationError({"given_on": _("The consent cannot be older than the young person.")})
    # The age on the day the consent was given, not the day it is recorded.
    age = rules.age_on(participant.birth_year, month, given.given_at.date())
    limit = rules.consent_age(participant.unit)
    if age < limit and given.given_by != GivenBy.GUARDIAN:
        raise ValidationError(
            {
                "given_by": _(
                    "Below %(limit)s, the age of digital consent here, a young person can be "
                    "registered only when a parent or guardian has consented. Until then, count "
                    "them in the session's head-count without a name."
                )
                % {"limit": limit}
            }
        )


def _check(participant: Participant, today: dt.date) -> None:
    """Validate a participant's values against the organisation's rules."""
    rules.check_birth(participant.birth_year, _birth_month(participant), today)
    organisation = participant.organisation
    keeps = settings_of(organisation)
    for field, switch in IDENTITY_FIELDS.items():
        if getattr(participant, field) and not getattr(keeps, switch):
            raise ValidationError(
                {field: _("This organisation does not keep this detail of young people.")}
            )
    if participant.gender != Gender.SELF:
        participant.gender_text = ""
    elif not participant.gender_text.strip():
        raise ValidationError({"gender_text": _("Write the gender in their own words.")})
    if participant.home_area is not None and participant.home_area.owner_id != organisation.pk:
        raise ValidationError({"home_area": _("Choose a home area from the list.")})
    participant.alias = clean_alias(participant.alias)
    participant.alias_key = alias_key_of(participant.alias)
    if participant.alias.startswith(PLACEHOLDER_PREFIX):
        raise ValidationError(
            {"alias": _("An alias cannot start with %(mark)s.") % {"mark": PLACEHOLDER_PREFIX}}
        )
    # alias taken in the young person's organisation (a yes or no)
    taken = Participant.all_objects.filter(
        organisation=organisation, alias_key=participant.alias_key
    ).exclude(pk=participant.pk)
    if taken.exists():
        raise ValidationError(
            {"alias": _("This alias is already taken in the organisation. Choose another one.")}
        )
    participant.full_clean(
        exclude=["organisation", "unit", "home_area"], validate_constraints=False
    )
    # Set, changed or cleared with the name and month of birth it is made of.
    participant.dedup_hash = dedup.dedup_hash(participant, keeps) or ""


def _notice_or_refuse(organisation: Node) -> PrivacyNotice:
    notice = current_notice(organisation)
    if notice is None:
        raise ValidationError(
            _(
                "The organisation has not published its privacy notice yet. An administrator "
                "publishes it on the settings page for young people's records."
            )
        )
    return notice


# Changing.


@service
def register_participant(
    actor: User | None,
    unit: Node,
    given: GivenConsent,
    *,
    today: dt.date | None = None,
    notice_language: str = "",
    **values: Any,
) -> Participant:
    """Register a young person at `unit` with their registration consent. A minor's guardian
    contact, when given, receives a notice of it after commit (in `notice_language`, else the
    unit's language)."""
    today = today or timezone.localdate()
    unit = Node.all_objects.get(pk=unit.pk)  # re-read the place the caller named
    authorize(actor, Perm.EDIT_PERSONAL, unit)
    if unit.kind != NodeKind.UNIT or unit.is_archived:
        raise ValidationError(_("Young people are registered at an open unit."))
    organisation = organisation_of(unit)
    participant = Participant(organisation=organisation, unit=unit)
    for name in FIELDS:
        if name in values:
            setattr(participant, name, values[name])
    _check(participant, today)
    notice = _notice_or_refuse(organisation)
    _check_consent(participant, given, today)
    participant.save()
    # created under the object authorised above, in this service's transaction
    consent = Consent.all_objects.create(
        participant=participant,
        kind=ConsentKind.REGISTRATION,
        given_by=given.given_by,
        notice=notice,
        method=given.method,
        given_at=given.given_at,
        recorded_by=actor,
    )
    audit.record(
        actor,
        AuditAction.PARTICIPANT_REGISTERED,
        participant,
        node=unit,
        changes={
            "fields": sorted(n for n in FIELDS if getattr(participant, n) not in ("", None, []))
        },
    )
    audit.record(
        actor, AuditAction.CONSENT_RECORDED, consent, node=unit, changes=_consent_facts(consent)
    )
    if participant.guardian_email and tasks.is_minor(participant, today):
        pk = participant.pk
        transaction.on_commit(
            lambda: tasks.send_guardian_notice.enqueue(participant_id=pk, language=notice_language)
        )
    return participant


def _consent_facts(consent: Consent) -> dict[str, Any]:
    """What the audit trail says of a consent: its kind, giver, notice version and method."""
    return {
        "kind": consent.kind,
        "given_by": consent.given_by,
        "notice_version": consent.notice.version,
        "method": consent.method,
    }


def locked_participant(participant: Participant) -> Participant:
    """The participant's row again, locked until the transaction ends."""
    return (
        # locks the record; every caller authorises what it returns
        Participant.all_objects.select_for_update()
        .select_related("unit", "organisation")
        .get(pk=participant.pk)
    )


@service
def update_participant(
    actor: User | None, participant: Participant, *, today: dt.date | None = None, **values: Any
) -> Participant:
    today = today or timezone.localdate()
    current = locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    _refuse_stopped(current)
    before = audit.snapshot(current, FIELDS)
    for name in FIELDS:
        if name in values:
            setattr(current, name, values[name])
    _check(current, today)
    current.save()
    changed = sorted(audit.diff(before, audit.snapshot(current, FIELDS)))
    if changed:
        # Which fields changed, never their values.
        audit.record(
            actor,
            AuditAction.PARTICIPANT_UPDATED,
            current,
            node=current.unit,
            changes={"fields": changed},
        )
    return current


def _refuse_anonymised(participant: Participant) -> None:
    if participant.anonymised_at is not None:
        raise ValidationError(
            _("This record is anonymised: it only counts, and nothing more is recorded in it.")
        )


def _refuse_stopped(participant: Participant) -> None:
    _refuse_anonymised(participant)
    if participant.stopped_at is not None:
        raise ValidationError(
            _(
                "The registration consent was withdrawn: nothing more is recorded about this "
                "young person unless they (or a guardian) consent again."
            )
        )


# For the other modules of the app (the personal link) that refuse the same records.
refuse_stopped = _refuse_stopped


@service
def view_participant(actor: User | None, participant: Participant) -> Participant:
    """Open a participant's record: authorised, and written to the audit trail."""
    # re-read the object the caller named; authorize() below decides
    current = Participant.all_objects.select_related("unit", "organisation", "home_area").get(
        pk=participant.pk
    )
    authorize(actor, Perm.VIEW_PERSONAL, current)
    audit.record(actor, AuditAction.PARTICIPANT_VIEWED, current, node=current.unit)
    return current


@service
def record_consent(
    actor: User | None,
    participant: Participant,
    kind: str,
    given: GivenConsent,
    *,
    today: dt.date | None = None,
) -> Consent:
    """Record a consent to the current privacy notice. A new registration consent after a
    withdrawal lets the record be used again; a photo and story consent needs a registration."""
    today = today or timezone.localdate()
    current = locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    if kind not in ConsentKind.values:
        raise ValidationError({"kind": _("Choose what the consent is for.")})
    _refuse_anonymised(current)
    if kind != ConsentKind.REGISTRATION:
        _refuse_stopped(current)
    notice = _notice_or_refuse(current.organisation)
    _check_consent(current, given, today)
    # created under the object authorised above, in this service's transaction
    consent = Consent.all_objects.create(
        participant=current,
        kind=kind,
        given_by=given.given_by,
        notice=notice,
        method=given.method,
        given_at=given.given_at,
        recorded_by=actor,
    )
    if kind == ConsentKind.REGISTRATION and current.stopped_at is not None:
        current.stopped_at = None
        current.save(update_fields=["stopped_at"])
    audit.record(
        actor,
        AuditAction.CONSENT_RECORDED,
        consent,
        node=current.unit,
        changes=_consent_facts(consent),
    )
    return consent


@service
def withdraw_consent(actor: User | None, consent: Consent) -> Consent:
    """Withdraw a consent. Withdrawing a registration consent, whoever gave it (the young person
    or a guardian), withdraws the registration: processing stops and every consent ends."""
    current = (
        # re-read the object the caller named; authorize() below decides
        Consent.all_objects.select_for_update()
        .select_related("participant__unit", "notice")
        .get(pk=consent.pk)
    )
    authorize(actor, Perm.EDIT_PERSONAL, current)
    if current.withdrawn_at is not None:
        raise ValidationError(_("This consent was withdrawn already."))
    now = timezone.now()
    current.withdrawn_at = now
    current.save(update_fields=["withdrawn_at"])
    participant = locked_participant(current.participant)
    if current.kind == ConsentKind.REGISTRATION:
        participant.stopped_at = now
        participant.save(update_fields=["stopped_at"])
        # The other registration consent, and photos and stories consented on top of the
        # registration, go with it.
        Consent.all_objects.filter(participant=participant, withdrawn_at__isnull=True).update(
            withdrawn_at=now
        )
    audit.record(
        actor,
        AuditAction.CONSENT_WITHDRAWN,
        current,
        node=participant.unit,
        changes=_consent_facts(current),
    )
    return current


@service
def update_settings(
    actor: User | None,
    organisation: Node,
    *,
    ask_real_name: bool,
    ask_email: bool,
    ask_phone: bool,
    retention_months: int | Unchanged | None = UNCHANGED,
    deduplicate: bool | Unchanged = UNCHANGED,
    new_areas: list[str] | None = None,
) -> ParticipantSettings:
    """Turn the identity fields on or off, set the retention period (None: off; left as it is
    unless given), turn counting young people once across organisations on or off (only with
    real names, and on a server with a key: impactlog.participants.dedup) and add home areas,
    all or nothing."""
    # re-read the object the caller named; authorize() below decides
    organisation = Node.all_objects.get(pk=organisation.pk)
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    # the settings of the organisation authorised above
    current, _created = ParticipantSettings.all_objects.select_for_update().get_or_create(
        owner=organisation
    )
    names = ["ask_real_name", "ask_email", "ask_phone", "retention_months", "deduplicate"]
    before = audit.snapshot(current, names)
    current.ask_real_name, current.ask_email, current.ask_phone = (
        ask_real_name,
        ask_email,
        ask_phone,
    )
    if not isinstance(retention_months, Unchanged):
        current.retention_months = retention_months
    wanted = current.deduplicate if isinstance(deduplicate, Unchanged) else deduplicate
    _check_deduplicate(current, wanted)
    current.deduplicate = wanted
    current.full_clean(exclude=["owner"])
    current.save()
    changes = audit.diff(before, audit.snapshot(current, names))
    if changes.keys() & {"ask_real_name", "deduplicate"}:
        dedup.refresh_all(current)
    if changes:
        audit.record(
            actor,
            AuditAction.PARTICIPANT_SETTINGS_CHANGED,
            current,
            node=organisation,
            changes=changes,
        )
    for name in new_areas or []:
        add_home_area(actor, organisation, name)
    return current


def _check_deduplicate(current: ParticipantSettings, deduplicate: bool) -> None:
    """Deduplication needs real names (so turning them off with it on is refused too: the hash
    is made of the name), and turning it on needs the server's key. `current` holds the new
    identity switches and the old `deduplicate`."""
    if deduplicate and not current.ask_real_name:
        raise ValidationError(
            {
                "deduplicate": _(
                    "Young people can be counted once across organisations only when their real "
                    "names are asked for."
                )
            }
        )
    if deduplicate and not current.deduplicate and not dedup.available():
        raise ValidationError(
            {
                "deduplicate": _(
                    "This server has no key for counting young people once across "
                    "organisations. Its administrator sets one first."
                )
            }
        )


@service
def add_home_area(actor: User | None, organisation: Node, name: str) -> HomeArea:
    # re-read the object the caller named; authorize() below decides
    organisation = Node.all_objects.get(pk=organisation.pk)
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    name = name.strip()
    if not name:
        raise ValidationError({"new_areas": _("Write the name of the area.")})
    limit = HomeArea._meta.get_field("name").max_length or 0
    if len(name) > limit:
        raise ValidationError(
            {
                "new_areas": _("Keep the name of an area under %(count)s characters.")
                % {"count": limit + 1}
            }
        )
    # a name taken in the organisation authorised above (a yes or no)
    if HomeArea.all_objects.filter(owner=organisation, name__iexact=name).exists():
        raise ValidationError({"new_areas": _("%(name)s is on the list already.") % {"name": name}})
    # created under the object authorised above, in this service's transaction
    area = HomeArea.all_objects.create(owner=organisation, name=name)
    audit.record(
        actor, AuditAction.HOME_AREA_ADDED, area, node=organisation, changes={"name": name}
    )
    return area


@service
def publish_notice(actor: User | None, organisation: Node, texts: dict[str, str]) -> PrivacyNotice:
    """Publish a new version of the organisation's privacy notice; earlier ones stay."""
    # re-read the object the caller named; authorize() below decides
    organisation = Node.all_objects.get(pk=organisation.pk)
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    texts = {lang: text.strip() for lang, text in texts.items() if text.strip()}
    if not texts:
        raise ValidationError(_("Write the notice in at least one language."))
    # Lock the organisation so that two publications do not take the same number.
    Node.all_objects.select_for_update().filter(pk=organisation.pk).first()
    latest = PrivacyNotice.all_objects.filter(owner=organisation).aggregate(v=Max("version"))["v"]
    notice = PrivacyNotice.all_objects.create(
        owner=organisation, version=(latest or 0) + 1, texts=texts
    )
    audit.record(
        actor,
        AuditAction.PRIVACY_NOTICE_PUBLISHED,
        notice,
        node=organisation,
        changes={"version": notice.version, "languages": sorted(texts)},
    )
    return notice
