"""Read-side functions of the registry's pages, each with a fixed number of queries."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from impactlog.participants.models import Consent, ConsentKind, Participant, alias_key_of
from impactlog.tenancy.models import Node


def participants_of(unit: Node, search: str = "") -> QuerySet[Participant]:
    """The unit's young people by alias, with their home area and whether photos may be used:
    one query per page of the list, whatever its length."""
    photos = Consent.objects.filter(
        participant=OuterRef("pk"), kind=ConsentKind.PHOTOS, withdrawn_at__isnull=True
    )
    found = Participant.objects.filter(unit=unit).select_related("home_area")
    key = alias_key_of(search)
    if key:
        # An anonymised record is not found by any alias, old or placeholder.
        found = found.filter(alias_key__contains=key, anonymised_at__isnull=True)
    return found.annotate(photos=Exists(photos)).order_by("alias", "pk")


def participant_at(unit: Node, pk: int) -> Participant | None:
    return Participant.objects.filter(unit=unit, pk=pk).first()


def consents_of(participant: Participant) -> QuerySet[Consent]:
    return Consent.objects.filter(participant=participant).select_related("notice", "recorded_by")
