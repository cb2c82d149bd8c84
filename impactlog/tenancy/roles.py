"""Roles, permissions and the level at which each permission is checked.

A role held on a node holds for its whole subtree. Most permissions are checked at the node of
the object they act on; some belong to the network as a whole (its shared definitions,
vocabulary and settings) and are checked at the top of the tree, whatever place below it the
object or the page is reached from.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    MANAGER = "manager", _("Manager")
    WORKER = "worker", _("Youth worker")
    VIEWER = "viewer", _("Viewer")


class Perm(StrEnum):
    VIEW_NODE = "node.view"
    MANAGE_STRUCTURE = "structure.manage"
    VIEW_MEMBERS = "members.view"
    MANAGE_MEMBERS = "members.manage"
    VIEW_AUDIT = "audit.view"
    VIEW_REPORTS = "reports.view"
    VIEW_RECORDS = "records.view"
    EDIT_RECORDS = "records.edit"
    VIEW_PERSONAL = "personal.view"
    EDIT_PERSONAL = "personal.edit"
    EDIT_DEFINITIONS = "definitions.edit"
    MANAGE_REFLECTION = "reflection.manage"
    MANAGE_KIOSK = "kiosk.manage"
    MANAGE_SURVEYS = "surveys.manage"
    READ_ANSWERS = "surveys.answers"


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    # Structure, people and settings of the subtree; no young people's records.
    Role.ADMIN: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.MANAGE_STRUCTURE,
            Perm.VIEW_MEMBERS,
            Perm.MANAGE_MEMBERS,
            Perm.VIEW_AUDIT,
            Perm.VIEW_REPORTS,
            Perm.EDIT_DEFINITIONS,
            Perm.MANAGE_REFLECTION,
            Perm.MANAGE_SURVEYS,
        }
    ),
    # Aggregated figures and reports of the subtree; no personal data.
    # Also the network's shared definitions, when held at the top of the tree.
    Role.COORDINATOR: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.VIEW_MEMBERS,
            Perm.VIEW_REPORTS,
            Perm.EDIT_DEFINITIONS,
            Perm.MANAGE_SURVEYS,
        }
    ),
    # Everything in the subtree's units.
    Role.MANAGER: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.VIEW_MEMBERS,
            Perm.VIEW_REPORTS,
            Perm.VIEW_RECORDS,
            Perm.EDIT_RECORDS,
            Perm.VIEW_PERSONAL,
            Perm.EDIT_PERSONAL,
            Perm.MANAGE_REFLECTION,
            Perm.MANAGE_KIOSK,
            Perm.MANAGE_SURVEYS,
            Perm.READ_ANSWERS,
        }
    ),
    # Records and participants of their units.
    Role.WORKER: frozenset(
        {
            Perm.VIEW_NODE,
            Perm.VIEW_REPORTS,
            Perm.VIEW_RECORDS,
            Perm.EDIT_RECORDS,
            Perm.VIEW_PERSONAL,
            Perm.EDIT_PERSONAL,
            Perm.MANAGE_SURVEYS,
            Perm.READ_ANSWERS,
        }
    ),
    # Reports only: a funder or a council.
    Role.VIEWER: frozenset({Perm.VIEW_NODE, Perm.VIEW_REPORTS}),
}


class Level(StrEnum):
    NODE = "node"  # at the node that owns the object (or any node above it)
    NETWORK = "network"  # at the top of the object's tree: the network or organisation


# Where each permission is checked; a permission not named here is checked at the node.
PERM_LEVEL: dict[Perm, Level] = {Perm.EDIT_DEFINITIONS: Level.NETWORK}


def level_of(perm: Perm) -> Level:
    return PERM_LEVEL.get(perm, Level.NODE)


def is_role(value: object) -> bool:
    """Whether `value` names one of the roles (services refuse anything else)."""
    return value in Role.values
