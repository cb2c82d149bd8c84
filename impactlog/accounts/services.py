"""State changes of a person's own account, each audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from impactlog.accounts.models import User
from impactlog.accounts.twofactor import confirmed_device, pending_device, two_factor_required
from impactlog.tenancy import audit
from impactlog.tenancy.scoping import validate

PROFILE_FIELDS = ["full_name", "language"]


@transaction.atomic
def update_profile(user: User, **fields: Any) -> User:
    before = audit.snapshot(user, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    validate(user, exclude=["password"])
    user.save(update_fields=list(fields))
    changes = audit.diff(before, audit.snapshot(user, PROFILE_FIELDS))
    if changes:
        audit.record(user, "profile.updated", user, changes=changes)
    return user


@transaction.atomic
def create_account(email: str, full_name: str, password: str, language: str = "") -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )
    audit.record(user, "account.created", user, changes={"email": user.email})
    return user


@transaction.atomic
def confirm_two_factor(user: User, token: str) -> TOTPDevice:
    """Confirm the device being set up with a code from the app; replaces any earlier one."""
    device = pending_device(user)
    if not device.verify_token(token):
        raise ValidationError(
            _("That code is not right. Check the time on your phone and try again.")
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit.record(user, "twofactor.enabled", user)
    return device


@transaction.atomic
def disable_two_factor(user: User) -> None:
    if two_factor_required(user):
        raise ValidationError(
            _("An organisation you belong to requires two-factor sign-in; it cannot be turned off.")
        )
    if confirmed_device(user) is None:
        return
    TOTPDevice.objects.filter(user=user).delete()
    audit.record(user, "twofactor.disabled", user)


@transaction.atomic
def password_changed(user: User) -> None:
    audit.record(user, "password.changed", user)
