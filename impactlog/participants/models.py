"""The pseudonymous registry of young people and their consents.

A participant belongs to an organisation (its alias is unique there) and is registered at a
**home unit**, the unit whose workers see them: the tenancy owner of the row is that unit, so
the one permission layer gives a unit's workers and managers their own participants and nobody
else (see docs/privacy.md, "Young people's records"). Age is derived from the birth year and
month whenever it is needed, never stored.
"""

from __future__ import annotations

import unicodedata

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel


class Gender(models.TextChoices):
    GIRL = "girl", _("Girl")
    BOY = "boy", _("Boy")
    NON_BINARY = "non_binary", _("Non-binary")
    NOT_SAY = "not_say", _("Prefers not to say")
    SELF = "self", _("Self-described")


class Status(models.TextChoices):
    SCHOOL = "school", _("In school")
    STUDYING = "studying", _("Studying")
    WORKING = "working", _("Working")
    NEET = "neet", _("Neither in employment nor education")
    OTHER = "other", _("Other")


class ParticipantSettings(TenantModel):
    """What an organisation asks of its young people beyond the pseudonymous minimum."""

    owner = models.OneToOneField(Node, on_delete=models.PROTECT, related_name="+")
    ask_real_name = models.BooleanField(_("ask for the real name"), default=False)
    ask_email = models.BooleanField(_("ask for an e-mail address"), default=False)
    ask_phone = models.BooleanField(_("ask for a phone number"), default=False)
    # Young people with no update, consent or check-in for this many months are anonymised by
    # the retention task (impactlog.participants.privacy); empty turns it off.
    retention_months = models.PositiveSmallIntegerField(
        _("anonymise young people inactive for (months)"),
        null=True,
        blank=True,
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Leave empty to keep records until someone erases them."),
    )
    # Count its young people once with those of other organisations that also do, by a keyed
    # hash of the real name and month of birth (impactlog.participants.dedup); only with real
    # names on.
    deduplicate = models.BooleanField(
        _("count young people once across organisations"),
        default=False,
        help_text=_(
            "When another organisation of the network also turns this on, a young person "
            "registered in both with the same real name and month of birth counts once in the "
            "network's figures. Only a keyed hash of the name and birth month is compared, "
            "never the name itself, and no organisation sees the other's records."
        ),
    )

    tenant_owner = "owner"
    tenant_shared = True  # read by every unit of the organisation

    class Meta:
        verbose_name = _("settings for young people's records")
        verbose_name_plural = _("settings for young people's records")

    def __str__(self) -> str:
        return str(self.owner)


class HomeArea(TenantModel):
    """A neighbourhood or place young people come from, from a list the organisation keeps."""

    owner = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("home area"), max_length=120)

    tenant_owner = "owner"
    tenant_shared = True

    class Meta:
        ordering = ["name"]
        verbose_name = _("home area")
        verbose_name_plural = _("home areas")
        constraints = [
            models.UniqueConstraint("owner", Lower("name"), name="homearea_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class PrivacyNotice(TenantModel):
    """One version of an organisation's privacy notice, with its text in each language.

    A published version never changes: a consent names the version it was given to."""

    owner = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    texts = models.JSONField(default=dict)  # {language code: text}
    published_at = models.DateTimeField(auto_now_add=True)

    tenant_owner = "owner"
    tenant_shared = True

    class Meta:
        ordering = ["owner", "-version"]
        verbose_name = _("privacy notice")
        verbose_name_plural = _("privacy notices")
        constraints = [
            models.UniqueConstraint(fields=["owner", "version"], name="notice_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.owner} v{self.version}"

    def text_in(self, language: str) -> str:
        return str(
            self.texts.get(language) or self.texts.get("en") or next(iter(self.texts.values()), "")
        )


def clean_alias(text: str) -> str:
    """An alias as stored: composed (NFC), without invisible format characters (a zero-width
    space, say), trimmed."""
    composed = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in composed if unicodedata.category(ch) != "Cf").strip()


def alias_key_of(text: str) -> str:
    """What two aliases are compared on: the same letters whatever their case."""
    return clean_alias(text).casefold()


class Participant(TenantModel):
    """A young person known by an alias in one organisation."""

    organisation = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        Node, verbose_name=_("home unit"), on_delete=models.PROTECT, related_name="+"
    )
    alias = models.CharField(_("alias"), max_length=60)
    # The alias as compared: composed (NFC) and case-folded, so "Ēriks" and "ēriks", or an ī
    # typed as i and a macron, are one alias on every database (see alias_key_of).
    alias_key = models.CharField(max_length=60, editable=False)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    # Empty only once the record is anonymised (the year stays for the counts by age).
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices)
    gender_text = models.CharField(_("gender in their own words"), max_length=60, blank=True)
    home_area = models.ForeignKey(
        HomeArea,
        verbose_name=_("home area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Empty only when the young person registered themselves at a kiosk, which does not ask.
    status = models.CharField(
        _("school or work"), max_length=10, choices=Status.choices, blank=True
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)
    # Off unless the organisation turns them on (ParticipantSettings); the service refuses them
    # otherwise.
    real_name = models.CharField(_("real name"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=40, blank=True)
    # A parent's or guardian's address, empty unless given: it only receives the notice of a
    # minor's first registration (impactlog.participants.tasks) and nothing else.
    guardian_email = models.EmailField(_("guardian's e-mail address"), blank=True)
    registered_at = models.DateTimeField(auto_now_add=True)
    # Set when the registration consent is withdrawn: nothing more is recorded about them.
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Any change to the record, for "inactive since" (impactlog.participants.privacy).
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the identity was removed (erasure or retention): the record only counts.
    anonymised_at = models.DateTimeField(null=True, blank=True)
    # The keyed hash of the real name and month of birth (impactlog.participants.dedup), empty
    # unless the organisation deduplicates: a pseudonymous identifier, never shown.
    dedup_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)

    tenant_owner = "unit"

    class Meta:
        ordering = ["alias"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        constraints = [
            models.UniqueConstraint(
                fields=("organisation", "alias_key"), name="participant_unique_alias"
            ),
        ]
        indexes = [models.Index(fields=["unit", "alias"], name="participant_unit_alias")]

    def __str__(self) -> str:
        # No alias: this is what the audit trail keeps of the object.
        return f"#{self.pk}"


class ConsentKind(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    PHOTOS = "photos", _("Photos and stories")


class GivenBy(models.TextChoices):
    YOUNG_PERSON = "young_person", _("The young person")
    GUARDIAN = "guardian", _("A parent or guardian")


class Method(models.TextChoices):
    ONLINE = "online", _("Online form")
    PAPER = "paper", _("Signed paper form")
    WORKER = "worker", _("Recorded by a worker")


class Consent(TenantModel):
    """A consent given to one version of the organisation's privacy notice, and its withdrawal."""

    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="consents")
    kind = models.CharField(_("consent to"), max_length=12, choices=ConsentKind.choices)
    given_by = models.CharField(_("given by"), max_length=12, choices=GivenBy.choices)
    notice = models.ForeignKey(
        PrivacyNotice, verbose_name=_("privacy notice"), on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField(_("how"), max_length=8, choices=Method.choices)
    given_at = models.DateTimeField(_("given on"))
    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "participant__unit"

    class Meta:
        # Reached through the participant, who was authorised already.
        default_manager_name = "all_objects"
        ordering = ["-given_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"#{self.pk}"


class PersonalLink(TenantModel):
    """A young person's personal link to their own pages, opened with a PIN (docs/privacy.md,
    "The personal link"). The token in the link and the PIN are stored only hashed; a new link
    revokes the previous one. `session_hash` is the one signed-in browser of the link."""

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="personal_links"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    pin_hash = models.CharField(max_length=200)
    issued_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Wrong PINs since the last right one: every fifth locks the link, each time for longer.
    failed_pins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    session_hash = models.CharField(max_length=64, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "participant__unit"

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self) -> str:
        return f"#{self.pk}"


class GuardianRequest(TenantModel):
    """A registration waiting for a guardian's consent given online (docs/privacy.md,
    "Guardian consent").

    Nothing is in the registry until the guardian consents: the request holds the least a
    registration needs (alias, month of birth, gender) and the guardian's address, and the link
    it sends is stored only as a keyed hash. Used once; its values are cleared when it is used
    or once it has expired (the row stays, so a second click is told the link was used)."""

    unit = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    alias = models.CharField(_("alias"), max_length=60, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True)
    birth_month = models.PositiveSmallIntegerField(_("month of birth"), null=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    guardian_email = models.EmailField(_("guardian's e-mail address"), blank=True)
    language = models.CharField(_("language"), max_length=8)
    token_hash = models.CharField(max_length=64, unique=True)
    requested_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    participant = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    tenant_owner = "unit"

    class Meta:
        default_manager_name = "all_objects"
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("request for a guardian's consent")
        verbose_name_plural = _("requests for a guardian's consent")

    def __str__(self) -> str:
        return f"#{self.pk}"
