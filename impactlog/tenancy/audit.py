"""The audit trail: what may be written to it, and what each reader may read of it.

Call `record` inside the transaction of the change it describes. Every action is an
`AuditAction` with a label; `record` refuses any other string. An entry keeps the permission
that guards its values (`values_perm`, decided here from its action and object type): a reader
of the audit trail without that permission at the entry's node sees who did what to which kind
of object, when, and which fields changed, but not the values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User
    from impactlog.tenancy.models import Node


class AuditAction(models.TextChoices):
    """Everything the audit trail can say happened, with the words a reader sees."""

    NODE_CREATED = "node.created", _("Place added")
    NODE_UPDATED = "node.updated", _("Place changed")
    NODE_MOVED = "node.moved", _("Place moved")
    NODE_ARCHIVED = "node.archived", _("Place archived")
    NODE_RESTORED = "node.restored", _("Place restored")
    INVITATION_SENT = "invitation.sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation.accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation.revoked", _("Invitation withdrawn")
    MEMBERSHIP_GRANTED = "membership.granted", _("Role given")
    MEMBERSHIP_CHANGED = "membership.changed", _("Role changed")
    MEMBERSHIP_REMOVED = "membership.removed", _("Role removed")
    ACCOUNT_CREATED = "account.created", _("Account created")
    PROFILE_UPDATED = "profile.updated", _("Profile changed")
    PASSWORD_CHANGED = "password.changed", _("Password changed")
    TWOFACTOR_ENABLED = "twofactor.enabled", _("Two-factor sign-in turned on")
    TWOFACTOR_DISABLED = "twofactor.disabled", _("Two-factor sign-in turned off")
    ACTIVITY_CREATED = "activity.created", _("Activity added")
    ACTIVITY_UPDATED = "activity.updated", _("Activity changed")
    SESSION_CREATED = "session.created", _("Session recorded")
    SESSION_UPDATED = "session.updated", _("Session changed")
    SESSION_DELETED = "session.deleted", _("Session deleted")
    EXPORT_SESSIONS = "export.sessions", _("Sessions exported")
    EXPORT_FIGURES = "export.figures", _("Figures exported")
    JOB_RESULT_DOWNLOADED = "job.downloaded", _("Prepared file downloaded")
    IMPORT_COMPLETED = "import.completed", _("Sessions imported")
    DEMO_LOADED = "demo.loaded", _("Demo sessions loaded")
    DEFINITIONS_CREATED = "definitions.created", _("Default definitions added")
    DEFINITION_EDITED = "definition.edited", _("Definition changed")
    DEFINITION_QUESTION_ASKED = "definition.question_asked", _("Question on a definition asked")
    DEFINITION_QUESTION_ANSWERED = (
        "definition.question_answered",
        _("Question on a definition answered"),
    )
    DEFINITION_ANSWER_CHANGED = "definition.answer_changed", _("Answer to a question changed")
    FILE_UPLOADED = "file.uploaded", _("Photo or file added")
    FILE_VIEWED = "file.viewed", _("Photo or file viewed")
    FILE_DELETED = "file.deleted", _("Photo or file deleted")
    SETTINGS_CHANGED = "logbook.settings_changed", _("Network settings changed")
    TAG_CREATED = "tag.created", _("Topic added")
    TAG_ARCHIVED = "tag.archived", _("Topic archived")
    REFLECTION_QUESTION_ADDED = "reflection.question_added", _("Reflection question added")
    REFLECTION_QUESTION_ARCHIVED = (
        "reflection.question_archived",
        _("Reflection question archived"),
    )
    PARTICIPANT_REGISTERED = "participant.registered", _("Young person registered")
    PARTICIPANT_UPDATED = "participant.updated", _("Young person's record changed")
    PARTICIPANT_VIEWED = "participant.viewed", _("Young person's record viewed")
    PARTICIPANT_ANONYMISED = "participant.anonymised", _("Young person's record anonymised")
    PARTICIPANT_EXPORTED = "participant.exported", _("Young person's record exported")
    CONSENT_RECORDED = "consent.recorded", _("Consent recorded")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Consent withdrawn")
    PARTICIPANT_SETTINGS_CHANGED = (
        "participant.settings_changed",
        _("Settings for young people's records changed"),
    )
    HOME_AREA_ADDED = "participant.home_area_added", _("Home area added")
    PRIVACY_NOTICE_PUBLISHED = "privacy_notice.published", _("Privacy notice published")
    KIOSK_CODE_CREATED = "kiosk.code_created", _("Kiosk pairing code made")
    KIOSK_PAIRED = "kiosk.paired", _("Kiosk paired")
    KIOSK_REVOKED = "kiosk.revoked", _("Kiosk revoked")
    KIOSK_CHECKED_IN = "kiosk.checked_in", _("Young person checked in at a kiosk")
    KIOSK_CARD_ISSUED = "kiosk.card_issued", _("Kiosk card issued")
    KIOSK_CARD_REVOKED = "kiosk.card_revoked", _("Kiosk card revoked")
    COMPETENCE_ADDED = "progress.competence_added", _("Competence added")
    PROGRESS_RATED = "progress.rated", _("Competence rated")
    PROGRESS_SELF_RATED = "progress.self_rated", _("Competence rated by the young person")
    PROGRESS_NOTE_ADDED = "progress.note_added", _("Progress note written")
    GOAL_ADDED = "progress.goal_added", _("Goal set")
    GOAL_CHANGED = "progress.goal_changed", _("Goal changed")
    JOURNAL_WRITTEN = "progress.journal_written", _("Journal entry written")
    JOURNAL_ANSWERED = "progress.journal_answered", _("Journal entry answered")
    RECOGNITION_GIVEN = "progress.recognition_given", _("Recognition given by a peer")
    RECOGNITION_DECIDED = "progress.recognition_decided", _("Recognition approved or not shown")
    RECOGNITIONS_LISTED = "progress.recognitions_listed", _("Waiting recognitions viewed")
    PERSONAL_LINK_ISSUED = "personal_link.issued", _("Personal link given to a young person")
    PERSONAL_LINK_REVOKED = "personal_link.revoked", _("Personal link revoked")
    PERSONAL_LINK_OPENED = "personal_link.opened", _("Personal link opened with its PIN")
    PERSONAL_LINK_LOCKED = "personal_link.locked", _("Personal link locked after wrong PINs")
    PARTICIPANT_VIEWED_OWN = "participant.viewed_own", _("Young person viewed their own pages")
    KIOSK_CARD_PRINTED = "kiosk.card_printed", _("Kiosk card shown for printing")
    GUARDIAN_CONSENT_REQUESTED = "guardian.requested", _("Guardian's consent asked for online")
    GUARDIAN_CONSENT_GIVEN = "guardian.consented", _("Guardian's consent given online")
    SURVEY_CREATED = "survey.created", _("Survey made")
    SURVEY_CHANGED = "survey.changed", _("Survey changed")
    SURVEY_ARCHIVED = "survey.archived", _("Survey archived")
    SURVEY_HANDED_OUT = "survey.handed_out", _("Survey handed out")
    SURVEY_HAND_OUT_CLOSED = "survey.hand_out_closed", _("Survey hand-out closed")
    SURVEY_CODES_MADE = "survey.codes_made", _("One-time answer codes made")
    SURVEY_ANSWERS_READ = "survey.answers_read", _("Survey answers read")
    SURVEY_ANSWERS_EXPORTED = "survey.answers_exported", _("Survey answers downloaded")
    SURVEY_XLSFORM_EXPORTED = (
        "survey.xlsform_exported",
        _("Survey's questions downloaded as XLSForm"),
    )


# The one place that decides who may read an entry's values. Records of the logbook (its
# activities, sessions with their notes and reflection answers, files, imported tables) are
# read with the records permission at the entry's node; anything else about the structure,
# people and settings is readable by whoever may read the audit trail there.
RECORDS_ACTIONS: frozenset[AuditAction] = frozenset(
    {
        AuditAction.ACTIVITY_CREATED,
        AuditAction.ACTIVITY_UPDATED,
        AuditAction.SESSION_CREATED,
        AuditAction.SESSION_UPDATED,
        AuditAction.SESSION_DELETED,
        AuditAction.FILE_UPLOADED,
        AuditAction.FILE_VIEWED,
        AuditAction.FILE_DELETED,
        AuditAction.IMPORT_COMPLETED,
    }
)
# Entries about young people's records are read with the personal-data permission.
PERSONAL_TYPES: frozenset[str] = frozenset(
    {
        "participants.participant",
        "participants.consent",
        "participants.personallink",
        "participants.guardianrequest",
    }
)
# Whatever the action, an entry about an object of these apps is a record.
RECORDS_APPS: frozenset[str] = frozenset({"logbook"})


# Survey answers (single responses, free texts) are read with the answers permission.
ANSWER_TYPES: frozenset[str] = frozenset({"surveys.response", "surveys.answer"})
ANSWER_ACTIONS: frozenset[AuditAction] = frozenset(
    {AuditAction.SURVEY_ANSWERS_READ, AuditAction.SURVEY_ANSWERS_EXPORTED}
)


def values_perm_for(action: str, object_type: str = "") -> Perm | None:
    """The permission that guards the values of an entry, or None for any audit reader."""
    if object_type in PERSONAL_TYPES:
        return Perm.VIEW_PERSONAL
    if object_type in ANSWER_TYPES or action in ANSWER_ACTIONS:
        return Perm.READ_ANSWERS
    if action in RECORDS_ACTIONS or object_type.partition(".")[0] in RECORDS_APPS:
        return Perm.VIEW_RECORDS
    return None


def record(
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    node: Node | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry: who did what to which object, under which node.

    Raises ValueError for an action that is not an `AuditAction`: nothing is written without a
    label, nor without knowing who may read it.
    """
    entry = _entry(actor, action, obj, node=node, changes=changes)
    entry.save()
    return entry


def record_each(
    actor: User | None,
    action: AuditAction | str,
    objs: list[models.Model],
    *,
    node: Node | None = None,
    changes: dict[str, Any] | None = None,
) -> None:
    """One entry per object (a page that shows several records), written in one query."""
    AuditEntry.all_objects.bulk_create(
        [_entry(actor, action, obj, node=node, changes=changes) for obj in objs]
    )


def _entry(
    actor: User | None,
    action: AuditAction | str,
    obj: models.Model | None,
    *,
    node: Node | None,
    changes: dict[str, Any] | None,
) -> AuditEntry:
    try:
        action = AuditAction(action)
    except ValueError:
        raise ValueError(f"Unknown audit action {action!r}: add it to AuditAction.") from None
    object_type = obj._meta.label_lower if obj is not None else ""
    perm = values_perm_for(action, object_type)
    return AuditEntry(
        actor=actor,
        actor_label=actor.email if actor is not None else "",
        node=node,
        action=action.value,
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        changes=changes or {},
        values_perm=perm.value if perm is not None else "",
    )


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


ACTION_LABELS: dict[str, Any] = {action.value: action.label for action in AuditAction}


def action_label(action: str) -> str:
    """The label of an action; an old entry's unknown action shows as it was written."""
    return str(ACTION_LABELS.get(action, action))


# Reading the trail.


def guard_of(entry: AuditEntry) -> Perm | None:
    """The permission guarding the entry's values: the stored one, never less than its action's.

    Entries written before the guard was stored, or by code that bypassed `record`, are guarded
    by what their action and object type say today.
    """
    if entry.values_perm:
        return Perm(entry.values_perm)
    return values_perm_for(entry.action, entry.object_type)


def may_see_values(entry: AuditEntry, reader: Any) -> bool:
    perm = guard_of(entry)
    if perm is None:
        return True
    return entry.node is not None and has_perm(reader, perm, entry.node)


def visible_changes(entry: AuditEntry, reader: Any) -> dict[str, Any] | list[str]:
    """The entry's changes with their values, or only the names of the fields that changed."""
    return entry_view(entry, reader).changes


def object_kind(entry: AuditEntry) -> str:
    """The kind of object an entry is about and its id ("session #12"), without its content."""
    if not entry.object_type:
        return ""
    try:
        kind = str(apps.get_model(entry.object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        kind = entry.object_type
    return f"{kind} #{entry.object_id}" if entry.object_id else kind


@dataclass(frozen=True)
class EntryView:
    """What one reader may see of one entry."""

    entry: AuditEntry
    values_shown: bool
    object_label: str
    changes: dict[str, Any] | list[str]


def entry_view(entry: AuditEntry, reader: Any) -> EntryView:
    shown = may_see_values(entry, reader)
    return EntryView(
        entry=entry,
        values_shown=shown,
        object_label=entry.object_repr if shown else object_kind(entry),
        changes=dict(entry.changes) if shown else sorted(entry.changes),
    )
