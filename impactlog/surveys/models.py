"""Surveys: a survey, its versions, their questions and choice lists, where it is handed out,
and the answers.

A survey belongs to the node that made it (a network's template, an organisation's or a unit's
own survey) and is shared with that node's subtree: its units hand it out. Its questions live in
a **version**; editing a survey that has answers makes a new version, and every response keeps
the version it answered (`services.editable_version`). Texts are kept per language, as
`{language code: text}` (`texts_in`).

Answers are anonymous by default and belong to the unit they were given at (`Response.node`):
they are that unit's records. Results leave the unit only through the disclosure-control engine
with the network's survey thresholds (docs/privacy.md, "Surveys").
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from impactlog.tenancy.models import Node, TenantModel

Texts = dict[str, str]  # {language code: text}


def text_in(texts: Texts, language: str, fallbacks: list[str] | None = None) -> str:
    """The text in `language`, else in the first of `fallbacks` that has one, else any."""
    for code in [language, *(fallbacks or [])]:
        if texts.get(code):
            return texts[code]
    return next((text for text in texts.values() if text), "")


class SurveyKind(models.TextChoices):
    ANNUAL = "annual", _("Annual meeting-place survey")
    GROUP = "group", _("Group or activity survey")
    EXIT = "exit", _("Exit survey")
    SATISFACTION = "satisfaction", _("Participant satisfaction survey")
    VOLUNTEER = "volunteer", _("Volunteer survey")
    STAKEHOLDER = "stakeholder", _("Stakeholder feedback")
    NEEDS = "needs", _("Community needs survey")
    PRE_POST = "pre_post", _("Pre/post self-assessment")
    SCALE = "scale", _("Published scale")
    OTHER = "other", _("Other survey")


class Survey(TenantModel):
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=SurveyKind.choices)
    title = models.JSONField(_("title"), default=dict)  # Texts
    # What the respondent may choose from, the first the default.
    languages = models.JSONField(_("languages"), default=list)
    # A template is not answered: a network or organisation offers it to be copied.
    is_template = models.BooleanField(default=False)
    made_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Template library: why and when to use it, and whose work it is.
    purpose = models.JSONField(default=dict, blank=True)  # Texts
    timing = models.JSONField(default=dict, blank=True)  # Texts
    citation = models.CharField(max_length=500, blank=True)
    minutes = models.PositiveSmallIntegerField(_("estimated answering time (minutes)"), default=0)
    # Answering is open from `opens_on` to `closes_on` (inclusive; either may be open-ended).
    opens_on = models.DateField(_("opens on"), null=True, blank=True)
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    # Questions per page: 0 all of a section on one page, 1 one question per page.
    per_page = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    archived_at = models.DateTimeField(null=True, blank=True)

    tenant_shared = True  # the subtree's units hand it out and answer it

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")

    def __str__(self) -> str:
        return text_in(self.title, "en", self.languages)

    def title_in(self, language: str) -> str:
        return text_in(self.title, language, self.languages)


class SurveyVersion(TenantModel):
    """The questions of a survey as they were answered; never changed once answered."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_owner = "survey__node"
    tenant_shared = True

    class Meta:
        ordering = ["survey", "number"]
        constraints = [
            models.UniqueConstraint("survey", "number", name="surveyversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} v{self.number}"


class ChoiceList(TenantModel):
    """Answers to choose from, reused by every question of the version that names it."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="lists")
    name = models.SlugField(max_length=60)

    tenant_owner = "version__survey__node"
    tenant_shared = True

    class Meta:
        ordering = ["version", "name"]
        constraints = [
            models.UniqueConstraint("version", "name", name="choicelist_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Choice(TenantModel):
    choice_list = models.ForeignKey(ChoiceList, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField()
    value = models.CharField(max_length=60)  # what answers store; XLSForm's choice `name`
    label = models.JSONField(default=dict)  # Texts

    tenant_owner = "choice_list__version__survey__node"
    tenant_shared = True

    class Meta:
        ordering = ["choice_list", "position"]
        constraints = [
            models.UniqueConstraint("choice_list", "value", name="choice_unique_value"),
        ]

    def __str__(self) -> str:
        return self.value


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    AGREEMENT = "agreement", _("Agreement scale (5 points)")
    SCALE_10 = "scale_10", _("Scale from 0 to 10")
    SMILEY = "smiley", _("Smiley scale")
    NUMBER = "number", _("Number")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    DATE = "date", _("Date")
    YES_NO = "yes_no", _("Yes or no")
    SECTION = "section", _("Section")
    NOTE = "note", _("Explanatory text")


# Types that show something but take no answer.
NOT_ANSWERED = frozenset({QuestionType.SECTION, QuestionType.NOTE})
# Types whose answers are one of a choice list's values (the survey's own list).
WITH_LIST = frozenset({QuestionType.SINGLE, QuestionType.MULTIPLE})
# Types answered on a fixed scale of whole numbers: (lowest, highest).
SCALES: dict[str, tuple[int, int]] = {
    QuestionType.AGREEMENT: (1, 5),  # 1 strongly disagree … 5 strongly agree
    QuestionType.SCALE_10: (0, 10),
    QuestionType.SMILEY: (1, 5),  # 1 very sad … 5 very happy
}
FREE_TEXT = frozenset({QuestionType.SHORT_TEXT, QuestionType.LONG_TEXT})


class Role(models.TextChoices):
    """What a question tells the results beyond its own answer."""

    NONE = "", _("None")
    AGE = "age", _("Respondent's age")
    GENDER = "gender", _("Respondent's gender")


class Question(TenantModel):
    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField()
    # Unique in the version; what conditions name (`${name}`) and XLSForm's `name` column.
    name = models.SlugField(max_length=60)
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    label = models.JSONField(default=dict)  # Texts
    hint = models.JSONField(default=dict, blank=True)  # Texts
    required = models.BooleanField(default=False)
    choice_list = models.ForeignKey(
        ChoiceList, null=True, blank=True, on_delete=models.PROTECT, related_name="questions"
    )
    # "Show this question only if…": an expression on earlier answers (conditions.py). On a
    # section it applies to every question in it.
    relevant = models.CharField(max_length=500, blank=True)
    role = models.CharField(max_length=10, choices=Role.choices, blank=True, default="")
    # Limits of a number: {"min": …, "max": …, "decimal": bool}.
    limits = models.JSONField(default=dict, blank=True)

    tenant_owner = "version__survey__node"
    tenant_shared = True

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint("version", "name", name="question_unique_name"),
            models.UniqueConstraint("version", "position", name="question_unique_position"),
            models.CheckConstraint(
                condition=~Q(type__in=["single", "multiple"]) | Q(choice_list__isnull=False),
                name="question_choice_list",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def answered(self) -> bool:
        return self.type not in NOT_ANSWERED


class Channel(models.TextChoices):
    LINK = "link", _("Public link or QR code")
    KIOSK = "kiosk", _("Kiosk")
    TABLET = "tablet", _("A worker's tablet")


class Distribution(TenantModel):
    """Where a survey is handed out: a unit (and maybe one of its activities), by one channel.
    Its public link (`/s/<slug>/`) is printed on the unit's poster and table card."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="distributions")
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    activity = models.ForeignKey(
        "logbook.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.LINK)
    slug = models.SlugField(max_length=40, unique=True)  # random; not a secret (it is printed)
    # Only answers with a one-time answer code are taken (AnswerCode).
    codes_only = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]

    def __str__(self) -> str:
        return self.slug


class AnswerCode(TenantModel):
    """A one-time answer code: accepted once. Nothing links it to whom it was given."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    tenant_owner = "distribution__node"

    def __str__(self) -> str:
        return f"code {self.pk}"


class Response(TenantModel):
    """One respondent's answers to one version, given at one unit."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(SurveyVersion, on_delete=models.PROTECT, related_name="responses")
    distribution = models.ForeignKey(
        Distribution, null=True, on_delete=models.PROTECT, related_name="responses"
    )
    node = models.ForeignKey(Node, on_delete=models.PROTECT, related_name="+")
    # The client-generated id of the submission: a resent answer is stored once; the same id
    # with other content is refused (409). `digest` is a hash of the content.
    key = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    language = models.CharField(max_length=8)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    submitted_at = models.DateTimeField()
    # Every required question that was shown has an answer.
    complete = models.BooleanField(default=True)
    # Breakdowns, from the questions with a role (age band key, logbook gender); "" not given.
    age_band = models.CharField(max_length=20, blank=True)
    gender = models.CharField(max_length=20, blank=True)
    # Pre/post pairing: a registered participant (only where the organisation chose it) or a
    # self-chosen code, kept as a keyed hash.
    participant = models.ForeignKey(
        "participants.Participant",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    self_code_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-submitted_at", "pk"]
        constraints = [
            models.UniqueConstraint("survey", "key", name="response_unique_key"),
        ]
        indexes = [models.Index(fields=["version", "node"], name="response_version_node")]

    def __str__(self) -> str:
        return f"response {self.pk}"


class Answer(TenantModel):
    """One answer; a multiple choice has a row per choice ticked. Exactly one value is set:
    `text` (a choice's value, yes/no, a free text), `number` (scales and numbers) or `day`."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    day = models.DateField(null=True, blank=True)

    tenant_owner = "response__node"

    class Meta:
        ordering = ["response", "question", "pk"]
        indexes = [models.Index(fields=["question", "text"], name="answer_question_text")]

    def __str__(self) -> str:
        return f"answer {self.pk}"

    @property
    def value(self) -> Any:
        if self.number is not None:
            return self.number
        if self.day is not None:
            return self.day
        return self.text
