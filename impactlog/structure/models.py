"""The tree of places and programmes, and who holds which role where."""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.core.countries import COUNTRIES
from impactlog.core.permissions import Role
from impactlog.core.scoping import ScopedByNode, ScopedByPath


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class NodeKind(models.TextChoices):
    NETWORK = "network", _("Network")
    REGION = "region", _("Municipality or region")
    ORGANISATION = "organisation", _("Organisation")
    UNIT = "unit", _("Unit")


# A child is never of a wider kind than its parent: a unit holds no network.
KIND_RANK = {
    NodeKind.NETWORK: 0,
    NodeKind.REGION: 1,
    NodeKind.ORGANISATION: 2,
    NodeKind.UNIT: 3,
}


class Node(models.Model):
    """A network, municipality, organisation or unit. Rights follow the tree.

    `path` is a materialised path of primary keys ("/1/7/42/"): a subtree is every node whose
    path starts with its root's path, one indexed prefix query at any depth.
    """

    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=500, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=NodeKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"),
        max_length=80,
        help_text=_("Letters, numbers and hyphens; used in addresses and exports."),
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRIES)
    language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Riga", validators=[validate_time_zone]
    )
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Everyone with a role here or below must sign in with a second factor."),
    )
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedByPath()
    all_objects = models.Manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("node")
        verbose_name_plural = _("nodes")
        indexes = [
            models.Index(fields=["path"], name="node_path_idx", opclasses=["varchar_pattern_ops"])
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "slug"],
                name="node_unique_slug_in_parent",
                violation_error_message=_("Another place here already uses this short name."),
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(parent__isnull=True),
                name="node_unique_root_slug",
                violation_error_message=_("Another place here already uses this short name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to the parent."""
        return [int(part) for part in self.path.strip("/").split("/")[:-1] if part]

    def is_within(self, other: Node) -> bool:
        """True when this node is `other` or lies below it."""
        return self.path.startswith(other.path)


class Membership(models.Model):
    """A role held by a user on a node, inherited by the node's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    node = models.ForeignKey(
        Node, verbose_name=_("place"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByNode()
    all_objects = models.Manager()

    class Meta:
        ordering = ["node__path", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="membership_unique_user_node")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node}"


class Invitation(models.Model):
    """An e-mail invitation to take a role on a node. Only a hash of the token is stored."""

    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedByNode()
    all_objects = models.Manager()

    # The link with the token, known only right after sending: the token itself is not stored.
    link: str = ""

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.node}"

    def is_open(self, now: Any) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now
