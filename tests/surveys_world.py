"""Named surveys for the tests of surveys: specs written out by hand, in two languages.

`exit_spec()` is Harbour's three-question exit survey with a follow-up shown only on a "no",
the respondent's age and gender for breakdowns, and a free text; `make_survey` stores a spec
through the service, as a youth worker would."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from impactlog.accounts.models import User
from impactlog.surveys import services
from impactlog.surveys.models import Answer, Response, Survey
from impactlog.surveys.services import current_version
from impactlog.surveys.spec import ChoiceSpec, ListSpec, QuestionSpec, SurveySpec
from impactlog.tenancy.models import Node


def exit_spec() -> SurveySpec:
    return SurveySpec(
        kind="exit",
        title={"en": "How was today?", "lv": "Kā šodien gāja?"},
        languages=["en", "lv"],
        minutes=2,
        lists=[
            ListSpec(
                "genders",
                [
                    ChoiceSpec("girl", {"en": "Girl", "lv": "Meitene"}),
                    ChoiceSpec("boy", {"en": "Boy", "lv": "Puisis"}),
                    ChoiceSpec("other", {"en": "Other", "lv": "Cits"}),
                ],
            ),
            ListSpec(
                "yes_no_maybe",
                [
                    ChoiceSpec("yes", {"en": "Yes", "lv": "Jā"}),
                    ChoiceSpec("no", {"en": "No", "lv": "Nē"}),
                    ChoiceSpec("maybe", {"en": "Maybe", "lv": "Varbūt"}),
                ],
            ),
        ],
        questions=[
            QuestionSpec(
                "safe",
                "agreement",
                {"en": "I felt safe here today.", "lv": "Šodien es te jutos droši."},
                required=True,
            ),
            QuestionSpec(
                "again",
                "single",
                {"en": "Will you come again?", "lv": "Vai tu nāksi vēlreiz?"},
                list_name="yes_no_maybe",
                required=True,
            ),
            QuestionSpec(
                "why_not",
                "long_text",
                {"en": "What would make you come again?", "lv": "Kas tevi pamudinātu atnākt?"},
                relevant="${again} = 'no'",
            ),
            QuestionSpec(
                "age",
                "number",
                {"en": "How old are you?", "lv": "Cik tev ir gadu?"},
                role="age",
                limits={"min": 7, "max": 30},
            ),
            QuestionSpec(
                "gender",
                "single",
                {"en": "You are…", "lv": "Tu esi…"},
                list_name="genders",
                role="gender",
            ),
        ],
    )


def make_survey(actor: User, node: Node, spec: SurveySpec | None = None) -> Survey:
    return services.create_survey(actor, node, spec or exit_spec())


def every_type_spec() -> SurveySpec:
    """A survey with every question type, sections (one shown only on a condition), hints,
    number limits, a decimal and a multiple choice, in English and Latvian."""
    topics = ListSpec(
        "topics",
        [
            ChoiceSpec("music", {"en": "Music", "lv": "Mūzika"}),
            ChoiceSpec("sport", {"en": "Sport", "lv": "Sports"}),
        ],
    )
    return SurveySpec(
        kind="satisfaction",
        title={"en": "Our year", "lv": "Mūsu gads"},
        languages=["lv", "en"],
        per_page=1,
        lists=[topics],
        questions=[
            QuestionSpec("intro", "note", {"en": "Thank you!", "lv": "Paldies!"}),
            QuestionSpec("about", "section", {"en": "About the centre", "lv": "Par centru"}),
            QuestionSpec(
                "happy",
                "smiley",
                {"en": "How do you feel here?", "lv": "Kā tu te jūties?"},
                hint={"en": "Pick a face.", "lv": "Izvēlies seju."},
                required=True,
            ),
            QuestionSpec("score", "scale_10", {"en": "Recommend us?", "lv": "Ieteiktu mūs?"}),
            QuestionSpec("member", "yes_no", {"en": "A member?", "lv": "Biedrs?"}),
            QuestionSpec(
                "likes",
                "multiple",
                {"en": "What do you like?", "lv": "Kas patīk?"},
                list_name="topics",
            ),
            QuestionSpec(
                "more",
                "section",
                {"en": "Members only", "lv": "Tikai biedriem"},
                relevant="${member} = 'yes'",
            ),
            QuestionSpec("since", "date", {"en": "Since when?", "lv": "Kopš kura laika?"}),
            QuestionSpec(
                "hours",
                "number",
                {"en": "Hours a week?", "lv": "Stundas nedēļā?"},
                limits={"min": 0, "max": 40.5, "decimal": True},
            ),
            QuestionSpec("name", "short_text", {"en": "Your nickname", "lv": "Tava iesauka"}),
            QuestionSpec(
                "ideas",
                "long_text",
                {"en": "Ideas?", "lv": "Idejas?"},
                relevant="selected(${likes}, 'music') or ${score} >= 8",
            ),
        ],
    )


_answered = itertools.count(1)


def answer(
    survey: Survey,
    unit: Node,
    values: dict[str, object],
    *,
    age_band: str = "",
    gender: str = "",
    when: dt.datetime | None = None,
    complete: bool = True,
    self_code: str = "",
) -> Response:
    """One respondent's answers, stored as the answering flow stores them: a number for scales
    and numbers, a choice's value (a row per choice of a multiple choice), a text."""
    version = current_version(survey)
    questions = {q.name: q for q in version.questions.all()}
    response = Response.all_objects.create(
        survey=survey,
        version=version,
        node=unit,
        key=f"answer-{next(_answered)}",
        digest="d",
        language="en",
        channel="link",
        submitted_at=when or dt.datetime(2026, 5, 12, 15, 0, tzinfo=dt.UTC),
        complete=complete,
        age_band=age_band,
        gender=gender,
        self_code_hash=self_code,
    )
    rows = []
    for name, value in values.items():
        question = questions[name]
        for one in value if isinstance(value, list) else [value]:
            if isinstance(one, int | float | Decimal):
                rows.append(Answer(response=response, question=question, number=Decimal(one)))
            else:
                rows.append(Answer(response=response, question=question, text=str(one)))
    Answer.all_objects.bulk_create(rows)
    return response
