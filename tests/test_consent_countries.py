"""The consent rules of the six countries of the network, as a table.

Ages of digital consent (GDPR article 8, as each country set it in its law): Latvia 13,
Lithuania 14, Estonia 13, Sweden 13, Finland 13, Slovenia 15. The test's "today" is 18 November
2026; the registry knows only the month of birth and counts the birthday at the end of that
month, so a young person born in November is still the younger age all November. The months of
birth below are written out by hand from those ages, not computed by the code under test:

- "below": born in November, 13 years back for Latvia: 12 years old until 30 November;
- "at": born in October of the same year: turned 13 at the end of October;
- "above": born in October a year earlier: 14.

Below the age, a young person is registered only with a guardian's consent; without one, the
kiosk's "first time here" only counts them in the session's head-count, without a name.
"""

from __future__ import annotations

import uuid

import pytest
from django.core.exceptions import ValidationError

from impactlog.accounts.models import User
from impactlog.kiosk import services as kiosk
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity, Session
from impactlog.network import services as network
from impactlog.participants.models import Consent, GivenBy, Participant
from impactlog.tenancy.models import Node
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import publish, register

# country: (year, month) of birth "below", "at" and "above" its age of digital consent.
BIRTHS: dict[str, dict[str, tuple[int, int]]] = {
    "LV": {"below": (2013, 11), "at": (2013, 10), "above": (2012, 10)},  # 13
    "LT": {"below": (2012, 11), "at": (2012, 10), "above": (2011, 10)},  # 14
    "EE": {"below": (2013, 11), "at": (2013, 10), "above": (2012, 10)},  # 13
    "SE": {"below": (2013, 11), "at": (2013, 10), "above": (2012, 10)},  # 13
    "FI": {"below": (2013, 11), "at": (2013, 10), "above": (2012, 10)},  # 13
    "SI": {"below": (2011, 11), "at": (2011, 10), "above": (2010, 10)},  # 15
}
# Who may register a young person of that age: only the guardian below it, either at or above.
MAY_CONSENT: dict[str, set[str]] = {
    "below": {GivenBy.GUARDIAN},
    "at": {GivenBy.YOUNG_PERSON, GivenBy.GUARDIAN},
    "above": {GivenBy.YOUNG_PERSON, GivenBy.GUARDIAN},
}
CASES = [
    (country, where, given_by)
    for country in BIRTHS
    for where in ("below", "at", "above")
    for given_by in (GivenBy.YOUNG_PERSON, GivenBy.GUARDIAN)
]

assert NOW.year == 2026 and NOW.month == 11, "the table above is written for November 2026"


@pytest.fixture(autouse=True)
def _notice(world: World) -> None:
    publish(world.region)


def move_to(unit: Node, country: str) -> None:
    """Put the unit in `country`: its rules are those of the country it is in."""
    with unscoped():
        Node.all_objects.filter(pk=unit.pk).update(country=country)


def people() -> tuple[int, int]:
    with unscoped():
        return Participant.all_objects.count(), Consent.all_objects.count()


@pytest.mark.parametrize(("country", "where", "given_by"), CASES)
def test_a_worker_registers_by_country_age_and_giver(
    country: str, where: str, given_by: str, world: World, walter: User
) -> None:
    move_to(world.harbour, country)
    year, month = BIRTHS[country][where]
    if given_by in MAY_CONSENT[where]:
        participant = register(
            walter, world.harbour, given_by=given_by, birth_year=year, birth_month=month
        )
        with unscoped():
            consent = Consent.all_objects.get(participant=participant)
        assert consent.given_by == given_by
    else:
        with pytest.raises(ValidationError) as refused:
            register(walter, world.harbour, given_by=given_by, birth_year=year, birth_month=month)
        assert "given_by" in refused.value.message_dict
        assert people() == (0, 0)  # nothing half-saved


@pytest.fixture
def device(maria: User, drop_in: Activity) -> tuple[KioskDevice, str]:
    _pairing, code = kiosk.create_pairing_code(maria, drop_in)
    return kiosk.pair_device(code, "Front desk")


def first_time(token: str, year: int, month: int) -> kiosk.CheckInResult:
    data = kiosk.CheckInInput(
        sequence=1,
        key=uuid.uuid4().hex,
        kind=kiosk.Kind.NEW,
        alias="Lynx",
        gender="boy",
        birth_year=year,
        birth_month=month,
    )
    return kiosk.check_in(token, data)


@pytest.mark.parametrize("country", list(BIRTHS))
def test_below_the_age_the_kiosk_only_counts(
    country: str, world: World, drop_in: Activity, device: tuple[KioskDevice, str]
) -> None:
    move_to(world.harbour, country)
    result = first_time(device[1], *BIRTHS[country]["below"])
    assert result.ask_worker and not result.registered
    assert people() == (0, 0)
    with unscoped():
        assert CheckIn.all_objects.get().participant is None
        assert Session.all_objects.get(activity=drop_in).participants == 1


@pytest.mark.parametrize("country", list(BIRTHS))
def test_at_the_age_the_kiosk_registers_with_their_own_consent(
    country: str, world: World, drop_in: Activity, device: tuple[KioskDevice, str]
) -> None:
    move_to(world.harbour, country)
    result = first_time(device[1], *BIRTHS[country]["at"])
    assert result.registered and not result.ask_worker
    with unscoped():
        consent = Consent.all_objects.get()
        assert consent.given_by == GivenBy.YOUNG_PERSON
        assert CheckIn.all_objects.get().participant == consent.participant
        assert Session.all_objects.get(activity=drop_in).participants == 1


def override(world: World, alice: User, ages: dict[str, int]) -> None:
    """The network's administrator sets its own ages on the network's settings."""
    with unscoped():
        current = network.settings_for(world.network)
        network.update_settings(
            alice,
            world.network,
            plausible_participants=current.plausible_participants,
            consent_ages=ages,
        )


def test_a_network_override_raises_the_age(world: World, alice: User, walter: User) -> None:
    move_to(world.harbour, "LV")
    override(world, alice, {"LV": 16})
    # 13 in October 2026, 15 the year before: Latvia's 13 no longer suffices, 16 does.
    for year in (2013, 2011):
        with pytest.raises(ValidationError):
            register(walter, world.harbour, birth_year=year, birth_month=10)
    register(walter, world.harbour, alias="Owl", birth_year=2010, birth_month=10)  # 16
    register(
        walter,
        world.harbour,
        alias="Hare",
        given_by=GivenBy.GUARDIAN,
        birth_year=2013,
        birth_month=10,
    )


def test_a_network_override_lowers_the_age(world: World, alice: User, walter: User) -> None:
    move_to(world.harbour, "SI")
    override(world, alice, {"SI": 13})
    register(walter, world.harbour, birth_year=2013, birth_month=10)  # 13: enough now
    with pytest.raises(ValidationError):
        register(walter, world.harbour, alias="Owl", birth_year=2013, birth_month=11)  # 12


def test_a_country_without_an_age_follows_the_gdpr_and_the_network(
    world: World, alice: User, walter: User
) -> None:
    move_to(world.harbour, "DE")
    with pytest.raises(ValidationError):  # 15: below the GDPR's 16
        register(walter, world.harbour, birth_year=2011, birth_month=10)
    override(world, alice, {"DE": 14})
    register(walter, world.harbour, birth_year=2012, birth_month=10)  # 14
