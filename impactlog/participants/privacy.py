"""Privacy duties towards young people: anonymisation, erasure on request, retention and the
subject access export (docs/privacy.md, "Anonymisation, erasure and retention").

Anonymising takes the identity and leaves what the anonymous counts need: the home unit and
organisation, the year of birth, the gender category, when they were registered, and the facts of
each consent (kind, giver, method, notice version, dates). Other apps that keep something about
a participant (the kiosk's check-ins, say) add to it with `@anonymiser`, `@activity` and
`@export_part` instead of changing this module:

    @privacy.anonymiser
    def _forget_check_ins(participant, now): ...

    @privacy.activity
    def _last_check_in():  # the latest moment of activity for OuterRef("pk"), or NULL
        # a subquery on young people, scoped by the outer query
        return Subquery(CheckIn.all_objects.filter(participant=OuterRef("pk"))...)

    @privacy.export_part("kiosk_cards", template="kiosk/export_part.html")
    def _cards(participant):  # added to the subject access export under its key
        return [...]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.db.models import DateTimeField, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.participants.models import Consent, Participant
from impactlog.participants.services import (
    PLACEHOLDER_PREFIX,
    locked_participant,
    organisation_of,
    settings_of,
)
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry, Node
from impactlog.tenancy.permissions import authorize, has_perm, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

# What anonymising clears on the participant itself, and to what.
CLEARED: dict[str, Any] = {
    "birth_month": None,
    "gender_text": "",
    "home_area": None,
    "status": "",
    "languages": [],
    "real_name": "",
    "email": "",
    "phone": "",
    "guardian_email": "",
}


Anonymiser = Callable[[Participant, dt.datetime], None]
ActivityMark = Callable[[], Any]
ANONYMISERS: list[Anonymiser] = []
ACTIVITY: list[ActivityMark] = []


def anonymiser(func: Anonymiser) -> Anonymiser:
    """Register what else to remove when a participant is anonymised (runs in its transaction)."""
    ANONYMISERS.append(func)
    return func


def activity(func: ActivityMark) -> ActivityMark:
    """Register an expression giving a participant's latest activity of one kind (or NULL)."""
    ACTIVITY.append(func)
    return func


ExportPart = Callable[[Participant], Any]
# What other apps add to the subject access export: key -> function(participant) returning
# JSON-able data, and the template (given `data`) that shows it in the PDF, if any.
EXPORT_PARTS: dict[str, ExportPart] = {}
EXPORT_TEMPLATES: dict[str, str] = {}
# What of a part the young person's own download leaves out (their personal link's "my data"):
# key -> function(part's data) returning what they may see of it themselves.
OWN_VIEWS: dict[str, Callable[[Any], Any]] = {}


def export_part(
    key: str, *, template: str = "", own: Callable[[Any], Any] | None = None
) -> Callable[[ExportPart], ExportPart]:
    """Register what else the subject access export holds about a participant, under `key`;
    `own`, if given, is what the young person's own download keeps of it."""

    def register(func: ExportPart) -> ExportPart:
        EXPORT_PARTS[key] = func
        if template:
            EXPORT_TEMPLATES[key] = template
        if own is not None:
            OWN_VIEWS[key] = own
        return func

    return register


def as_they_see_it(export: dict[str, Any]) -> dict[str, Any]:
    """The export as the young person's own download shows it: each part as it is on their own
    pages (what a worker keeps private, such as a note not shared, is given on a formal request,
    through the worker's download)."""
    return {
        key: OWN_VIEWS[key](value) if key in OWN_VIEWS else value for key, value in export.items()
    }


@anonymiser
def _consents_lose_who(participant: Participant, now: dt.datetime) -> None:
    """Consents keep their facts; who recorded them goes, and none stays in force."""
    # system code: part of the young person's anonymising, authorised by its caller
    consents = Consent.all_objects.filter(participant=participant)
    consents.update(recorded_by=None)
    consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)


@anonymiser
def _forget_dedup_hash(participant: Participant, now: dt.datetime) -> None:
    """The keyed hash of the name goes with the name: the record counts once per record."""
    if participant.dedup_hash:
        participant.dedup_hash = ""
        participant.save(update_fields=["dedup_hash"])


@activity
def _record_changed() -> Any:
    return F("updated_at")


@activity
def _consent_given() -> Any:
    return Subquery(
        # a subquery on young people, scoped by the outer query
        Consent.all_objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(latest=Max("given_at"))
        .values("latest"),
        output_field=DateTimeField(),
    )


def with_last_activity(participants: QuerySet[Participant]) -> QuerySet[Participant]:
    """Annotate `last_active`: the latest registration, change, consent or other activity."""
    marks = [
        Coalesce(mark(), F("registered_at"), output_field=DateTimeField()) for mark in ACTIVITY
    ]
    return participants.annotate(
        last_active=Greatest(F("registered_at"), *marks, output_field=DateTimeField())
    )


def inactive_since(
    participants: QuerySet[Participant], cutoff: dt.datetime
) -> QuerySet[Participant]:
    """The participants not yet anonymised with no activity since `cutoff`."""
    active = with_last_activity(participants.filter(anonymised_at__isnull=True))
    return active.filter(last_active__lt=cutoff)  # type: ignore[misc]  # an annotation


def months_before(moment: dt.datetime, months: int) -> dt.datetime:
    """The same day and time `months` calendar months earlier (the last day of a shorter month)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last_day = (following - dt.timedelta(days=1)).day
    return moment.replace(year=year, month=month, day=min(moment.day, last_day))


def placeholder(participant: Participant) -> str:
    return f"{PLACEHOLDER_PREFIX}{participant.pk}"


def _anonymise(participant: Participant, now: dt.datetime, reason: str, actor: User | None) -> None:
    """Remove the identity of a locked participant; the caller authorised it."""
    participant.alias = participant.alias_key = placeholder(participant)
    for name, value in CLEARED.items():
        setattr(participant, name, value)
    participant.anonymised_at = now
    participant.stopped_at = participant.stopped_at or now
    participant.save()
    for hook in ANONYMISERS:
        hook(participant, now)
    # Nothing of the record: the audit trail says that it happened and why.
    audit.record(
        actor,
        AuditAction.PARTICIPANT_ANONYMISED,
        participant,
        node=participant.unit,
        changes={"reason": reason},
    )


@service
def erase_participant(
    actor: User | None, participant: Participant, *, now: dt.datetime | None = None
) -> Participant:
    """Erase a young person's identity at their request. Erasing again changes nothing."""
    current = locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    if current.anonymised_at is None:
        _anonymise(current, now or timezone.now(), "request", actor)
    return current


# Retention.


def retention_cutoff(organisation: Node, now: dt.datetime) -> dt.datetime | None:
    months = settings_of(organisation).retention_months
    return None if months is None else months_before(now, months)


def due_for_retention(organisation: Node, now: dt.datetime) -> QuerySet[Participant]:
    """Who the next run anonymises in `organisation` (none when retention is off)."""
    cutoff = retention_cutoff(organisation, now)
    if cutoff is None:
        # system code: the retention run; callers authorise the organisation
        return Participant.all_objects.none()
    # system code: the retention run; callers authorise the organisation
    return inactive_since(Participant.all_objects.filter(organisation=organisation), cutoff)


def retention_preview(actor: User | None, node: Node, now: dt.datetime) -> dict[str, Any]:
    """What the next run would anonymise, for the organisation's keeper. Writes nothing."""
    # re-read the object the caller named; authorize() below decides
    organisation = organisation_of(Node.all_objects.get(pk=node.pk))
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    due = list(due_for_retention(organisation, now).select_related("unit").order_by("alias", "pk"))
    # An alias is personal data: named only to those who may see the unit's records.
    readable = {
        unit.pk for unit in {p.unit for p in due} if has_perm(actor, Perm.VIEW_PERSONAL, unit)
    }
    return {
        "organisation": organisation,
        "cutoff": retention_cutoff(organisation, now),
        "count": len(due),
        "named": [p for p in due if actor is None or p.unit_id in readable],
        "now": now,
    }


@service
def apply_retention(actor: User | None, organisation: Node, now: dt.datetime) -> int:
    """Anonymise the organisation's young people inactive past its retention period."""
    # re-read the object the caller named; authorize() below decides
    organisation = Node.all_objects.get(pk=organisation.pk)
    authorize(actor, Perm.MANAGE_STRUCTURE, organisation)
    count = 0
    for found in due_for_retention(organisation, now).select_for_update():
        _anonymise(locked_participant(found), now, "retention", actor)
        count += 1
    return count


def apply_retention_everywhere(now: dt.datetime | None = None) -> int:
    """The scheduled run (system code): every organisation that keeps young people's records."""
    now = now or timezone.now()
    keepers = (
        # system code: the scheduled retention run, over every organisation
        Participant.all_objects.filter(anonymised_at__isnull=True)
        .values_list("organisation", flat=True)
        .distinct()
    )
    return sum(
        apply_retention(None, organisation, now)
        # system code: the scheduled retention run, over every organisation
        for organisation in Node.all_objects.filter(pk__in=list(keepers))
    )


# Subject access.


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _audit_about(participant: Participant, consent_ids: list[int]) -> QuerySet[AuditEntry]:
    # the audit trail of the young person subject_access authorised
    return AuditEntry.all_objects.filter(
        Q(object_type="participants.participant", object_id=str(participant.pk))
        | Q(object_type="participants.consent", object_id__in=[str(i) for i in consent_ids])
    ).order_by("at", "pk")


@service
def subject_access(
    actor: User | None, participant: Participant, language: str, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything held about one young person (keys in docs/privacy.md); audited as a view."""
    # re-read the object the caller named; authorize() below decides
    current = Participant.all_objects.select_related("unit", "organisation", "home_area").get(
        pk=participant.pk
    )
    authorize(actor, Perm.VIEW_PERSONAL, current)
    consents = list(
        # the consents of the young person authorised above
        Consent.all_objects.filter(participant=current)
        .select_related("notice")
        .order_by("given_at", "pk")
    )
    entries = _audit_about(current, [c.pk for c in consents])
    export = {
        "format": "impactlog.subject-access",
        "version": 1,
        "exported_at": _iso(now or timezone.now()),
        "language": language,
        "organisation": current.organisation.name,
        "unit": current.unit.name,
        "participant": {
            "id": current.pk,
            "alias": current.alias,
            "birth_year": current.birth_year,
            "birth_month": current.birth_month,
            "gender": current.gender,
            "gender_text": current.gender_text,
            "home_area": current.home_area.name if current.home_area else None,
            "status": current.status,
            "languages": list(current.languages),
            "real_name": current.real_name,
            "email": current.email,
            "phone": current.phone,
            "guardian_email": current.guardian_email,
            "registered_at": _iso(current.registered_at),
            "updated_at": _iso(current.updated_at),
            "stopped_at": _iso(current.stopped_at),
            "anonymised_at": _iso(current.anonymised_at),
            # That a keyed hash exists, not its value: it identifies nobody to the young person,
            # and its value would only serve linking (docs/privacy.md).
            "deduplicated_across_organisations": bool(current.dedup_hash),
        },
        "consents": [
            {
                "id": consent.pk,
                "kind": consent.kind,
                "given_by": consent.given_by,
                "method": consent.method,
                "given_at": _iso(consent.given_at),
                "withdrawn_at": _iso(consent.withdrawn_at),
                "notice_version": consent.notice.version,
                "notice_text": consent.notice.text_in(language),
            }
            for consent in consents
        ],
        "audit": [
            {
                "at": _iso(entry.at),
                "action": entry.action,
                "action_label": audit.action_label(entry.action),
                "by": entry.actor_label or _("the system"),
                "object_type": entry.object_type,
                "object_id": entry.object_id,
                "changes": entry.changes,
            }
            for entry in entries
        ],
    }
    for key, part in EXPORT_PARTS.items():
        if key in export:
            raise ValueError(f"The export part {key!r} would replace a key of the export.")
        export[key] = part(current)
    audit.record(actor, AuditAction.PARTICIPANT_EXPORTED, current, node=current.unit)
    return export
