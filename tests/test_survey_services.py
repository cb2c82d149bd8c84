"""Making and editing a survey's definition (surveys/services.py, spec.py): a spec is stored
whole or not at all, read back the same, edited in place until it has answers and as a new
version after, and only by someone who may manage surveys at the survey's place."""

from __future__ import annotations

import dataclasses

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.accounts.models import User
from impactlog.surveys import services
from impactlog.surveys.models import Question, Response, Survey, SurveyVersion
from impactlog.surveys.spec import ListSpec, QuestionSpec, problems, spec_of
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import NOW, World
from .surveys_world import exit_spec, make_survey


def test_a_survey_reads_back_as_the_spec_it_was_made_from(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    with unscoped():
        version = services.current_version(survey)
        assert version.number == 1
        assert spec_of(version) == exit_spec()
        assert AuditEntry.all_objects.filter(action="survey.created", object_id=str(survey.pk))


def test_a_spec_with_problems_stores_nothing_and_says_where(world: World, walter: User) -> None:
    spec = exit_spec()
    spec.questions[2].relevant = "${later} = 'x'"  # not an earlier question
    spec.questions[1].list_name = "missing"
    spec.questions.append(QuestionSpec("safe", "number", {"en": "Again?"}))  # a name twice
    with pytest.raises(services.SpecRefused) as refused:
        make_survey(walter, world.harbour, spec)
    where = {(problem.question, problem.message) for problem in refused.value.problems}
    assert {index for index, _message in where} == {1, 2, 5}
    with unscoped():
        assert not Survey.all_objects.exists() and not Question.all_objects.exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.questions.clear(), "no question to answer"),
        (lambda s: setattr(s, "languages", ["de"]), "seven the product speaks"),
        (lambda s: setattr(s, "title", {"en": " "}), "title"),
        (lambda s: s.questions[0].__setattr__("relevant", "${safe} >"), "expected"),
        (lambda s: s.questions[0].__setattr__("relevant", "${safe} = 'x'"), "earlier"),
        (lambda s: s.questions[3].__setattr__("limits", {"min": 9, "max": 2}), "above"),
        (lambda s: s.questions[3].__setattr__("role", "gender"), "gender"),
        (lambda s: s.lists.append(ListSpec("genders", [])), "have this name"),
        (lambda s: s.questions[0].__setattr__("type", "slider"), "not a question type"),
        (lambda s: s.questions[0].__setattr__("name", "1st"), "name"),
    ],
)
def test_each_problem_is_named(change, expected: str) -> None:  # type: ignore[no-untyped-def]
    spec = exit_spec()
    change(spec)
    assert any(expected in problem.message for problem in problems(spec)), problems(spec)


def test_the_example_spec_has_no_problems() -> None:
    assert problems(exit_spec()) == []


def _answer(survey: Survey, version: SurveyVersion) -> None:
    Response.all_objects.create(
        survey=survey,
        version=version,
        node=survey.node,
        key="k1",
        digest="d",
        language="en",
        channel="link",
        submitted_at=NOW,
    )


def test_an_edit_changes_an_unanswered_version_in_place(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    spec = exit_spec()
    spec.questions[0].label = {"en": "I feel safe here.", "lv": "Es te jūtos droši."}
    version = services.save_questions(walter, survey, spec)
    with unscoped():
        assert version.number == 1 and SurveyVersion.all_objects.count() == 1
        assert spec_of(version) == spec


def test_an_edit_after_answers_makes_a_new_version_and_keeps_the_old(
    world: World, walter: User
) -> None:
    survey = make_survey(walter, world.harbour)
    with unscoped():
        first = services.current_version(survey)
        _answer(survey, first)
    spec = exit_spec()
    spec.questions.pop(2)
    second = services.save_questions(walter, survey, spec)
    with unscoped():
        assert second.number == 2
        assert spec_of(first) == exit_spec()  # the answered version is as it was answered
        assert spec_of(second) == spec
        assert services.current_version(survey) == second


def test_only_those_who_manage_surveys_at_the_place_may_change_it(
    world: World, walter: User, vera: User, otto: User
) -> None:
    survey = make_survey(walter, world.harbour)
    for outsider in (vera, otto):
        with pytest.raises((PermissionDenied, Survey.DoesNotExist)):
            services.save_questions(outsider, survey, exit_spec())
        with pytest.raises((PermissionDenied, Survey.DoesNotExist)):
            services.archive_survey(outsider, survey)
    with pytest.raises(PermissionDenied):
        make_survey(vera, world.region)
    with pytest.raises((PermissionDenied, Exception)):
        make_survey(otto, world.harbour)


def test_an_archived_survey_is_not_changed(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    services.archive_survey(walter, survey)
    with pytest.raises(ValidationError):
        services.save_questions(walter, survey, dataclasses.replace(exit_spec()))
    with pytest.raises(ValidationError):
        services.archive_survey(walter, survey)
