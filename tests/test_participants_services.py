"""The registry of young people: who may register, read and change a record; consent by
country rules; bad input; withdrawal; the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from impactlog.network import services as network_services
from impactlog.network.models import NetworkSettings
from impactlog.participants import consent as rules
from impactlog.participants import services
from impactlog.participants.models import Consent, ConsentKind, GivenBy, Method, Participant
from impactlog.structure import services as structure
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry, NodeKind
from impactlog.tenancy.permissions import resolve
from impactlog.tenancy.roles import Perm, Role
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World, make_person
from .participants_world import by, publish, register

TODAY = NOW.date()  # 18 November 2026


@pytest.fixture
def notice(world: World):  # type: ignore[no-untyped-def]
    return publish(world.region)


def test_the_organisation_of_a_municipal_centre_is_its_municipality(world: World) -> None:
    with unscoped():
        assert services.organisation_of(world.harbour) == world.region
        assert services.organisation_of(world.other_club) == world.other_org


# Who may do what.


@pytest.mark.parametrize("who", ["walter", "maria"])
def test_workers_and_managers_of_the_unit_register(
    who: str, request: pytest.FixtureRequest, world: World, notice: object
) -> None:
    actor = request.getfixturevalue(who)
    participant = register(actor, world.harbour)
    with unscoped():
        assert participant.organisation == world.region
        consent = Consent.all_objects.get(participant=participant)
    assert consent.kind == ConsentKind.REGISTRATION and consent.notice.version == 1


@pytest.mark.parametrize("who", ["alice", "carl", "vera", "otto"])
def test_admins_coordinators_viewers_and_outsiders_cannot_register(
    who: str, request: pytest.FixtureRequest, world: World, notice: object
) -> None:
    actor = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        register(actor, world.harbour)
    with unscoped():
        assert not Participant.all_objects.exists()


@pytest.mark.parametrize(
    ("who", "answer"),
    [
        ("walter", None),
        ("maria", None),
        ("alice", PermissionDenied),  # administrator: no young people's records
        ("carl", PermissionDenied),  # coordinator: never participants
        ("vera", PermissionDenied),
        ("otto", Http404),  # another organisation: does not exist for him
        ("hilda", Http404),  # worker of another unit of the same organisation
    ],
)
def test_who_sees_a_participant(
    who: str,
    answer: type[Exception] | None,
    request: pytest.FixtureRequest,
    world: World,
    notice: object,
) -> None:
    participant = register(None, world.harbour)
    if who == "hilda":
        actor = make_person("hilda@example.org", "Hilda Hill", world.hill, Role.WORKER)
    else:
        actor = request.getfixturevalue(who)
    if answer is None:
        assert resolve(actor, Participant, participant.pk, Perm.VIEW_PERSONAL) == participant
        services.view_participant(actor, participant)
        return
    with pytest.raises(answer):
        resolve(actor, Participant, participant.pk, Perm.VIEW_PERSONAL)
    with pytest.raises(PermissionDenied):
        services.view_participant(actor, participant)
    with pytest.raises(PermissionDenied):
        services.update_participant(actor, participant, alias="Changed")


def test_a_manager_of_the_organisation_sees_every_unit(world: World, notice: object) -> None:
    participant = register(None, world.hill)
    boss = make_person("mo@example.org", "Mo Manager", world.region, Role.MANAGER)
    assert resolve(boss, Participant, participant.pk, Perm.VIEW_PERSONAL) == participant


def test_viewing_a_record_is_audited_without_its_data(
    world: World, walter: object, notice: object
) -> None:
    participant = register(walter, world.harbour, alias="Secret Fox", real_name="")
    services.view_participant(walter, participant)
    with unscoped():
        entry = AuditEntry.all_objects.get(action=AuditAction.PARTICIPANT_VIEWED)
        registered = AuditEntry.all_objects.get(action=AuditAction.PARTICIPANT_REGISTERED)
    assert entry.actor == walter and entry.node == world.harbour
    assert entry.object_id == str(participant.pk) and entry.changes == {}
    for written in (entry, registered):
        assert "Secret Fox" not in f"{written.object_repr} {written.changes}"
        assert written.values_perm == Perm.VIEW_PERSONAL.value


# Consent by country: the age of digital consent, just below, at and above it, with and without
# a guardian's consent.

COUNTRIES = {"LV": 13, "LT": 14, "EE": 13, "SE": 13, "FI": 13, "SI": 15}
CASES = [
    (country, limit, age, given_by)
    for country, limit in COUNTRIES.items()
    for age in (limit - 1, limit, limit + 1)
    for given_by in (GivenBy.YOUNG_PERSON, GivenBy.GUARDIAN)
]


@pytest.mark.parametrize(("country", "limit", "age", "given_by"), CASES)
def test_consent_by_country(
    country: str, limit: int, age: int, given_by: str, world: World
) -> None:
    with unscoped():
        unit = structure.create_node(
            None,
            world.region,
            kind=NodeKind.UNIT,
            name=f"Centre {country}",
            slug=f"c-{country.lower()}",
            country=country,
            language="en",
            time_zone="Europe/Riga",
        )
        assert rules.consent_age(unit) == limit
    publish(world.region)
    # Born in October: on 18 November the birthday of this year has passed.
    birth_year = TODAY.year - age
    assert rules.age_on(birth_year, 10, TODAY) == age
    allowed = age >= limit or given_by == GivenBy.GUARDIAN
    if allowed:
        participant = register(None, unit, given_by=given_by, birth_year=birth_year, birth_month=10)
        with unscoped():
            assert Consent.all_objects.get(participant=participant).given_by == given_by
    else:
        with pytest.raises(ValidationError) as refused:
            register(None, unit, given_by=given_by, birth_year=birth_year, birth_month=10)
        assert "guardian" in str(refused.value.message_dict["given_by"])
        with unscoped():
            assert not Participant.all_objects.exists()
            assert not Consent.all_objects.exists()


def test_in_the_birth_month_a_young_person_counts_as_the_younger_age() -> None:
    assert rules.age_on(2013, 11, TODAY) == 12
    assert rules.age_on(2013, 10, TODAY) == 13
    assert rules.age_on(2013, 12, TODAY) == 12


def test_a_network_sets_the_age_of_other_countries_and_its_own(world: World) -> None:
    with unscoped():
        NetworkSettings.all_objects.create(owner=world.network, consent_ages={"DE": 16, "LV": 14})
        assert rules.consent_ages_for(world.harbour)["DE"] == 16
        assert rules.consent_age(world.harbour) == 14  # Harbour is in Latvia
    assert network_services.parse_consent_ages("de 16\n\nAT: 14") == {"DE": 16, "AT": 14}
    for bad in ("DE", "DE 12", "DEU 16", "DE sixteen"):
        with pytest.raises(ValidationError):
            network_services.parse_consent_ages(bad)


# Bad input: a clear answer, nothing half-saved.


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"birth_year": 2026, "birth_month": 12}, "birth_year"),  # next month
        ({"birth_year": 2027, "birth_month": 1}, "birth_year"),
        ({"birth_year": 1996, "birth_month": 10}, "birth_year"),  # more than 30 years ago
        ({"birth_month": 13}, "birth_month"),
        ({"gender": "self", "gender_text": " "}, "gender_text"),
        ({"real_name": "Anna Bērziņa"}, "real_name"),  # the organisation keeps no names
        ({"email": "anna@example.org"}, "email"),
        ({"phone": "+371 2000 0000"}, "phone"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(
    values: dict[str, object], field: str, world: World, notice: object
) -> None:
    with pytest.raises(ValidationError) as refused:
        register(None, world.harbour, **values)
    assert field in refused.value.message_dict
    with unscoped():
        assert not Participant.all_objects.exists() and not Consent.all_objects.exists()


def test_the_oldest_birth_month_allowed_is_30_years_ago(world: World, notice: object) -> None:
    register(None, world.harbour, birth_year=1996, birth_month=11, given_by=GivenBy.YOUNG_PERSON)


def test_an_alias_is_unique_in_the_organisation_whatever_the_case(
    world: World, notice: object
) -> None:
    register(None, world.harbour, alias="Fox")
    with pytest.raises(ValidationError) as refused:
        register(None, world.hill, alias=" fOX ")  # another unit of the same organisation
    assert "alias" in refused.value.message_dict
    publish(world.other_org)
    register(None, world.other_club, alias="fox")  # another organisation may use it


def test_an_alias_is_compared_letter_for_letter_in_any_language_and_case(
    world: World, notice: object
) -> None:
    """Ē and ē, or an ī typed as i and a combining macron, are one alias on every database; an
    alias of nothing visible is no alias."""
    register(None, world.harbour, alias="Ēriks")
    register(None, world.harbour, alias="Li\u0304ga")  # i + combining macron
    for same in ("ēriks", "ĒRIKS", "līga", "LĪGA"):
        with pytest.raises(ValidationError) as refused:
            register(None, world.hill, alias=same)
        assert "alias" in refused.value.message_dict, same
    with pytest.raises(ValidationError) as refused:
        register(None, world.hill, alias="\u200b ")
    assert "alias" in refused.value.message_dict
    with unscoped():
        assert Participant.all_objects.filter(alias="Līga").exists()  # stored composed


def test_the_age_of_consent_is_the_age_on_the_day_it_was_given(
    world: World, notice: object
) -> None:
    """A paper form the young person signed at 12 (Latvia: 13) does not become valid by being
    recorded after their 13th birthday."""
    signed = services.GivenConsent(
        given_by=GivenBy.YOUNG_PERSON, method=Method.PAPER, given_at=NOW - dt.timedelta(days=540)
    )
    born = (TODAY - dt.timedelta(days=365 * 13 + 60)).replace(day=1)  # 13 now, 11–12 then
    with pytest.raises(ValidationError) as refused:
        services.register_participant(
            None,
            world.harbour,
            signed,
            alias="Paper",
            birth_year=born.year,
            birth_month=born.month,
            gender="girl",
            status="school",
            languages=[],
        )
    assert "given_by" in refused.value.message_dict


@pytest.mark.parametrize(
    "given_at",
    [
        dt.datetime(2009, 12, 31, 12, tzinfo=dt.UTC),  # before the birth month (March 2010)
        NOW + dt.timedelta(days=2),  # in the future
    ],
)
def test_a_consent_is_dated_between_the_birth_and_today(
    given_at: dt.datetime, world: World, notice: object
) -> None:
    given = services.GivenConsent(
        given_by=GivenBy.YOUNG_PERSON, method=Method.PAPER, given_at=given_at
    )
    with pytest.raises(ValidationError) as refused:
        services.register_participant(
            None,
            world.harbour,
            given,
            alias="Dated",
            birth_year=2010,
            birth_month=3,
            gender="girl",
            status="school",
            languages=[],
            today=TODAY,
        )
    assert "given_on" in refused.value.message_dict
    with unscoped():
        assert not Participant.all_objects.exists()


def test_identity_fields_once_the_organisation_turns_them_on(world: World, notice: object) -> None:
    with unscoped():
        services.update_settings(
            None, world.region, ask_real_name=True, ask_email=False, ask_phone=False
        )
    participant = register(None, world.harbour, real_name="Anna Bērziņa")
    assert participant.real_name == "Anna Bērziņa"
    with pytest.raises(ValidationError):
        register(None, world.harbour, alias="Owl", email="owl@example.org")


def test_without_a_privacy_notice_nobody_is_registered(world: World) -> None:
    with pytest.raises(ValidationError, match="privacy notice"):
        register(None, world.harbour)


def test_a_new_notice_is_a_new_version(world: World, notice: object) -> None:
    second = publish(world.region)
    assert second.version == 2
    participant = register(None, world.harbour)
    with unscoped():
        assert Consent.all_objects.get(participant=participant).notice == second


# Withdrawal stops processing.


def test_withdrawing_the_registration_stops_processing(
    world: World, walter: object, notice: object
) -> None:
    participant = register(walter, world.harbour)
    photos = services.record_consent(walter, participant, ConsentKind.PHOTOS, by())
    with unscoped():
        registration = Consent.all_objects.get(
            participant=participant, kind=ConsentKind.REGISTRATION
        )
    services.withdraw_consent(walter, registration)
    with unscoped():
        participant.refresh_from_db()
        photos.refresh_from_db()
    assert participant.stopped_at is not None
    assert photos.withdrawn_at is not None  # photos go with the registration
    with pytest.raises(ValidationError, match="withdrawn"):
        services.update_participant(walter, participant, alias="Changed")
    with pytest.raises(ValidationError, match="withdrawn"):
        services.record_consent(walter, participant, ConsentKind.PHOTOS, by())
    with pytest.raises(ValidationError, match="already"):
        services.withdraw_consent(walter, registration)
    # Consenting again lets the record be used again.
    services.record_consent(walter, participant, ConsentKind.REGISTRATION, by())
    services.update_participant(walter, participant, alias="Changed")
    with unscoped():
        participant.refresh_from_db()
    assert participant.stopped_at is None and participant.alias == "Changed"


def test_withdrawing_photos_leaves_the_registration(
    world: World, walter: object, notice: object
) -> None:
    participant = register(walter, world.harbour)
    photos = services.record_consent(walter, participant, ConsentKind.PHOTOS, by())
    services.withdraw_consent(walter, photos)
    with unscoped():
        participant.refresh_from_db()
    assert participant.stopped_at is None


def test_a_guardian_must_consent_to_photos_of_a_child_too(world: World, notice: object) -> None:
    child = register(None, world.harbour, given_by=GivenBy.GUARDIAN, birth_year=2015)
    with pytest.raises(ValidationError, match="guardian"):
        services.record_consent(None, child, ConsentKind.PHOTOS, by(GivenBy.YOUNG_PERSON))
    services.record_consent(None, child, ConsentKind.PHOTOS, by(GivenBy.GUARDIAN))


def test_a_consent_cannot_be_given_in_the_future(world: World, notice: object) -> None:
    participant = register(None, world.harbour)
    later = services.GivenConsent(GivenBy.YOUNG_PERSON, "worker", NOW + dt.timedelta(days=2))
    with pytest.raises(ValidationError):
        services.record_consent(None, participant, ConsentKind.PHOTOS, later)


def test_the_demo_registers_young_people_with_consent_and_adds_none_twice(world: World) -> None:
    from impactlog.participants import demo

    with unscoped():
        unit = structure.create_node(
            None,
            world.region,
            kind=NodeKind.UNIT,
            name="Āgenskalns Youth Centre",
            slug="agenskalns",
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )
    places = {"north/riverside/agenskalns": unit, "north/riverside/harbour": world.harbour}
    assert demo.load(places, today=TODAY) == 3
    assert demo.load(places, today=TODAY) == 0
    with unscoped():
        people = Participant.all_objects.filter(unit=unit)
        assert people.count() == 3
        child = people.get(alias="Zvaigzne")
        assert rules.age_on(child.birth_year, child.birth_month, TODAY) < 13
        assert child.consents.get(kind=ConsentKind.REGISTRATION).given_by == GivenBy.GUARDIAN
        assert Consent.all_objects.filter(kind=ConsentKind.PHOTOS).count() == 2
        assert services.current_notice(world.region).texts["lv"].startswith("Jauniešu centrs")
