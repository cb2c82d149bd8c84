"""A survey's results: the figures of its answers, protected by the network's survey thresholds.

Every figure is counted in the database (a few grouped queries per page, whatever the number of
answers) and finished in Python from the counts: a distribution, the share agreeing, a mean with
its 95 % interval (docs/definitions.md, "Survey results").

Protection (docs/privacy.md, "Surveys"): results appear only with at least N complete answers
(N = the network's threshold for annual surveys, or for other surveys). A breakdown (by gender,
age band, unit, month, year) is a table whose cells are the groups' counts of answers and whose
relation is total = sum of groups; it goes through the disclosure-control engine, so a group
below N is hidden, and so is one more group where the hidden ones could otherwise be worked out
by subtracting the shown ones from the total. Only the unit's own workers (surveys.answers at the
unit) see their unit's figures unprotected, and only they see the free texts.
"""

from __future__ import annotations

import math
import statistics
from collections import defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, QuerySet, Value
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from scipy import stats

from impactlog.network.services import settings_for
from impactlog.surveys.models import (
    FREE_TEXT,
    NOT_ANSWERED,
    SCALES,
    Answer,
    Choice,
    Question,
    QuestionType,
    Response,
    Survey,
    SurveyKind,
    SurveyVersion,
    text_in,
)
from impactlog.tenancy.disclosure import Relation, protect
from impactlog.tenancy.models import Node, NodeKind

# An agreement-scale answer of 4 or 5 "agrees".
AGREEING = 4
#: Types counted value by value (a free text or a date is only counted as given).
COUNTED = frozenset({*SCALES, QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.YES_NO})
NUMERIC = frozenset({*SCALES, QuestionType.NUMBER})
TOTAL = "total"


def threshold_for(survey: Survey) -> int:
    """The network's threshold for this survey: annual surveys have their own."""
    settings = settings_for(survey.node)
    if survey.kind == SurveyKind.ANNUAL:
        return int(settings.threshold_annual_survey)
    return int(settings.threshold_other_surveys)


@dataclass(frozen=True)
class Filters:
    """Which answers: given at units under `node` (or at `unit`), in `year` (and `month`)."""

    node: Node
    unit: Node | None = None
    year: int | None = None
    month: int | None = None


def responses(survey: Survey, filters: Filters) -> QuerySet[Response]:
    """The complete responses the filters take."""
    place = filters.unit or filters.node
    found = Response.objects.filter(survey=survey, complete=True, node__path__startswith=place.path)
    if filters.year is not None:
        found = found.filter(submitted_at__year=filters.year)
        if filters.month is not None:
            found = found.filter(submitted_at__month=filters.month)
    return found


@dataclass(frozen=True)
class Interval:
    mean: float
    low: float
    high: float


def mean_interval(values: dict[float, int]) -> Interval | None:
    """The mean of values given as {value: how many} with its 95 % interval (Student's t);
    None without any value, the mean alone (low = high) with one."""
    n = sum(values.values())
    if n == 0:
        return None
    mean = sum(value * count for value, count in values.items()) / n
    if n == 1:
        return Interval(mean, mean, mean)
    variance = sum(count * (value - mean) ** 2 for value, count in values.items()) / (n - 1)
    half = float(stats.t.ppf(0.975, n - 1)) * math.sqrt(variance / n)
    return Interval(mean, mean - half, mean + half)


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    count: int
    share: float  # of those who answered the question


@dataclass
class QuestionFigures:
    question: Question
    label: str
    answered: int = 0
    options: list[Option] = field(default_factory=list)
    agreeing: float | None = None  # share agreeing, agreement scale only
    interval: Interval | None = None
    texts: list[str] = field(default_factory=list)  # free texts, only for the unit's workers


@dataclass
class Group:
    """One group of a breakdown: its figures, or why it is not shown."""

    key: Hashable
    label: str
    count: int | None  # None: hidden
    hidden: str = ""  # "primary", "secondary", "withheld"
    questions: list[QuestionFigures] = field(default_factory=list)


@dataclass
class Breakdown:
    name: str
    title: object  # a lazy translation
    groups: list[Group]


def _numeric(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _answered_questions(version: SurveyVersion) -> list[Question]:
    return [q for q in version.questions.all() if q.type not in NOT_ANSWERED]


def _labels(questions: Sequence[Question], language: str) -> dict[tuple[int, str], str]:
    """The label of each choice value of each question, in the language shown."""
    lists = {q.choice_list_id: q.pk for q in questions if q.choice_list_id}
    labels: dict[tuple[int, str], str] = {}
    by_list: dict[int, list[Choice]] = defaultdict(list)
    for choice in Choice.objects.filter(choice_list_id__in=list(lists)).order_by("position"):
        by_list[choice.choice_list_id].append(choice)
    for question in questions:
        for choice in by_list.get(question.choice_list_id or 0, []):
            labels[(question.pk, choice.value)] = text_in(choice.label, language)
    return labels


def _choice_order(questions: Sequence[Question]) -> dict[int, list[str]]:
    order: dict[int, list[str]] = defaultdict(list)
    lists = {q.choice_list_id for q in questions if q.choice_list_id}
    values: dict[int, list[str]] = defaultdict(list)
    for list_id, value in (
        Choice.objects.filter(choice_list_id__in=lists)
        .order_by("position")
        .values_list("choice_list_id", "value")
    ):
        values[list_id].append(value)
    for question in questions:
        if question.choice_list_id:
            order[question.pk] = values[question.choice_list_id]
        elif question.type == QuestionType.YES_NO:
            order[question.pk] = ["yes", "no"]
    return order


class Counts:
    """The counts of one set of responses, by group: what a breakdown's figures are made from.

    Three grouped queries: responses by group, respondents by group and question, answers by
    group, question and value."""

    def __init__(self, found: QuerySet[Response], group: str | None) -> None:
        of_response, of_answer = _group_expressions(group)
        self.responses: dict[Hashable, int] = {}
        for row in found.values(g=of_response).annotate(n=Count("pk")).order_by():
            self.responses[row["g"]] = row["n"]
        answers = Answer.objects.filter(response__in=found)
        self.answered: dict[tuple[Hashable, int], int] = {}
        for row in (
            answers.values("question_id", g=of_answer)
            .annotate(n=Count("response_id", distinct=True))
            .order_by()
        ):
            self.answered[(row["g"], row["question_id"])] = row["n"]
        self.values: dict[tuple[Hashable, int], dict[str | float, int]] = defaultdict(dict)
        for row in (
            answers.filter(question__type__in=COUNTED)
            .values("question_id", "text", "number", g=of_answer)
            .annotate(n=Count("pk"))
            .order_by()
        ):
            number = _numeric(row["number"])
            value: str | float = number if number is not None else row["text"]
            self.values[(row["g"], row["question_id"])][value] = row["n"]


def _group_expressions(group: str | None) -> tuple[Any, Any]:
    """The expression of a breakdown's group on a response, and on an answer."""
    if group is None:
        return Value(TOTAL), Value(TOTAL)
    if group == "month":
        return ExtractMonth("submitted_at"), ExtractMonth("response__submitted_at")
    if group == "year":
        return ExtractYear("submitted_at"), ExtractYear("response__submitted_at")
    return F(group), F(f"response__{group}")


def _figures(
    counts: Counts,
    key: Hashable,
    questions: Sequence[Question],
    labels: dict[tuple[int, str], str],
    order: dict[int, list[str]],
    language: str,
) -> list[QuestionFigures]:
    figures = []
    for question in questions:
        shown = QuestionFigures(question, text_in(question.label, language))
        shown.answered = counts.answered.get((key, question.pk), 0)
        values = counts.values.get((key, question.pk), {})
        if question.type in SCALES:
            low, high = SCALES[question.type]
            shown.options = [
                Option(
                    str(v),
                    str(v),
                    values.get(float(v), 0),
                    _share(values.get(float(v), 0), shown.answered),
                )
                for v in range(low, high + 1)
            ]
        elif question.type in COUNTED:
            shown.options = [
                Option(
                    value,
                    labels.get((question.pk, value), _yes_no(value)),
                    values.get(value, 0),
                    _share(values.get(value, 0), shown.answered),
                )
                for value in order.get(question.pk, [])
            ]
        if question.type == QuestionType.AGREEMENT and shown.answered:
            agree = sum(n for v, n in values.items() if isinstance(v, float) and v >= AGREEING)
            shown.agreeing = agree / shown.answered
        if question.type in SCALES:
            shown.interval = mean_interval({float(v): n for v, n in values.items()})
        figures.append(shown)
    return figures


def _yes_no(value: str) -> str:
    return {"yes": _("Yes"), "no": _("No")}.get(value, value)


def _share(count: int, of: int) -> float:
    return count / of if of else 0.0


def number_figures(
    found: QuerySet[Response], questions: Sequence[Question]
) -> dict[int, Interval | None]:
    """Means of number questions (many distinct values: averaged in the database's rows)."""
    result: dict[int, Interval | None] = {}
    for question in questions:
        if question.type != QuestionType.NUMBER:
            continue
        values: dict[float, int] = defaultdict(int)
        for number, n in (
            Answer.objects.filter(response__in=found, question=question, number__isnull=False)
            .values_list("number")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            values[float(number)] += n
        result[question.pk] = mean_interval(values)
    return result


@dataclass
class Results:
    survey: Survey
    threshold: int
    protected: bool
    total: int  # complete responses the filters take
    shown: bool  # the total reaches the threshold (or the reader is the unit's own worker)
    questions: list[QuestionFigures]
    breakdowns: list[Breakdown]

    @property
    def missing(self) -> int:
        return max(self.threshold - self.total, 0)


def _protected_groups(
    counts: dict[Hashable, int], threshold: int, total: int
) -> dict[Hashable, tuple[int | None, str]]:
    """Each group's count, or None and why it is hidden: the groups and their total through
    the disclosure-control engine (total = sum of groups, the total being shown)."""
    cells: dict[Hashable, int] = {("group", key): n for key, n in counts.items()}
    cells[(TOTAL,)] = total
    missing = total - sum(counts.values())
    terms: list[Hashable] = [("group", key) for key in counts]
    if missing:  # responses without the breakdown's value: a group of their own, never shown
        cells[("unknown",)] = missing
        terms.append(("unknown",))
    protection = protect(cells, [Relation((TOTAL,), terms)], threshold)
    result: dict[Hashable, tuple[int | None, str]] = {}
    for key in counts:
        cell = protection[("group", key)]
        result[key] = (cell.value, str(cell.reason or ""))
    return result


def breakdown(
    survey: Survey,
    found: QuerySet[Response],
    name: str,
    group: str,
    labels_of: dict[Hashable, str],
    *,
    threshold: int,
    protected: bool,
    total: int,
    questions: Sequence[Question],
    language: str,
) -> Breakdown:
    """The figures of each group of responses by `group` (a field or annotation of Response).

    A group without a value ("" or None, not given) is never a group of its own. Protected: a
    group with fewer than the threshold is hidden, and so is what the engine hides with it."""
    counts = Counts(found, group)
    known = {k: n for k, n in counts.responses.items() if k not in ("", None)}
    if protected:
        decided = _protected_groups(known, threshold, total)
    else:
        decided = {key: (n, "") for key, n in known.items()}
    choice_labels = _labels(questions, language)
    order = _choice_order(questions)
    groups = []
    for key in sorted(known, key=lambda k: str(labels_of.get(k, k))):
        count, hidden = decided[key]
        figures = (
            _figures(counts, key, questions, choice_labels, order, language)
            if count is not None
            else []
        )
        groups.append(Group(key, labels_of.get(key, str(key)), count, hidden, figures))
    return Breakdown(name, BREAKDOWNS[name], groups)


BREAKDOWNS = {
    "gender": gettext_lazy("By gender"),
    "age_band": gettext_lazy("By age band"),
    "unit": gettext_lazy("By unit"),
    "month": gettext_lazy("By month"),
    "year": gettext_lazy("By year"),
}


def is_unit_worker(user: object, node: Node) -> bool:
    """The unit's own worker: reads their unit's answers unprotected."""
    from impactlog.tenancy.permissions import has_perm
    from impactlog.tenancy.roles import Perm

    return node.kind == NodeKind.UNIT and has_perm(user, Perm.READ_ANSWERS, node)


def results(
    survey: Survey,
    version: SurveyVersion,
    filters: Filters,
    *,
    protected: bool,
    language: str,
    with_texts: bool = False,
) -> Results:
    """The results of one version of a survey, for the filters."""
    threshold = threshold_for(survey)
    found = responses(survey, filters).filter(version=version)
    questions = _answered_questions(version)
    counts = Counts(found, None)
    total = counts.responses.get(TOTAL, 0)
    shown = total >= threshold or not protected
    result = Results(survey, threshold, protected, total, shown, [], [])
    if not shown or total == 0:
        return result
    labels = _labels(questions, language)
    order = _choice_order(questions)
    result.questions = _figures(counts, TOTAL, questions, labels, order, language)
    numbers = number_figures(found, questions)
    for figures in result.questions:
        if figures.question.pk in numbers:
            figures.interval = numbers[figures.question.pk]
        if with_texts and not protected and figures.question.type in FREE_TEXT:
            figures.texts = list(
                Answer.objects.filter(response__in=found, question=figures.question)
                .exclude(text="")
                .order_by("response__submitted_at", "pk")
                .values_list("text", flat=True)
            )

    def by(name: str, group: str, labels_of: dict[Hashable, str], rows: QuerySet[Response]) -> None:
        result.breakdowns.append(
            breakdown(
                survey,
                rows,
                name,
                group,
                labels_of,
                threshold=threshold,
                protected=protected,
                total=total,
                questions=questions,
                language=language,
            )
        )

    by("gender", "gender", _genders(), found)
    by("age_band", "age_band", {}, found)
    if filters.unit is None and filters.node.kind != NodeKind.UNIT:
        names = dict(
            Node.objects.filter(path__startswith=filters.node.path).values_list("pk", "name")
        )
        by("unit", "node_id", dict(names), found)
    if filters.year is not None and filters.month is None:
        months: dict[Hashable, str] = {m: f"{filters.year}-{m:02d}" for m in range(1, 13)}
        by("month", "month", months, found)
    elif filters.year is None:
        by("year", "year", {}, found)
    return result


def _genders() -> dict[Hashable, str]:
    from impactlog.logbook.models import Gender

    return {value: str(label) for value, label in Gender.choices}


# --- A unit beside the network ---------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """A figure of one unit beside the median and quartiles of the units that pass the
    threshold (at least two of them, else nothing to compare with)."""

    units: int
    median: float
    lower: float
    upper: float


def unit_means(
    survey: Survey, version: SurveyVersion, root: Node, question: Question, threshold: int
) -> dict[int, float]:
    """The mean of a scale question at each unit under `root` with at least `threshold`
    complete responses (one grouped query)."""
    found = responses(survey, Filters(root)).filter(version=version)
    enough = {
        row["node_id"]
        for row in found.values("node_id").annotate(n=Count("pk")).order_by()
        if row["n"] >= threshold
    }
    sums: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for node_id, number, n in (
        Answer.objects.filter(response__in=found.filter(node_id__in=enough), question=question)
        .exclude(number=None)
        .values_list("response__node_id", "number")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        sums[node_id][0] += float(number) * n
        sums[node_id][1] += n
    return {node_id: total / n for node_id, (total, n) in sums.items() if n}


def spread(means: Iterable[float]) -> Spread | None:
    values = sorted(means)
    if len(values) < 2:
        return None
    lower, median, upper = statistics.quantiles(values, n=4, method="inclusive")
    return Spread(len(values), median, lower, upper)


# --- Pre and post ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """The change from pre to post on one scale question, over the pairs of responses."""

    question: str
    pairs: int
    mean_change: float | None
    improved: float | None  # share of pairs whose answer rose
    effect: float | None  # Cohen's d for paired samples: mean change / sd of the changes
    shown: bool


def _pair_key(response: dict[str, object]) -> tuple[object, object] | None:
    if response["participant_id"] is not None:
        return ("p", response["participant_id"])
    if response["self_code_hash"]:
        return ("c", response["self_code_hash"])
    return None


def pre_post(
    pre: Survey, post: Survey, place: Node, threshold: int, *, protected: bool = True
) -> list[Change]:
    """The pairs of a pre and a post survey (kind pre_post) at units under `place`: responses
    with the same participant, or else the same self-chosen code, at the same unit; for each scale
    question the two have by name. Shown only with at least `threshold` pairs."""

    def answers(survey: Survey) -> dict[tuple[object, ...], dict[str, float]]:
        found = responses(survey, Filters(place))
        rows = (
            Answer.objects.filter(response__in=found, question__type__in=list(SCALES))
            .exclude(number=None)
            .values(
                "response__node_id",
                "response__participant_id",
                "response__self_code_hash",
                "question__name",
                "number",
            )
        )
        by: dict[tuple[object, ...], dict[str, float]] = defaultdict(dict)
        for row in rows:
            key = _pair_key(
                {
                    "participant_id": row["response__participant_id"],
                    "self_code_hash": row["response__self_code_hash"],
                }
            )
            if key is not None:
                by[(row["response__node_id"], *key)][row["question__name"]] = float(row["number"])
        return by

    before, after = answers(pre), answers(post)
    names = sorted({n for a in before.values() for n in a} & {n for a in after.values() for n in a})
    changes = []
    for name in names:
        diffs = [
            after[key][name] - before[key][name]
            for key in before.keys() & after.keys()
            if name in before[key] and name in after[key]
        ]
        n = len(diffs)
        if (protected and n < threshold) or n == 0:
            changes.append(Change(name, n, None, None, None, False))
            continue
        mean = sum(diffs) / n
        sd = statistics.stdev(diffs) if n > 1 else 0.0
        effect = mean / sd if sd else None
        improved = sum(1 for d in diffs if d > 0) / n
        changes.append(Change(name, n, mean, improved, effect, True))
    return changes
