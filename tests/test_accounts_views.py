from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from impactlog.accounts.forms import AcceptInvitationForm
from impactlog.accounts.models import User
from impactlog.structure import services
from impactlog.tenancy.models import AuditEntry, Invitation, Membership
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import PASSWORD, World


def _sign_in(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": email, "password": password, **extra}
    )


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.django_db
def test_sign_in_with_email_and_password(world: World, walter) -> None:
    client = Client()
    response = _sign_in(client, "WALTER@example.org")
    assert response.status_code == 302
    # Walter has one place, so home takes him straight to it.
    home = client.get(reverse("core:home"))
    assert home["Location"] == reverse("structure:node", args=[world.harbour.pk])


@pytest.mark.django_db
def test_a_wrong_password_is_explained(world: World, walter) -> None:
    response = _sign_in(Client(), "walter@example.org", "wrong")
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password." in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account(world: World, walter) -> None:
    client = Client()
    for _ in range(5):
        _sign_in(client, "walter@example.org", "wrong")
    locked = _sign_in(client, "walter@example.org")
    assert locked.status_code == 429
    assert "Too many attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_sign_in_returns_to_a_safe_next_page_only(world: World, walter) -> None:
    target = reverse("accounts:profile")
    assert _sign_in(Client(), "walter@example.org", next=target)["Location"] == target
    evil = _sign_in(Client(), "walter@example.org", next="https://evil.example/")
    assert evil["Location"] == reverse("core:home")


@pytest.mark.django_db
def test_two_factor_set_up_and_sign_in(world: World, login, walter) -> None:
    client = login(walter)
    page = client.get(reverse("accounts:twofactor_setup"))
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=walter, confirmed=False)
    wrong = client.post(reverse("accounts:twofactor_setup"), {"token": "000000"})
    assert "That code is not right" in wrong.content.decode()
    client.post(reverse("accounts:twofactor_setup"), {"token": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.all_objects.filter(action="twofactor.enabled", actor=walter).exists()

    fresh = Client()
    step_one = _sign_in(fresh, "walter@example.org")
    assert step_one["Location"] == reverse("accounts:login_verify")
    assert "_auth_user_id" not in fresh.session
    bad = fresh.post(reverse("accounts:login_verify"), {"token": "12345x"})
    assert "The code has only digits." in bad.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    device.last_t = -1
    device.save()
    done = fresh.post(reverse("accounts:login_verify"), {"token": _code(device)})
    assert done.status_code == 302
    assert fresh.session["_auth_user_id"] == str(walter.pk)


@pytest.mark.django_db
def test_a_network_can_require_two_factor(world: World, login, alice, walter) -> None:
    with unscoped():
        services.update_node(alice, world.network, require_two_factor=True)
    client = login(walter)
    response = client.get(reverse("structure:node", args=[world.harbour.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:twofactor_setup"))
    setup = client.get(response["Location"])
    assert "Your organisation requires two-factor sign-in." in setup.content.decode()
    # The outsider's organisation does not require it.


@pytest.mark.django_db
def test_two_factor_cannot_be_turned_off_where_required(world: World, login, alice) -> None:
    device = TOTPDevice.objects.create(user=alice, name="a", confirmed=True)
    with unscoped():
        services.update_node(alice, world.network, require_two_factor=True)
    client = login(alice)
    response = client.post(reverse("accounts:twofactor_disable"))
    assert "requires two-factor sign-in" in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


@pytest.mark.django_db
def test_two_factor_is_turned_off_with_the_password(world: World, login, walter) -> None:
    TOTPDevice.objects.create(user=walter, name="a", confirmed=True)
    response = login(walter).post(reverse("accounts:twofactor_disable"), {"password": PASSWORD})
    assert response["Location"] == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(user=walter).exists()
    assert AuditEntry.all_objects.filter(action="twofactor.disabled", actor=walter).count() == 1


@pytest.mark.django_db
def test_two_factor_is_turned_off_with_a_current_code(world: World, login, walter) -> None:
    device = TOTPDevice.objects.create(user=walter, name="a", confirmed=True)
    client = login(walter)
    assert "or your password" in client.get(reverse("accounts:twofactor_disable")).content.decode()
    response = client.post(reverse("accounts:twofactor_disable"), {"token": _code(device)})
    assert response["Location"] == reverse("accounts:profile")
    assert not TOTPDevice.objects.filter(user=walter).exists()
    assert AuditEntry.all_objects.filter(action="twofactor.disabled", actor=walter).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Enter a current code from your authenticator app, or your password."),
        ({"token": "", "password": ""}, "Enter a current code from your authenticator app"),
        (
            {"token": "000000"},
            "That code or password is not right. Two-factor sign-in is still on.",
        ),
        ({"token": "12ab56"}, "That code or password is not right."),
        ({"password": "not my password"}, "That code or password is not right."),
        ({"token": "000000", "password": "nope"}, "That code or password is not right."),
    ],
)
def test_two_factor_stays_on_without_a_code_or_the_password(
    world: World, login, walter, body: dict[str, str], message: str
) -> None:
    device = TOTPDevice.objects.create(user=walter, name="a", confirmed=True)
    response = login(walter).post(reverse("accounts:twofactor_disable"), body)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert TOTPDevice.objects.filter(pk=device.pk, confirmed=True).exists()
    assert not AuditEntry.all_objects.filter(action="twofactor.disabled").exists()


@pytest.mark.django_db
def test_a_wrong_code_counts_towards_the_devices_throttle(world: World, login, walter) -> None:
    """The refusal does not roll back django-otp's count of failures, so codes cannot be
    guessed here faster than at sign-in."""
    device = TOTPDevice.objects.create(user=walter, name="a", confirmed=True)
    login(walter).post(reverse("accounts:twofactor_disable"), {"token": "000000"})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


@pytest.mark.django_db
def test_profile_changes_name_and_language(world: World, login, walter) -> None:
    client = login(walter)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Walter W.", "language": "lv"}
    )
    assert response.status_code == 302
    walter.refresh_from_db()
    assert (walter.full_name, walter.language) == ("Walter W.", "lv")
    page = client.get(reverse("accounts:profile"))
    assert page["Content-Language"] == "lv"
    assert '<html lang="lv">' in page.content.decode()


@pytest.mark.django_db
def test_profile_rejects_an_empty_name(world: World, login, walter) -> None:
    response = login(walter).post(reverse("accounts:profile"), {"full_name": "", "language": ""})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()


@pytest.mark.django_db
def test_password_change_is_audited(world: World, login, walter) -> None:
    response = login(walter).post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a much longer passphrase",
            "new_password2": "a much longer passphrase",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.all_objects.filter(action="password.changed", actor=walter).exists()


@pytest.mark.django_db
def test_password_reset_by_email(world: World, walter) -> None:
    client = Client()
    client.post(reverse("accounts:password_reset"), {"email": "walter@example.org"})
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase", "new_password2": "brand new passphrase"},
    )
    assert done.status_code == 302
    walter.refresh_from_db()
    assert walter.check_password("brand new passphrase")


@pytest.mark.django_db
def test_password_reset_tells_nothing_about_unknown_addresses(world: World) -> None:
    response = Client().post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_new_person_accepts_an_invitation(
    world: World, alice, django_capture_on_commit_callbacks: Any
) -> None:
    with unscoped(), django_capture_on_commit_callbacks(execute=True):
        services.invite(alice, world.harbour, "nina@example.org", Role.WORKER, base_url="http://t")
    path = mail.outbox[0].body.split("http://t", 1)[1].split()[0]
    client = Client()
    mismatch = client.post(path, {"full_name": "Nina", "password1": "short", "password2": "other"})
    assert "The two passwords are not the same." in mismatch.content.decode()
    response = client.post(
        path,
        {
            "full_name": "Nina New",
            "password1": "a fine passphrase",
            "password2": "a fine passphrase",
        },
    )
    assert response.status_code == 302
    nina = User.objects.get(email="nina@example.org")
    assert Membership.all_objects.get(user=nina).role == Role.WORKER
    again = Client().get(path)
    assert again.status_code == 404
    assert "Invitation not valid" in again.content.decode()


@pytest.mark.django_db
def test_a_known_person_signs_in_to_accept(
    world: World, alice, otto, django_capture_on_commit_callbacks: Any
) -> None:
    with unscoped(), django_capture_on_commit_callbacks(execute=True):
        services.invite(alice, world.hill, "otto@example.org", Role.VIEWER, base_url="http://t")
    path = mail.outbox[0].body.split("http://t", 1)[1].split()[0]
    anonymous = Client().get(path)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("accounts:login"))
    client = Client()
    client.force_login(otto, backend="django.contrib.auth.backends.ModelBackend")
    assert "You are invited to Hill Youth Centre" in client.get(path).content.decode()
    client.post(path)
    assert Membership.all_objects.get(user=otto, node=world.hill).role == Role.VIEWER


@pytest.mark.django_db
def test_sign_out_needs_a_post(world: World, login, walter) -> None:
    client = login(walter)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_lockout_counts_the_address_the_trusted_proxy_saw(settings) -> None:
    from django.test import RequestFactory

    from impactlog.accounts.client_ip import client_ip

    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9"
    )
    settings.IMPACTLOG_PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    settings.IMPACTLOG_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # not the forged 6.6.6.6
    settings.IMPACTLOG_PROXY_COUNT = 3
    assert client_ip(request) == "10.0.0.2"


NEW_PERSON = {
    "full_name": "Nina New",
    "password1": "a fine passphrase",
    "password2": "a fine passphrase",
}


def _invitation_path(world: World, alice: User, capture: Any, email: str = "nina@example.org"):  # type: ignore[no-untyped-def]
    with unscoped(), capture(execute=True):
        invitation = services.invite(alice, world.harbour, email, Role.WORKER, base_url="http://t")
    return invitation, mail.outbox[-1].body.split("http://t", 1)[1].split()[0]


def _race(monkeypatch: pytest.MonkeyPatch, between: Any) -> None:
    """Run `between` after the page decided to create an account, before it does."""
    original = AcceptInvitationForm.clean

    def clean(form: AcceptInvitationForm) -> dict[str, Any]:
        between()
        return original(form)

    monkeypatch.setattr(AcceptInvitationForm, "clean", clean)


@pytest.mark.django_db
def test_an_invitation_used_in_between_gives_a_clear_answer_and_no_second_account(
    world: World, alice, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation, path = _invitation_path(world, alice, django_capture_on_commit_callbacks)
    client = Client()
    assert client.get(path).status_code == 200

    def accept_elsewhere() -> None:
        other = User.objects.create_user(email="nina@example.org", full_name="Nina Elsewhere")
        services.accept_invitation(invitation, other)

    _race(monkeypatch, accept_elsewhere)
    response = client.post(path, NEW_PERSON)
    assert response.status_code == 409
    assert "This invitation has expired or was already used." in response.content.decode()
    nina = User.objects.get(email="nina@example.org")
    assert nina.full_name == "Nina Elsewhere"
    assert Membership.all_objects.filter(user=nina).count() == 1
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_address_taken_in_between_gives_a_clear_answer(
    world: World, alice, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    invitation, path = _invitation_path(world, alice, django_capture_on_commit_callbacks)
    _race(
        monkeypatch,
        lambda: User.objects.create_user(email="Nina@example.org", full_name="Nina Elsewhere"),
    )
    users = User.objects.count() + 1
    response = Client().post(path, NEW_PERSON)
    assert response.status_code == 409
    assert "An account with this e-mail address exists already" in response.content.decode()
    assert User.objects.count() == users
    assert not Membership.all_objects.filter(node=world.harbour, user__email=invitation.email)
    with unscoped():
        assert Invitation.all_objects.get(pk=invitation.pk).accepted_at is None


@pytest.mark.django_db
def test_signing_up_is_one_transaction_no_account_without_a_role(
    world: World, alice, django_capture_on_commit_callbacks: Any
) -> None:
    invitation, path = _invitation_path(world, alice, django_capture_on_commit_callbacks)
    # The role cannot be given (a value no longer known): the account must not stay either.
    Invitation.all_objects.filter(pk=invitation.pk).update(role="ghost")
    users, entries = User.objects.count(), AuditEntry.all_objects.count()
    response = Client().post(path, NEW_PERSON)
    assert response.status_code == 409
    assert "This is not a role a person can hold." in response.content.decode()
    assert not User.objects.filter(email="nina@example.org").exists()
    assert (User.objects.count(), AuditEntry.all_objects.count()) == (users, entries)


@pytest.mark.django_db
def test_a_known_person_whose_invitation_was_withdrawn_meanwhile_gets_a_clear_page(
    world: World, alice, otto, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    with unscoped(), django_capture_on_commit_callbacks(execute=True):
        invitation = services.invite(
            alice, world.hill, "otto@example.org", Role.VIEWER, base_url="http://t"
        )
    path = mail.outbox[0].body.split("http://t", 1)[1].split()[0]
    client = Client()
    client.force_login(otto, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(path).status_code == 200
    from impactlog.accounts import views

    found = views.structure_services.find_invitation

    def find_then_revoke(token: str) -> Any:
        result = found(token)
        with unscoped():
            services.revoke_invitation(alice, invitation)
        return result

    monkeypatch.setattr(views.structure_services, "find_invitation", find_then_revoke)
    response = client.post(path)
    assert response.status_code == 409
    assert "Invitation not valid" in response.content.decode()
    assert not Membership.all_objects.filter(user=otto, node=world.hill).exists()


@pytest.mark.django_db
def test_an_address_taken_between_the_check_and_the_insert_is_a_clear_refusal(
    world: World, alice, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from impactlog.accounts import services as account_services

    invitation, _path = _invitation_path(world, alice, django_capture_on_commit_callbacks)
    create = account_services.create_account

    def create_after_someone_else(*args: Any, **kwargs: Any) -> User:
        User.objects.create_user(email="nina@example.org", full_name="Nina Elsewhere")
        return create(*args, **kwargs)

    monkeypatch.setattr(account_services, "create_account", create_after_someone_else)
    with pytest.raises(ValidationError) as error:
        account_services.sign_up_from_invitation(
            invitation, full_name="Nina New", password="a fine passphrase"
        )
    assert "exists already" in error.value.messages[0]
    with unscoped():
        assert Invitation.all_objects.get(pk=invitation.pk).accepted_at is None
