"""A young person's progress: competence ratings (a worker's and their own), workers' notes,
goals with a mentor and steps, their journal with workers' answers, and recognitions from peers.

Every row belongs to a participant and so to the participant's home unit (`tenant_owner`): the
unit's workers and managers read and write it, nobody else (docs/privacy.md, "Progress"). Nothing
is overwritten: a new rating is a new row, and the timeline shows the latest of each source side
by side (queries.timeline).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from impactlog.progress.vocabulary import HIGHEST, LOWEST, KeyCompetence, Level
from impactlog.tenancy.models import Node, TenantModel


class Competence(TenantModel):
    """A competence an organisation follows beyond the eight key competences."""

    owner = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("competence"), max_length=120)
    key_competence = models.CharField(
        _("key competence"), max_length=20, choices=KeyCompetence.choices, blank=True
    )
    created_at = models.DateTimeField()

    tenant_owner = "owner"
    tenant_shared = True  # every unit of the organisation rates on it

    class Meta:
        ordering = ["name"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="competence_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Source(models.TextChoices):
    WORKER = "worker", _("Youth worker")
    SELF = "self", _("Self-assessment")


class CompetenceRow(TenantModel):
    """A row about one competence: a key competence, or one of the organisation's own."""

    key_competence = models.CharField(max_length=20, choices=KeyCompetence.choices, blank=True)
    competence = models.ForeignKey(
        Competence, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True

    @property
    def competence_key(self) -> str:
        """What two rows are compared on: "kc:digital" or "own:12"."""
        if self.competence_id is not None:
            return f"own:{self.competence_id}"
        return f"kc:{self.key_competence}"

    @property
    def competence_name(self) -> str:
        if self.competence is not None:
            return self.competence.name
        return str(KeyCompetence(self.key_competence).label)

    @property
    def maps_to(self) -> str:
        """The key competence the row counts towards in the summary ("" for none)."""
        if self.competence is not None:
            return self.competence.key_competence
        return self.key_competence


def _one_competence(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=(Q(competence__isnull=True) & ~Q(key_competence=""))
        | (Q(competence__isnull=False) & Q(key_competence="")),
        name=name,
    )


class Rating(CompetenceRow):
    """One rating of a competence on one day, by a worker or by the young person."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=Level.choices,
        validators=[MinValueValidator(LOWEST), MaxValueValidator(HIGHEST)],
    )
    source = models.CharField(_("rated by"), max_length=6, choices=Source.choices)
    # The worker who rated (empty for a self-assessment, and once the worker's account is gone).
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    rated_on = models.DateField(_("date"))
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField()

    tenant_owner = "participant__unit"

    class Meta:
        default_manager_name = "all_objects"  # reached through the participant, authorised
        ordering = ["rated_on", "created_at", "pk"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [_one_competence("rating_one_competence")]
        indexes = [models.Index(fields=["participant", "rated_on"], name="rating_participant")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class ProgressNote(TenantModel):
    """A worker's note on a young person's progress. Private to the unit's workers unless
    `shared`, which shows it on the young person's own timeline too."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("note"), max_length=4000)
    shared = models.BooleanField(_("show it to the young person"), default=False)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()

    tenant_owner = "participant__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["written_at", "pk"]
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")

    def __str__(self) -> str:
        return f"#{self.pk}"


class GoalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REACHED = "reached", _("Reached")
    DROPPED = "dropped", _("Dropped")


class Goal(TenantModel):
    """A goal of a young person with a mentor (a worker of their unit) and steps."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("goal"), max_length=200)
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("mentor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=8, choices=GoalStatus.choices, default=GoalStatus.OPEN
    )
    reached_on = models.DateField(_("reached on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    tenant_owner = "participant__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["created_at", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="reached", reached_on__isnull=False)
                | (~Q(status="reached") & Q(reached_on__isnull=True)),
                name="goal_reached_has_date",
            )
        ]
        indexes = [models.Index(fields=["status", "reached_on"], name="goal_reached")]

    def __str__(self) -> str:
        return f"#{self.pk}"


class GoalStep(TenantModel):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    text = models.CharField(_("step"), max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    tenant_owner = "goal__participant__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["goal", "position", "pk"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")

    def __str__(self) -> str:
        return f"#{self.pk}"


class JournalEntry(TenantModel):
    """What a young person did and learned, in their own words."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    did = models.TextField(_("what I did"), max_length=2000)
    learned = models.TextField(_("what I learned"), max_length=2000)
    written_at = models.DateTimeField()

    tenant_owner = "participant__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["written_at", "pk"]
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")

    def __str__(self) -> str:
        return f"#{self.pk}"


class JournalReply(TenantModel):
    """A worker's answer to a journal entry."""

    entry = models.ForeignKey(JournalEntry, on_delete=models.CASCADE, related_name="replies")
    text = models.TextField(_("answer"), max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    written_at = models.DateTimeField()

    tenant_owner = "entry__participant__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["written_at", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return f"#{self.pk}"


class RecognitionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a worker")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not shown")


class Recognition(CompetenceRow):
    """A short recognition a young person gives a peer for a competence. The peer sees it only
    once a worker of the peer's unit approved it; it belongs to the peer's unit."""

    giver = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="+"
    )
    peer = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("recognition"), max_length=280)
    status = models.CharField(
        max_length=8, choices=RecognitionStatus.choices, default=RecognitionStatus.PENDING
    )
    given_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "peer__unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["given_at", "pk"]
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        constraints = [
            _one_competence("recognition_one_competence"),
            models.CheckConstraint(condition=~Q(giver=models.F("peer")), name="recognition_peer"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"
