"""The check-in kiosk: pairing, revoking, the alias search and check-ins into the session."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.accounts.models import User
from impactlog.kiosk import queries, services
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.kiosk.services import CheckInInput, DeviceRefused, Kind, TooMany
from impactlog.logbook.models import Activity, Session, SessionCount
from impactlog.participants import privacy
from impactlog.participants import services as participants
from impactlog.participants.models import GivenBy, Participant
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import publish, register


@pytest.fixture
def notice(world: World):  # type: ignore[no-untyped-def]
    return publish(world.region)


@pytest.fixture
def kiosk(maria: User, drop_in: Activity) -> tuple[KioskDevice, str]:
    _pairing, code = services.create_pairing_code(maria, drop_in)
    return services.pair_device(code, "Front desk")


def entry(number: int, kind: str = Kind.ANONYMOUS, **values: object) -> CheckInInput:
    fields: dict[str, object] = {"gender": "girls", "age_band": "13_15"} | values
    return CheckInInput(sequence=number, key=uuid.uuid4().hex, kind=kind, **fields)  # type: ignore[arg-type]


def cells(activity: Activity) -> dict[str, int]:
    with unscoped():
        session = Session.all_objects.get(activity=activity, date=NOW.date())
        return {
            f"{c.gender}/{c.age_band}": c.count
            for c in SessionCount.all_objects.filter(session=session)
        }


# Pairing and revoking.


def test_a_code_pairs_once(maria: User, drop_in: Activity) -> None:
    _pairing, code = services.create_pairing_code(maria, drop_in)
    device, token = services.pair_device(code.lower(), "Front desk")
    assert device.activity == drop_in and device.paired_by == maria
    assert token not in device.token_hash and code not in str(_pairing.code_hash)
    with pytest.raises(ValidationError):
        services.pair_device(code, "Second tablet")


def test_a_code_expires_after_ten_minutes(maria: User, drop_in: Activity) -> None:
    _pairing, code = services.create_pairing_code(maria, drop_in, now=NOW)
    with pytest.raises(ValidationError):
        services.pair_device(code, "Front desk", now=NOW + dt.timedelta(minutes=10))
    services.pair_device(code, "Front desk", now=NOW + dt.timedelta(minutes=9))


@pytest.mark.parametrize("who", ["walter", "alice", "carl", "vera", "otto"])
def test_only_a_manager_of_the_unit_makes_codes(
    who: str, request: pytest.FixtureRequest, drop_in: Activity
) -> None:
    with pytest.raises(PermissionDenied):
        services.create_pairing_code(request.getfixturevalue(who), drop_in)


def test_a_revoked_or_unknown_token_is_refused(maria: User, kiosk: tuple[KioskDevice, str]) -> None:
    device, token = kiosk
    services.revoke_device(maria, device)
    with pytest.raises(DeviceRefused):
        services.check_in(token, entry(1))
    with pytest.raises(DeviceRefused):
        services.device_for("not-a-token")
    with unscoped():
        assert AuditEntry.objects.filter(action=AuditAction.KIOSK_REVOKED).count() == 1


# The alias search.


def test_the_search_answers_consented_aliases_of_the_organisation_only(
    world: World, walter: User, notice: object, kiosk: tuple
) -> None:
    device, _token = kiosk
    register(walter, world.harbour, "Fox")
    register(walter, world.harbour, "Foxglove")
    gone = register(walter, world.harbour, "Fog")
    with unscoped():
        consent = participants.active_registration(gone)
    participants.withdraw_consent(walter, consent)  # type: ignore[arg-type]
    publish(world.other_org)
    with unscoped():
        participants.register_participant(
            None,
            world.other_club,
            services.participants.GivenConsent("young_person", "worker", NOW),
            alias="Foxtrot",
            birth_year=2008,
            birth_month=1,
            gender="boy",
            status="school",
        )
    found = queries.aliases_starting(device, "fo")
    assert [row["alias"] for row in found] == ["Fox", "Foxglove"]
    assert set(found[0]) == {"id", "alias"}
    assert queries.aliases_starting(device, "f") == []


# Check-ins.


def test_a_returning_young_person_counts_two_visits_one_visitor(
    world: World, walter: User, notice: object, kiosk: tuple, drop_in: Activity
) -> None:
    _device, token = kiosk
    fox = register(walter, world.harbour, "Fox", birth_year=2012, birth_month=1)
    services.check_in(token, entry(1, Kind.RETURNING, participant=fox.pk))
    result = services.check_in(token, entry(2, Kind.RETURNING, participant=fox.pk))
    assert cells(drop_in) == {"girls/13_15": 2}
    with unscoped():
        assert queries.unique_visitors(result.checkin.session) == queries.SessionVisitors(1, 0)
        assert AuditEntry.objects.filter(action=AuditAction.KIOSK_CHECKED_IN).count() == 2


def test_a_young_person_who_keeps_checking_in_is_not_anonymised_as_inactive(
    world: World, walter: User, notice: object, kiosk: tuple
) -> None:
    """Retention (participants/privacy.py) counts a check-in as activity."""
    _device, token = kiosk
    long_ago = NOW - dt.timedelta(days=800)
    paper = participants.GivenConsent(GivenBy.GUARDIAN, "paper", long_ago)
    with time_machine.travel(long_ago, tick=False):
        fox, owl = (
            participants.register_participant(
                walter,
                world.harbour,
                paper,
                alias=alias,
                birth_year=2012,
                birth_month=1,
                gender="girl",
                status="school",
            )
            for alias in ("Fox", "Owl")
        )
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        services.check_in(token, entry(1, Kind.RETURNING, participant=fox.pk))
    assert privacy.apply_retention_everywhere(NOW) == 1  # Owl, registered and never back
    with unscoped():
        assert Participant.all_objects.get(pk=fox.pk).anonymised_at is None
        assert Participant.all_objects.get(pk=owl.pk).anonymised_at is not None


def test_just_count_me_adds_an_anonymous_visit(kiosk: tuple, drop_in: Activity) -> None:
    _device, token = kiosk
    services.check_in(token, entry(1, gender="boys", age_band="16_18"))
    result = services.check_in(token, entry(2, gender="boys", age_band="16_18"))
    assert cells(drop_in) == {"boys/16_18": 2}
    assert result.checkin.participant is None
    with unscoped():
        assert queries.unique_visitors(result.checkin.session) == queries.SessionVisitors(0, 2)
    with pytest.raises(ValidationError):
        services.check_in(token, entry(3, gender="cats"))


def test_first_time_at_the_age_of_consent_registers_with_own_consent(
    world: World, notice: object, kiosk: tuple, drop_in: Activity
) -> None:
    _device, token = kiosk
    # Latvia: 13. Born in October 2013: 13 on 18 November 2026.
    result = services.check_in(
        token,
        entry(1, Kind.NEW, alias="Lynx", birth_year=2013, birth_month=10, gender="non_binary"),
    )
    assert result.registered
    with unscoped():
        lynx = Participant.all_objects.get(alias="Lynx")
        consent = participants.active_registration(lynx)
    assert consent is not None and consent.given_by == "young_person" and consent.method == "online"
    assert lynx.status == ""  # not asked at the kiosk: nothing made up
    assert cells(drop_in) == {"non_binary/13_15": 1}
    with pytest.raises(ValidationError, match="already taken"):
        services.check_in(
            token, entry(2, Kind.NEW, alias="lynx", birth_year=2010, birth_month=1, gender="boy")
        )


def test_first_time_below_the_age_of_consent_is_only_counted(
    notice: object, kiosk: tuple, drop_in: Activity
) -> None:
    _device, token = kiosk
    # Born in November 2013: still 12 in their birth month.
    result = services.check_in(
        token, entry(1, Kind.NEW, alias="Owl", birth_year=2013, birth_month=11, gender="girl")
    )
    assert result.ask_worker and not result.registered
    with unscoped():
        assert not Participant.all_objects.filter(alias="Owl").exists()
    assert cells(drop_in) == {"girls/u13": 1}


def test_a_replayed_check_in_is_stored_once(kiosk: tuple, drop_in: Activity) -> None:
    device, token = kiosk
    first = entry(1)
    services.check_in(token, first)
    again = services.check_in(token, first)
    assert again.duplicate
    assert cells(drop_in) == {"girls/13_15": 1}
    with unscoped():
        assert CheckIn.all_objects.count() == 1
        assert KioskDevice.all_objects.get(pk=device.pk).duplicates == 1
    with pytest.raises(ValidationError):
        services.check_in(token, entry(1))  # the same number, another check-in


def test_the_devices_page_shows_gaps_in_the_numbering(world: World, kiosk: tuple) -> None:
    _device, token = kiosk
    for number in (1, 2, 5, 9):
        services.check_in(token, entry(number))
    with unscoped():
        (row,) = queries.devices_of(world.harbour)
    assert row.received == 4 and row.gaps == [(3, 4), (6, 8)]


@pytest.mark.time_machine(NOW, tick=False)
def test_a_device_checks_in_at_most_thirty_a_minute(kiosk: tuple) -> None:
    _device, token = kiosk
    for number in range(1, 31):
        services.check_in(token, entry(number))
    with pytest.raises(TooMany):
        services.check_in(token, entry(31))
    services.check_in(token, entry(31), now=NOW + dt.timedelta(minutes=1, seconds=1))


def test_an_age_falls_in_the_networks_own_bands() -> None:
    from impactlog.network.services import band_of_age, default_bands

    own = [("10_14", "10–14"), ("15_19", "15–19"), ("unknown", "Age not known")]
    assert band_of_age(own, 14) == "10_14" and band_of_age(own, 15) == "15_19"
    assert band_of_age(own, 25) == "unknown" and band_of_age(own, 9) == "unknown"
    assert band_of_age(default_bands(), 12) == "u13" and band_of_age(default_bands(), 13) == "13_15"


def test_the_reads_keep_to_their_query_budgets(
    world: World, maria: User, drop_in: Activity, kiosk: tuple, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    device, token = kiosk
    for name in ("Hall", "Stage", "Library"):
        _pairing, code = services.create_pairing_code(maria, drop_in)
        _other, other_token = services.pair_device(code, name)
        services.check_in(other_token, entry(1))
    services.check_in(token, entry(1))
    with unscoped(), django_assert_max_num_queries(2):
        rows = queries.devices_of(world.harbour)
    assert [row.received for row in rows] == [1, 1, 1, 1]
    with unscoped():
        session = Session.all_objects.get(activity=drop_in, date=NOW.date())
    with unscoped(), django_assert_max_num_queries(1):
        assert queries.unique_visitors(session) == queries.SessionVisitors(0, 4)
    with django_assert_max_num_queries(4):
        queries.aliases_starting(device, "fo")
