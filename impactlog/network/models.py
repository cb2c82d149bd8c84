"""What a network keeps for all its members: settings (age bands, plausibility limit), the
vocabulary of topics and goals, and the reflection questions asked after sessions."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class AgeBand(models.TextChoices):
    """The default age bands. A network may later set its own; counts keep the band key."""

    UNDER_13 = "u13", _("Under 13")
    AGE_13_15 = "13_15", _("13–15")
    AGE_16_18 = "16_18", _("16–18")
    AGE_19_24 = "19_24", _("19–24")
    AGE_25_29 = "25_29", _("25–29")
    UNKNOWN = "unknown", _("Age not known")


class Vocabulary(models.TextChoices):
    TOPIC = "topic", _("Topic")
    EU_YOUTH_GOAL = "eu_goal", _("EU Youth Goal")


class Tag(TenantModel):
    """A word from a vocabulary the network manages, to describe what activities are about."""

    owner = models.ForeignKey(
        Node, verbose_name=_("network"), on_delete=models.PROTECT, related_name="+"
    )

    tenant_owner = "owner"
    tenant_shared = True  # the network's vocabulary, used by every member
    vocabulary = models.CharField(_("vocabulary"), max_length=12, choices=Vocabulary.choices)
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        ordering = ["vocabulary", "key"]
        db_table = "logbook_tag"  # the name it had before the model moved here
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="tag_unique_key")]

    def __str__(self) -> str:
        return self.name


class ReflectionQuestion(TenantModel):
    """A question an organisation asks its workers after each session, for its subtree."""

    node = models.ForeignKey(
        Node, verbose_name=_("asked in"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    tenant_shared = True  # asked of every unit below the place that asks it

    class Meta:
        ordering = ["position", "pk"]
        db_table = "logbook_reflectionquestion"  # the name it had before the model moved here
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")

    def __str__(self) -> str:
        return self.text


class NetworkSettings(TenantModel):
    """Settings a network (the top of a tree) keeps for all its members."""

    owner = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="network_settings")

    tenant_owner = "owner"
    tenant_shared = True
    plausible_participants = models.PositiveIntegerField(
        _("participants in one session above which we ask to confirm"),
        default=300,
        validators=[MinValueValidator(1)],
    )
    # The network's own age bands as [from, to] years, inclusive; empty for the default bands.
    age_bands = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "logbook_logbooksettings"  # the name it had before the model moved here
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return str(self.owner)
