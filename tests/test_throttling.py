"""Password-reset and invitation e-mails are limited per address and per client address."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import MailSent
from impactlog.tenancy.models import Invitation
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World

RESET = reverse("accounts:password_reset")
DONE = reverse("accounts:password_reset_done")


def _reset(email: str, ip: str = "192.0.2.1") -> Any:
    return Client(REMOTE_ADDR=ip).post(RESET, {"email": email})


def _sent_to(email: str) -> int:
    return sum(1 for message in mail.outbox if message.to == [email])


@pytest.mark.django_db
def test_reset_emails_to_one_address_stop_at_the_limit_and_start_again_after_the_window(
    world: World, walter, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    answers = [_reset("walter@example.org", ip=f"192.0.2.{i}") for i in range(1, 6)]
    # Five asks from five places, one answer for all of them: no hint that the limit was met.
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, DONE)}
    assert _sent_to("walter@example.org") == 3
    # Other addresses are not held up.
    _reset("maria@example.org")
    assert len(mail.outbox) == 3  # maria has no account here: nothing to send, nothing held up
    time_machine.move_to(NOW + dt.timedelta(minutes=59), tick=False)
    _reset("walter@example.org")
    assert _sent_to("walter@example.org") == 3
    time_machine.move_to(NOW + dt.timedelta(minutes=61), tick=False)
    _reset("walter@example.org")
    assert _sent_to("walter@example.org") == 4


@pytest.mark.django_db
def test_reset_emails_asked_from_one_client_stop_at_the_limit(
    world: World, walter, maria, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    # Ten asks for addresses without an account: no e-mail, but they count for the client.
    for i in range(10):
        assert _reset(f"nobody{i}@example.org")["Location"] == DONE
    held = _reset("walter@example.org")
    assert (held.status_code, held["Location"]) == (302, DONE)
    assert len(mail.outbox) == 0
    # Another client is not held up; the first one is again after the window.
    _reset("walter@example.org", ip="198.51.100.7")
    assert _sent_to("walter@example.org") == 1
    time_machine.move_to(NOW + dt.timedelta(hours=1, seconds=1), tick=False)
    _reset("maria@example.org")
    assert _sent_to("maria@example.org") == 1


@pytest.mark.django_db
def test_the_client_is_the_address_the_trusted_proxy_saw(
    world: World, walter, settings: Any, time_machine: Any
) -> None:
    """Behind one proxy, a made-up X-Forwarded-For entry does not make a new client."""
    time_machine.move_to(NOW, tick=False)
    settings.IMPACTLOG_PROXY_COUNT = 1
    settings.IMPACTLOG_MAIL_LIMIT_PER_ADDRESS = 100
    for i in range(10):
        Client(HTTP_X_FORWARDED_FOR=f"10.0.0.{i}, 203.0.113.5").post(
            RESET, {"email": "walter@example.org"}
        )
    assert _sent_to("walter@example.org") == 10
    Client(HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.5").post(
        RESET, {"email": "walter@example.org"}
    )
    assert _sent_to("walter@example.org") == 10


@pytest.mark.django_db
def test_the_limits_are_settings(world: World, walter, settings: Any, time_machine: Any) -> None:
    time_machine.move_to(NOW, tick=False)
    settings.IMPACTLOG_MAIL_LIMIT_PER_ADDRESS = 1
    settings.IMPACTLOG_MAIL_WINDOW_SECONDS = 60
    _reset("walter@example.org")
    _reset("walter@example.org")
    assert _sent_to("walter@example.org") == 1
    time_machine.move_to(NOW + dt.timedelta(seconds=61), tick=False)
    _reset("walter@example.org")
    assert _sent_to("walter@example.org") == 2


@pytest.mark.django_db
def test_the_counts_hold_no_addresses_and_old_ones_are_forgotten(
    world: World, walter, time_machine: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    _reset("walter@example.org", ip="192.0.2.44")
    row = MailSent.objects.get()
    assert "walter" not in row.address_key and "192.0.2" not in row.client_key
    time_machine.move_to(NOW + dt.timedelta(hours=2), tick=False)
    _reset("walter@example.org", ip="192.0.2.44")
    assert MailSent.objects.count() == 1


def _invite(client: Client, world: World, email: str, place: Any = None) -> Any:
    place = place or world.harbour
    return client.post(
        reverse("structure:invite", args=[place.pk]), {"email": email, "role": Role.WORKER}
    )


@pytest.mark.django_db
def test_invitations_to_one_address_stop_at_the_limit_with_a_message(
    world: World,
    alice,
    time_machine: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    time_machine.move_to(NOW, tick=False)
    client = Client(REMOTE_ADDR="192.0.2.9")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with django_capture_on_commit_callbacks(execute=True):
        # One open invitation per person and place: three places, then a fourth.
        statuses = [
            _invite(client, world, "nina@example.org", place).status_code
            for place in (world.harbour, world.hill, world.region)
        ]
        refused = _invite(client, world, "nina@example.org", world.network)
    assert statuses == [302, 302, 302]
    assert refused.status_code == 429
    assert (
        "No invitation was sent: too many went to this address, or from this connection, in the "
        "last 60 minutes. Try again later."
    ) in refused.content.decode()
    assert _sent_to("nina@example.org") == 3
    with unscoped():
        assert Invitation.all_objects.filter(email="nina@example.org").count() == 3
    time_machine.move_to(NOW + dt.timedelta(minutes=61), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _invite(client, world, "nina@example.org", world.network).status_code == 302
    assert _sent_to("nina@example.org") == 4


@pytest.mark.django_db
def test_invitations_from_one_client_stop_at_the_limit(
    world: World, alice, time_machine: Any, django_capture_on_commit_callbacks: Any
) -> None:
    time_machine.move_to(NOW, tick=False)
    client = Client(REMOTE_ADDR="192.0.2.9")
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(10):
            assert _invite(client, world, f"new{i}@example.org").status_code == 302
        assert _invite(client, world, "one-more@example.org").status_code == 429
    assert len(mail.outbox) == 10


@pytest.mark.django_db
def test_a_refused_invitation_is_not_counted(world: World, alice, walter, settings: Any) -> None:
    settings.IMPACTLOG_MAIL_LIMIT_PER_ADDRESS = 1
    client = Client()
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    # Walter has a role at Harbour already: refused by the service, so nothing was sent.
    assert "already has a role" in _invite(client, world, "walter@example.org").content.decode()
    assert MailSent.objects.count() == 0
