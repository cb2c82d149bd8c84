"""State changes of the tree, memberships and invitations.

Each function runs in one transaction, checks the actor's permission through the permission
layer, writes the audit record and schedules side effects on commit.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.network.services import create_network_defaults
from impactlog.structure.tasks import send_invitation_email
from impactlog.tenancy import audit
from impactlog.tenancy.models import KIND_RANK, Invitation, Membership, Node, NodeKind
from impactlog.tenancy.permissions import forget_memberships, has_perm, service
from impactlog.tenancy.roles import Perm, Role
from impactlog.tenancy.scoping import validate

NODE_FIELDS = [
    "parent",
    "kind",
    "name",
    "slug",
    "country",
    "language",
    "time_zone",
    "require_two_factor",
    "archived_at",
]
INVITATION_DAYS = 14


def _require(actor: User, perm: Perm, node: Node) -> None:
    if not has_perm(actor, perm, node):
        raise PermissionDenied


def _fresh(node: Node | int) -> Node:
    """The node as it is in the database now, locked until the transaction ends."""
    pk = node if isinstance(node, int) else node.pk
    return Node.all_objects.select_for_update().get(pk=pk)


def _check_kind(kind: str, parent: Node | None) -> None:
    if parent is not None and KIND_RANK[NodeKind(kind)] < KIND_RANK[NodeKind(parent.kind)]:
        raise ValidationError(
            {
                "kind": _("A %(child)s cannot be placed inside a %(parent)s.")
                % {
                    "child": Node(kind=kind).get_kind_display().lower(),
                    "parent": parent.get_kind_display().lower(),
                }
            }
        )


@service
def create_node(actor: User | None, parent: Node | None, **fields: Any) -> Node:
    """Add a node below `parent`, or a root when None. `actor` None is the system itself
    (set-up commands); only the system creates roots."""
    if actor is not None:
        if parent is None:
            raise PermissionDenied
        _require(actor, Perm.MANAGE_STRUCTURE, parent)
    if parent is not None:
        parent = _fresh(parent)
    if parent is not None and parent.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    _check_kind(fields["kind"], parent)
    node = Node(parent=parent, path="/", **fields)
    validate(node, exclude=["path"])
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    audit.record(actor, "node.created", node, node=node, changes=audit.snapshot(node, NODE_FIELDS))
    if parent is None:
        create_network_defaults(node)  # its vocabulary and glossary, so that pages only read
    return node


@service
def update_node(actor: User, node: Node, **fields: Any) -> Node:
    """Rename or change the settings of a node."""
    _require(actor, Perm.MANAGE_STRUCTURE, node)
    before = audit.snapshot(node, NODE_FIELDS)
    for name, value in fields.items():
        setattr(node, name, value)
    _check_kind(node.kind, node.parent)
    validate(node, exclude=["path"])
    node.save()
    changes = audit.diff(before, audit.snapshot(node, NODE_FIELDS))
    if changes:
        audit.record(actor, "node.updated", node, node=node, changes=changes)
    return node


@service
def move_node(actor: User, node: Node, new_parent: Node) -> Node:
    """Move a node with its whole subtree below another node."""
    _require(actor, Perm.MANAGE_STRUCTURE, node)
    _require(actor, Perm.MANAGE_STRUCTURE, new_parent)
    node, new_parent = _fresh(node), _fresh(new_parent)
    if node.parent_id is None:
        raise ValidationError(_("A top-level place cannot be moved."))
    if new_parent.is_within(node):
        raise ValidationError(_("A place cannot be moved inside itself."))
    if new_parent.is_archived:
        raise ValidationError(_("Nothing can be moved inside an archived place."))
    _check_kind(node.kind, new_parent)
    if Node.all_objects.filter(parent=new_parent, slug=node.slug).exclude(pk=node.pk).exists():
        raise ValidationError(_("The new parent already has a place with this short name."))
    old_parent_id, old_path = node.parent_id, node.path
    new_path = f"{new_parent.path}{node.pk}/"
    delta = new_parent.depth + 1 - node.depth
    Node.all_objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Node.all_objects.filter(pk=node.pk).update(parent=new_parent)
    node.refresh_from_db()
    audit.record(
        actor, "node.moved", node, node=node, changes={"parent": [old_parent_id, new_parent.pk]}
    )
    return node


@service
def archive_node(actor: User, node: Node) -> int:
    """Archive a node and everything below it. Nothing is deleted; returns how many."""
    _require(actor, Perm.MANAGE_STRUCTURE, node)
    count = Node.all_objects.filter(path__startswith=node.path, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    node.refresh_from_db()
    audit.record(actor, "node.archived", node, node=node, changes={"nodes": count})
    return count


@service
def restore_node(actor: User, node: Node) -> int:
    """Bring an archived node and its subtree back; its parent must be active."""
    _require(actor, Perm.MANAGE_STRUCTURE, node)
    parent = _fresh(node.parent_id) if node.parent_id else None
    if parent is not None and parent.is_archived:
        raise ValidationError(_("Restore the place above this one first."))
    count = Node.all_objects.filter(path__startswith=node.path).update(archived_at=None)
    node.refresh_from_db()
    audit.record(actor, "node.restored", node, node=node, changes={"nodes": count})
    return count


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@service
def invite(actor: User | None, node: Node, email: str, role: str, *, base_url: str) -> Invitation:
    """Invite someone by e-mail to hold `role` at `node`; the e-mail leaves after commit.
    `actor` None is the system (the command that sets up a new top-level place)."""
    if actor is not None:
        _require(actor, Perm.MANAGE_MEMBERS, node)
    email = email.strip().lower()
    if Membership.all_objects.filter(node=node, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already has a role here.")})
    token = secrets.token_urlsafe(32)
    invitation = Invitation.all_objects.create(
        node=node,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        actor, "invitation.sent", invitation, node=node, changes={"email": email, "role": role}
    )
    link = base_url.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
    invitation.link = link
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=invitation.pk, link=link)
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for a token from a link, or None."""
    invitation = (
        Invitation.all_objects.select_related("node", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Give the invited role to `user`; the invitation cannot be used again."""
    locked = Invitation.all_objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open(timezone.now()):
        raise ValidationError(_("This invitation has expired or was already used."))
    membership, created = Membership.all_objects.get_or_create(
        user=user, node=locked.node, defaults={"role": locked.role}
    )
    if not created and membership.role != locked.role:
        old = membership.role
        membership.role = locked.role
        membership.save(update_fields=["role"])
        audit.record(
            user,
            "membership.changed",
            membership,
            node=locked.node,
            changes={"role": [old, locked.role]},
        )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit.record(
        user,
        "invitation.accepted",
        locked,
        node=locked.node,
        changes={"role": locked.role, "user": user.email},
    )
    forget_memberships(user)
    return membership


@service
def revoke_invitation(actor: User, invitation: Invitation) -> None:
    _require(actor, Perm.MANAGE_MEMBERS, invitation.node)
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, "invitation.revoked", invitation, node=invitation.node)


def _admins_left_after(membership: Membership, new_role: str | None) -> bool:
    """Whether the topmost admin role on a root survives a change, so no tree is orphaned."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN or membership.node.parent_id:
        return True
    return (
        Membership.all_objects.filter(node=membership.node, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@service
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    _require(actor, Perm.MANAGE_MEMBERS, membership.node)
    if not _admins_left_after(membership, role):
        raise ValidationError(_("A top-level place must keep at least one administrator."))
    old = membership.role
    if old != role:
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor,
            "membership.changed",
            membership,
            node=membership.node,
            changes={"role": [old, role]},
        )
    forget_memberships(membership.user)
    return membership


@service
def remove_membership(actor: User, membership: Membership) -> None:
    _require(actor, Perm.MANAGE_MEMBERS, membership.node)
    if not _admins_left_after(membership, None):
        raise ValidationError(_("A top-level place must keep at least one administrator."))
    audit.record(
        actor,
        "membership.removed",
        membership,
        node=membership.node,
        changes={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
    forget_memberships(membership.user)


@service
def grant_role(actor: User | None, user: User, node: Node, role: str) -> Membership:
    """Give a role directly (system set-up and demo data; people otherwise come by invitation)."""
    if actor is not None:
        _require(actor, Perm.MANAGE_MEMBERS, node)
    membership, _created = Membership.all_objects.update_or_create(
        user=user, node=node, defaults={"role": role}
    )
    audit.record(
        actor,
        "membership.granted",
        membership,
        node=node,
        changes={"user": user.email, "role": role},
    )
    forget_memberships(user)
    return membership
