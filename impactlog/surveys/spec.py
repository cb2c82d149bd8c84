"""A survey as plain data: the one shape the builder, the XLSForm import and export, the template
library and the tests all speak.

`problems(spec)` says everything wrong with a spec, each problem pointing at a question (its index
in `questions`) or a choice list, so that the XLSForm import can name the sheet and row.
`services.create_survey` stores a spec only when it has no problems; `spec_of(version)` reads a
stored version back as a spec (a round trip keeps everything a spec holds).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.utils.translation import gettext as _

from impactlog.surveys import conditions
from impactlog.surveys.models import (
    NOT_ANSWERED,
    WITH_LIST,
    QuestionType,
    Role,
    SurveyKind,
    SurveyVersion,
    Texts,
)

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]{0,59}$")  # XLSForm's names, within our column
VALUE = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")
MAX_TEXT = 2000
MAX_QUESTIONS = 300
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass
class ChoiceSpec:
    value: str
    label: Texts


@dataclass
class ListSpec:
    name: str
    choices: list[ChoiceSpec]


@dataclass
class QuestionSpec:
    name: str
    type: str  # a QuestionType
    label: Texts
    hint: Texts = field(default_factory=dict)
    required: bool = False
    list_name: str = ""  # single and multiple choice: the ListSpec they answer from
    relevant: str = ""  # conditions.py
    role: str = ""  # a Role
    limits: dict[str, object] = field(default_factory=dict)  # number: min, max, decimal


@dataclass
class SurveySpec:
    kind: str  # a SurveyKind
    title: Texts
    languages: list[str]
    questions: list[QuestionSpec]
    lists: list[ListSpec] = field(default_factory=list)
    purpose: Texts = field(default_factory=dict)
    timing: Texts = field(default_factory=dict)
    citation: str = ""
    minutes: int = 0
    per_page: int = 0


@dataclass(frozen=True)
class Problem:
    """What is wrong, and where: a question's index, a list's name, or neither (the survey)."""

    message: str
    question: int | None = None
    list_name: str = ""


def _texts_problems(texts: Texts) -> list[str]:
    found = []
    if any(code not in LANGUAGES for code in texts):
        found.append(_("A text is in a language the product does not speak."))
    if any(not isinstance(text, str) or len(text) > MAX_TEXT for text in texts.values()):
        found.append(_("A text is too long."))
    return found


def _limit(value: object) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def problems(spec: SurveySpec) -> list[Problem]:
    """Everything wrong with `spec`; an empty list when it can be stored."""
    found: list[Problem] = []
    if spec.kind not in SurveyKind.values:
        found.append(Problem(_("Choose what kind of survey this is.")))
    if not spec.languages or any(code not in LANGUAGES for code in spec.languages):
        found.append(Problem(_("Choose the survey's languages from the seven the product speaks.")))
    if len(set(spec.languages)) != len(spec.languages):
        found.append(Problem(_("A language is named twice.")))
    if not any(spec.title.get(code, "").strip() for code in spec.languages):
        found.append(Problem(_("Give the survey a title.")))
    found += [Problem(text) for text in _texts_problems(spec.title)]
    if not 0 <= spec.minutes <= 240 or not 0 <= spec.per_page <= 1:
        found.append(Problem(_("The answering time or the questions per page are out of range.")))
    lists: dict[str, ListSpec] = {}
    for choice_list in spec.lists:
        if not NAME.match(choice_list.name):
            found.append(
                Problem(
                    _("A choice list needs a name of letters, digits and _."),
                    list_name=choice_list.name,
                )
            )
        elif choice_list.name in lists:
            found.append(Problem(_("Two choice lists have this name."), list_name=choice_list.name))
        lists[choice_list.name] = choice_list
        values = [choice.value for choice in choice_list.choices]
        if not values:
            found.append(Problem(_("The choice list has no choices."), list_name=choice_list.name))
        if len(set(values)) != len(values):
            found.append(
                Problem(
                    _("Two choices of the list have the same value."), list_name=choice_list.name
                )
            )
        for choice in choice_list.choices:
            if not VALUE.match(choice.value):
                found.append(
                    Problem(
                        _("A choice's value may hold letters, digits, _ . and - only."),
                        list_name=choice_list.name,
                    )
                )
            if not any(text.strip() for text in choice.label.values()):
                found.append(Problem(_("A choice has no label."), list_name=choice_list.name))
            found += [Problem(t, list_name=choice_list.name) for t in _texts_problems(choice.label)]
    if not any(q.type not in NOT_ANSWERED for q in spec.questions):
        found.append(Problem(_("The survey has no question to answer.")))
    if len(spec.questions) > MAX_QUESTIONS:
        found.append(
            Problem(_("A survey can have at most %(count)d questions.") % {"count": MAX_QUESTIONS})
        )
    earlier: dict[str, QuestionSpec] = {}
    roles: set[str] = set()
    for index, question in enumerate(spec.questions):
        here = [*_question_problems(question, lists, earlier)]
        if question.role:
            if question.role in roles:
                here.append(_("Only one question may ask for the age, and one for the gender."))
            roles.add(question.role)
        found += [Problem(message, question=index) for message in here]
        if NAME.match(question.name):
            earlier.setdefault(question.name, question)
    return found


def _question_problems(
    question: QuestionSpec,
    lists: dict[str, ListSpec],
    earlier: dict[str, QuestionSpec],
) -> list[str]:
    found: list[str] = []
    if not NAME.match(question.name):
        found.append(_("A question needs a name of letters, digits and _, starting with a letter."))
    elif question.name in earlier:
        found.append(_("Two questions have the name “%(name)s”.") % {"name": question.name})
    if question.type not in QuestionType.values:
        found.append(_("“%(type)s” is not a question type.") % {"type": question.type})
        return found
    if question.type != QuestionType.SECTION and not any(
        t.strip() for t in question.label.values()
    ):
        found.append(_("The question has no text."))
    found += _texts_problems(question.label)
    found += _texts_problems(question.hint)
    if question.type in WITH_LIST:
        if question.list_name not in lists:
            found.append(_("Choose the list of answers for this question."))
    elif question.list_name:
        found.append(_("Only single and multiple choice questions have a list of answers."))
    if question.role not in Role.values:
        found.append(_("Unknown role of the question."))
    elif question.role == Role.AGE and question.type not in (
        QuestionType.NUMBER,
        QuestionType.SINGLE,
    ):
        found.append(_("The respondent's age is asked as a number or a single choice."))
    elif question.role == Role.GENDER and question.type != QuestionType.SINGLE:
        found.append(_("The respondent's gender is asked as a single choice."))
    if question.required and question.type in NOT_ANSWERED:
        found.append(_("Sections and explanatory texts cannot be required."))
    if question.limits:
        if question.type != QuestionType.NUMBER:
            found.append(_("Only numbers have a lowest and highest value."))
        low, high = _limit(question.limits.get("min", 0)), _limit(question.limits.get("max", 0))
        if low is None or high is None or set(question.limits) - {"min", "max", "decimal"}:
            found.append(_("The lowest and highest value must be numbers."))
        elif "min" in question.limits and "max" in question.limits and low > high:
            found.append(_("The lowest value is above the highest."))
    try:
        expression = conditions.parse(question.relevant)
    except conditions.ConditionError as error:
        found.append(str(error))
    else:
        for name in sorted(conditions.names(expression)):
            before = earlier.get(name)
            if before is None:
                found.append(
                    _("The condition names “%(name)s”, which is not an earlier question.")
                    % {"name": name}
                )
            elif before.type in NOT_ANSWERED:
                found.append(
                    _("The condition names “%(name)s”, which takes no answer.") % {"name": name}
                )
    return found


def spec_of(version: SurveyVersion) -> SurveySpec:
    """The stored version as a spec (three queries)."""
    survey = version.survey
    lists = [
        ListSpec(
            choice_list.name,
            [ChoiceSpec(choice.value, dict(choice.label)) for choice in choice_list.choices.all()],
        )
        # the version was read by the caller in its scope; its lists are its own
        for choice_list in version.lists.all().prefetch_related("choices")
    ]
    questions = [
        QuestionSpec(
            name=question.name,
            type=question.type,
            label=dict(question.label),
            hint=dict(question.hint),
            required=question.required,
            list_name=question.choice_list.name if question.choice_list else "",
            relevant=question.relevant,
            role=question.role,
            limits=dict(question.limits),
        )
        for question in version.questions.select_related("choice_list").order_by("position")
    ]
    return SurveySpec(
        kind=survey.kind,
        title=dict(survey.title),
        languages=list(survey.languages),
        questions=questions,
        lists=lists,
        purpose=dict(survey.purpose),
        timing=dict(survey.timing),
        citation=survey.citation,
        minutes=survey.minutes,
        per_page=survey.per_page,
    )
