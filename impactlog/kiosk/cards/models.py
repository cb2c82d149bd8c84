"""A young person's kiosk card: one live card per participant, its secret stored only hashed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class KioskCard(TenantModel):
    """A printed card with a QR code that checks its young person in at the kiosks of their
    organisation; revoked when another is issued, on request, or when the record is anonymised."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    # The organisation whose kiosks read the card (the participant's): the QR names it.
    organisation = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    # The secret is made from this salt with the site's secret key (kept outside the database),
    # so a sheet can be printed again; the database holds only the salt and the secret's keyed
    # hash, which a scanned card is found by.
    salt = models.CharField(max_length=32)
    secret_hash = models.CharField(max_length=64, unique=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "participant__unit"

    class Meta:
        # Reached through the participant, who was authorised already.
        default_manager_name = "all_objects"
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("kiosk card")
        verbose_name_plural = _("kiosk cards")
        constraints = [
            models.UniqueConstraint(
                fields=["participant"],
                condition=Q(revoked_at__isnull=True),
                name="kioskcard_one_live_per_participant",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
