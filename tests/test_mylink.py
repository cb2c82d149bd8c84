"""The young person's personal link: issued and revoked by a youth worker, opened with a PIN,
locked after five wrong ones, dead once expired, revoked or stopped; the session it starts is
the young person's own and never a staff one."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from impactlog.accounts.models import User
from impactlog.participants import mylink, privacy, services
from impactlog.participants.me_views import COOKIE
from impactlog.participants.models import Participant, PersonalLink
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import by, publish, register


@pytest.fixture
def robin(world: World) -> Participant:
    publish(world.region)
    with unscoped():
        return register(None, world.harbour, alias="Robin")


@pytest.fixture
def issued(robin: Participant, walter: User) -> mylink.Issued:
    return mylink.issue_link(walter, robin, pin="4821")


def _open(client: Client, token: str, pin: str = "4821") -> Any:
    return client.post(reverse("me:open", args=[token]), {"pin": pin})


def _links(participant: Participant) -> list[PersonalLink]:
    with unscoped():
        return list(PersonalLink.all_objects.filter(participant=participant).order_by("pk"))


# Issuing and revoking.


@pytest.mark.django_db
def test_a_link_keeps_only_hashes_of_its_token_and_pin(issued: mylink.Issued) -> None:
    link = _links(issued.link.participant)[0]
    assert issued.token not in link.token_hash and issued.token not in link.pin_hash
    assert "4821" not in link.pin_hash
    assert len(issued.token) >= 40
    assert link.expires_at == link.issued_at + dt.timedelta(days=90)


@pytest.mark.django_db
def test_a_new_link_revokes_the_one_before(robin: Participant, walter: User) -> None:
    first = mylink.issue_link(walter, robin, pin="4821")
    second = mylink.issue_link(walter, robin, days=30)
    assert re.fullmatch(r"[0-9]{6}", second.pin)
    with pytest.raises(mylink.LinkDead) as dead:
        mylink.link_of(first.token)
    assert dead.value.reason == "revoked"
    assert mylink.link_of(second.token).pk == second.link.pk


@pytest.mark.django_db
@pytest.mark.parametrize("pin", ["123", "1234567", "12a4", "1111", "4321", "٤٨٢١"])
def test_a_chosen_pin_has_4_to_6_digits_and_is_not_the_first_one_guessed(
    robin: Participant, walter: User, pin: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        mylink.issue_link(walter, robin, pin=pin)
    assert "pin" in refused.value.message_dict
    assert _links(robin) == []


@pytest.mark.django_db
@pytest.mark.parametrize("days", [0, 366, -5])
def test_a_link_works_for_1_to_365_days(robin: Participant, walter: User, days: int) -> None:
    with pytest.raises(ValidationError):
        mylink.issue_link(walter, robin, days=days)
    assert _links(robin) == []


WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["carl", "vera", "otto", "alice"])
@pytest.mark.parametrize("action", ["issue", "revoke"])
def test_only_someone_who_may_change_the_records_issues_or_revokes_a_link(
    issued: mylink.Issued, persona: str, action: str, request: pytest.FixtureRequest
) -> None:
    actor, robin = request.getfixturevalue(persona), issued.link.participant
    with unscoped():
        audit_before = AuditEntry.all_objects.count()
    func = mylink.issue_link if action == "issue" else mylink.revoke_link
    with CaptureQueriesContext(connection) as queries, pytest.raises(PermissionDenied):
        func(actor, robin)
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().startswith(WRITES)]
    assert writes == []
    assert [link.revoked_at for link in _links(robin)] == [None]
    with unscoped():
        assert AuditEntry.all_objects.count() == audit_before
    assert mylink.link_of(issued.token).pk == issued.link.pk


@pytest.mark.django_db
def test_revoking_stops_the_link_and_its_session(
    issued: mylink.Issued, walter: User, client: Client
) -> None:
    _open(client, issued.token)
    assert client.get(reverse("me:home")).status_code == 200
    assert mylink.revoke_link(walter, issued.link.participant) == 1
    assert client.get(reverse("me:home")).status_code == 403
    response = client.get(reverse("me:open", args=[issued.token]))
    assert response.status_code == 410
    assert "replaced or stopped" in response.content.decode()


@pytest.mark.django_db
def test_issuing_and_revoking_are_audited_without_the_secrets(
    issued: mylink.Issued, walter: User
) -> None:
    mylink.revoke_link(walter, issued.link.participant)
    with unscoped():
        entries = list(
            AuditEntry.all_objects.filter(object_type="participants.personallink").order_by("pk")
        )
    assert [e.action for e in entries] == [
        AuditAction.PERSONAL_LINK_ISSUED,
        AuditAction.PERSONAL_LINK_REVOKED,
    ]
    assert all(e.values_perm == "personal.view" for e in entries)
    text = repr([(e.changes, e.object_repr) for e in entries])
    assert issued.token not in text and "4821" not in text and "Robin" not in text


@pytest.mark.django_db
def test_no_link_for_a_stopped_record(robin: Participant, walter: User) -> None:
    with unscoped():
        services.withdraw_consent(None, robin.consents.get())
    with pytest.raises(ValidationError):
        mylink.issue_link(walter, robin)


# The young person's side.


@pytest.mark.django_db
def test_the_right_pin_opens_the_young_persons_own_page(
    issued: mylink.Issued, client: Client
) -> None:
    page = client.get(reverse("me:open", args=[issued.token]))
    assert page.status_code == 200 and page["Cache-Control"].count("no-store")
    response = _open(client, issued.token)
    assert response.status_code == 302 and response["Location"] == reverse("me:home")
    cookie = response.cookies[COOKIE]
    assert cookie["path"] == "/me/" and cookie["httponly"] and cookie["samesite"] == "Strict"
    home = client.get(reverse("me:home"))
    text = home.content.decode()
    assert home.status_code == 200
    assert "Hello, Robin" in text and "Riverside Municipality" in text
    assert "March 2010" in text and "Latvian" in text
    assert "no-store" in home["Cache-Control"]
    with unscoped():
        actions = set(AuditEntry.all_objects.values_list("action", flat=True))
    assert {AuditAction.PERSONAL_LINK_OPENED, AuditAction.PARTICIPANT_VIEWED_OWN} <= actions


@pytest.mark.django_db
def test_a_wrong_pin_says_how_many_tries_are_left(issued: mylink.Issued, client: Client) -> None:
    response = _open(client, issued.token, "0000")
    assert response.status_code == 200
    assert "4 more times" in response.content.decode()
    assert COOKIE not in response.cookies
    assert client.get(reverse("me:home")).status_code == 403


@pytest.mark.django_db
def test_five_wrong_pins_lock_the_link_for_15_minutes_whatever_the_address(
    issued: mylink.Issued, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    for attempt in range(5):
        # Each try from another address: the link is counted, not the address.
        client = Client(REMOTE_ADDR=f"10.0.0.{attempt}")
        response = _open(client, issued.token, "0000")
    assert response.status_code == 429
    assert "locked until" in response.content.decode()
    # Locked: even the right PIN is refused, and not checked.
    assert _open(Client(), issued.token).status_code == 429
    with unscoped():
        assert AuditEntry.all_objects.filter(action=AuditAction.PERSONAL_LINK_LOCKED).count() == 1
    time_machine.move_to(NOW + dt.timedelta(minutes=15, seconds=1), tick=False)
    assert _open(Client(), issued.token).status_code == 302


@pytest.mark.django_db
def test_each_further_lockout_lasts_twice_as_long_up_to_a_day(
    issued: mylink.Issued, time_machine: Any
) -> None:
    """Guessing a 4-digit PIN: 15 minutes, then 30, 60, ... up to a day between rounds of five."""
    moment = NOW
    time_machine.move_to(moment, tick=False)
    waits = []
    for _round in range(9):
        for _try in range(5):
            response = _open(Client(), issued.token, "0000")
        assert response.status_code == 429
        with unscoped():
            link = PersonalLink.all_objects.get(pk=issued.link.pk)
        assert link.locked_until is not None
        waits.append(round((link.locked_until - moment).total_seconds() / 60))
        moment = link.locked_until + dt.timedelta(seconds=1)
        time_machine.move_to(moment, tick=False)
    assert waits == [15, 30, 60, 120, 240, 480, 960, 1440, 1440]
    # The right PIN opens it once the lockout is over, and starts the count again.
    assert _open(Client(), issued.token).status_code == 302
    assert "4 more times" in _open(Client(), issued.token, "0000").content.decode()


@pytest.mark.django_db
def test_the_right_pin_starts_the_count_of_wrong_ones_again(issued: mylink.Issued) -> None:
    for _i in range(4):
        _open(Client(), issued.token, "0000")
    assert _open(Client(), issued.token).status_code == 302
    response = _open(Client(), issued.token, "0000")
    assert "4 more times" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_link_says_so_with_410(issued: mylink.Issued, time_machine: Any) -> None:
    time_machine.move_to(NOW + dt.timedelta(days=91))
    response = Client().get(reverse("me:open", args=[issued.token]))
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()
    assert _open(Client(), issued.token).status_code == 410


@pytest.mark.django_db
def test_an_unknown_link_is_404(world: World) -> None:
    response = Client().get(reverse("me:open", args=["x" * 43]))
    assert response.status_code == 404
    assert "This link does not work" in response.content.decode()


@pytest.mark.django_db
def test_anonymising_the_record_kills_the_link(issued: mylink.Issued, client: Client) -> None:
    _open(client, issued.token)
    with unscoped():
        privacy.erase_participant(None, issued.link.participant)
    assert client.get(reverse("me:home")).status_code == 403
    assert client.get(reverse("me:open", args=[issued.token])).status_code == 410


@pytest.mark.django_db
def test_withdrawn_consent_kills_the_link(issued: mylink.Issued, client: Client) -> None:
    _open(client, issued.token)
    with unscoped():
        services.withdraw_consent(None, issued.link.participant.consents.get())
    assert client.get(reverse("me:home")).status_code == 403
    assert client.get(reverse("me:open", args=[issued.token])).status_code == 410


@pytest.mark.django_db
def test_the_session_lapses_after_30_idle_minutes(
    issued: mylink.Issued, client: Client, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    _open(client, issued.token)
    time_machine.move_to(NOW + dt.timedelta(minutes=29), tick=False)
    assert client.get(reverse("me:home")).status_code == 200  # renews the 30 minutes
    time_machine.move_to(NOW + dt.timedelta(minutes=58), tick=False)
    assert client.get(reverse("me:home")).status_code == 200
    time_machine.move_to(NOW + dt.timedelta(minutes=89), tick=False)
    response = client.get(reverse("me:home"))
    assert response.status_code == 403
    assert "30 minutes" in response.content.decode()


@pytest.mark.django_db
def test_signing_out_ends_the_session_even_for_a_kept_cookie(
    issued: mylink.Issued, client: Client
) -> None:
    _open(client, issued.token)
    kept = client.cookies[COOKIE].value
    response = client.post(reverse("me:sign_out"))
    assert response.status_code == 200 and "signed out" in response.content.decode()
    thief = Client()
    thief.cookies[COOKIE] = kept
    assert thief.get(reverse("me:home")).status_code == 403


@pytest.mark.django_db
def test_signing_in_elsewhere_ends_the_first_session(issued: mylink.Issued) -> None:
    first, second = Client(), Client()
    _open(first, issued.token)
    _open(second, issued.token)
    assert first.get(reverse("me:home")).status_code == 403
    assert second.get(reverse("me:home")).status_code == 200


@pytest.mark.django_db
def test_a_forged_cookie_reaches_nobody(issued: mylink.Issued, world: World) -> None:
    other = register(None, world.harbour, alias="Sky")
    mylink.issue_link(None, other, pin="5930")
    forged = Client()
    forged.cookies[COOKIE] = f'{{"l": {issued.link.pk + 1}, "s": "x"}}'
    assert forged.get(reverse("me:home")).status_code == 403


@pytest.mark.django_db
def test_one_young_persons_session_never_shows_another(
    issued: mylink.Issued, world: World, client: Client
) -> None:
    sky = register(None, world.harbour, alias="Sky")
    mylink.issue_link(None, sky, pin="5930")
    _open(client, issued.token)
    text = client.get(reverse("me:home")).content.decode()
    assert "Robin" in text and "Sky" not in text
    data = client.get(reverse("me:export_json")).json()
    assert data["participant"]["alias"] == "Robin"


@pytest.mark.django_db
def test_a_staff_session_opens_no_young_persons_page(
    issued: mylink.Issued, walter: User, login: Any
) -> None:
    client = login(walter)
    assert client.get(reverse("me:home")).status_code == 403
    assert client.get(reverse("me:export_json")).status_code == 403


@pytest.mark.django_db
def test_a_young_persons_session_is_no_staff_session(
    issued: mylink.Issued, client: Client, world: World
) -> None:
    _open(client, issued.token)
    staff = client.get(reverse("participants:list", args=[world.harbour.pk]))
    assert staff.status_code == 302 and staff["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_staff_member_signed_in_sees_the_young_person_not_themselves(
    issued: mylink.Issued, walter: User, login: Any
) -> None:
    client = login(walter)
    _open(client, issued.token)
    text = client.get(reverse("me:home")).content.decode()
    assert "Hello, Robin" in text and "Walter" not in text


# The worker's page.


@pytest.mark.django_db
def test_the_worker_sees_the_link_and_pin_once(
    robin: Participant, walter: User, login: Any
) -> None:
    client = login(walter)
    url = reverse("participants:link", args=[robin.unit_id, robin.pk])
    response = client.post(url, {"days": "30", "pin": "4821"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    token = re.search(r"/me/([A-Za-z0-9_-]{40,})/", page)
    assert token is not None and "4821" in page and "<svg" in page
    assert _open(Client(), token.group(1)).status_code == 302
    again = client.get(url).content.decode()
    assert token.group(1) not in again and "4821" not in again
    assert "works until" in again


@pytest.mark.django_db
def test_a_new_links_secrets_not_shown_within_minutes_are_never_shown(
    robin: Participant, walter: User, login: Any
) -> None:
    client = login(walter)
    url = reverse("participants:link", args=[robin.unit_id, robin.pk])
    assert client.post(url, {"days": "30", "pin": "4821"}).status_code == 302
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6)):  # not followed at once
        page = client.get(url).content.decode()
    assert "4821" not in page and "/me/" not in page
    assert "personal_link_shown" not in client.session  # and nothing is kept


@pytest.mark.django_db
def test_the_worker_stops_the_link(issued: mylink.Issued, walter: User, login: Any) -> None:
    client = login(walter)
    participant = issued.link.participant
    client.post(reverse("participants:link_revoke", args=[participant.unit_id, participant.pk]))
    assert Client().get(reverse("me:open", args=[issued.token])).status_code == 410


@pytest.mark.django_db
def test_a_bad_pin_on_the_workers_form_is_shown_and_nothing_is_made(
    robin: Participant, walter: User, login: Any
) -> None:
    client = login(walter)
    url = reverse("participants:link", args=[robin.unit_id, robin.pk])
    response = client.post(url, {"days": "30", "pin": "1111"})
    assert response.status_code == 200
    assert "too easy to guess" in response.content.decode()
    assert _links(robin) == []


@pytest.mark.django_db
def test_the_own_page_makes_a_fixed_number_of_queries(
    issued: mylink.Issued, client: Client, walter: User, django_assert_num_queries: Any
) -> None:
    """The link and its record, the audit entry, the notice, the consents (whatever their
    number), and the savepoints of the two transactions."""
    _open(client, issued.token)
    client.get(reverse("me:home"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("me:home"))
    participant = issued.link.participant
    for _i in range(3):
        services.record_consent(walter, participant, "photos", by())
    with django_assert_num_queries(len(few)):
        page = client.get(reverse("me:home")).content.decode()
    assert page.count("Photos and stories") == 3 and page.count("Registration") == 1
    assert len(few) <= 8
