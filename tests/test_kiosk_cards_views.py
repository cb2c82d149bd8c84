"""The pages of kiosk cards: a young person's card on their page, the unit's cards, and the
sheet to print (HTML and PDF), each view of which is audited."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk.cards import services as cards
from impactlog.kiosk.cards.models import KioskCard
from impactlog.kiosk.cards.sheet import qr_svg
from impactlog.participants.models import Participant
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import publish, register


@pytest.fixture
def fox(world: World, walter: User) -> Participant:
    publish(world.region)
    return register(walter, world.harbour, "Fox")


def printed_views() -> int:
    with unscoped():
        return AuditEntry.objects.filter(action=AuditAction.KIOSK_CARD_PRINTED).count()


def test_a_worker_issues_and_revokes_a_card_from_the_young_persons_page(
    world: World, walter: User, fox: Participant, login: Any
) -> None:
    client: Client = login(walter)
    detail = reverse("participants:detail", args=[world.harbour.pk, fox.pk])
    page = client.get(detail).content.decode()
    assert "No card: they check in by their alias." in page and "Issue a card" in page
    response = client.post(reverse("cards:issue", args=[world.harbour.pk, fox.pk]))
    assert response.status_code == 302 and response["Location"] == detail
    page = client.get(detail).content.decode()
    assert "Print the card" in page and "Revoke the card" in page
    assert cards.live_card(fox) is not None
    client.post(reverse("cards:revoke", args=[world.harbour.pk, fox.pk]))
    assert cards.live_card(fox) is None
    again = client.post(reverse("cards:revoke", args=[world.harbour.pk, fox.pk]), follow=True)
    assert "This young person has no card to revoke." in again.content.decode()


def test_the_unit_page_issues_cards_to_those_without_one(
    world: World, walter: User, fox: Participant, login: Any
) -> None:
    owl = register(walter, world.harbour, "Owl")
    kept = cards.issue_card(walter, fox)
    client: Client = login(walter)
    page = client.get(reverse("cards:unit", args=[world.harbour.pk])).content.decode()
    assert "Issue a card to the 1 young person without one" in page
    response = client.post(reverse("cards:issue_missing", args=[world.harbour.pk]), follow=True)
    assert "1 card is issued." in response.content.decode()
    assert cards.live_card(fox) == kept.card and cards.live_card(owl) is not None


def test_the_sheet_shows_each_cards_qr_code_and_is_audited(
    world: World, walter: User, fox: Participant, login: Any
) -> None:
    issued = cards.issue_card(walter, fox)
    client: Client = login(walter)
    response = client.get(reverse("cards:sheet", args=[world.harbour.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Fox" in page and "Riverside Municipality" in page and str(qr_svg(issued.text)) in page
    assert "show this code to the kiosk" in page
    assert "<style" not in page and " style=" not in page  # CSP: styles from the stylesheet
    assert printed_views() == 1


def test_the_sheet_shows_only_the_units_live_cards(
    world: World, walter: User, maria: User, fox: Participant, login: Any
) -> None:
    hare = register(None, world.hill, "Hare")
    with unscoped():
        cards.issue_card(None, hare)
    cards.issue_card(walter, fox)
    client: Client = login(walter)
    url = reverse("cards:sheet", args=[world.harbour.pk])
    page = client.get(url, {"p": [str(hare.pk)]}).content.decode()
    assert "Hare" not in page and "0 kiosk cards to print" in page
    for hostile in (["x"], ["-1"], ["1" * 30], ["٣"]):
        assert client.get(url, {"p": hostile}).status_code == 200
    assert printed_views() == 0


def test_the_pdf_sheet(world: World, walter: User, fox: Participant, login: Any) -> None:
    cards.issue_card(walter, fox)
    client: Client = login(walter)
    response = client.get(reverse("cards:sheet_pdf", args=[world.harbour.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert printed_views() == 1


def test_the_pages_keep_to_their_query_budgets(
    world: World, walter: User, fox: Participant, login: Any
) -> None:
    client: Client = login(walter)
    counts = []
    for number in range(2):
        more = [register(walter, world.harbour, f"Lynx {number} {n}") for n in range(5)]
        cards.issue_cards(walter, world.harbour, [fox, *more])
        for name in ("cards:unit", "cards:sheet"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(reverse(name, args=[world.harbour.pk])).status_code == 200
            counts.append(len(queries))
    assert counts[:2] == counts[2:], counts
    with unscoped():
        assert KioskCard.all_objects.filter(revoked_at__isnull=True).count() == 11
