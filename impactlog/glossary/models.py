"""The network's glossary: shared definitions, their versions and members' questions on them.

A glossary belongs to the top of a tree and is shared with every member below it; the logbook,
the surveys and the impact framework show its definitions next to the fields they define."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class Definition(TenantModel):
    """A term of a network's glossary: what counts as a visit, a visitor, a group hour…

    A glossary belongs to the top of a tree (the node without a parent) and holds for every place
    below it. `term`, `text` and `version` are those of the newest `DefinitionVersion`. While
    `is_default` is set, the term and text shown are the shipped default in the reader's language
    (`shown_term`, `shown_text`); once edited, the network's wording is shown as written.
    """

    node = models.ForeignKey(
        Node,
        verbose_name=_("network"),
        on_delete=models.PROTECT,
        related_name="definitions",
    )
    key = models.SlugField(_("key"), max_length=60)
    term = models.CharField(_("term"), max_length=200)
    text = models.TextField(_("definition"))
    is_default = models.BooleanField(_("default wording"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    tenant_shared = True  # every member of the network reads its glossary

    class Meta:
        ordering = ["key"]
        db_table = "logbook_definition"  # the name it had before the model moved here
        verbose_name = _("definition")
        verbose_name_plural = _("definitions")
        constraints = [
            models.UniqueConstraint(fields=["node", "key"], name="definition_unique_key")
        ]

    def __str__(self) -> str:
        return self.term

    @property
    def shown_term(self) -> str:
        return _shown(self.key, self.is_default, self.term, "term")

    @property
    def shown_text(self) -> str:
        return _shown(self.key, self.is_default, self.text, "text")


def _shown(key: str, is_default: bool, stored: str, part: str) -> str:
    """The default wording in the active language, or what the network wrote."""
    from impactlog.glossary.defaults import DEFAULTS

    default = DEFAULTS.get(key)
    if not is_default or default is None:
        return stored
    return str(default.term) if part == "term" else default.text


class DefinitionVersion(TenantModel):
    """One wording of a definition. The newest is the current one; the others are its history."""

    definition = models.ForeignKey(
        Definition, on_delete=models.CASCADE, related_name="versions", editable=False
    )
    version = models.PositiveIntegerField(_("version"))
    term = models.CharField(_("term"), max_length=200)
    text = models.TextField(_("definition"))
    is_default = models.BooleanField(_("default wording"), default=False)
    note = models.CharField(_("what changed and why"), max_length=300, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    tenant_owner = "definition__node"
    tenant_shared = True

    class Meta:
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        ordering = ["-version"]
        db_table = "logbook_definitionversion"  # the name it had before the model moved here
        verbose_name = _("definition version")
        verbose_name_plural = _("definition versions")
        constraints = [
            models.UniqueConstraint(
                fields=["definition", "version"], name="definition_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} v{self.version}"

    @property
    def shown_term(self) -> str:
        return _shown(self.definition.key, self.is_default, self.term, "term")

    @property
    def shown_text(self) -> str:
        return _shown(self.definition.key, self.is_default, self.text, "text")


class DefinitionQuestion(TenantModel):
    """A member's question on a definition (a data-entry dilemma) and the network's answer."""

    definition = models.ForeignKey(
        Definition, on_delete=models.CASCADE, related_name="questions", editable=False
    )
    # Where the person asking works; tells the coordinator which place the dilemma comes from.
    place = models.ForeignKey(
        Node, verbose_name=_("asked from"), on_delete=models.PROTECT, related_name="+"
    )
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(_("asked"), auto_now_add=True)
    text = models.TextField(_("question"))
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    # A dilemma belongs to the place it was asked from (it may name a young person) until the
    # network answers it; then every member of the network reads it.
    tenant_owner = "place"
    tenant_published = ("definition__node", Q(answered_at__isnull=False))

    class Meta:
        # Reached through the definition it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        ordering = ["-asked_at"]
        db_table = "logbook_definitionquestion"  # the name it had before the model moved here
        verbose_name = _("question on a definition")
        verbose_name_plural = _("questions on definitions")
        indexes = [
            models.Index(fields=["definition", "answered_at"], name="definition_question_idx")
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
