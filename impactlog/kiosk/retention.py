"""What the kiosk adds to the young people's privacy duties (participants/privacy.py): a check-in
is activity, so a young person who keeps coming is not anonymised for being inactive. Their
check-ins stay as they are when they are anonymised: they hold the counted gender and age band
and the (then anonymous) record, nothing that names them. Anonymising revokes their kiosk card,
and the subject access export says which cards they were given (never a card's secret)."""

from __future__ import annotations

from typing import Any

from django.db.models import DateTimeField, Max, OuterRef, Subquery

from impactlog.kiosk.cards.models import KioskCard
from impactlog.kiosk.cards.services import revoke_on_anonymising
from impactlog.kiosk.models import CheckIn
from impactlog.participants import privacy
from impactlog.participants.models import Participant


@privacy.activity
def _last_check_in() -> Any:
    return Subquery(
        # system code: part of the retention query, over every check-in of the participant
        CheckIn.all_objects.filter(participant=OuterRef("pk"))
        .order_by()
        .values("participant")
        .annotate(latest=Max("received_at"))
        .values("latest"),
        output_field=DateTimeField(),
    )


# An anonymised record holds no card: its card stops working.
privacy.anonymiser(revoke_on_anonymising)


@privacy.export_part("kiosk_cards", template="kiosk/export_part.html")
def _kiosk_cards(participant: Participant) -> list[dict[str, Any]]:
    # system code: part of the young person's export or erasure, authorised by its caller
    cards = KioskCard.all_objects.filter(participant=participant).order_by("issued_at", "pk")
    return [
        {
            "id": card.pk,
            "issued_at": card.issued_at.isoformat(),
            "revoked_at": card.revoked_at.isoformat() if card.revoked_at else None,
        }
        for card in cards
    ]
