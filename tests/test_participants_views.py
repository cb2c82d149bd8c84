"""The registry's pages: register, list (paginated, searched, in a fixed number of queries),
view (audited), edit, record and withdraw a consent; bad input answered on the form."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from impactlog.network.models import NetworkSettings
from impactlog.participants import consent as rules
from impactlog.participants import services
from impactlog.participants.models import Consent, ConsentKind, Participant, PrivacyNotice
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .participants_world import by, publish, register


@pytest.fixture
def notice(world: World):  # type: ignore[no-untyped-def]
    return publish(world.region)


def _form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "alias": "Fox",
        "birth_year": "2010",
        "birth_month": "3",
        "gender": "girl",
        "gender_text": "",
        "home_area": "",
        "status": "school",
        "languages": ["lv", "ru"],
        "given_by": "young_person",
        "method": "worker",
        "given_on": "2026-11-18",
    }
    data.update(changes)
    return data


def _count() -> int:
    with unscoped():
        return Participant.all_objects.count()


def test_a_worker_registers_a_young_person(
    world: World, walter: Any, login: Any, notice: object
) -> None:
    client: Client = login(walter)
    page = client.get(reverse("participants:register", args=[world.harbour.pk]))
    assert page.status_code == 200
    assert b"We keep your alias." in page.content  # the notice, in the reader's language
    assert b'name="real_name"' not in page.content  # off unless the organisation turns it on
    response = client.post(reverse("participants:register", args=[world.harbour.pk]), _form())
    assert response.status_code == 302
    with unscoped():
        participant = Participant.all_objects.get()
        assert participant.languages == ["lv", "ru"]
        assert Consent.all_objects.get().kind == ConsentKind.REGISTRATION
    assert response["Location"] == reverse(
        "participants:detail", args=[world.harbour.pk, participant.pk]
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"birth_year": "2027"}, b"cannot be in the future"),
        ({"birth_year": "1990"}, b"more than 30 years ago"),
        ({"birth_year": "twenty"}, b"Enter a whole number"),
        ({"birth_month": "13"}, b"Select a valid choice"),
        ({"birth_year": "2018", "given_by": "young_person"}, b"guardian"),
        ({"alias": "fox"}, b"already taken"),
        ({"alias": "Lynx", "real_name": "Anna"}, b""),  # not a field: ignored, never stored
    ],
)
def test_bad_input_is_answered_on_the_form_and_nothing_is_saved(
    changes: dict[str, str],
    message: bytes,
    world: World,
    walter: Any,
    login: Any,
    notice: object,
) -> None:
    register(None, world.hill, alias="FOX")
    before = _count()
    response = login(walter).post(
        reverse("participants:register", args=[world.harbour.pk]), _form(**changes)
    )
    if changes.get("real_name"):
        assert response.status_code == 302
        with unscoped():
            assert Participant.all_objects.filter(real_name="Anna").count() == 0
        return
    assert response.status_code == 200
    assert message in response.content
    assert _count() == before


def test_the_identity_fields_show_once_turned_on(
    world: World, alice: Any, walter: Any, login: Any, notice: object
) -> None:
    client = login(alice)
    url = reverse("participants:settings", args=[world.region.pk])
    response = client.post(url, {"ask_real_name": "on", "new_areas": "Old Town\nHarbourside"})
    assert response.status_code == 302
    with unscoped():
        assert [a.name for a in services.home_areas(world.region)] == ["Harbourside", "Old Town"]
    page = login(walter).get(reverse("participants:register", args=[world.harbour.pk]))
    assert b'name="real_name"' in page.content and b'name="email"' not in page.content
    assert b"Old Town" in page.content


def test_viewing_a_record_is_audited(world: World, walter: Any, login: Any, notice: object) -> None:
    participant = register(walter, world.harbour)
    url = reverse("participants:detail", args=[world.harbour.pk, participant.pk])
    assert login(walter).get(url).status_code == 200
    assert login(walter).get(url).status_code == 200
    with unscoped():
        viewed = AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_VIEWED)
        assert viewed.count() == 2
        assert all(entry.changes == {} for entry in viewed)


@pytest.mark.parametrize(("who", "status"), [("carl", 403), ("alice", 403), ("otto", 404)])
def test_others_never_see_the_record(
    who: str, status: int, request: pytest.FixtureRequest, world: World, login: Any, notice: object
) -> None:
    participant = register(None, world.harbour)
    client = login(request.getfixturevalue(who))
    for url in (
        reverse("participants:list", args=[world.harbour.pk]),
        reverse("participants:detail", args=[world.harbour.pk, participant.pk]),
    ):
        assert client.get(url).status_code == status
    with unscoped():
        assert not AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_VIEWED).exists()


def test_a_participant_of_another_unit_is_not_found_through_this_one(
    world: World, maria: Any, login: Any, notice: object
) -> None:
    participant = register(None, world.hill)
    url = reverse("participants:detail", args=[world.harbour.pk, participant.pk])
    assert login(maria).get(url).status_code == 404


def test_the_list_searches_by_alias_and_pages(
    world: World, walter: Any, login: Any, notice: object
) -> None:
    for number in range(30):
        register(None, world.harbour, alias=f"Fox {number:02}")
    register(None, world.harbour, alias="Owl")
    client = login(walter)
    url = reverse("participants:list", args=[world.harbour.pk])
    first = client.get(url)
    assert b"Fox 00" in first.content and b"Page 1 of 2" in first.content
    found = client.get(url, {"q": "ow"})
    assert b"Owl" in found.content and b"Fox 00" not in found.content


def test_the_list_takes_the_same_queries_for_3_or_25_people(
    world: World, walter: Any, login: Any, notice: object
) -> None:
    client = login(walter)
    url = reverse("participants:list", args=[world.harbour.pk])

    def queries() -> int:
        client.get(url)  # warm: the session and the memberships
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    with unscoped():
        area = services.add_home_area(None, world.region, "Old Town")
    for number in range(3):
        register(None, world.harbour, alias=f"Few {number}", home_area=area)
    few = queries()
    for number in range(22):
        register(None, world.harbour, alias=f"Many {number}", home_area=area)
    with unscoped():
        someone = Participant.all_objects.filter(alias="Many 1").get()
    services.record_consent(None, someone, ConsentKind.PHOTOS, by())
    assert queries() == few <= 12


def test_edit(world: World, walter: Any, login: Any, notice: object) -> None:
    participant = register(None, world.harbour)
    url = reverse("participants:edit", args=[world.harbour.pk, participant.pk])
    client = login(walter)
    assert client.get(url).status_code == 200
    with unscoped():  # the form showed the record: audited as a view
        assert AuditEntry.all_objects.filter(action=AuditAction.PARTICIPANT_VIEWED).count() == 1
    response = client.post(url, _form(alias="Fennec", birth_year="2009"))
    assert response.status_code == 302
    with unscoped():
        participant.refresh_from_db()
    assert (participant.alias, participant.birth_year) == ("Fennec", 2009)
    with unscoped():
        changed = AuditEntry.all_objects.get(action=AuditAction.PARTICIPANT_UPDATED)
    assert changed.changes == {"fields": ["alias", "birth_year", "languages"]}


def test_record_and_withdraw_consents_with_confirmation(
    world: World, walter: Any, login: Any, notice: object
) -> None:
    participant = register(None, world.harbour)
    client = login(walter)
    response = client.post(
        reverse("participants:consent", args=[world.harbour.pk, participant.pk]),
        {"kind": "photos", "given_by": "young_person", "method": "paper", "given_on": "2026-11-01"},
    )
    assert response.status_code == 302
    with unscoped():
        registration = Consent.all_objects.get(kind=ConsentKind.REGISTRATION)
    url = reverse("participants:withdraw", args=[world.harbour.pk, participant.pk, registration.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and b"stops all further processing" in confirm.content
    with unscoped():
        assert (
            Consent.all_objects.filter(withdrawn_at__isnull=True).count() == 2
        )  # GET changes nothing
    assert client.post(url).status_code == 302
    with unscoped():
        participant.refresh_from_db()
        assert participant.stopped_at is not None
        assert not Consent.all_objects.filter(withdrawn_at__isnull=True).exists()
    page = client.get(reverse("participants:detail", args=[world.harbour.pk, participant.pk]))
    assert b"consent was withdrawn" in page.content
    # Editing is refused with a message on the form, nothing changes.
    edit = client.post(
        reverse("participants:edit", args=[world.harbour.pk, participant.pk]), _form(alias="New")
    )
    assert edit.status_code == 200 and b"withdrawn" in edit.content


def test_a_notice_is_published_in_several_languages(
    world: World, alice: Any, login: Any, notice: object
) -> None:
    client = login(alice)
    url = reverse("participants:notice", args=[world.region.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"en": "", "lv": ""}).status_code == 200  # nothing written
    assert client.post(url, {"en": "Version two.", "fi": "Versio kaksi."}).status_code == 302
    with unscoped():
        current = services.current_notice(world.region)
    assert current is not None and current.version == 2
    assert current.texts == {"en": "Version two.", "fi": "Versio kaksi."}


def test_a_network_sets_ages_of_digital_consent_on_its_settings_page(
    world: World, alice: Any, login: Any
) -> None:
    client = login(alice)
    url = reverse("network:settings", args=[world.network.pk])
    body = {
        "plausible_participants": "300",
        "bands": "",
        "threshold_visits": "5",
        "threshold_people": "5",
        "threshold_annual_survey": "15",
        "threshold_other_surveys": "5",
    }
    refused = client.post(url, {**body, "consent_ages": "Germany 16"})
    assert refused.status_code == 400 and b"for example DE 16" in refused.content  # the page's way
    assert client.post(url, {**body, "consent_ages": "de 16\nLV 14"}).status_code == 302
    with unscoped():
        assert NetworkSettings.all_objects.get(owner=world.network).consent_ages == {
            "DE": 16,
            "LV": 14,
        }
        assert rules.consent_age(world.harbour) == 14
    assert b"DE 16" in client.get(url).content


KEY = re.compile(r'name="idempotency_key" value="([A-Za-z0-9_-]+)"')


@pytest.mark.parametrize("form", ["register", "consent", "notice"])
def test_a_form_sent_twice_saves_once(
    form: str, world: World, walter: Any, alice: Any, login: Any, notice: object
) -> None:
    participant = register(None, world.harbour, alias="Robin")
    url, body, model, person = {
        "register": (
            reverse("participants:register", args=[world.harbour.pk]),
            _form(),
            Participant,
            walter,
        ),
        "consent": (
            reverse("participants:consent", args=[world.harbour.pk, participant.pk]),
            {
                "kind": "photos",
                "given_by": "young_person",
                "method": "paper",
                "given_on": "2026-11-01",
            },
            Consent,
            walter,
        ),
        "notice": (
            reverse("participants:notice", args=[world.region.pk]),
            {"en": "Version two."},
            PrivacyNotice,
            alice,
        ),
    }[form]
    client = login(person)
    key = KEY.search(client.get(url).content.decode())
    assert key is not None
    with unscoped():
        before = model.all_objects.count()  # type: ignore[attr-defined]
    first = client.post(url, {**body, "idempotency_key": key.group(1)})
    again = client.post(url, {**body, "idempotency_key": key.group(1)}, follow=True)
    assert first.status_code == 302 and again.status_code == 200
    assert b"Already saved" in again.content
    with unscoped():
        assert model.all_objects.count() == before + 1  # type: ignore[attr-defined]
