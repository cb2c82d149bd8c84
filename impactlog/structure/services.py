"""State changes of the tree, memberships and invitations.

Each function runs in one transaction, authorises the object it changes (the node, the
membership, the invitation) through the permission layer, writes the audit record and schedules
side effects on commit. Nobody grants themselves a role: another administrator must do it.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.network.services import create_network_defaults
from impactlog.structure.tasks import send_invitation_email
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.disclosure import store as disclosure_store
from impactlog.tenancy.holders import holds_records
from impactlog.tenancy.models import KIND_RANK, Invitation, Membership, Node, NodeKind
from impactlog.tenancy.permissions import authorize, forget_memberships, service
from impactlog.tenancy.roles import Perm, Role, is_role
from impactlog.tenancy.scoping import validate
from impactlog.tenancy.tree import root_id_of

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


# What `update_node` may change; the parent moves with `move_node`, archiving has its own.
EDITABLE_NODE_FIELDS = frozenset(
    ["kind", "name", "slug", "country", "language", "time_zone", "require_two_factor"]
)


def _fresh(node: Node | int) -> Node:
    """The node as it is in the database now, locked until the transaction ends."""
    pk = node if isinstance(node, int) else node.pk
    # re-read the object the caller named; authorize() decides
    return Node.all_objects.select_for_update().get(pk=pk)


def _fresh_membership(membership: Membership) -> Membership:
    """The membership as it is in the database now, with its person and place, locked."""
    return (
        # re-read the object the caller named; authorize() decides
        Membership.all_objects.select_for_update(of=("self",))
        .select_related("node", "user")
        .get(pk=membership.pk)
    )


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


def _check_kind_of_children(node: Node, kind: str) -> None:
    """A node's new kind must still be able to hold every place directly inside it."""
    rank = KIND_RANK[NodeKind(kind)]
    for child_kind in set(Node.objects.filter(parent=node).values_list("kind", flat=True)):
        if KIND_RANK[NodeKind(child_kind)] < rank:
            raise ValidationError(
                {
                    "kind": _(
                        "This place cannot change to the kind “%(kind)s”: it holds a place "
                        "of the kind “%(child)s”, which cannot be inside it."
                    )
                    % {
                        "kind": Node(kind=kind).get_kind_display(),
                        "child": Node(kind=child_kind).get_kind_display(),
                    }
                }
            )


def _refuse_archived(node: Node) -> None:
    if node.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))


def _open_now() -> Q:
    """Invitations that can still be accepted."""
    return Q(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


def _check_role(role: str) -> None:
    if not is_role(role):
        raise ValidationError({"role": _("This is not a role a person can hold.")})


def _refuse_self_grant(actor: User | None, user_or_email: User | str) -> None:
    """Nobody gives themselves a role: it would hand them rights they may not hold."""
    if actor is None:
        return
    email = user_or_email if isinstance(user_or_email, str) else user_or_email.email
    if email.strip().lower() == actor.email.lower():
        raise ValidationError(
            _(
                "You cannot give yourself a role or change your own: "
                "another administrator must do it."
            )
        )


@service
def create_node(actor: User | None, parent: Node | None, **fields: Any) -> Node:
    """Add a node below `parent`, or a root when None. `actor` None is the system itself
    (set-up commands); only the system creates roots."""
    if parent is not None:
        parent = _fresh(parent)
    if actor is not None:
        if parent is None:
            raise PermissionDenied
        authorize(actor, Perm.MANAGE_STRUCTURE, parent)
    if parent is not None and parent.is_archived:
        raise ValidationError(_("Nothing can be added inside an archived place."))
    _check_kind(fields["kind"], parent)
    node = Node(parent=parent, path="/", **fields)
    validate(node, exclude=["path"])
    node.save()
    node.path = f"{parent.path if parent else '/'}{node.pk}/"
    node.depth = parent.depth + 1 if parent else 0
    node.save(update_fields=["path", "depth"])
    disclosure_store.records_changed(node)  # one more place in the network's tables
    audit.record(
        actor, AuditAction.NODE_CREATED, node, node=node, changes=audit.snapshot(node, NODE_FIELDS)
    )
    if parent is None:
        create_network_defaults(node)  # its vocabulary and glossary, so that pages only read
    return node


@service
def update_node(actor: User, node: Node, **fields: Any) -> Node:
    """Rename or change the settings of a node (not its place in the tree: see `move_node`)."""
    unknown = set(fields) - EDITABLE_NODE_FIELDS
    if unknown:
        raise TypeError(f"update_node cannot change {', '.join(sorted(unknown))}")
    given, node = node, _fresh(node)
    authorize(actor, Perm.MANAGE_STRUCTURE, node)
    before = audit.snapshot(node, NODE_FIELDS)
    for name, value in fields.items():
        setattr(node, name, value)
    _check_kind(node.kind, node.parent)
    if node.kind != before["kind"]:
        _check_kind_of_children(node, node.kind)
        if before["kind"] == NodeKind.UNIT and holds_records(node):
            raise ValidationError(
                {"kind": _("This unit holds activities and sessions: it must stay a unit.")}
            )
    validate(node, exclude=["path"])
    node.save()
    changes = audit.diff(before, audit.snapshot(node, NODE_FIELDS))
    if changes:
        audit.record(actor, AuditAction.NODE_UPDATED, node, node=node, changes=changes)
    given.refresh_from_db()
    return node


@service
def move_node(actor: User, node: Node, new_parent: Node) -> Node:
    """Move a node with its whole subtree below another node."""
    node, new_parent = _fresh(node), _fresh(new_parent)
    authorize(actor, Perm.MANAGE_STRUCTURE, node)
    authorize(actor, Perm.MANAGE_STRUCTURE, new_parent)
    if node.parent_id is None:
        raise ValidationError(_("A top-level place cannot be moved."))
    if root_id_of(new_parent) != root_id_of(node):
        # Tags, age bands, definitions and reflection questions belong to each network.
        raise ValidationError(
            _(
                "A place can only be moved within its own network or organisation: its "
                "vocabulary, age bands, definitions and questions belong to that network."
            )
        )
    if new_parent.is_within(node):
        raise ValidationError(_("A place cannot be moved inside itself."))
    if new_parent.is_archived:
        raise ValidationError(_("Nothing can be moved inside an archived place."))
    _check_kind(node.kind, new_parent)
    if Node.objects.filter(parent=new_parent, slug=node.slug).exclude(pk=node.pk).exists():
        raise ValidationError(_("The new parent already has a place with this short name."))
    old_parent_id, old_path = node.parent_id, node.path
    new_path = f"{new_parent.path}{node.pk}/"
    delta = new_parent.depth + 1 - node.depth
    Node.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + delta,
    )
    Node.objects.filter(pk=node.pk).update(parent=new_parent)
    node.refresh_from_db()
    disclosure_store.records_changed(node)  # its figures now add up into other places
    audit.record(
        actor,
        AuditAction.NODE_MOVED,
        node,
        node=node,
        changes={"parent": [old_parent_id, new_parent.pk]},
    )
    return node


@service
def archive_node(actor: User, node: Node) -> int:
    """Archive a node and everything below it. Nothing is deleted; returns how many."""
    given, node = node, _fresh(node)
    authorize(actor, Perm.MANAGE_STRUCTURE, node)
    count = Node.objects.filter(path__startswith=node.path, archived_at__isnull=True).update(
        archived_at=timezone.now()
    )
    node.refresh_from_db()
    given.refresh_from_db()
    audit.record(actor, AuditAction.NODE_ARCHIVED, node, node=node, changes={"nodes": count})
    return count


@service
def restore_node(actor: User, node: Node) -> int:
    """Bring an archived node and its subtree back; its parent must be active."""
    given, node = node, _fresh(node)
    authorize(actor, Perm.MANAGE_STRUCTURE, node)
    parent = _fresh(node.parent_id) if node.parent_id else None
    if parent is not None and parent.is_archived:
        raise ValidationError(_("Restore the place above this one first."))
    count = Node.objects.filter(path__startswith=node.path).update(archived_at=None)
    node.refresh_from_db()
    given.refresh_from_db()
    audit.record(actor, AuditAction.NODE_RESTORED, node, node=node, changes={"nodes": count})
    return count


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@service
def invite(actor: User | None, node: Node, email: str, role: str, *, base_url: str) -> Invitation:
    """Invite someone by e-mail to hold `role` at `node`; the e-mail leaves after commit.
    `actor` None is the system (the command that sets up a new top-level place)."""
    node = _fresh(node)
    authorize(actor, Perm.MANAGE_MEMBERS, node)
    _check_role(role)
    _refuse_archived(node)
    email = email.strip().lower()
    _refuse_self_grant(actor, email)
    if Membership.objects.filter(node=node, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already has a role here.")})
    if Invitation.objects.filter(node=node, email__iexact=email).filter(_open_now()).exists():
        raise ValidationError(
            {"email": _("This person has an open invitation here already: withdraw it first.")}
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        node=node,
        email=email,
        role=role,
        token_hash=_token_hash(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    audit.record(
        actor,
        AuditAction.INVITATION_SENT,
        invitation,
        node=node,
        changes={"email": email, "role": role},
    )
    link = base_url.rstrip("/") + reverse("accounts:accept_invitation", args=[token])
    invitation.link = link
    transaction.on_commit(
        lambda: send_invitation_email.enqueue(invitation_id=invitation.pk, link=link)
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The open invitation for a token from a link, or None."""
    if not token.isascii():
        return None  # a link edited by hand: the tokens we send are URL-safe ASCII
    invitation = (
        # the invited person holds no role yet
        Invitation.all_objects.select_related("node", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_open(timezone.now()):
        return None
    return invitation


@transaction.atomic
def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Give the invited role to `user`, the person it was sent to; it cannot be used again."""
    # the invited person holds no role yet
    locked = Invitation.all_objects.select_for_update().get(pk=invitation.pk)
    if user.email.lower() != locked.email.lower() or user.pk == locked.invited_by_id:
        raise PermissionDenied
    if not locked.is_open(timezone.now()):
        raise ValidationError(_("This invitation has expired or was already used."))
    _check_role(locked.role)
    _refuse_archived(locked.node)
    # the invited person holds no role yet
    membership, created = Membership.all_objects.get_or_create(
        user=user, node=locked.node, defaults={"role": locked.role}
    )
    if not created and membership.role != locked.role:
        if not _admins_left_after(membership, locked.role):
            raise ValidationError(_("A top-level place must keep at least one administrator."))
        old = membership.role
        membership.role = locked.role
        membership.save(update_fields=["role"])
        audit.record(
            user,
            AuditAction.MEMBERSHIP_CHANGED,
            membership,
            node=locked.node,
            changes={"role": [old, locked.role]},
        )
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit.record(
        user,
        AuditAction.INVITATION_ACCEPTED,
        locked,
        node=locked.node,
        changes={"role": locked.role, "user": user.email},
    )
    disclosure_store.records_changed(membership.node)  # who sees what exactly
    forget_memberships(user)
    return membership


@service
def revoke_invitation(actor: User, invitation: Invitation) -> None:
    invitation = (
        # re-read the object the caller named; authorize() decides
        Invitation.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=invitation.pk)
    )
    authorize(actor, Perm.MANAGE_MEMBERS, invitation)
    if not invitation.is_open(timezone.now()):
        raise ValidationError(_("This invitation was already used, withdrawn or has expired."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor, AuditAction.INVITATION_REVOKED, invitation, node=invitation.node)


def _admins_left_after(membership: Membership, new_role: str | None) -> bool:
    """Whether the topmost admin role on a root survives a change, so no tree is orphaned."""
    if membership.role != Role.ADMIN or new_role == Role.ADMIN or membership.node.parent_id:
        return True
    return (
        # every administrator of the place counts, whoever asks (an invited person has no scope)
        Membership.all_objects.filter(node=membership.node, role=Role.ADMIN)
        .exclude(pk=membership.pk)
        .exists()
    )


@service
def change_role(actor: User, membership: Membership, role: str) -> Membership:
    membership = _fresh_membership(membership)
    authorize(actor, Perm.MANAGE_MEMBERS, membership)
    _check_role(role)
    _refuse_self_grant(actor, membership.user)
    if not _admins_left_after(membership, role):
        raise ValidationError(_("A top-level place must keep at least one administrator."))
    old = membership.role
    if old != role:
        membership.role = role
        membership.save(update_fields=["role"])
        audit.record(
            actor,
            AuditAction.MEMBERSHIP_CHANGED,
            membership,
            node=membership.node,
            changes={"role": [old, role]},
        )
    disclosure_store.records_changed(membership.node)  # who sees what exactly
    forget_memberships(membership.user)
    return membership


@service
def remove_membership(actor: User, membership: Membership) -> None:
    membership = _fresh_membership(membership)
    authorize(actor, Perm.MANAGE_MEMBERS, membership)
    if not _admins_left_after(membership, None):
        raise ValidationError(_("A top-level place must keep at least one administrator."))
    audit.record(
        actor,
        AuditAction.MEMBERSHIP_REMOVED,
        membership,
        node=membership.node,
        changes={"user": membership.user.email, "role": membership.role},
    )
    membership.delete()
    disclosure_store.records_changed(membership.node)  # who sees what exactly
    forget_memberships(membership.user)


@service
def grant_role(actor: User | None, user: User, node: Node, role: str) -> Membership:
    """Give a role directly (system set-up and demo data; people otherwise come by invitation)."""
    node = _fresh(node)
    authorize(actor, Perm.MANAGE_MEMBERS, node)
    _check_role(role)
    _refuse_archived(node)
    _refuse_self_grant(actor, user)
    membership, _created = Membership.objects.update_or_create(
        user=user, node=node, defaults={"role": role}
    )
    audit.record(
        actor,
        AuditAction.MEMBERSHIP_GRANTED,
        membership,
        node=node,
        changes={"user": user.email, "role": role},
    )
    disclosure_store.records_changed(node)  # who sees what exactly
    forget_memberships(user)
    return membership
