"""Check-in kiosks: a tablet paired to one activity of a unit, and the check-ins it sends.

Neither a pairing code nor a device token is stored: only their keyed hashes (see
`kiosk.services`). A device belongs to its unit; a check-in to its device's unit.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class PairingCode(TenantModel):
    """A one-time code a manager gives a tablet; it expires ten minutes after it was made."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey("logbook.Activity", on_delete=models.PROTECT, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pairing code")
        verbose_name_plural = _("pairing codes")

    def __str__(self) -> str:
        return f"#{self.pk}"


class KioskDevice(TenantModel):
    """A paired tablet: the unit and activity it checks young people in to."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        "logbook.Activity", verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name of the kiosk"), max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paired_at = models.DateTimeField()
    last_seen_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Check-ins sent again after they were stored (a replayed offline queue).
    duplicates = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-paired_at"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self) -> str:
        return self.name


class CheckIn(TenantModel):
    """One young person checked in at a kiosk: registered (participant) or counted anonymously.

    `sequence` is the device's own increasing number; with the idempotency key it is unique
    per device, so a check-in sent twice is stored once. It is stored at once and added to its
    session's counts moments later (`counted_at`), so that kiosks do not queue on the session."""

    device = models.ForeignKey(KioskDevice, on_delete=models.PROTECT, related_name="checkins")
    session = models.ForeignKey(
        "logbook.Session", on_delete=models.PROTECT, related_name="checkins"
    )
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    gender = models.CharField(max_length=12)  # the logbook's gender of the count it added to
    age_band = models.CharField(max_length=8)
    sequence = models.PositiveIntegerField()
    key = models.CharField(max_length=64)
    device_time = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField()
    # When the check-in was added to its session's counts: NULL while it waits for the count
    # (kiosk.tasks.count_check_ins), which adds many waiting check-ins at once.
    counted_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "device__node"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["device", "sequence"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["device", "sequence"], name="checkin_unique_sequence"),
            models.UniqueConstraint(fields=["device", "key"], name="checkin_unique_key"),
        ]
        indexes = [
            models.Index(fields=["device", "received_at"], name="checkin_device_time"),
            models.Index(
                fields=["session"],
                condition=models.Q(counted_at__isnull=True),
                name="checkin_waiting",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class CountRequest(TenantModel):
    """A count of a session's waiting check-ins is queued and has not begun: while this row
    exists, further check-ins of the session ask for no other (kiosk.services._count_later).

    Each check-in that finds the row takes its lock until it commits (`asked` grows), and the
    count deletes the row before it reads the waiting check-ins, so it waits for every
    check-in that relied on it and reads them all (docs/architecture.md, "Counting later")."""

    session = models.OneToOneField(
        "logbook.Session", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    asked = models.PositiveIntegerField(default=1)  # check-ins that relied on this request

    tenant_owner = "session__node"

    def __str__(self) -> str:
        return f"count of session {self.session_id}"


class PairingFailure(models.Model):
    """A wrong pairing code sent from one client address, for the pairing throttle: only a keyed
    hash of the address is kept, and rows older than the window are deleted."""

    client_key = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"#{self.pk}"


from impactlog.kiosk.cards.models import KioskCard  # noqa: E402 (the model lives in its module)

__all__ = ["CheckIn", "KioskCard", "KioskDevice", "PairingCode", "PairingFailure"]
