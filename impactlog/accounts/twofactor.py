"""TOTP second factor (django-otp): setting up, confirming, checking and removing a device."""

from __future__ import annotations

import base64
from typing import Any

import segno
from django_otp.plugins.otp_totp.models import TOTPDevice

from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import memberships_of

DEVICE_NAME = "authenticator"


def confirmed_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up, created on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The shared secret in base32, grouped for typing into an app by hand."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The provisioning address as an SVG QR code in a data: URI (allowed by our CSP)."""
    return str(segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2))


def two_factor_required(user: Any) -> bool:
    """True if any node the user holds a role in, or any node above it, requires 2FA."""
    ancestor_ids: set[int] = set()
    for membership in memberships_of(user):
        if membership.node.require_two_factor:
            return True
        ancestor_ids.update(membership.node.ancestor_ids())
    if not ancestor_ids:
        return False
    # the nodes above the user's roles lie outside their scope
    return Node.all_objects.filter(pk__in=ancestor_ids, require_two_factor=True).exists()
