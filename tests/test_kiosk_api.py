"""The kiosk's JSON endpoints: the device cookie, the alias search and check-ins."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.kiosk import api, services
from impactlog.kiosk.cards import services as cards
from impactlog.kiosk.language import COOKIE as LANGUAGE_COOKIE
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Activity
from impactlog.participants.models import Participant
from impactlog.tenancy.scoping import unscoped

from . import bad_input
from .conftest import World
from .participants_world import publish, register

pytestmark = pytest.mark.django_db

ALIASES = reverse("kiosk:aliases")
CHECK_IN = reverse("kiosk:check_in")


def pair(maria: User, activity: Activity, name: str = "Front desk") -> tuple[KioskDevice, str]:
    _pairing, code = services.create_pairing_code(maria, activity)
    return services.pair_device(code, name)


def tablet(token: str, language: str = "en", **extra: Any) -> Client:
    client = Client(**extra)
    client.cookies[api.COOKIE] = token
    client.cookies[LANGUAGE_COOKIE] = language
    return client


def send(client: Client, body: Any, **headers: str) -> Any:
    return client.post(
        CHECK_IN,
        json.dumps(body),
        content_type="application/json",
        headers={"X-Kiosk": "1", **headers},
    )


def anonymous(number: int, **values: Any) -> dict[str, Any]:
    return {
        "sequence": number,
        "key": uuid.uuid4().hex,
        "kind": "anonymous",
        "gender": "girls",
        "age_band": "13_15",
    } | values


@pytest.fixture
def kiosk(maria: User, drop_in: Activity) -> tuple[KioskDevice, str]:
    return pair(maria, drop_in)


def stored() -> int:
    with unscoped():
        return CheckIn.all_objects.count()


# Check-ins.


def test_a_check_in_is_stored_and_a_replay_is_answered_as_a_duplicate(kiosk: tuple) -> None:
    device, token = kiosk
    client = tablet(token)
    first = anonymous(1, device_time="2026-11-18T09:59:00Z", ignored_key="anything")
    created = send(client, first)
    assert created.status_code == 201
    assert created.json() == {
        "sequence": 1,
        "duplicate": False,
        "registered": False,
        "ask_worker": False,
    }
    again = send(client, first)
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert stored() == 1
    with unscoped():
        assert KioskDevice.all_objects.get(pk=device.pk).duplicates == 1
        assert CheckIn.all_objects.get().device_time.isoformat() == "2026-11-18T09:59:00+00:00"


def test_a_returning_and_a_new_young_person_are_answered_with_their_alias(
    world: World, walter: User, kiosk: tuple
) -> None:
    _device, token = kiosk
    publish(world.region)
    fox = register(walter, world.harbour, "Fox")
    client = tablet(token)
    returning = send(
        client, {"sequence": 1, "key": "k1", "kind": "returning", "participant": fox.pk}
    )
    assert returning.status_code == 201 and returning.json()["alias"] == "Fox"
    new = {
        "sequence": 2,
        "key": "k2",
        "kind": "new",
        "alias": "Lynx",
        "birth_year": 2010,
        "birth_month": 5,
        "gender": "boy",
    }
    answer = send(client, new).json()
    assert answer["registered"] is True and answer["alias"] == "Lynx"
    young = new | {"sequence": 3, "key": "k3", "alias": "Owl", "birth_year": 2016}
    answer = send(client, young).json()
    assert answer["ask_worker"] is True and "alias" not in answer
    with unscoped():
        assert not Participant.all_objects.filter(alias="Owl").exists()


def test_a_scanned_card_checks_its_young_person_in_and_a_bad_card_is_a_400(
    world: World, walter: User, kiosk: tuple
) -> None:
    _device, token = kiosk
    publish(world.region)
    fox = register(walter, world.harbour, "Fox")
    card = cards.issue_card(walter, fox)
    client = tablet(token)
    scanned = send(client, {"sequence": 1, "key": "c1", "kind": "card", "card": card.text})
    assert scanned.status_code == 201 and scanned.json()["alias"] == "Fox"
    with unscoped():
        assert CheckIn.all_objects.get(sequence=1).participant_id == fox.pk
    garbled = send(client, {"sequence": 2, "key": "c2", "kind": "card", "card": "hello"})
    assert garbled.status_code == 400 and "card" in garbled.json()["errors"]
    cards.revoke_card(walter, fox)
    revoked = send(client, {"sequence": 3, "key": "c3", "kind": "card", "card": card.text})
    assert revoked.status_code == 400 and "card" in revoked.json()["errors"]
    assert stored() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sequence": "1"}, "sequence"),
        ({"sequence": True}, "sequence"),
        ({"sequence": -1}, "sequence"),
        ({"sequence": 10**30}, "sequence"),
        ({"key": 5}, "key"),
        ({"key": ""}, "key"),
        ({"key": "k" * 65}, "key"),
        ({"kind": ["anonymous"]}, "kind"),
        ({"gender": "gi\x00rls"}, "gender"),
        ({"device_time": "yesterday"}, "device_time"),
        ({"device_time": "9999-99-99T00:00:00"}, "device_time"),
        ({"participant": 1.5}, "participant"),
        ({"gender": "cats"}, "gender"),
        ({"age_band": "99_100"}, "age_band"),
    ],
)
def test_a_wrong_value_is_a_400_naming_the_field(
    kiosk: tuple, change: dict[str, Any], field: str
) -> None:
    _device, token = kiosk
    response = send(tablet(token), anonymous(1) | change)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert stored() == 0


def test_a_missing_field_is_a_400(kiosk: tuple) -> None:
    _device, token = kiosk
    body = anonymous(1)
    del body["key"]
    response = send(tablet(token), body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"key": ["This field is required."]}


def test_errors_are_in_the_language_chosen_at_the_kiosk(kiosk: tuple) -> None:
    _device, token = kiosk
    response = send(tablet(token, language="lv"), anonymous(1, gender="cats"))
    assert response.json()["errors"]["gender"] == ["Izvēlies vienu no atbildēm."]


@pytest.mark.parametrize(
    ("body", "content_type", "headers"),
    [
        ("{}", "application/json", {}),  # no X-Kiosk header
        ('{"sequence": 1}', "text/plain", {"X-Kiosk": "1"}),  # a form another site could send
        ("sequence=1", "application/x-www-form-urlencoded", {"X-Kiosk": "1"}),
        ("[1, 2]", "application/json", {"X-Kiosk": "1"}),
        ("{not json", "application/json", {"X-Kiosk": "1"}),
        (b"\xff\xfe", "application/json", {"X-Kiosk": "1"}),
        ("[" * 100000, "application/json", {"X-Kiosk": "1"}),
    ],
)
def test_only_the_kiosks_json_is_read(
    kiosk: tuple, body: Any, content_type: str, headers: dict[str, str]
) -> None:
    _device, token = kiosk
    client = tablet(token, enforce_csrf_checks=True)
    response = client.post(CHECK_IN, body, content_type=content_type, headers=headers)
    assert response.status_code == 400
    assert "__all__" in response.json()["errors"]
    assert stored() == 0


def test_a_missing_unknown_or_revoked_device_is_a_401(maria: User, kiosk: tuple) -> None:
    device, token = kiosk
    assert send(Client(), anonymous(1)).status_code == 401
    assert send(tablet("not-a-token"), anonymous(1)).status_code == 401
    assert Client().get(ALIASES, {"q": "fo"}).status_code == 401
    assert send(tablet(token), anonymous(1)).status_code == 201
    services.revoke_device(maria, device)
    refused = send(tablet(token), anonymous(2))
    assert refused.status_code == 401 and "Pair it again" in refused.json()["error"]
    assert tablet(token).get(ALIASES, {"q": "fo"}).status_code == 401
    assert stored() == 1


def test_the_rate_limit_is_per_device_and_a_setting(
    maria: User, drop_in: Activity, settings: Any, time_machine: Any
) -> None:
    """Two tablets behind one address (one centre's Wi-Fi) are limited apart."""
    time_machine.move_to("2026-11-18T10:00:00Z", tick=False)
    settings.KIOSK_RATE_LIMIT = 3
    _front, front = pair(maria, drop_in, "Front desk")
    _hall, hall = pair(maria, drop_in, "Hall")
    same_place = {"REMOTE_ADDR": "192.0.2.7"}
    for number in (1, 2, 3):
        assert send(tablet(front, **same_place), anonymous(number)).status_code == 201
    refused = send(tablet(front, **same_place), anonymous(4))
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "error" in refused.json()
    assert send(tablet(hall, **same_place), anonymous(1)).status_code == 201
    time_machine.move_to("2026-11-18T10:01:01Z", tick=False)
    assert send(tablet(front, **same_place), anonymous(4)).status_code == 201


def test_check_in_takes_only_a_post(kiosk: tuple) -> None:
    _device, token = kiosk
    assert tablet(token).get(CHECK_IN).status_code == 405
    assert tablet(token).post(ALIASES).status_code == 405


# The alias search.


def test_the_search_answers_aliases_only(world: World, walter: User, kiosk: tuple) -> None:
    _device, token = kiosk
    publish(world.region)
    fox = register(walter, world.harbour, "Fox")
    register(walter, world.harbour, "Owl")
    response = tablet(token).get(ALIASES, {"q": "FO"})
    assert response.status_code == 200
    assert response.json() == {"aliases": [{"id": fox.pk, "alias": "Fox"}]}
    assert response["Cache-Control"] == "private, no-store"
    assert tablet(token).get(ALIASES, {"q": "f"}).json() == {"aliases": []}
    assert tablet(token).get(ALIASES, {"q": "\x00" * 5000}).json() == {"aliases": []}


def test_the_device_cookie_is_httponly_strict_and_kept_to_the_kiosk() -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    for secure, expected in ((False, ""), (True, True)):
        request = RequestFactory().get("/kiosk/pair/", secure=secure)
        response = HttpResponse()
        api.set_device_cookie(response, request, "token")
        cookie = response.cookies[api.COOKIE]
        assert cookie.value == "token"
        assert cookie["httponly"] is True and cookie["samesite"] == "Strict"
        assert cookie["path"] == "/kiosk/" and cookie["secure"] == expected
        assert int(cookie["max-age"]) >= 365 * 24 * 3600


# Hostile input from a paired tablet (tests/test_bad_input_urls.py has no device: it sees the 401s).

HOSTILE_JSON: list[Any] = [
    *bad_input.HOSTILE_SHORT,
    None,
    True,
    -1,
    10**30,
    1e308,
    [],
    {},
    ["x"] * 1000,
    {"a": {"b": [1]}},
]


def test_no_500_from_hostile_queries_or_bodies(
    world: World, walter: User, kiosk: tuple, settings: Any
) -> None:
    settings.KIOSK_RATE_LIMIT = 10_000  # every body reaches the service
    _device, token = kiosk
    publish(world.region)
    register(walter, world.harbour, "Fox")
    client = tablet(token)
    client.raise_request_exception = False
    for value in bad_input.HOSTILE:
        assert client.get(ALIASES, {"q": value}).status_code == 200
    for escape in bad_input.RAW_ESCAPES:
        assert client.get(f"{ALIASES}?{bad_input.raw_query(['q'], escape)}").status_code == 200
    assert client.get(f"{ALIASES}?q=fo&q=x").status_code == 200
    fields = [
        "sequence",
        "key",
        "kind",
        "device_time",
        "participant",
        "gender",
        "age_band",
        "alias",
        "birth_year",
        "birth_month",
    ]
    number = 0
    for kind, names in (("anonymous", fields[:7]), ("new", fields[5:]), ("returning", fields[4:5])):
        for name in names:
            for value in HOSTILE_JSON:
                number += 1
                base = anonymous(number, kind=kind, alias="Owl", birth_year=2010, birth_month=2)
                response = send(client, base | {name: value})
                assert response.status_code < 500, (kind, name, value)
