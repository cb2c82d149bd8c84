"""The built-in survey templates: every one can be stored and speaks all seven languages."""

from __future__ import annotations

import pytest

from impactlog.surveys import library
from impactlog.surveys.models import NOT_ANSWERED, Role
from impactlog.surveys.spec import LANGUAGES, problems

KEYS = list(library.TEMPLATES)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_has_no_problems(key: str) -> None:
    assert problems(library.spec(key)) == []


def _complete(texts: dict[str, str]) -> bool:
    return sorted(texts) == sorted(LANGUAGES) and all(texts[code].strip() for code in LANGUAGES)


@pytest.mark.parametrize("key", KEYS)
def test_every_template_is_complete_in_seven_languages(key: str) -> None:
    spec = library.spec(key)
    assert spec.languages == list(LANGUAGES)
    assert _complete(spec.title) and _complete(spec.purpose) and _complete(spec.timing)
    assert spec.citation and spec.minutes > 0
    for question in spec.questions:
        assert _complete(question.label), question.name
        assert not question.hint or _complete(question.hint), question.name
    for choice_list in spec.lists:
        for choice in choice_list.choices:
            assert _complete(choice.label), (choice_list.name, choice.value)


def test_texts_differ_between_languages() -> None:
    """A label left in English in another language is caught (names excepted)."""
    for key in KEYS:
        for question in library.spec(key).questions:
            if question.type in NOT_ANSWERED:
                continue
            assert question.label["en"] != question.label["fi"], (key, question.name)


def test_pre_post_uses_the_progress_vocabulary() -> None:
    from impactlog.progress.vocabulary import KeyCompetence, Level

    spec = library.spec("pre_post")
    names = [q.name for q in spec.questions if q.type not in NOT_ANSWERED]
    assert names == list(KeyCompetence.values)
    levels = spec.lists[0]
    assert [c.value for c in levels.choices] == [str(v) for v in Level.values]
    assert levels.choices[0].label["lv"] != levels.choices[0].label["en"]


def test_annual_survey_asks_age_and_gender_and_ours_are_cc_by() -> None:
    annual = library.spec("annual")
    assert {q.role for q in annual.questions} >= {Role.AGE, Role.GENDER}
    assert all(library.spec(key).citation.startswith(library.OURS) for key in KEYS if key != "who5")
    assert "Topp" in library.spec("who5").citation and "1998" in library.spec("who5").citation


def test_who5_is_used_as_published() -> None:
    spec = library.spec("who5")
    items = [q for q in spec.questions if q.type not in NOT_ANSWERED]
    assert len(items) == 5
    assert [c.value for c in spec.lists[0].choices] == ["5", "4", "3", "2", "1", "0"]
    assert "official translation" in spec.citation


def test_annual_window_is_weeks_41_to_43() -> None:
    import datetime as dt

    from impactlog.surveys.library_services import annual_window

    assert annual_window(dt.date(2026, 3, 1)) == (dt.date(2026, 10, 5), dt.date(2026, 10, 25))
    assert annual_window(dt.date(2026, 12, 3)) == (dt.date(2027, 10, 11), dt.date(2027, 10, 31))
