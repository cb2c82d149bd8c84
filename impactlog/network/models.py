"""What a network keeps for all its members: settings (age bands, plausibility limit, the
thresholds of small numbers), the vocabulary of topics and goals, and the reflection questions
asked after sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


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


# The bounds of a small-number threshold. Below 3 a count of one or two young people would be
# shown; above 50 nearly every figure of a youth centre would be hidden.
THRESHOLD_MIN = 3
THRESHOLD_MAX = 50
THRESHOLD_VALIDATORS = [
    MinValueValidator(
        THRESHOLD_MIN,
        message=_(
            "Use at least %(limit_value)s: with a lower number, a count of one or two young "
            "people would be shown, and they can be recognised."
        ),
    ),
    MaxValueValidator(
        THRESHOLD_MAX,
        message=_(
            "Use at most %(limit_value)s: a higher number would hide nearly every figure of a "
            "youth centre."
        ),
    ),
]


def _threshold(
    label: StrOrPromise, default: int, help_text: StrOrPromise
) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=THRESHOLD_VALIDATORS, help_text=help_text
    )


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
    # Ages of digital consent the network sets for countries beyond the built-in defaults, or
    # instead of them: {"DE": 16}. See impactlog/participants/consent.py.
    consent_ages = models.JSONField(default=dict, blank=True)
    # Small numbers: counts below a threshold are protected (see docs/privacy.md).
    threshold_visits = _threshold(
        _("visits"),
        5,
        _(
            "With 5, a count of 1 to 4 visits is shown as “fewer than 5” to everyone except the "
            "people who keep the unit's records. The default is 5."
        ),
    )
    threshold_people = _threshold(
        _("young people"),
        5,
        _(
            "With 5, a count of 1 to 4 different young people (visitors, not visits) is shown as "
            "“fewer than 5” to everyone except the people who keep the unit's records. The "
            "default is 5."
        ),
    )
    threshold_annual_survey = _threshold(
        _("answers to the annual survey"),
        15,
        _(
            "With 15, the results of the annual survey are shown only where at least 15 young "
            "people answered. The default is 15."
        ),
    )
    threshold_other_surveys = _threshold(
        _("answers to other surveys"),
        5,
        _(
            "With 5, the results of any other survey are shown only where at least 5 people "
            "answered. The default is 5."
        ),
    )

    class Meta:
        db_table = "logbook_logbooksettings"  # the name it had before the model moved here
        verbose_name = _("network settings")
        verbose_name_plural = _("network settings")

    def __str__(self) -> str:
        return str(self.owner)
