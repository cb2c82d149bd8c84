"""The network's glossary of definitions: reading it and changing it.

A glossary belongs to the top of a tree (the node without a parent: a network, or an organisation
that is its own top) and holds for every place below it. Everyone with a role anywhere in the tree
reads it and may ask questions on it; those holding `Perm.EDIT_DEFINITIONS` at the top itself
(its administrators and coordinators) edit it and answer the questions.

Reading (`glossary`, `definitions_for`, …) never writes. Changing (`edit_definition`,
`ask_question`, `answer_question`) runs in one transaction, authorises the object it changes and
writes the audit record. The default definitions are stored when a network is created
(`ensure_glossary`, called by `network.services.create_network_defaults`), never on a page view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.glossary.defaults import DEFAULT_DEFINITIONS, DEFAULTS, ORDER
from impactlog.glossary.models import Definition, DefinitionQuestion, DefinitionVersion
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_id_of

TERM_MAX = 200
TEXT_MAX = 5000
QUESTION_MAX = 2000
SUMMARY_WORDS = 60


# The audit trail names these actions in the reader's language.
class DefinitionConflict(Exception):
    """Someone else changed the definition since the form was opened."""


# Reading


@dataclass(frozen=True)
class Entry:
    """A definition as read now: its current term and text in the reader's language."""

    key: str
    term: str
    text: str
    version: int
    is_default: bool
    changed_at: datetime | None

    @property
    def summary(self) -> str:
        """The first paragraph, short enough to stand next to a form field."""
        first = self.text.replace("\r\n", "\n").strip().split("\n\n", 1)[0]
        return Truncator(first).words(SUMMARY_WORDS)


def _sort_key(key: str) -> tuple[int, str]:
    return (ORDER.get(key, len(ORDER)), key)


def glossary_entries(root_pk: int) -> list[Entry]:
    """The glossary of the tree topped by `root_pk`, in reading order (1 query).

    Defaults that were never stored (a glossary nobody opened yet) are filled in from the code.
    """
    stored = {
        d.key: Entry(d.key, d.shown_term, d.shown_text, d.version, d.is_default, d.updated_at)
        # also called outside any scope: report rendering, template tags
        for d in Definition.all_objects.filter(node_id=root_pk)
    }
    for default in DEFAULT_DEFINITIONS:
        if default.key not in stored:
            stored[default.key] = Entry(default.key, str(default.term), default.text, 1, True, None)
    return [stored[key] for key in sorted(stored, key=_sort_key)]


def definitions_for(node: Node) -> list[Entry]:
    """The definitions the figures of `node` follow, for a report to print (1 query).

    Terms and texts are in the active language; a task rendering a report should run inside
    `translation.override(...)`.
    """
    return glossary_entries(root_id_of(node))


def glossary(root: Node) -> list[Definition]:
    """The stored definitions of `root`, in reading order (1 query)."""
    return sorted(Definition.objects.filter(node=root), key=lambda d: _sort_key(d.key))


def definition_at(root: Node, key: str) -> Definition | None:
    return Definition.objects.filter(node=root, key=key).first()


def history(definition: Definition) -> list[DefinitionVersion]:
    """Every wording of the definition, newest first (1 query)."""
    versions = list(
        DefinitionVersion.objects.filter(definition=definition)
        .select_related("changed_by")
        .order_by("-version")
    )
    for version in versions:
        version.definition = definition
    return versions


def questions_on(definition: Definition, viewer: User, *, editor: bool) -> list[DefinitionQuestion]:
    """The questions `viewer` may read on `definition`: answered ones for every member; the
    unanswered ones for editors, and their own for the person who asked (1 query). Waiting
    questions come first, then the most recently answered."""
    visible = Q(answered_at__isnull=False) | Q(asked_by=viewer)
    queryset = DefinitionQuestion.objects.filter(definition=definition)
    if not editor:
        queryset = queryset.filter(visible)
    waiting_first = F("answered_at").desc(nulls_first=True)
    return list(
        queryset.select_related("asked_by", "answered_by", "place").order_by(
            waiting_first, "-asked_at"
        )
    )


def answered_by_definition(root: Node) -> dict[int, list[DefinitionQuestion]]:
    """The answered questions of the glossary, grouped by definition (1 query)."""
    grouped: dict[int, list[DefinitionQuestion]] = defaultdict(list)
    for question in DefinitionQuestion.objects.filter(
        definition__node=root, answered_at__isnull=False
    ).order_by("-answered_at"):
        grouped[question.definition_id].append(question)
    return dict(grouped)


def open_questions(root: Node) -> list[DefinitionQuestion]:
    """The questions waiting for an answer, oldest first (1 query)."""
    return list(
        DefinitionQuestion.objects.filter(definition__node=root, answered_at__isnull=True)
        .select_related("definition", "asked_by", "place")
        .order_by("asked_at")
    )


def open_question_count(root: Node) -> int:
    return DefinitionQuestion.objects.filter(
        definition__node=root, answered_at__isnull=True
    ).count()


# Changing


def _clean(value: str) -> str:
    return value.replace("\r\n", "\n").strip()


def ensure_glossary(root: Node) -> None:
    """Give the top of a tree the default definitions it does not have yet (the system's own
    change, audited without an actor).

    Called when a network is created (`network.services.create_network_defaults`); pages never
    call it. When every default is there it costs one query and writes nothing.
    """
    if root.parent_id is not None:
        raise ValueError("Only the top of a tree owns a glossary.")
    # a new network's defaults: its root is in no one's scope yet
    if set(Definition.all_objects.filter(node=root).values_list("key", flat=True)) >= set(DEFAULTS):
        return
    _add_defaults(root)


@transaction.atomic
def _add_defaults(root: Node) -> None:
    # both reads: a new network's defaults, and its root is in no one's scope yet
    Node.all_objects.select_for_update().get(pk=root.pk)  # one writer per glossary at a time
    existing = set(Definition.all_objects.filter(node=root).values_list("key", flat=True))
    missing = [item for item in DEFAULT_DEFINITIONS if item.key not in existing]
    if not missing:
        return
    # Stored in the source language; shown translated while `is_default` holds.
    with translation.override(None):
        for item in missing:
            definition = Definition.objects.create(
                node=root, key=item.key, term=str(item.term), text=item.text
            )
            DefinitionVersion.objects.create(
                definition=definition,
                version=1,
                term=definition.term,
                text=definition.text,
                is_default=True,
            )
    audit.record(
        None,
        AuditAction.DEFINITIONS_CREATED,
        None,
        node=root,
        changes={"keys": [item.key for item in missing]},
    )


@service
def edit_definition(
    actor: User | None,
    definition: Definition,
    *,
    term: str,
    text: str,
    note: str = "",
    expected_version: int | None = None,
) -> DefinitionVersion | None:
    """Store a new wording of `definition` as its newest version.

    Returns None when the wording is the one already shown (saving a default unchanged keeps it
    a translatable default). Raises DefinitionConflict when someone else saved a version after
    `expected_version`.
    """
    definition = (
        # re-read the object the caller named; authorize() decides
        Definition.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=definition.pk)
    )
    authorize(actor, Perm.EDIT_DEFINITIONS, definition)
    if expected_version is not None and definition.version != expected_version:
        raise DefinitionConflict
    term, text, note = _clean(term), _clean(text), _clean(note)
    errors: dict[str, str] = {}
    if not term:
        errors["term"] = _("Give the term that is being defined, for example “Visit”.")
    elif len(term) > TERM_MAX:
        errors["term"] = _("Keep the term under %(count)s characters.") % {"count": TERM_MAX}
    if not text:
        errors["text"] = _(
            "Write the definition: what counts and what does not. An empty definition would "
            "leave every member guessing."
        )
    elif len(text) > TEXT_MAX:
        errors["text"] = _("Keep the definition under %(count)s characters.") % {"count": TEXT_MAX}
    if errors:
        raise ValidationError(errors)
    if term == definition.shown_term and text == _clean(definition.shown_text):
        return None
    before = audit.snapshot(definition, ["term", "text", "version"])
    definition.term, definition.text, definition.is_default = term, text, False
    definition.version += 1
    definition.save()
    version = DefinitionVersion.objects.create(
        definition=definition,
        version=definition.version,
        term=term,
        text=text,
        note=note,
        changed_by=actor,
    )
    changes = audit.diff(before, audit.snapshot(definition, ["term", "text", "version"]))
    if note:
        changes["note"] = ["", note]
    audit.record(
        actor, AuditAction.DEFINITION_EDITED, definition, node=definition.node, changes=changes
    )
    return version


@service
def ask_question(
    actor: User | None, definition: Definition, place: Node, text: str
) -> DefinitionQuestion:
    """A member asks, from the place they work at, how to apply a definition.

    Both the definition and the place are read again from the database; the place must lie in
    the definition's tree and the actor must see it.
    """
    # re-read the object the caller named; authorize() decides
    definition = Definition.all_objects.select_related("node").get(pk=definition.pk)
    # re-read the object the caller named; authorize() decides
    place = Node.all_objects.get(pk=place.pk)
    root = definition.node
    if not place.is_within(root):
        raise PermissionDenied
    authorize(actor, Perm.VIEW_NODE, place)
    text = _clean(text)
    if not text:
        raise ValidationError(
            {"text": _("Write your question: what happened, and what you are unsure how to count.")}
        )
    if len(text) > QUESTION_MAX:
        raise ValidationError(
            {"text": _("Keep the question under %(count)s characters.") % {"count": QUESTION_MAX}}
        )
    question = DefinitionQuestion.objects.create(
        definition=definition, place=place, asked_by=actor, text=text
    )
    audit.record(
        actor,
        AuditAction.DEFINITION_QUESTION_ASKED,
        question,
        node=root,
        changes={"definition": definition.key, "place": place.pk, "text": text},
    )
    return question


@service
def answer_question(actor: User | None, question: DefinitionQuestion, answer: str) -> bool:
    """A coordinator answers (or corrects the answer to) a question; False if nothing changed."""
    question = (
        # re-read the object the caller named; authorize() decides
        DefinitionQuestion.all_objects.select_for_update(of=("self",))
        .select_related("definition__node")
        .get(pk=question.pk)
    )
    root = question.definition.node
    authorize(actor, Perm.EDIT_DEFINITIONS, question)
    answer = _clean(answer)
    if not answer:
        raise ValidationError(
            {"answer": _("Write the answer that every member of the network will read.")}
        )
    if len(answer) > TEXT_MAX:
        raise ValidationError(
            {"answer": _("Keep the answer under %(count)s characters.") % {"count": TEXT_MAX}}
        )
    if answer == question.answer:
        return False
    action = (
        AuditAction.DEFINITION_ANSWER_CHANGED
        if question.is_answered
        else AuditAction.DEFINITION_QUESTION_ANSWERED
    )
    changes = {"answer": [question.answer, answer]}
    question.answer, question.answered_by, question.answered_at = answer, actor, timezone.now()
    question.save()
    audit.record(actor, action, question, node=root, changes=changes)
    return True
