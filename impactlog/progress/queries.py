"""What the progress pages show, each in a fixed number of queries.

`timeline(participant, own=True)` is what the young person sees of themselves (through their
personal link): workers' private notes are left out, as are recognitions not approved. Workers'
pages ask for `own=False`. The caller has authorised the reader; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.utils import timezone

from impactlog.kiosk.models import CheckIn
from impactlog.logbook.figures.periods import Period
from impactlog.participants.models import Participant
from impactlog.progress.models import (
    Competence,
    Goal,
    GoalStatus,
    GoalStep,
    JournalEntry,
    JournalReply,
    ProgressNote,
    Rating,
    Recognition,
    RecognitionStatus,
    Source,
)
from impactlog.progress.vocabulary import KeyCompetence
from impactlog.tenancy.models import Node

# The queries of a timeline, whatever its length: ratings, notes, goals and their steps, journal
# entries and their answers, approved recognitions.
TIMELINE_QUERIES = 7


@dataclass(frozen=True)
class Item:
    """One thing on the timeline: `kind` is rating, note, goal, journal or recognition."""

    kind: str
    day: dt.date
    at: dt.datetime
    obj: Any


@dataclass(frozen=True)
class Comparison:
    """The latest worker's and the latest own rating of one competence, side by side."""

    key: str
    name: str
    worker: Rating | None
    own: Rating | None

    @property
    def differs(self) -> bool:
        return (
            self.worker is not None and self.own is not None and self.worker.level != self.own.level
        )

    @property
    def difference(self) -> int | None:
        """The young person's level minus the worker's (positive: they rate themselves higher)."""
        if self.worker is None or self.own is None:
            return None
        return self.own.level - self.worker.level


@dataclass
class Timeline:
    participant: Participant
    items: list[Item] = field(default_factory=list)
    comparisons: list[Comparison] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    journal: list[JournalEntry] = field(default_factory=list)


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)


def ratings_of(participant: Participant) -> QuerySet[Rating]:
    # the caller authorised the young person (or the link, a credential); their own records
    return Rating.all_objects.filter(participant=participant).select_related(
        "competence", "rated_by"
    )


def compare(ratings: list[Rating]) -> list[Comparison]:
    """Per competence, the latest rating of each source: never one in place of the other."""
    latest: dict[str, dict[str, Rating]] = defaultdict(dict)
    names: dict[str, str] = {}
    for rating in sorted(ratings, key=lambda r: (r.rated_on, r.created_at, r.pk)):
        latest[rating.competence_key][rating.source] = rating
        names[rating.competence_key] = rating.competence_name
    return [
        Comparison(
            key=key,
            name=names[key],
            worker=latest[key].get(Source.WORKER),
            own=latest[key].get(Source.SELF),
        )
        for key in sorted(latest, key=lambda k: names[k].casefold())
    ]


def timeline(participant: Participant, *, own: bool = True) -> Timeline:
    """Ratings, notes, goals, journal entries with their answers and approved recognitions of one
    young person, newest first, in TIMELINE_QUERIES queries."""
    ratings = list(ratings_of(participant))
    # the caller authorised the young person (or the link, a credential); their own records
    notes_query = ProgressNote.all_objects.filter(participant=participant).select_related(
        "written_by"
    )
    if own:
        notes_query = notes_query.filter(shared=True)
    notes = list(notes_query)
    goals = list(
        # the caller authorised the young person (or the link, a credential); their own records
        Goal.all_objects.filter(participant=participant)
        .select_related("mentor")
        .prefetch_related(
            # the steps of the goals read here
            Prefetch("steps", queryset=GoalStep.all_objects.order_by("position", "pk"))
        )
    )
    journal = list(
        # the caller authorised the young person (or the link, a credential); their own records
        JournalEntry.all_objects.filter(participant=participant).prefetch_related(
            Prefetch(
                "replies",
                # the answers to the entries read here
                queryset=JournalReply.all_objects.select_related("written_by").order_by(
                    "written_at", "pk"
                ),
            )
        )
    )
    recognitions = list(
        # the caller authorised the young person (or the link, a credential); their own records
        Recognition.all_objects.filter(peer=participant, status=RecognitionStatus.APPROVED)
        .select_related("giver", "competence")
        .order_by("given_at", "pk")
    )
    items = [Item("rating", r.rated_on, r.created_at, r) for r in ratings]
    items += [Item("note", _day(n.written_at), n.written_at, n) for n in notes]
    items += [Item("goal", _day(g.created_at), g.created_at, g) for g in goals]
    items += [Item("journal", _day(e.written_at), e.written_at, e) for e in journal]
    items += [Item("recognition", _day(r.given_at), r.given_at, r) for r in recognitions]
    items.sort(key=lambda item: (item.day, item.at, item.kind, item.obj.pk), reverse=True)
    return Timeline(
        participant=participant,
        items=items,
        comparisons=compare(ratings),
        goals=goals,
        journal=journal,
    )


def goals_reached(node: Node, period: Period) -> int:
    """Goals reached in `period` (by their reached date) by young people of the units at or
    below `node`: what reports count (docs/definitions.md, "Goals reached"). A count, no names;
    the caller decides who may see it."""
    return (
        # a count below the node; the caller decides who may see it
        Goal.all_objects.filter(
            status=GoalStatus.REACHED,
            reached_on__gte=period.start,
            reached_on__lte=period.end,
            participant__unit__path__startswith=node.path,
        )
        .order_by()
        .count()
    )


def recognitions_waiting(unit: Node) -> QuerySet[Recognition]:
    """Recognitions for the unit's young people that a worker has not decided yet, oldest first."""
    return (
        Recognition.objects.filter(peer__unit=unit, status=RecognitionStatus.PENDING)
        .select_related("giver", "peer", "competence")
        .order_by("given_at", "pk")
    )


def competences_of(organisation: Node) -> QuerySet[Competence]:
    # within the organisation the caller authorised (this helper is not a way in)
    return Competence.all_objects.filter(owner=organisation).order_by("name", "pk")


def competence_choices(organisation: Node) -> list[tuple[str, str]]:
    """The key competences and then the organisation's own, as (value, label) for a form: a key
    competence's code, or "own:<id>"."""
    choices = [(str(value), str(label)) for value, label in KeyCompetence.choices]
    choices += [(f"own:{c.pk}", c.name) for c in competences_of(organisation)]
    return choices


def competence_from_choice(organisation: Node, value: str) -> str | Competence | None:
    """What a form's choice names: a key competence's code or a competence of the organisation
    (None when it names neither)."""
    if value in KeyCompetence.values:
        return value
    prefix, _sep, number = value.partition(":")
    if prefix != "own" or not number.isdigit():
        return None
    return competences_of(organisation).filter(pk=int(number)).first()


def activities_of(participant: Participant) -> list[dict[str, Any]]:
    """What the young person took part in, from their kiosk check-ins: each activity's name,
    how many sessions and the first and last day (one query)."""
    return list(
        # system code: the check-ins of a participant the caller authorised
        CheckIn.all_objects.filter(participant=participant)
        .values("session__activity", "session__activity__name")
        .annotate(
            sessions=Count("session", distinct=True),
            first=Min("session__date"),
            last=Max("session__date"),
        )
        .order_by("first", "session__activity__name")
    )


@dataclass
class SummaryArea:
    """One key competence in the learning summary (or none: `key` empty)."""

    key: str
    name: str
    ratings: list[Rating] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)


@dataclass
class Summary:
    participant: Participant
    areas: list[SummaryArea]
    activities: list[dict[str, Any]]
    goals_reached: list[Goal]
    learned: list[JournalEntry]


def summary(participant: Participant) -> Summary:
    """A young person's learning, grouped by the eight key competences (an own competence under
    the key competence it counts towards): what they took part in (their check-ins), ratings
    over time from both sides, goals reached and what they wrote they learned. The timeline's
    queries and one for the activities."""
    found = timeline(participant, own=True)
    areas = {
        str(value): SummaryArea(str(value), str(label)) for value, label in KeyCompetence.choices
    }
    other = SummaryArea("", "")
    for item in reversed(found.items):  # oldest first
        if item.kind == "rating":
            areas.get(item.obj.maps_to, other).ratings.append(item.obj)
        elif item.kind == "recognition":
            areas.get(item.obj.maps_to, other).recognitions.append(item.obj)
    shown = [area for area in areas.values() if area.ratings or area.recognitions]
    if other.ratings or other.recognitions:
        shown.append(other)
    return Summary(
        participant=participant,
        areas=shown,
        activities=activities_of(participant),
        goals_reached=[g for g in found.goals if g.status == GoalStatus.REACHED],
        learned=found.journal,
    )
