"""The tenancy layer's tables: the tree of places, who holds which role where, invitations and
the audit trail; and `TenantModel`, the base every tenant table of the other apps declares its
owner with."""

from __future__ import annotations

import zoneinfo
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impactlog.core.countries import COUNTRIES
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import TenantManager


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


class TenantModel(models.Model):
    """A table whose every row belongs to a node of the tree.

    `tenant_owner` is the lookup from the row to the node that owns it ("node",
    "session__node"; empty on `Node` itself, which owns itself). `tenant_shared` marks rows that
    the owner shares with every member of its subtree: a network's definitions, vocabulary and
    settings, the reflection questions an organisation asks its units. The scoped default
    manager, the permission layer (`authorize`, `resolve`) and the audit trail all read this
    declaration; a test fails for any model that is neither a `TenantModel` nor listed in
    `GLOBAL_MODELS`.
    """

    tenant_owner: ClassVar[str] = "node"
    tenant_shared: ClassVar[bool] = False
    # Rows that become readable by a wider circle once they meet a condition: (the lookup to
    # the node whose members may then read them, the condition). A question on a definition
    # belongs to the place it was asked from, and once answered is read by the whole network.
    tenant_published: ClassVar[tuple[str, Q] | None] = None

    objects = TenantManager()
    # Unscoped rows, for the tenancy layer and for system code (commands, tasks, migrations)
    # that has already decided what it may read; each use outside them says why.
    all_objects = models.Manager()

    class Meta:
        abstract = True

    def owner_node(self) -> Node:
        """The node that owns this row."""
        if not self.tenant_owner:
            assert isinstance(self, Node)
            return self
        current: Any = self
        for name in self.tenant_owner.split("__"):
            current = getattr(current, name)
        assert isinstance(current, Node)
        return current


# Tables that belong to no node, each with the reason. Everything else is a TenantModel.
GLOBAL_MODELS: dict[str, str] = {
    # A person's account exists across organisations; what they may see comes from memberships.
    "accounts.user": "people sign in once and may hold roles in several trees",
    "auth.group": "Django's groups: unused, roles are memberships",
    "auth.permission": "Django's model permissions: unused, permissions are tenancy.roles.Perm",
    "contenttypes.contenttype": "Django's registry of models",
    "sessions.session": "sign-in sessions of accounts",
    "otp_totp.totpdevice": "a person's second factor, tied to the account",
    "axes.accessattempt": "sign-in failures by address, before anyone is known",
    "axes.accessfailurelog": "sign-in failures by address, before anyone is known",
    "axes.accesslog": "sign-ins by address, before anyone is known",
    "axes.accessattemptexpiration": "when a sign-in lockout ends",
    "accounts.mailsent": "e-mails sent per address and client, for the throttle; no node yet",
    "kiosk.pairingfailure": "wrong pairing codes per client address, for the throttle; no device",
    "django_tasks_database.dbtaskresult": "the task queue: tasks take primary keys and authorise",
}


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


class Node(TenantModel):
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

    tenant_owner = ""

    class Meta:
        ordering = ["path"]
        db_table = "structure_node"  # the name it had before the model moved here
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


class Membership(TenantModel):
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

    class Meta:
        ordering = ["node__path", "user__email"]
        db_table = "structure_membership"  # the name it had before the model moved here
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "node"], name="membership_unique_user_node")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node}"


class Invitation(TenantModel):
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

    # The link with the token, known only right after sending: the token itself is not stored.
    link: str = ""

    class Meta:
        ordering = ["-created_at"]
        db_table = "structure_invitation"  # the name it had before the model moved here
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.node}"

    def is_open(self, now: Any) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


# The audit trail: append-only, scoped by the node each change belongs to.


class AppendOnlyError(RuntimeError):
    """Audit entries are never changed or deleted."""


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(TenantModel):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(max_length=254, blank=True)
    node = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    # The permission a reader needs at `node` to see the values in `changes` and the object's
    # name (empty: whoever may read the audit trail); decided by `audit.values_perm_for`.
    values_perm = models.CharField(max_length=32, blank=True, default="")

    objects = TenantManager.from_queryset(AuditQuerySet)()  # type: ignore[misc]
    all_objects = AuditQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        db_table = "core_auditentry"  # the name it had before the model moved here
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Audit entries cannot be deleted.")


# Idempotency keys: a form that creates something is saved once, however often it is sent.


class IdempotencyKey(TenantModel):
    """One submission of a form that created something, kept for `idempotency.KEEP`.

    The form carried a random key; a resend with the same key shows the record this submission
    saved instead of saving it again. The node is the place of the form's URL, which scopes the
    row like any other; only the person who sent the form ever reads it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64)
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    # A hash of what was submitted: the same key with other content is refused.
    fingerprint = models.CharField(max_length=64)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")
        constraints = [
            # Two identical submissions at the same moment: one of them stores its record.
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.object_type} #{self.object_id}"


# Disclosure control: what each network shows of its figures to people without records rights.


class DisclosureChanges(TenantModel):
    """How many times the records, the tree, the roles or the thresholds of one network changed:
    the count every decision of the network is compared with. One row per network, raised in
    the transaction of each change (so a task that locks it before reading the records waits
    for a change that is being made)."""

    network = models.OneToOneField(Node, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveBigIntegerField(default=0)

    tenant_owner = "network"
    tenant_shared = True

    class Meta:
        verbose_name = _("changes to the figures")
        verbose_name_plural = _("changes to the figures")

    def __str__(self) -> str:
        return f"{self.network_id}: {self.count}"


class DisclosureDecision(TenantModel):
    """The protected figures of one network, one family of figures and one calendar year.

    The disclosure engine (`tenancy.disclosure`) decides what to hide over every place and every
    calendar period of the year at once; the result is kept per place in `DisclosedCells`.
    `decided_changes` is the network's count of changes (`DisclosureChanges`) that the task read,
    with that row locked, before it read the records: the decision is current while the count is
    still the same.
    """

    network = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    family = models.CharField(max_length=40)  # e.g. "logbook": whose figures these are
    year = models.PositiveSmallIntegerField()
    decided_changes = models.PositiveBigIntegerField(default=0)
    thresholds = models.JSONField(default=dict)  # the thresholds it was decided with
    queued_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)  # None: never decided yet
    seconds = models.FloatField(default=0)  # how long deciding took
    # The version of the engine that decided (disclosure.ENGINE_VERSION): a decision of another
    # version is out of date, so a new engine decides again everything it would decide otherwise.
    engine = models.PositiveIntegerField(default=0)

    tenant_owner = "network"
    tenant_shared = True  # every member below reads whether the decision is current

    class Meta:
        verbose_name = _("disclosure decision")
        verbose_name_plural = _("disclosure decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "family", "year"], name="disclosure_decision_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.family} {self.year}"


class DisclosedCells(TenantModel):
    """What may be shown of one place's figures under a decision, for every calendar period:
    `{period: {position: count, or the reason it is hidden}}`."""

    decision = models.ForeignKey(DisclosureDecision, on_delete=models.CASCADE, related_name="+")
    node = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="+")
    cells = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("disclosed figures")
        verbose_name_plural = _("disclosed figures")
        constraints = [
            models.UniqueConstraint(fields=["decision", "node"], name="disclosed_cells_once")
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.node_id}"
