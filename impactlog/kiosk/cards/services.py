"""Issuing and revoking kiosk cards, and finding the young person a scanned card names.

Whoever may change a young person's record (`personal.edit` at their home unit: the unit's
youth workers and managers) issues and revokes their card. A card is issued only while the
registration consent stands. Issuing revokes the card before, so at most one card per young
person works. The audit trail says that a card was issued, revoked or printed, never its secret.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.kiosk.cards import payload
from impactlog.kiosk.cards.models import KioskCard
from impactlog.participants.models import Participant
from impactlog.participants.services import consented_in, locked_participant, organisation_of
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User

# At most this many cards on one sheet (twelve A4 pages of eight).
MAX_SHEET = 96


@dataclass(frozen=True)
class IssuedCard:
    """A live card with the text of its QR code (made again from the salt: not stored)."""

    card: KioskCard
    participant: Participant
    text: str


def text_of(card: KioskCard) -> str:
    return payload.payload_of(card.organisation_id, card.salt).text


def live_card(participant: Participant) -> KioskCard | None:
    # the card of a young person the caller authorised
    return KioskCard.all_objects.filter(participant=participant, revoked_at__isnull=True).first()


def _may_hold_a_card(participant: Participant) -> bool:
    return (
        participant.anonymised_at is None
        and consented_in(participant.organisation).filter(pk=participant.pk).exists()
    )


def _issue(actor: User | None, participant: Participant, now: dt.datetime) -> IssuedCard:
    current = locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    if not _may_hold_a_card(current):
        raise ValidationError(
            _("A card is only issued to a young person whose registration consent stands.")
        )
    # the cards of the young person authorised above
    replaced = KioskCard.all_objects.filter(participant=current, revoked_at__isnull=True).update(
        revoked_at=now
    )
    salt = payload.new_salt()
    made = payload.payload_of(current.organisation_id, salt)
    # created under the object authorised above, in this service's transaction
    card = KioskCard.all_objects.create(
        participant=current,
        organisation=current.organisation,
        salt=salt,
        secret_hash=made.secret_hash,
        issued_at=now,
        issued_by=actor,
    )
    audit.record(
        actor,
        AuditAction.KIOSK_CARD_ISSUED,
        current,
        node=current.unit,
        changes={"card": card.pk, "replaced": bool(replaced)},
    )
    return IssuedCard(card, current, made.text)


@service
def issue_card(
    actor: User | None, participant: Participant, *, now: dt.datetime | None = None
) -> IssuedCard:
    """A new card for a young person; the card they had stops working."""
    return _issue(actor, participant, now or timezone.now())


@service
def issue_cards(
    actor: User | None, unit: Node, chosen: list[Participant], *, now: dt.datetime | None = None
) -> list[IssuedCard]:
    """Cards for those of `chosen`, young people of `unit`, who have none: all or none."""
    now = now or timezone.now()
    # re-read the object the caller named; authorize() below decides
    unit = Node.all_objects.get(pk=unit.pk)
    authorize(actor, Perm.EDIT_PERSONAL, unit)
    if not chosen:
        raise ValidationError({"participants": _("Choose at least one young person.")})
    if any(participant.unit_id != unit.pk for participant in chosen):
        raise ValidationError({"participants": _("Choose young people of this unit.")})
    holding = set(
        # the chosen are checked to be of the unit authorised above
        KioskCard.all_objects.filter(participant__in=chosen, revoked_at__isnull=True).values_list(
            "participant", flat=True
        )
    )
    return [
        _issue(actor, participant, now)
        for participant in sorted(chosen, key=lambda p: (p.alias_key, p.pk))
        if participant.pk not in holding
    ]


@service
def view_sheet(actor: User | None, unit: Node, chosen: list[int] | None = None) -> list[IssuedCard]:
    """The live cards of the unit's young people (or of those `chosen`), by alias, to print.

    Showing them is a view of each record: one audit entry per card shown. Four queries."""
    # re-read the object the caller named; authorize() below decides
    unit = Node.all_objects.get(pk=unit.pk)
    authorize(actor, Perm.VIEW_PERSONAL, unit)
    found = (
        # filtered to the unit authorised above
        KioskCard.all_objects.filter(
            revoked_at__isnull=True,
            participant__unit=unit,
            participant__in=consented_in(organisation_of(unit)).filter(anonymised_at__isnull=True),
        )
        .select_related("participant")
        .order_by("participant__alias_key", "participant__pk")
    )
    if chosen is not None:
        found = found.filter(participant__in=chosen)
    shown = [IssuedCard(card, card.participant, text_of(card)) for card in found[:MAX_SHEET]]
    audit.record_each(
        actor, AuditAction.KIOSK_CARD_PRINTED, [c.participant for c in shown], node=unit
    )
    return shown


@service
def revoke_card(
    actor: User | None, participant: Participant, *, now: dt.datetime | None = None
) -> KioskCard:
    """Stop a young person's card (lost, or no longer wanted)."""
    current = locked_participant(participant)
    authorize(actor, Perm.EDIT_PERSONAL, current)
    card = live_card(current)
    if card is None:
        raise ValidationError(_("This young person has no card to revoke."))
    card.revoked_at = now or timezone.now()
    card.save(update_fields=["revoked_at"])
    audit.record(
        actor, AuditAction.KIOSK_CARD_REVOKED, current, node=current.unit, changes={"card": card.pk}
    )
    return card


def revoke_on_anonymising(participant: Participant, now: dt.datetime) -> None:
    """An anonymised record holds no card (registered as an anonymiser in kiosk.retention)."""
    # system code: part of the young person's anonymising, authorised by its caller
    KioskCard.all_objects.filter(participant=participant, revoked_at__isnull=True).update(
        revoked_at=now
    )


# Reading a card at the kiosk.


def card_holder(device_node: Node, text: str) -> Participant:
    """The young person whose live card a kiosk of `device_node` scanned; a ValidationError
    under `card` (nothing stored) for anything else. System code: the device was authorised."""
    found = payload.parse(text)
    if found is None:
        raise ValidationError({"card": _("This is not a kiosk card.")})
    organisation = organisation_of(device_node)
    if found.organisation_id != organisation.pk:
        raise ValidationError({"card": _("This card belongs to another organisation.")})
    card = (
        # the secret is the credential: found by it, in the device's organisation only
        KioskCard.all_objects.filter(
            secret_hash=found.secret_hash, organisation=organisation, revoked_at__isnull=True
        ).first()
    )
    holder = (
        consented_in(organisation)
        .filter(pk=card.participant_id, anonymised_at__isnull=True)
        .first()
        if card is not None
        else None
    )
    if holder is None:
        raise ValidationError(
            {"card": _("This card is not valid any more: ask a youth worker for a new one.")}
        )
    return holder
