"""Read-side queries of a place's home page, the page a person lands on after signing in.

At a unit where she keeps the records: this week's few figures so far against the same days a
year earlier, the last sessions logged and the open questions on definitions. Above the units: the
places below, each with the figures of the last whole month, protected for a reader without
records rights there. Every figure comes from the figures page's own read functions
(`figures.queries`, `figures.protection`), so the home page never shows a count the figures page
would hide. The number of queries is fixed, and fixed per place shown (see `tests/test_home.py`).

The structure app owns the page and must not import the logbook: the logbook registers
`home_part` with `structure.pages.register_home_part` when it starts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from impactlog.glossary.models import DefinitionQuestion
from impactlog.logbook.figures import protection, queries
from impactlog.logbook.figures.periods import Period, period_of
from impactlog.logbook.figures.shown import Shown, shown
from impactlog.logbook.models import Session
from impactlog.network.services import Thresholds, settings_for, thresholds_in
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_id_of

LAST_SESSIONS = 5
OPEN_QUESTIONS = 5


@dataclass(frozen=True)
class Figure:
    """One figure of the home page: its value now and, when compared, a year earlier."""

    label: str
    now: Shown
    before: Shown | None = None


@dataclass(frozen=True)
class Figures:
    period: Period  # the days the figures cover (a period not over yet: up to today)
    before: Period | None  # the days they are compared with, if they are
    protected: bool
    figures: list[Figure]


@dataclass(frozen=True)
class Place:
    node: Node
    figures: Figures


def _count(value: int) -> Shown:
    return Shown(formats.number_format(value, use_l10n=True, force_grouping=True), value=value)


def _hours(minutes: int) -> Shown:
    text = formats.number_format(minutes / 60, decimal_pos=1, use_l10n=True, force_grouping=True)
    return Shown(text, value=minutes)


def last_month(today: dt.date) -> Period:
    """The last whole calendar month: the latest period protected figures are decided for."""
    return period_of("month", today.replace(day=1) - dt.timedelta(days=1))


def this_week(node: Node, today: dt.date) -> Figures:
    """This week so far against the same days a year earlier, exactly, for people with records
    rights (1 query)."""
    now_period, before_period = period_of("week", today).compared(today)
    now, before = queries.figures_for(node, [now_period, before_period], with_breakdown=False)
    return Figures(
        now_period,
        before_period,
        False,
        [
            Figure(_label("sessions"), _count(now.sessions), _count(before.sessions)),
            Figure(_label("visits"), _count(now.visits), _count(before.visits)),
            Figure(_label("hours"), _hours(now.minutes), _hours(before.minutes)),
        ],
    )


def month_of(user: Any, node: Node, month: Period, thresholds: Thresholds | None) -> Figures:
    """The last whole month's sessions and visits of `node`: exact for a reader with records
    rights there (1 query), protected for everyone else (3 queries)."""
    (figures,) = queries.figures_for(node, [month], with_breakdown=False)
    sessions = Figure(_label("sessions"), _count(figures.sessions))
    if has_perm(user, Perm.VIEW_RECORDS, node):
        return Figures(
            month, None, False, [sessions, Figure(_label("visits"), _count(figures.visits))]
        )
    (cells,) = protection.protected(node, [month], thresholds)
    visits = shown(cells[protection.TOTAL], available=cells.available)
    return Figures(month, None, True, [sessions, Figure(_label("visits"), visits)])


def places_below(user: Any, children: list[Node], today: dt.date) -> list[Place]:
    """The places right below a coordinator's node, each with its last whole month's figures
    (1 query for the network's thresholds, then at most 3 for each place)."""
    live = [child for child in children if not child.is_archived]
    if not live:
        return []
    thresholds = thresholds_in(settings_for(live[0]))
    month = last_month(today)
    return [Place(child, month_of(user, child, month, thresholds)) for child in live]


def last_sessions(node: Node, limit: int = LAST_SESSIONS) -> list[Session]:
    """The sessions logged last at `node` and below, newest first (1 query)."""
    return list(queries.recent_sessions(node)[:limit])


def open_questions(user: Any, node: Node, limit: int = OPEN_QUESTIONS) -> list[DefinitionQuestion]:
    """The questions on definitions still waiting for an answer that the reader may read, as the
    glossary shows them: every one of the network for someone who answers them, otherwise only
    her own (1 query)."""
    root_id = root_id_of(node)
    found = DefinitionQuestion.objects.filter(definition__node_id=root_id, answered_at__isnull=True)
    if not has_perm(user, Perm.EDIT_DEFINITIONS, node):
        found = found.filter(asked_by=user)
    return list(found.select_related("definition", "place").order_by("asked_at")[:limit])


def _label(key: str) -> str:
    return {"sessions": _("Sessions"), "visits": _("Visits"), "hours": _("Hours of activity")}[key]


def home_part(request: Any, node: Node, children: list[Node]) -> dict[str, Any]:
    """What the logbook adds to a place's home page, and the template that shows it."""
    user, today = request.user, timezone.localdate()
    records = has_perm(user, Perm.VIEW_RECORDS, node)
    reports = has_perm(user, Perm.VIEW_REPORTS, node)
    figures = None
    if records and node.kind == NodeKind.UNIT:
        figures = this_week(node, today)
    elif reports and node.kind == NodeKind.UNIT:
        figures = month_of(user, node, last_month(today), None)
    return {
        "template": "logbook/home_part.html",
        "figures": figures,
        "places": places_below(user, children, today) if reports else [],
        "last_sessions": last_sessions(node) if records else [],
        "questions": open_questions(user, node),
    }
