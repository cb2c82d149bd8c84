"""A survey's results (surveys/results.py): figures checked against values worked out here from
the raw answers, the thresholds, and the subtraction attack on a breakdown."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import pytest
from scipy import stats

from impactlog.accounts.models import User
from impactlog.surveys import results
from impactlog.surveys.models import Survey
from impactlog.surveys.results import Filters
from impactlog.surveys.services import current_version

from .conftest import World
from .surveys_world import answer, exit_spec, make_survey

pytestmark = pytest.mark.usefixtures("no_scope")


def _results(survey: Survey, node, *, protected: bool = True, **filters) -> results.Results:  # type: ignore[no-untyped-def]
    return results.results(
        survey,
        current_version(survey),
        Filters(node, **filters),
        protected=protected,
        language="en",
        with_texts=not protected,
    )


def _question(found: results.Results, name: str) -> results.QuestionFigures:
    return next(q for q in found.questions if q.question.name == name)


def test_figures_match_the_raw_answers(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    safe = [5, 4, 4, 3, 2, 5, 5, 1, 4, 4]
    again = ["yes", "yes", "no", "maybe", "yes", "no", "yes", "yes", "maybe", "yes"]
    for s, a in zip(safe, again, strict=True):
        answer(survey, world.harbour, {"safe": s, "again": a})
    answer(survey, world.harbour, {"safe": 1}, complete=False)  # not counted

    found = _results(survey, world.harbour)

    assert found.total == 10 and found.shown
    figures = _question(found, "safe")
    assert figures.answered == 10
    assert figures.agreeing == pytest.approx(sum(1 for s in safe if s >= 4) / 10)
    mean = statistics.mean(safe)
    half = stats.t.ppf(0.975, 9) * statistics.stdev(safe) / math.sqrt(10)
    assert figures.interval is not None
    assert figures.interval.mean == pytest.approx(mean)
    assert figures.interval.low == pytest.approx(mean - half)
    assert figures.interval.high == pytest.approx(mean + half)
    assert [(o.value, o.count) for o in figures.options] == [
        (str(v), safe.count(v)) for v in range(1, 6)
    ]
    choices = _question(found, "again")
    assert [(o.label, o.count) for o in choices.options] == [
        ("Yes", again.count("yes")),
        ("No", again.count("no")),
        ("Maybe", again.count("maybe")),
    ]


def test_below_the_threshold_nothing_is_shown(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    for _ in range(4):
        answer(survey, world.harbour, {"safe": 5, "again": "yes"})

    found = _results(survey, world.harbour)

    assert not found.shown and found.threshold == 5 and found.missing == 1
    assert found.questions == [] and found.breakdowns == []


def test_an_annual_survey_needs_the_annual_threshold(world: World, walter: User) -> None:
    import dataclasses

    survey = make_survey(walter, world.harbour, dataclasses.replace(exit_spec(), kind="annual"))
    for _ in range(14):
        answer(survey, world.harbour, {"safe": 5, "again": "yes"})
    assert not _results(survey, world.harbour).shown
    answer(survey, world.harbour, {"safe": 5, "again": "yes"})
    assert _results(survey, world.harbour).shown


def test_the_units_own_worker_sees_everything_with_free_texts(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    answer(survey, world.harbour, {"safe": 2, "again": "no", "why_not": "More music"})
    found = _results(survey, world.harbour, protected=False)
    assert found.shown and _question(found, "why_not").texts == ["More music"]
    assert not _results(survey, world.harbour).shown
    for _ in range(5):
        answer(survey, world.harbour, {"safe": 2, "again": "yes"})
    assert _question(_results(survey, world.harbour), "why_not").texts == []


def _gender_groups(found: results.Results) -> dict[str, int | None]:
    breakdown = next(b for b in found.breakdowns if b.name == "gender")
    return {str(g.key): g.count for g in breakdown.groups}


def test_a_small_group_cannot_be_recovered_by_subtracting(world: World, walter: User) -> None:
    """20 girls, 20 boys, 2 non-binary: showing the girls and boys beside the total of 42 would
    give the 2 away. A second group is hidden with it."""
    survey = make_survey(walter, world.harbour)
    for gender, n in (("girls", 20), ("boys", 20), ("non_binary", 2)):
        for _ in range(n):
            answer(survey, world.harbour, {"safe": 4, "again": "yes"}, gender=gender)

    found = _results(survey, world.harbour)
    groups = _gender_groups(found)

    assert found.total == 42
    assert groups["non_binary"] is None
    shown = [n for n in groups.values() if n is not None]
    hidden = [k for k, n in groups.items() if n is None]
    # a total and all but one group shown must not happen
    assert len(hidden) >= 2, groups
    assert found.total - sum(shown) >= 3 * found.threshold
    breakdown = next(b for b in found.breakdowns if b.name == "gender")
    assert all(not g.questions for g in breakdown.groups if g.count is None)


def test_breakdown_figures_match_each_group(world: World, walter: User) -> None:
    survey = make_survey(walter, world.harbour)
    girls = [5, 5, 4, 3, 4, 5]
    boys = [2, 3, 4, 4, 5, 1, 2]
    for s in girls:
        answer(survey, world.harbour, {"safe": s, "again": "yes"}, gender="girls")
    for s in boys:
        answer(survey, world.harbour, {"safe": s, "again": "no"}, gender="boys")

    found = _results(survey, world.harbour)
    breakdown = next(b for b in found.breakdowns if b.name == "gender")
    by = {g.key: g for g in breakdown.groups}

    assert by["girls"].count == 6 and by["boys"].count == 7
    for key, raw in (("girls", girls), ("boys", boys)):
        safe = next(q for q in by[key].questions if q.question.name == "safe")
        assert safe.interval is not None
        assert safe.interval.mean == pytest.approx(statistics.mean(raw))
        assert safe.agreeing == pytest.approx(sum(1 for s in raw if s >= 4) / len(raw))


def test_years_and_units_are_broken_down(world: World, carl: User) -> None:
    survey = make_survey(carl, world.region)
    for year, unit, n in (
        (2025, world.harbour, 6),
        (2026, world.harbour, 7),
        (2026, world.hill, 8),
    ):
        for _ in range(n):
            when = dt.datetime(year, 3, 1, 12, tzinfo=dt.UTC)
            answer(survey, unit, {"safe": 4, "again": "yes"}, when=when)

    found = _results(survey, world.region)
    years = {g.key: g.count for b in found.breakdowns if b.name == "year" for g in b.groups}
    units = {g.key: g.count for b in found.breakdowns if b.name == "unit" for g in b.groups}
    assert years == {2025: 6, 2026: 15}
    assert units == {world.harbour.pk: 13, world.hill.pk: 8}
    months = _results(survey, world.region, year=2026)
    assert {g.key: g.count for b in months.breakdowns if b.name == "month" for g in b.groups} == {
        3: 15
    }


def test_a_unit_beside_the_network(world: World, carl: User) -> None:
    survey = make_survey(carl, world.region)
    for unit, values in ((world.harbour, [5] * 5), (world.hill, [3] * 5 + [1] * 5)):
        for s in values:
            answer(survey, unit, {"safe": s, "again": "yes"})
    version = current_version(survey)
    question = version.questions.get(name="safe")
    means = results.unit_means(survey, version, world.region, question, 5)
    assert means == {world.harbour.pk: 5.0, world.hill.pk: 2.0}
    spread = results.spread(means.values())
    assert spread is not None and spread.median == 3.5
    assert results.unit_means(survey, version, world.region, question, 6) == {world.hill.pk: 2.0}


def test_pre_and_post_pairs(world: World, walter: User) -> None:
    import dataclasses

    spec = dataclasses.replace(exit_spec(), kind="pre_post")
    pre, post = make_survey(walter, world.harbour, spec), make_survey(walter, world.harbour, spec)
    before = [2, 3, 3, 1, 4, 2]
    after = [4, 3, 5, 2, 4, 5]
    for i, (b, a) in enumerate(zip(before, after, strict=True)):
        answer(pre, world.harbour, {"safe": b}, self_code=f"code{i}")
        answer(post, world.harbour, {"safe": a}, self_code=f"code{i}")
    answer(post, world.harbour, {"safe": 5}, self_code="unpaired")

    (change,) = results.pre_post(pre, post, world.harbour, 5)

    diffs = [a - b for a, b in zip(after, before, strict=True)]
    assert change.pairs == 6 and change.shown
    assert change.mean_change == pytest.approx(statistics.mean(diffs))
    assert change.improved == pytest.approx(sum(1 for d in diffs if d > 0) / 6)
    assert change.effect == pytest.approx(statistics.mean(diffs) / statistics.stdev(diffs))
    (few,) = results.pre_post(pre, post, world.harbour, 7)
    assert not few.shown and few.mean_change is None


def test_the_figures_take_a_few_queries_whatever_the_answers(
    world: World, walter: User, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    survey = make_survey(walter, world.harbour)
    for i in range(40):
        answer(survey, world.harbour, {"safe": 1 + i % 5, "again": "yes"}, gender="girls")
    version = current_version(survey)
    with django_assert_max_num_queries(30):
        results.results(survey, version, Filters(world.harbour), protected=True, language="en")
