"""Personal QR cards for the kiosk: issuing, reissuing and revoking them, checking in with one,
and the clear answers to a card that is not valid, of another organisation, or not a card."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.accounts.models import User
from impactlog.kiosk import services
from impactlog.kiosk.cards import payload
from impactlog.kiosk.cards import services as cards
from impactlog.kiosk.cards.models import KioskCard
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.kiosk.services import CheckInInput, Kind
from impactlog.logbook.models import Activity, Session
from impactlog.participants import privacy
from impactlog.participants import services as participants
from impactlog.participants.models import Participant
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import publish, register

NOT_VALID = "This card is not valid any more: ask a youth worker for a new one."


@pytest.fixture
def notice(world: World):  # type: ignore[no-untyped-def]
    return publish(world.region)


@pytest.fixture
def kiosk(maria: User, drop_in: Activity) -> tuple[KioskDevice, str]:
    _pairing, code = services.create_pairing_code(maria, drop_in)
    return services.pair_device(code, "Front desk")


@pytest.fixture
def fox(world: World, walter: User, notice: object) -> Participant:
    return register(walter, world.harbour, "Fox", birth_year=2012, birth_month=1)


def scan(token: str, text: str, number: int = 1) -> services.CheckInResult:
    return services.check_in(
        token, CheckInInput(sequence=number, key=uuid.uuid4().hex, kind=Kind.CARD, card=text)
    )


def refused(token: str, text: str) -> str:
    with pytest.raises(ValidationError) as raised:
        scan(token, text)
    assert set(raised.value.message_dict) == {"card"}
    return " ".join(raised.value.message_dict["card"])


def nothing_counted() -> None:
    with unscoped():
        assert not CheckIn.all_objects.exists()
        assert not Session.all_objects.exists()


# Issuing and revoking.


def test_a_card_checks_its_young_person_in(
    walter: User, fox: Participant, kiosk: tuple, drop_in: Activity
) -> None:
    _device, token = kiosk
    issued = cards.issue_card(walter, fox)
    assert issued.text.startswith(f"IL1-{fox.organisation_id}-")
    result = scan(token, issued.text)
    assert result.checkin.participant_id == fox.pk
    assert (result.checkin.gender, result.checkin.age_band) == ("girls", "13_15")
    # Scanners may hand over the text in small letters, with a line break after it.
    again = scan(token, issued.text.lower() + "\n", number=2)
    assert again.checkin.participant_id == fox.pk


def test_only_the_secrets_hash_is_stored_and_the_audit_trail_keeps_no_secret(
    walter: User, fox: Participant
) -> None:
    issued = cards.issue_card(walter, fox)
    secret = issued.text.rsplit("-", 1)[1]
    with unscoped():
        card = KioskCard.all_objects.get()
        entries = list(AuditEntry.objects.filter(action=AuditAction.KIOSK_CARD_ISSUED))
    assert secret not in card.secret_hash and len(card.secret_hash) == 64
    assert card.issued_by == walter and card.revoked_at is None
    assert len(entries) == 1 and entries[0].object_type == "participants.participant"
    assert secret not in str(entries[0].changes) and "Fox" not in str(entries[0].changes)
    assert "Fox" not in entries[0].object_repr


def test_reissuing_stops_the_card_before(walter: User, fox: Participant, kiosk: tuple) -> None:
    _device, token = kiosk
    first = cards.issue_card(walter, fox)
    second = cards.issue_card(walter, fox)
    with unscoped():
        assert KioskCard.all_objects.filter(participant=fox, revoked_at__isnull=True).count() == 1
    assert refused(token, first.text) == NOT_VALID
    assert scan(token, second.text).checkin.participant_id == fox.pk


def test_a_revoked_card_is_not_valid(walter: User, fox: Participant, kiosk: tuple) -> None:
    _device, token = kiosk
    issued = cards.issue_card(walter, fox)
    cards.revoke_card(walter, fox)
    assert refused(token, issued.text) == NOT_VALID
    nothing_counted()
    with pytest.raises(ValidationError):
        cards.revoke_card(walter, fox)  # nothing left to revoke
    with unscoped():
        assert AuditEntry.objects.filter(action=AuditAction.KIOSK_CARD_REVOKED).count() == 1


def test_one_live_card_per_young_person_is_kept_by_the_database(
    walter: User, fox: Participant
) -> None:
    from django.db import IntegrityError, transaction

    issued = cards.issue_card(walter, fox)
    with unscoped(), pytest.raises(IntegrityError), transaction.atomic():
        KioskCard.all_objects.create(
            participant=fox,
            organisation=issued.card.organisation,
            secret_hash="0" * 64,
            issued_at=NOW,
        )


@pytest.mark.parametrize("who", ["alice", "carl", "vera", "otto"])
def test_only_who_may_change_the_record_issues_and_revokes(
    who: str, request: pytest.FixtureRequest, walter: User, fox: Participant
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        cards.issue_card(actor, fox)
    cards.issue_card(walter, fox)
    with pytest.raises(PermissionDenied):
        cards.revoke_card(actor, fox)
    with unscoped():
        assert KioskCard.all_objects.filter(revoked_at__isnull=True).count() == 1


def test_a_manager_of_the_unit_issues_cards_too(maria: User, fox: Participant) -> None:
    assert cards.issue_card(maria, fox).card.issued_by == maria


def test_no_card_without_a_standing_registration_consent(walter: User, fox: Participant) -> None:
    with unscoped():
        consent = participants.active_registration(fox)
    participants.withdraw_consent(walter, consent)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="registration consent"):
        cards.issue_card(walter, fox)
    with unscoped():
        assert not KioskCard.all_objects.exists()


def test_cards_for_those_of_the_unit_who_have_none(
    world: World, walter: User, fox: Participant
) -> None:
    owl = register(walter, world.harbour, "Owl")
    hare = register(None, world.hill, "Hare")
    kept = cards.issue_card(walter, fox)
    issued = cards.issue_cards(walter, world.harbour, [owl, fox])
    assert [i.participant.alias for i in issued] == ["Owl"]
    assert cards.live_card(fox) == kept.card  # Fox keeps the card they have
    with pytest.raises(ValidationError):
        cards.issue_cards(walter, world.harbour, [hare])  # not of this unit
    with pytest.raises(ValidationError):
        cards.issue_cards(walter, world.harbour, [])
    with unscoped():
        assert not KioskCard.all_objects.filter(participant=hare).exists()


def test_the_sheet_prints_the_same_cards_again_and_audits_each_view(
    world: World,
    walter: User,
    fox: Participant,
    kiosk: tuple,
    request: pytest.FixtureRequest,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    _device, token = kiosk
    owl = register(walter, world.harbour, "Owl")
    gone = register(walter, world.harbour, "Gone")
    issued = {
        i.participant.pk: i.text for i in cards.issue_cards(walter, world.harbour, [fox, owl, gone])
    }
    privacy.erase_participant(walter, gone)
    # The unit, the actor's roles, the organisation, the cards, the audit entries; a savepoint.
    with django_assert_num_queries(6):
        sheet = cards.view_sheet(walter, world.harbour)
    assert [(c.participant.alias, c.text) for c in sheet] == [
        ("Fox", issued[fox.pk]),
        ("Owl", issued[owl.pk]),
    ]
    assert cards.view_sheet(walter, world.harbour, [owl.pk])[0].participant == owl
    more = [register(walter, world.harbour, f"Lynx {n}") for n in range(4)]
    cards.issue_cards(walter, world.harbour, more)
    with django_assert_num_queries(6):
        assert len(cards.view_sheet(walter, world.harbour)) == 6
    assert scan(token, sheet[1].text).checkin.participant_id == owl.pk  # printed again: it works
    with unscoped():
        entries = AuditEntry.objects.filter(action=AuditAction.KIOSK_CARD_PRINTED)
        seen = Counter(e.object_id for e in entries)
        assert seen == {str(fox.pk): 2, str(owl.pk): 3} | {str(p.pk): 1 for p in more}
        assert all(e.values_perm == "personal.view" and e.node == world.harbour for e in entries)
    for who in ("alice", "carl", "vera", "otto"):
        with pytest.raises(PermissionDenied):
            cards.view_sheet(request.getfixturevalue(who), world.harbour)


# The cards a kiosk refuses: a clear answer under "card", nothing stored.


@pytest.mark.parametrize(
    "text",
    ["", "hello", "IL1-", "IL1-1", "IL2-1-AAAAAAAAAAAAAAAAAAAA", "IL1-x-AAAAAAAAAAAAAAAAAAAA",
     "IL1-0-AAAAAAAAAAAAAAAAAAAA", "IL1-1-AAAA", "IL1-1-AAAAAAAAAAAAAAAAAAA0", "IL1-1-A-B",
     "IL1-١-AAAAAAAAAAAAAAAAAAAA", "https://example.org/IL1-1-AAAAAAAAAAAAAAAAAAAA", "\x00" * 500],
)  # fmt: skip
def test_garbled_text_is_not_a_kiosk_card(notice: object, kiosk: tuple, text: str) -> None:
    _device, token = kiosk
    assert refused(token, text) == "This is not a kiosk card."
    nothing_counted()


def test_a_card_of_another_organisation_says_so(
    world: World, walter: User, fox: Participant, otto: User
) -> None:
    """Fox's card shown at the other organisation's kiosk, and a made-up card naming another."""
    issued = cards.issue_card(walter, fox)
    publish(world.other_org)
    with unscoped():
        activity = Activity.all_objects.create(node=world.other_club, name="Games")
    # Otto (an administrator) has no kiosk right there: the system pairs the tablet.
    _pairing, code = services.create_pairing_code(None, activity)
    _device, token = services.pair_device(code, "Club desk")
    assert refused(token, issued.text) == "This card belongs to another organisation."
    nothing_counted()


def test_an_unknown_card_of_the_organisation_is_not_valid(
    world: World, notice: object, kiosk: tuple
) -> None:
    _device, token = kiosk
    made_up = payload.payload_of(world.region.pk, payload.new_salt()).text
    assert refused(token, made_up) == NOT_VALID
    nothing_counted()


def test_withdrawn_consent_stops_the_card(walter: User, fox: Participant, kiosk: tuple) -> None:
    _device, token = kiosk
    issued = cards.issue_card(walter, fox)
    with unscoped():
        consent = participants.active_registration(fox)
    participants.withdraw_consent(walter, consent)  # type: ignore[arg-type]
    assert refused(token, issued.text) == NOT_VALID
    nothing_counted()


def test_anonymising_revokes_the_card(walter: User, fox: Participant, kiosk: tuple) -> None:
    _device, token = kiosk
    issued = cards.issue_card(walter, fox)
    privacy.erase_participant(walter, fox)
    with unscoped():
        assert KioskCard.all_objects.get().revoked_at is not None
    assert refused(token, issued.text) == NOT_VALID
    with pytest.raises(ValidationError):
        cards.issue_card(walter, fox)


# Privacy duties.


def test_the_subject_access_export_says_which_cards_were_given_never_their_secret(
    walter: User, fox: Participant
) -> None:
    from django.utils import translation

    from impactlog.participants.export_pdf import html_of

    first = cards.issue_card(walter, fox)
    second = cards.issue_card(walter, fox)
    export = privacy.subject_access(walter, fox, "en")
    assert [c["id"] for c in export["kiosk_cards"]] == [first.card.pk, second.card.pk]
    assert export["kiosk_cards"][0]["revoked_at"] is not None
    assert export["kiosk_cards"][1]["revoked_at"] is None
    flat = str(export)
    for issued in (first, second):
        assert issued.text.rsplit("-", 1)[1] not in flat
        assert issued.card.secret_hash not in flat
    with translation.override("en"):
        assert "Kiosk cards" in html_of(export)
