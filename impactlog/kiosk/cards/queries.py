"""What the cards pages read, in a fixed number of queries."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from impactlog.kiosk.cards.models import KioskCard
from impactlog.participants.models import Participant
from impactlog.participants.services import consented_in, organisation_of
from impactlog.tenancy.models import Node


def card_holders(unit: Node) -> QuerySet[Participant]:
    """The unit's young people who may hold a card (registration consent standing), by alias,
    with `card_issued`: when their live card was issued, or None. One query."""
    # a subquery on the unit's young people, scoped by the outer query
    live = KioskCard.all_objects.filter(participant=OuterRef("pk"), revoked_at__isnull=True)
    return (
        consented_in(organisation_of(unit))
        .filter(unit=unit, anonymised_at__isnull=True)
        .annotate(card_issued=Subquery(live.values("issued_at")[:1]))
        .order_by("alias_key", "pk")
    )


def without_card(unit: Node) -> QuerySet[Participant]:
    """Those of `card_holders` who have no live card."""
    return card_holders(unit).filter(card_issued__isnull=True)  # type: ignore[misc]  # annotated
