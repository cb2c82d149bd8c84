"""Writing the audit trail. Call `record` inside the transaction of the change it describes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import AuditEntry

if TYPE_CHECKING:
    from impactlog.accounts.models import User
    from impactlog.tenancy.models import Node


def record(
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    *,
    node: Node | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry: who did what to which object, under which node."""
    entry = AuditEntry(
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        node=node,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
    )
    entry.save()
    return entry


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose values differ, as {field: [old, new]}."""
    return {
        key: [before.get(key), after.get(key)]
        for key in sorted(set(before) | set(after))
        if before.get(key) != after.get(key)
    }


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The plain values of `fields` on `obj`, suitable for `diff` and JSON."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        values[name] = value.pk if isinstance(value, models.Model) else value
        if values[name] is not None and not isinstance(values[name], str | int | bool | float):
            values[name] = str(values[name])
    return values


ACTION_LABELS: dict[str, Any] = {
    "node.created": _("Place added"),
    "node.updated": _("Place changed"),
    "node.moved": _("Place moved"),
    "node.archived": _("Place archived"),
    "node.restored": _("Place restored"),
    "invitation.sent": _("Invitation sent"),
    "invitation.accepted": _("Invitation accepted"),
    "invitation.revoked": _("Invitation withdrawn"),
    "membership.granted": _("Role given"),
    "membership.changed": _("Role changed"),
    "membership.removed": _("Role removed"),
    "account.created": _("Account created"),
    "profile.updated": _("Profile changed"),
    "password.changed": _("Password changed"),
    "twofactor.enabled": _("Two-factor sign-in turned on"),
    "twofactor.disabled": _("Two-factor sign-in turned off"),
    "activity.created": _("Activity added"),
    "activity.updated": _("Activity changed"),
    "session.created": _("Session recorded"),
    "session.updated": _("Session changed"),
    "session.deleted": _("Session deleted"),
    "export.sessions": _("Sessions exported"),
    "export.figures": _("Figures exported"),
    "import.completed": _("Sessions imported"),
    "definitions.created": _("Default definitions added"),
    "definition.edited": _("Definition changed"),
    "definition.question_asked": _("Question on a definition asked"),
    "definition.question_answered": _("Question on a definition answered"),
    "definition.answer_changed": _("Answer to a question changed"),
    "file.uploaded": _("Photo or file added"),
    "file.viewed": _("Photo or file viewed"),
    "file.deleted": _("Photo or file deleted"),
}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))
