"""The logbook: activities, their sessions and the head-counts of each session."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.network.models import ReflectionQuestion, Tag
from impactlog.tenancy.models import Node, TenantModel


class ActivityKind(models.TextChoices):
    DROP_IN = "drop_in", _("Open meeting place / drop-in")
    GROUP = "group", _("Group or club")
    PROJECT = "project", _("Project")
    EVENT = "event", _("Event or camp")
    OUTREACH = "outreach", _("Outreach / street work")
    ONLINE = "online", _("Online activity")
    INDIVIDUAL = "individual", _("Individual support")
    SCHOOL = "school", _("School visit / class")


class Activity(TenantModel):
    """Something a unit does again and again (or once): a drop-in, a club, a camp."""

    node = models.ForeignKey(
        Node,
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
        Tag, verbose_name=_("topics and goals"), blank=True, related_name="activities"
    )
    # Keys of the network's age bands that the entry page shows first for this activity; empty:
    # learnt from its recent sessions (see figures.queries.usual_bands).
    usual_age_bands = models.JSONField(
        _("usual age bands"),
        default=list,
        blank=True,
        help_text=_(
            "Shown first when a session is logged; the others stay one tap away. Leave all "
            "unticked to use the age bands of its recent sessions."
        ),
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

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


class SessionMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")
    OUTDOORS = "outdoors", _("Outdoors")


class Session(TenantModel):
    """One occasion of an activity: when, how long, who came and what went into it."""

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.PROTECT, related_name="sessions"
    )
    # The activity's unit, kept here so that figures for any subtree need no join.
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
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


class SessionCount(TenantModel):
    """Participants of one gender and age band in a session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="counts")

    tenant_owner = "session__node"
    gender = models.CharField(max_length=12, choices=Gender.choices)
    # A key of the network's age bands: the default `AgeBand` keys, or "from_to" for a
    # network's own bands (see network.services.bands_for).
    age_band = models.CharField(max_length=8)
    count = models.PositiveIntegerField()

    class Meta:
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(
                fields=["session", "gender", "age_band"], name="count_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.gender}/{self.age_band}: {self.count}"


class SessionRevision(TenantModel):
    """What one save changed in a session: the edit history."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="revisions")

    tenant_owner = "session__node"
    version = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changes = models.JSONField(default=dict)

    class Meta:
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.session_id} v{self.version}"


class ReflectionAnswer(TenantModel):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reflections")

    tenant_owner = "session__node"
    question = models.ForeignKey(ReflectionQuestion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("answer"))

    class Meta:
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="reflection_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]


def _session_file_path(instance: SessionFile, filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"sessions/{instance.session_id}/{uuid.uuid4().hex}.{suffix}"


class SessionFile(TenantModel):
    """A photo or document of a session. Never published without the consent flag."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="files")

    tenant_owner = "session__node"
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
        # Reached through the object it belongs to, which was authorised already.
        default_manager_name = "all_objects"
        ordering = ["uploaded_at"]
        verbose_name = _("file")
        verbose_name_plural = _("files")

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
