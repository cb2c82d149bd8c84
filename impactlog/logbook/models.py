"""The logbook: activities, their sessions and the head-counts of each session."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.core.scoping import ScopedByNode


class ActivityKind(models.TextChoices):
    DROP_IN = "drop_in", _("Open meeting place / drop-in")
    GROUP = "group", _("Group or club")
    PROJECT = "project", _("Project")
    EVENT = "event", _("Event or camp")
    OUTREACH = "outreach", _("Outreach / street work")
    ONLINE = "online", _("Online activity")
    INDIVIDUAL = "individual", _("Individual support")
    SCHOOL = "school", _("School visit / class")


class Activity(models.Model):
    """Something a unit does again and again (or once): a drop-in, a club, a camp."""

    node = models.ForeignKey(
        "structure.Node",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    name = models.CharField(_("name"), max_length=200)
    target_group = models.CharField(_("target group"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("regular opening hours"),
        max_length=200,
        blank=True,
        help_text=_("For meeting places, e.g. “Mon–Fri 14–20”."),
    )
    responsible = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible workers"),
        blank=True,
        related_name="+",
    )
    youth_led = models.BooleanField(_("led by young people"), default=False)
    tags: models.ManyToManyField[Tag, Any] = models.ManyToManyField(
        "Tag", verbose_name=_("topics and goals"), blank=True, related_name="activities"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByNode()
    all_objects = models.Manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.UniqueConstraint(
                fields=["node", "name"],
                name="activity_unique_name_in_unit",
                violation_error_message=_("This unit already has an activity with this name."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    GIRLS = "girls", _("Girls")
    BOYS = "boys", _("Boys")
    NON_BINARY = "non_binary", _("Non-binary")
    NOT_STATED = "not_stated", _("Not stated")


class AgeBand(models.TextChoices):
    """The default age bands. A network may later set its own; counts keep the band key."""

    UNDER_13 = "u13", _("Under 13")
    AGE_13_15 = "13_15", _("13–15")
    AGE_16_18 = "16_18", _("16–18")
    AGE_19_24 = "19_24", _("19–24")
    AGE_25_29 = "25_29", _("25–29")
    UNKNOWN = "unknown", _("Age not known")


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    OUTDOORS = "outdoors", _("Outdoors")


class Session(models.Model):
    """One occasion of an activity: when, how long, who came and what went into it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="sessions"
    )
    # The activity's unit, kept here so that figures for any subtree need no join.
    node = models.ForeignKey("structure.Node", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), db_index=True)
    start_time = models.TimeField(_("start"))
    end_time = models.TimeField(_("end"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("duration in minutes"))
    mode = models.CharField(
        _("mode"), max_length=12, choices=SessionMode.choices, default=SessionMode.ON_SITE
    )
    place = models.CharField(_("location"), max_length=200, blank=True)

    participants = models.PositiveIntegerField(_("participants"), default=0)
    breakdown_known = models.BooleanField(_("breakdown by gender and age known"), default=True)

    youth_produced = models.BooleanField(_("produced by young people"), default=False)
    youth_producers = models.PositiveIntegerField(_("youth producers"), default=0)
    youth_minutes = models.PositiveIntegerField(_("youth-produced minutes"), default=0)

    staff = models.PositiveIntegerField(_("staff present"), default=0)
    staff_minutes = models.PositiveIntegerField(_("staff minutes"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers present"), default=0)
    volunteer_minutes = models.PositiveIntegerField(_("volunteer minutes"), default=0)
    costs = models.DecimalField(
        _("costs"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    online_live = models.PositiveIntegerField(_("live online participants"), null=True, blank=True)
    online_views = models.PositiveIntegerField(_("later views"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedByNode()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-date", "-start_time"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [models.Index(fields=["node", "date"], name="session_node_date_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "date", "start_time"],
                name="session_unique_start",
                violation_error_message=_(
                    "This activity already has a session on this day at this time."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.date:%Y-%m-%d} {self.start_time:%H:%M}"


class SessionCount(models.Model):
    """Participants of one gender and age band in a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")
    gender = models.CharField(max_length=12, choices=Gender.choices)
    # A key of the network's age bands: the default `AgeBand` keys, or "from_to" for a
    # network's own bands (see settings_services.bands_for).
    age_band = models.CharField(max_length=8)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["session", "gender", "age_band"], name="count_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gender}/{self.age_band}: {self.count}"


class SessionRevision(models.Model):
    """What one save changed in a session: the edit history."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="revisions")
    version = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.session_id} v{self.version}"


# The network's glossary: shared definitions, their versions and members' questions on them.


class Definition(models.Model):
    """A term of a network's glossary: what counts as a visit, a visitor, a group hour…

    A glossary belongs to the top of a tree (the node without a parent) and holds for every place
    below it. `term`, `text` and `version` are those of the newest `DefinitionVersion`. While
    `is_default` is set, the term and text shown are the shipped default in the reader's language
    (`shown_term`, `shown_text`); once edited, the network's wording is shown as written.
    """

    node = models.ForeignKey(
        "structure.Node",
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

    # Members below the top of the tree read a glossary through `all_objects`, after the
    # permission layer resolved the place they came from (see logbook/definitions.py).
    objects = ScopedByNode()
    all_objects = models.Manager()

    class Meta:
        ordering = ["key"]
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
    from impactlog.logbook.default_definitions import DEFAULTS

    default = DEFAULTS.get(key)
    if not is_default or default is None:
        return stored
    return str(default.term) if part == "term" else default.text


class ScopedByDefinition(ScopedByNode):
    """For rows that belong to a definition."""

    path_field = "definition__node__path"


class DefinitionVersion(models.Model):
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

    objects = ScopedByDefinition()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-version"]
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


class DefinitionQuestion(models.Model):
    """A member's question on a definition (a data-entry dilemma) and the network's answer."""

    definition = models.ForeignKey(
        Definition, on_delete=models.CASCADE, related_name="questions", editable=False
    )
    # Where the person asking works; tells the coordinator which place the dilemma comes from.
    place = models.ForeignKey(
        "structure.Node", verbose_name=_("asked from"), on_delete=models.PROTECT, related_name="+"
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

    objects = ScopedByDefinition()
    all_objects = models.Manager()

    class Meta:
        ordering = ["-asked_at"]
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


class Vocabulary(models.TextChoices):
    TOPIC = "topic", _("Topic")
    EU_YOUTH_GOAL = "eu_goal", _("EU Youth Goal")


class Tag(models.Model):
    """A word from a vocabulary the network manages, to describe what activities are about."""

    owner = models.ForeignKey(
        "structure.Node", verbose_name=_("network"), on_delete=models.PROTECT, related_name="+"
    )
    vocabulary = models.CharField(_("vocabulary"), max_length=12, choices=Vocabulary.choices)
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["vocabulary", "key"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [models.UniqueConstraint(fields=["owner", "key"], name="tag_unique_key")]

    def __str__(self) -> str:
        return self.name


class ReflectionQuestion(models.Model):
    """A question an organisation asks its workers after each session, for its subtree."""

    node = models.ForeignKey(
        "structure.Node", verbose_name=_("asked in"), on_delete=models.PROTECT, related_name="+"
    )
    text = models.CharField(_("question"), max_length=300)
    position = models.PositiveSmallIntegerField(default=0)
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedByNode()
    all_objects = models.Manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("reflection question")
        verbose_name_plural = _("reflection questions")

    def __str__(self) -> str:
        return self.text


class ReflectionAnswer(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reflections")
    question = models.ForeignKey(ReflectionQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="reflection_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


def _session_file_path(instance: SessionFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sessions/{instance.session_id}/{uuid.uuid4().hex}.{suffix}"


class SessionFile(models.Model):
    """A photo or document of a session. Never published without the consent flag."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=_session_file_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    alt_text = models.CharField(
        _("description"),
        max_length=300,
        blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    publication_consent = models.BooleanField(
        _("consent to publish"),
        default=False,
        help_text=_(
            "Tick only if everyone recognisable in it (or their guardians) agreed to publication."
        ),
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class LogbookSettings(models.Model):
    """Logbook settings a network (the top of a tree) keeps for all its members."""

    owner = models.OneToOneField(
        "structure.Node", on_delete=models.PROTECT, related_name="logbook_settings"
    )
    plausible_participants = models.PositiveIntegerField(
        _("participants in one session above which we ask to confirm"),
        default=300,
        validators=[MinValueValidator(1)],
    )
    # The network's own age bands as [from, to] years, inclusive; empty for the default bands.
    age_bands = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("logbook settings")
        verbose_name_plural = _("logbook settings")

    def __str__(self) -> str:
        return str(self.owner)
