"""The logbook: activities, their sessions and the head-counts of each session."""

from __future__ import annotations

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
    place = models.CharField(_("place"), max_length=200, blank=True)

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
    age_band = models.CharField(max_length=8, choices=AgeBand.choices)
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
