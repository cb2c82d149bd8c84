"""Read-side queries of the logbook. The figures for any node and period take a fixed number of
queries, however many units lie below the node."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from impactlog.logbook.models import Activity, ActivityKind, Session, SessionCount
from impactlog.logbook.periods import Period
from impactlog.structure.models import Node


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
    return Session.all_objects.filter(
        node__path__startswith=node.path, date__gte=period.start, date__lte=period.end
    )


def figures(node: Node, period: Period) -> Figures:
    """The figures of `node` and everything below it in `period` (4 queries)."""
    sessions = sessions_in(node, period)
    # Aggregate names must differ from the field names they sum, hence the prefix.
    totals = sessions.aggregate(
        t_sessions=Count("pk"),
        t_minutes=Coalesce(Sum("minutes"), 0),
        t_opening_minutes=Coalesce(
            Sum("minutes", filter=Q(activity__kind=ActivityKind.DROP_IN)), 0
        ),
        t_group_minutes=Coalesce(Sum("minutes", filter=Q(activity__kind=ActivityKind.GROUP)), 0),
        t_visits=Coalesce(Sum("participants"), 0),
        t_visits_without_breakdown=Coalesce(
            Sum("participants", filter=Q(breakdown_known=False)), 0
        ),
        t_youth_minutes=Coalesce(Sum("youth_minutes"), 0),
        t_youth_producers=Coalesce(Sum("youth_producers"), 0),
        t_youth_sessions=Count("pk", filter=Q(youth_produced=True)),
        t_staff_minutes=Coalesce(Sum("staff_minutes"), 0),
        t_volunteer_minutes=Coalesce(Sum("volunteer_minutes"), 0),
    )
    result = Figures(period=period, **{name[2:]: value for name, value in totals.items()})
    for row in sessions.order_by().values("mode").annotate(n=Count("pk"), v=Sum("participants")):
        result.by_mode[row["mode"]] = (row["n"], row["v"] or 0)
    for row in sessions.order_by().values("activity__kind").annotate(n=Count("pk")):
        result.by_kind[row["activity__kind"]] = row["n"]
    cells = (
        SessionCount.objects.filter(
            session__node__path__startswith=node.path,
            session__date__gte=period.start,
            session__date__lte=period.end,
        )
        .order_by()
        .values("gender", "age_band")
        .annotate(total=Sum("count"))
    )
    for row in cells:
        result.by_cell[(row["gender"], row["age_band"])] = row["total"]
    return result


def monthly_visits(node: Node, period: Period) -> dict[str, int]:
    """Visits per calendar month in `period`, keyed "YYYY-MM" (1 query)."""
    rows = (
        sessions_in(node, period)
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(visits=Sum("participants"))
    )
    return {f"{row['month']:%Y-%m}": row["visits"] or 0 for row in rows}


def activities_of(unit: Node, *, include_archived: bool = False) -> QuerySet[Activity]:
    queryset = Activity.all_objects.filter(node=unit)
    if not include_archived:
        queryset = queryset.filter(archived_at__isnull=True)
    return queryset.order_by("name")


def recent_sessions(node: Node) -> QuerySet[Session]:
    return (
        Session.all_objects.filter(node__path__startswith=node.path)
        .select_related("activity", "node")
        .order_by("-date", "-start_time")
    )


def last_session(activity: Activity) -> Session | None:
    return (
        Session.all_objects.filter(activity=activity)
        .prefetch_related("counts")
        .order_by("-date", "-start_time")
        .first()
    )
