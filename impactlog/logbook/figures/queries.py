"""Read-side queries of the logbook. The figures for any node and period take a fixed number of
queries, however many units lie below the node."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber

from impactlog.logbook.figures.periods import Period
from impactlog.logbook.models import Activity, ActivityKind, ReflectionAnswer, Session, SessionCount
from impactlog.tenancy.models import Node


@dataclass
class Figures:
    """Everything the statistics page shows for one node and one period."""

    period: Period
    sessions: int = 0
    minutes: int = 0
    opening_minutes: int = 0
    group_minutes: int = 0
    visits: int = 0
    visits_without_breakdown: int = 0
    youth_minutes: int = 0
    youth_producers: int = 0
    youth_sessions: int = 0
    staff_minutes: int = 0
    volunteer_minutes: int = 0
    by_cell: dict[tuple[str, str], int] = field(default_factory=dict)
    by_mode: dict[str, tuple[int, int]] = field(default_factory=dict)
    by_kind: dict[str, int] = field(default_factory=dict)
    by_month: dict[str, int] = field(default_factory=dict)  # visits per "YYYY-MM"

    def by_gender(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (gender, _band), count in self.by_cell.items():
            totals[gender] = totals.get(gender, 0) + count
        return totals

    def by_band(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for (_gender, band), count in self.by_cell.items():
            totals[band] = totals.get(band, 0) + count
        return totals

    @property
    def visits_with_breakdown(self) -> int:
        return self.visits - self.visits_without_breakdown

    @property
    def girls_share(self) -> float | None:
        known = self.visits_with_breakdown
        return self.by_gender().get("girls", 0) / known if known else None

    @property
    def youth_share(self) -> float | None:
        return self.youth_minutes / self.minutes if self.minutes else None


def sessions_in(node: Node, period: Period) -> QuerySet[Session]:
    return Session.objects.filter(
        node__path__startswith=node.path, date__gte=period.start, date__lte=period.end
    )


def _within(period: Period, prefix: str = "") -> Q:
    return Q(**{f"{prefix}date__gte": period.start, f"{prefix}date__lte": period.end})


_DAY_SUMS = {
    "minutes": Sum("minutes"),
    "visits": Sum("participants"),
    "visits_without_breakdown": Sum("participants", filter=Q(breakdown_known=False)),
    "youth_minutes": Sum("youth_minutes"),
    "youth_producers": Sum("youth_producers"),
    "youth_sessions": Count("pk", filter=Q(youth_produced=True)),
    "staff_minutes": Sum("staff_minutes"),
    "volunteer_minutes": Sum("volunteer_minutes"),
}


def figures_for(node: Node, periods: list[Period], *, with_breakdown: bool = True) -> list[Figures]:
    """The figures of `node` and everything below it, for each of `periods`.

    Two queries whatever the number of periods and units. The sessions of the subtree are
    summed once per day, mode and kind of activity, and each period's figures are added up
    from those few rows; the head-counts are summed per period side by side (left out, one
    query less, when `with_breakdown` is False: protected figures come from their decision).
    """
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    results = [Figures(period=period) for period in periods]
    days = (
        Session.objects.filter(node__path__startswith=node.path, date__gte=start, date__lte=end)
        .order_by()
        .values("date", "mode", "activity__kind")
        .annotate(sessions=Count("pk"), **_DAY_SUMS)
    )
    for row in days:
        kind, mode, sessions = row["activity__kind"], row["mode"], row["sessions"]
        month = f"{row['date']:%Y-%m}"
        for period, result in zip(periods, results, strict=True):
            if not period.start <= row["date"] <= period.end:
                continue
            result.sessions += sessions
            for name in _DAY_SUMS:
                setattr(result, name, getattr(result, name) + (row[name] or 0))
            if kind == ActivityKind.DROP_IN:
                result.opening_minutes += row["minutes"] or 0
            elif kind == ActivityKind.GROUP:
                result.group_minutes += row["minutes"] or 0
            count, visits = result.by_mode.get(mode, (0, 0))
            result.by_mode[mode] = (count + sessions, visits + (row["visits"] or 0))
            result.by_kind[kind] = result.by_kind.get(kind, 0) + sessions
            result.by_month[month] = result.by_month.get(month, 0) + (row["visits"] or 0)
    if not with_breakdown:
        return results
    cells = (
        SessionCount.objects.filter(
            session__node__path__startswith=node.path,
            session__date__gte=start,
            session__date__lte=end,
        )
        .order_by()
        .values("gender", "age_band")
        .annotate(
            **{
                f"v{i}": Sum("count", filter=_within(period, "session__"))
                for i, period in enumerate(periods)
            }
        )
    )
    for row in cells:
        for i, result in enumerate(results):
            if row[f"v{i}"]:
                result.by_cell[(row["gender"], row["age_band"])] = row[f"v{i}"]
    return results


def figures(node: Node, period: Period) -> Figures:
    """The figures of `node` and everything below it in `period` (2 queries)."""
    return figures_for(node, [period])[0]


def activities_of(unit: Node, *, include_archived: bool = False) -> QuerySet[Activity]:
    queryset = Activity.objects.filter(node=unit)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.order_by("name")


def recent_sessions(node: Node) -> QuerySet[Session]:
    return (
        Session.objects.filter(node__path__startswith=node.path)
        .select_related("activity", "node")
        .order_by("-date", "-start_time")
    )


def last_session(activity: Activity) -> Session | None:
    return (
        Session.objects.filter(activity=activity)
        .prefetch_related("counts")
        .order_by("-date", "-start_time")
        .first()
    )


# How many of an activity's latest sessions teach the entry page its usual age bands.
USUAL_BANDS_FROM_SESSIONS = 10


def usual_bands(activities: list[Activity], bands: list[str]) -> dict[int, list[str]]:
    """The age bands the entry page shows first for each activity, in the order of `bands`:
    those set on the activity, else those with anyone counted in its last
    USUAL_BANDS_FROM_SESSIONS sessions, else every band (there is nothing to learn from yet).

    Two queries, however many activities (none when every activity has its bands set)."""
    result: dict[int, list[str]] = {}
    learn = []
    for activity in activities:
        chosen = [band for band in bands if band in (activity.usual_age_bands or [])]
        if chosen:
            result[activity.pk] = chosen
        else:
            learn.append(activity.pk)
    if learn:
        latest = list(
            Session.objects.filter(activity_id__in=learn)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("activity_id")],
                    order_by=[F("date").desc(), F("start_time").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=USUAL_BANDS_FROM_SESSIONS)
            .values_list("pk", flat=True)
        )
        seen: dict[int, set[str]] = {pk: set() for pk in learn}
        counted = (
            SessionCount.objects.filter(session_id__in=latest, count__gt=0)
            .values_list("session__activity_id", "age_band")
            .distinct()
        )
        for activity_id, band in counted:
            seen[activity_id].add(band)
        for pk in learn:
            result[pk] = [band for band in bands if band in seen[pk]] or list(bands)
    return result


@dataclass
class ReflectionSummary:
    question: str
    answered: int
    latest: list[tuple[Any, str]]  # (date, answer)


def reflections_in(node: Node, period: Period, *, latest: int = 5) -> list[ReflectionSummary]:
    """How often each reflection question was answered in the period, with the latest answers
    (2 queries)."""
    answers = ReflectionAnswer.objects.filter(
        session__node__path__startswith=node.path,
        session__date__gte=period.start,
        session__date__lte=period.end,
    )
    counts = {
        row["question_id"]: (row["question__text"], row["n"])
        for row in answers.order_by()
        .values("question_id", "question__text")
        .annotate(n=Count("pk"))
    }
    recent: dict[int, list[tuple[Any, str]]] = {pk: [] for pk in counts}
    for answer in answers.select_related("session").order_by("-session__date", "-pk")[
        : latest * max(len(counts), 1)
    ]:
        bucket = recent[answer.question_id]
        if len(bucket) < latest:
            bucket.append((answer.session.date, answer.text))
    return [ReflectionSummary(text, n, recent[pk]) for pk, (text, n) in sorted(counts.items())]
