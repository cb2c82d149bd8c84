"""State changes of a person's own account, each audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice

from impactlog.accounts.models import User
from impactlog.accounts.twofactor import confirmed_device, pending_device, two_factor_required
from impactlog.structure.services import accept_invitation
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Invitation
from impactlog.tenancy.scoping import validate

PROFILE_FIELDS = ["full_name", "language"]
EMAIL_TAKEN = gettext_noop(
    "An account with this e-mail address exists already: sign in to accept the invitation."
)


@transaction.atomic
def update_profile(user: User, **fields: Any) -> User:
    before = audit.snapshot(user, PROFILE_FIELDS)
    for name, value in fields.items():
        setattr(user, name, value)
    validate(user, exclude=["password"])
    user.save(update_fields=list(fields))
    changes = audit.diff(before, audit.snapshot(user, PROFILE_FIELDS))
    if changes:
        audit.record(user, AuditAction.PROFILE_UPDATED, user, changes=changes)
    return user


@transaction.atomic
def create_account(email: str, full_name: str, password: str, language: str = "") -> User:
    user = User.objects.create_user(
        email=email, password=password, full_name=full_name, language=language
    )
    audit.record(user, AuditAction.ACCOUNT_CREATED, user, changes={"email": user.email})
    return user


@transaction.atomic
def sign_up_from_invitation(
    invitation: Invitation, *, full_name: str, password: str, language: str = ""
) -> User:
    """A new person takes up an invitation: the account, its role and the used invitation in
    one transaction, so a race leaves either all of them or none (never an account without a
    role). Raises ValidationError when the invitation was used meanwhile or the address is
    taken."""
    # the invited person holds no role yet
    locked = Invitation.all_objects.select_for_update(of=("self",)).get(pk=invitation.pk)
    if not locked.is_open(timezone.now()):
        raise ValidationError(_("This invitation has expired or was already used."))
    if User.objects.filter(email__iexact=locked.email).exists():
        raise ValidationError(_(EMAIL_TAKEN))
    try:
        with transaction.atomic():
            user = create_account(locked.email, full_name, password, language)
    except IntegrityError:
        raise ValidationError(_(EMAIL_TAKEN)) from None
    accept_invitation(locked, user)
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
    audit.record(user, AuditAction.TWOFACTOR_ENABLED, user)
    return device


def disable_two_factor(user: User, *, token: str = "", password: str = "") -> None:
    """Remove the second factor, given a current code from it or the account's password.
    The proof is checked outside the transaction, so that a wrong code still counts towards
    the device's own throttle (django-otp) when the refusal is raised."""
    if two_factor_required(user):
        raise ValidationError(
            _("An organisation you belong to requires two-factor sign-in; it cannot be turned off.")
        )
    device = confirmed_device(user)
    if device is None:
        return
    if not token and not password:
        raise ValidationError(
            _("Enter a current code from your authenticator app, or your password.")
        )
    proven = (token.isdigit() and device.verify_token(token)) or (
        bool(password) and user.check_password(password)
    )
    if not proven:
        raise ValidationError(
            _("That code or password is not right. Two-factor sign-in is still on.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        audit.record(user, AuditAction.TWOFACTOR_DISABLED, user)


@transaction.atomic
def password_changed(user: User) -> None:
    audit.record(user, AuditAction.PASSWORD_CHANGED, user)
