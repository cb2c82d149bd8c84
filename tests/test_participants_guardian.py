"""A guardian's consent: the notice to a minor's guardian contact, the online consent link (one
use, 14 days, stored as a keyed hash) and the printable form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.participants import guardian
from impactlog.participants.models import (
    Consent,
    ConsentKind,
    GivenBy,
    GuardianRequest,
    Method,
    Participant,
)
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .participants_world import publish, register

GUARDIAN = "parent@example.org"
BASE = "https://logbook.example.org/"


@pytest.fixture(autouse=True)
def _notice(world: World) -> None:
    publish(world.region)


Commit = Callable[..., Any]


# The notice to the guardian contact on a minor's first registration.


def test_a_minors_guardian_contact_hears_of_the_registration_in_the_units_language(
    world: World, walter: User, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(walter, world.harbour, birth_year=2010, guardian_email=GUARDIAN)  # 16
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [GUARDIAN]
    assert "Fox" in sent.subject and "Harbour Youth Centre" in sent.subject
    # Harbour writes in Latvian: the notice is the Latvian text, the rest Latvian too.
    assert "Mēs glabājam tavu segvārdu." in sent.body
    assert "We keep your alias." not in sent.body
    assert sent.subject == "Fox ir reģistrēts: Harbour Youth Centre"
    assert "Kas tiek glabāts:" in sent.body and "What is kept" not in sent.body
    assert "Walter Worker" in sent.body  # who registered them
    assert "Riverside Municipality" in sent.body  # where


def test_no_notice_without_a_contact_or_for_an_adult(
    world: World, walter: User, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        register(walter, world.harbour, alias="Owl")
        # 18 at the end of October 2026: not a minor.
        register(
            walter,
            world.harbour,
            alias="Elk",
            birth_year=2008,
            birth_month=10,
            guardian_email=GUARDIAN,
        )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        register(
            walter,
            world.harbour,
            alias="Ant",
            birth_year=2008,
            birth_month=11,
            guardian_email=GUARDIAN,
        )  # 17 until the end of November
    assert len(mail.outbox) == 1


def test_a_refused_registration_sends_nothing(
    world: World, walter: User, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        register(walter, world.harbour, birth_year=2015, guardian_email=GUARDIAN)  # 11, own
    assert mail.outbox == []


# The online consent link.


def ask(walter: User, world: World, **values: Any) -> guardian.Requested:
    fields: dict[str, Any] = {
        "alias": "Lynx",
        "birth_year": 2015,
        "birth_month": 4,
        "gender": "boy",
        "guardian_email": GUARDIAN,
        "language": "sv",
        "base_url": BASE,
    }
    fields.update(values)
    return guardian.request_guardian_consent(walter, world.harbour, **fields)


def token_of(requested: guardian.Requested) -> str:
    return requested.link.rstrip("/").rsplit("/", 1)[1]


def test_a_request_registers_nobody_and_keeps_only_a_hash_of_the_link(
    world: World, walter: User, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        requested = ask(walter, world)
    token = token_of(requested)
    assert requested.link.startswith(BASE + "guardian/")
    with unscoped():
        stored = GuardianRequest.all_objects.get()
        assert Participant.all_objects.count() == 0
        entry = AuditEntry.objects.get(action=AuditAction.GUARDIAN_CONSENT_REQUESTED)
    assert token not in stored.token_hash and len(stored.token_hash) == 64
    assert stored.expires_at == stored.requested_at + dt.timedelta(days=14)
    assert "Lynx" not in str(entry.changes) and GUARDIAN not in str(entry.changes)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [GUARDIAN]
    assert requested.link in mail.outbox[0].body


def test_a_request_refuses_a_taken_alias_and_bad_values(world: World, walter: User) -> None:
    register(walter, world.harbour, alias="Lynx")
    for values in (
        {},  # the alias is taken
        {"alias": "Puma", "birth_year": 2030},
        {"alias": "Puma", "gender": "self"},
        {"alias": "Puma", "language": "xx"},
        {"alias": "Puma", "guardian_email": " "},
    ):
        with pytest.raises(ValidationError):
            ask(walter, world, **values)
    with unscoped():
        assert GuardianRequest.all_objects.count() == 0


def give(token: str, photos: bool = False, version: int = 1, **kwargs: Any) -> Participant:
    return guardian.give_guardian_consent(token, notice_version=version, photos=photos, **kwargs)


def test_the_guardian_registers_the_young_person_once(
    world: World, walter: User, django_capture_on_commit_callbacks: Commit
) -> None:
    token = token_of(ask(walter, world))
    with django_capture_on_commit_callbacks(execute=True):
        participant = give(token, photos=True)
    with unscoped():
        consents = {c.kind: c for c in Consent.all_objects.filter(participant=participant)}
        request = GuardianRequest.all_objects.get()
    assert participant.alias == "Lynx" and participant.unit == world.harbour
    assert participant.guardian_email == GUARDIAN
    registration = consents[ConsentKind.REGISTRATION]
    assert (registration.given_by, registration.method) == (GivenBy.GUARDIAN, Method.ONLINE)
    assert registration.notice.version == 1
    assert consents[ConsentKind.PHOTOS].given_by == GivenBy.GUARDIAN
    # The request keeps no data once used; the guardian gets the notice in their language.
    assert (request.alias, request.guardian_email, request.birth_year) == ("", "", None)
    assert request.participant == participant
    assert mail.outbox[-1].to == [GUARDIAN]
    with pytest.raises(guardian.LinkRefused) as refused:
        give(token)
    assert refused.value.status == 410
    with unscoped():
        assert Participant.all_objects.count() == 1


def test_photos_are_a_separate_consent(world: World, walter: User) -> None:
    participant = give(token_of(ask(walter, world)))
    with unscoped():
        kinds = list(
            Consent.all_objects.filter(participant=participant).values_list("kind", flat=True)
        )
    assert kinds == [ConsentKind.REGISTRATION]


def test_an_expired_link_is_refused_clearly(world: World, walter: User) -> None:
    token = token_of(ask(walter, world, now=NOW))
    with pytest.raises(guardian.LinkRefused) as refused:
        give(token, now=NOW + dt.timedelta(days=14))
    assert refused.value.status == 410 and "expired" in refused.value.message
    give(token, now=NOW + dt.timedelta(days=13, hours=23))


def test_an_expired_request_keeps_no_data(world: World, walter: User) -> None:
    ask(walter, world, now=NOW - dt.timedelta(days=15))
    ask(walter, world, alias="Puma", now=NOW)
    with unscoped():
        old, new = GuardianRequest.all_objects.order_by("requested_at")
    assert (old.alias, old.guardian_email) == ("", "") and new.alias == "Puma"


def test_a_notice_changed_meanwhile_saves_nothing(world: World, walter: User) -> None:
    token = token_of(ask(walter, world))
    publish(world.region)  # version 2
    with pytest.raises(ValidationError):
        give(token, version=1)
    with unscoped():
        assert Participant.all_objects.count() == 0 and Consent.all_objects.count() == 0
        assert GuardianRequest.all_objects.get().used_at is None
    give(token, version=2)


def test_an_alias_taken_meanwhile_saves_nothing(world: World, walter: User) -> None:
    token = token_of(ask(walter, world))
    register(walter, world.harbour, alias="lynx")
    with pytest.raises(ValidationError):
        give(token, photos=True)
    with unscoped():
        assert Participant.all_objects.count() == 1 and Consent.all_objects.count() == 1
        assert GuardianRequest.all_objects.get().used_at is None


def test_an_unknown_link_is_not_found() -> None:
    with pytest.raises(guardian.LinkRefused) as refused:
        guardian.open_request("not-a-token")
    assert refused.value.status == 404


# The pages.


def test_the_guardian_page_shows_the_notice_in_the_chosen_language(
    world: World, walter: User, client: Client
) -> None:
    link = reverse("participants:guardian_consent", args=[token_of(ask(walter, world))])
    page = client.get(link)  # the request's language: Swedish (no Swedish text: English)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert 'lang="sv"' in page.content.decode() and "We keep your alias." in page.content.decode()
    latvian = client.get(link, {"language": "lv"}).content.decode()
    assert 'lang="lv"' in latvian and "Mēs glabājam tavu segvārdu." in latvian
    assert client.get(link, {"language": "xx"}).status_code == 200


def test_the_guardian_form_needs_both_ticks(world: World, walter: User, client: Client) -> None:
    link = reverse("participants:guardian_consent", args=[token_of(ask(walter, world))])
    answer = client.post(link, {"registration": "on", "notice_version": "1"})
    assert answer.status_code == 200
    with unscoped():
        assert Participant.all_objects.count() == 0
    done = client.post(
        link, {"is_guardian": "on", "registration": "on", "notice_version": "1", "language": "lv"}
    )
    assert done.status_code == 200 and "Lynx" in done.content.decode()
    with unscoped():
        assert Participant.all_objects.count() == 1
    again = client.get(link)
    assert again.status_code == 410


def test_an_expired_link_page_says_so(world: World, walter: User, client: Client) -> None:
    requested = ask(walter, world, now=NOW - dt.timedelta(days=15))
    page = client.get(reverse("participants:guardian_consent", args=[token_of(requested)]))
    assert page.status_code == 410 and "expired" in page.content.decode()


def test_the_worker_sees_the_link_once(world: World, walter: User, login: Any) -> None:
    client = login(walter)
    page = client.post(
        reverse("participants:guardian_request", args=[world.harbour.pk]),
        {
            "alias": "Lynx",
            "birth_year": "2015",
            "birth_month": "4",
            "gender": "boy",
            "guardian_email": GUARDIAN,
            "language": "lv",
        },
    )
    assert page.status_code == 200
    assert "/guardian/" in page.content.decode()
    with unscoped():
        assert GuardianRequest.all_objects.get().language == "lv"


@pytest.mark.parametrize("language", ["lv", "fi"])
def test_the_printable_form_is_in_the_chosen_language(
    world: World, walter: User, login: Any, language: str
) -> None:
    client = login(walter)
    url = reverse("participants:guardian_paper", args=[world.harbour.pk])
    page = client.get(url, {"language": language, "alias": "Lynx"}).content.decode()
    assert f'<article class="paper-form" lang="{language}">' in page and "Lynx" in page
    pdf = client.get(
        reverse("participants:guardian_paper_pdf", args=[world.harbour.pk]),
        {"language": language, "alias": "Lynx"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.parametrize("who", ["alice", "carl", "vera", "otto"])
def test_only_the_units_workers_ask_a_guardian(
    who: str, request: pytest.FixtureRequest, world: World
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        ask(request.getfixturevalue(who), world)
    with unscoped():
        assert GuardianRequest.all_objects.count() == 0
        assert not AuditEntry.objects.filter(action=AuditAction.GUARDIAN_CONSENT_REQUESTED).exists()


def test_the_printable_forms_pdf_link_keeps_its_choices(
    world: World, walter: User, login: Any
) -> None:
    url = reverse("participants:guardian_paper", args=[world.harbour.pk])
    page = login(walter).get(url, {"language": "sl", "alias": "Lynx", "other": "x"})
    assert "paper.pdf?language=sl&amp;alias=Lynx" in page.content.decode()


def test_a_resent_request_is_stored_once_and_sends_one_email(
    world: World, walter: User, login: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    """A double submit (or the back button) of the worker's form stores one request and sends
    one e-mail; the resend shows the same confirmation without the link (only its hash is
    kept), and another content under the same key is refused."""
    client = login(walter)
    url = reverse("participants:guardian_request", args=[world.harbour.pk])
    key = re.search(r'name="idempotency_key" value="([\w-]+)"', client.get(url).content.decode())
    assert key is not None, "the form carries no idempotency key"
    body = {
        "alias": "Lynx",
        "birth_year": "2015",
        "birth_month": "4",
        "gender": "boy",
        "guardian_email": GUARDIAN,
        "language": "lv",
        "idempotency_key": key[1],
    }
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, body)
        again = client.post(url, body)
    assert first.status_code == again.status_code == 200
    assert 'class="guardian-link"' in first.content.decode()
    text = again.content.decode()
    assert "Already sent" in text and "Lynx" in text and GUARDIAN in text
    assert 'class="guardian-link"' not in text  # the link cannot be shown again
    with unscoped():
        assert GuardianRequest.all_objects.count() == 1
        assert AuditEntry.objects.filter(action=AuditAction.GUARDIAN_CONSENT_REQUESTED).count() == 1
    assert len(mail.outbox) == 1

    other = client.post(url, {**body, "alias": "Otter"})
    assert other.status_code == 409
    with unscoped():
        assert GuardianRequest.all_objects.count() == 1
