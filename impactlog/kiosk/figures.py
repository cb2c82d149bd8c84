"""Figures of people: the unique visitors of a place in a period, from the kiosk's check-ins.

A **unique visitor** of a node in a period is a registered young person of the node's
organisation (or of an organisation below the node) with at least one check-in at a session of
the node's subtree dated in the period. Anonymous check-ins ("just count me") are visits, not
people: they are counted apart, as visits counted without a name. Unique visitors do not add up
across places or periods (a young person who visits two centres is one visitor of their
organisation), so every figure here is counted from the check-ins themselves for the node and
period asked, never summed from smaller ones. docs/definitions.md defines each figure.

`people_of` reads in a fixed number of queries (`QUERIES`); `count_people` is the pure count the
disclosure task (logbook.figures.people) also runs for every place and period of a year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import F, Min, Q

from impactlog.kiosk.models import CheckIn
from impactlog.network.services import Band, band_of_age, bands_for
from impactlog.participants.consent import age_on
from impactlog.participants.models import Gender, Status
from impactlog.tenancy.models import Node

#: How often people came: (key, fewest visits, most visits or None for no limit).
FREQUENCY_BINS: tuple[tuple[str, int, int | None], ...] = (
    ("1", 1, 1),
    ("2_3", 2, 3),
    ("4_9", 4, 9),
    ("10_plus", 10, None),
)
#: A visit followed by another at most this many days later is a return.
RETURN_DAYS = 30
#: The key of "not recorded" in the breakdowns by home area and by school or work.
NOT_RECORDED = "none"
#: The queries `people_of` makes, whatever the number of check-ins or places.
QUERIES = 3


@dataclass(frozen=True)
class Visit:
    """One registered young person's check-in, with what the figures break them down by."""

    participant: int
    session: int
    date: dt.date
    birth_year: int
    birth_month: int | None
    gender: str
    home_area: int | None
    status: str


@dataclass
class People:
    """The people figures of one node and one period."""

    visitors: int = 0
    without_name: int = 0  # anonymous check-ins: visits, not people
    by_band: dict[str, int] = field(default_factory=dict)
    by_gender: dict[str, int] = field(default_factory=dict)
    by_area: dict[str, int] = field(default_factory=dict)  # home area pk as text, or "none"
    by_status: dict[str, int] = field(default_factory=dict)  # Status, or "none"
    new: int = 0
    returning: int = 0
    by_frequency: dict[str, int] = field(default_factory=dict)
    returned: int = 0  # came again within RETURN_DAYS of some visit, both in the period

    @property
    def returned_share(self) -> float | None:
        return self.returned / self.visitors if self.visitors else None


def frequency_bin(visits: int) -> str:
    for key, low, high in FREQUENCY_BINS:
        if visits >= low and (high is None or visits <= high):
            return key
    raise ValueError(f"{visits} visits fall in no bin")


def age_at(visit: Visit) -> int:
    """Age on the day of the visit; a record anonymised keeps only the year of birth, and is
    counted at the younger of its two possible ages."""
    return age_on(visit.birth_year, visit.birth_month or 12, visit.date)


def count_people(
    visits: Iterable[Visit],
    first_ever: Mapping[int, dt.date],
    bands: Sequence[Band],
    start: dt.date,
    end: dt.date,
    without_name: int = 0,
) -> People:
    """The figures of the visits dated from `start` to `end` (inclusive): `visits` may hold
    others, which are left out. `first_ever` is each participant's first check-in anywhere in
    the organisation's places, for new and returning."""
    mine: dict[int, list[Visit]] = defaultdict(list)
    for visit in visits:
        if start <= visit.date <= end:
            mine[visit.participant].append(visit)
    people = People(visitors=len(mine), without_name=without_name)
    band_list = list(bands)
    for participant, theirs in mine.items():
        theirs.sort(key=lambda v: (v.date, v.session))
        first = theirs[0]
        _add(people.by_band, band_of_age(band_list, age_at(first)))
        _add(people.by_gender, first.gender)
        _add(people.by_area, str(first.home_area) if first.home_area else NOT_RECORDED)
        _add(people.by_status, first.status or NOT_RECORDED)
        if first_ever.get(participant, first.date) >= start:
            people.new += 1
        else:
            people.returning += 1
        sessions = {v.session for v in theirs}
        _add(people.by_frequency, frequency_bin(len(sessions)))
        days = sorted({v.date for v in theirs})
        if any((later - earlier).days <= RETURN_DAYS for earlier, later in pairwise(days)):
            people.returned += 1
    return people


def _add(counts: dict[str, int], key: str) -> None:
    counts[key] = counts.get(key, 0) + 1


def genders() -> list[str]:
    return list(Gender.values)


def statuses() -> list[str]:
    return [*Status.values, NOT_RECORDED]


def of_its_organisation() -> Q:
    """A check-in counts as a registered visit only where the young person's organisation keeps
    the place's records (it is the session's place or above it): a participant of another
    organisation never counts, and identities are never joined across organisations."""
    return Q(session__node__path__startswith=F("participant__organisation__path"))


def visits_in(node: Node, start: dt.date, end: dt.date) -> tuple[list[Visit], int]:
    """The registered check-ins at sessions of the node's subtree from `start` to `end`, and the
    number of anonymous ones (1 query). Request code: the scoped managers."""
    rows = (
        CheckIn.objects.filter(
            session__node__path__startswith=node.path,
            session__date__gte=start,
            session__date__lte=end,
        )
        .filter(Q(participant__isnull=True) | of_its_organisation())
        .order_by()
        .values_list(
            "participant_id",
            "session_id",
            "session__date",
            "participant__birth_year",
            "participant__birth_month",
            "participant__gender",
            "participant__home_area_id",
            "participant__status",
        )
    )
    visits: list[Visit] = []
    anonymous = 0
    for row in rows:
        if row[0] is None:
            anonymous += 1
        else:
            visits.append(Visit(*row))
    return visits, anonymous


def first_visits(participants: Iterable[int]) -> dict[int, dt.date]:
    """Each participant's first check-in anywhere (1 query): a check-in at any place of their
    organisation makes them a returning visitor of every place."""
    ids = sorted(set(participants))
    if not ids:
        return {}
    found = (
        # system code: only the first date of young people the caller counts already, at any
        # place of their organisation (the reader may not see those places' records)
        CheckIn.all_objects.filter(participant_id__in=ids)
        .order_by()
        .values("participant_id")
        .annotate(first=Min("session__date"))
    )
    return {row["participant_id"]: row["first"] for row in found}


def people_of(
    node: Node, start: dt.date, end: dt.date, bands: Sequence[Band] | None = None
) -> People:
    """The people figures of `node` from `start` to `end`: QUERIES queries (one less with
    `bands`)."""
    visits, anonymous = visits_in(node, start, end)
    first = first_visits(v.participant for v in visits)
    return count_people(
        visits, first, bands if bands is not None else bands_for(node), start, end, anonymous
    )


def people_across(node: Node, start: dt.date, end: dt.date) -> int:
    """The distinct young people with a check-in at the node's subtree from `start` to `end`,
    over every organisation below the node (1 query): a network's or a municipality's figure.

    Within an organisation a young person is one record. Across organisations identities are
    never joined, except by the keyed hash of organisations that deduplicate
    (impactlog.participants.dedup): a young person with the same hash in two of them counts
    once; everyone else once per record. Only organisations that deduplicate hold a hash (it is
    cleared when they stop), so an empty hash means "count the record"."""
    rows = (
        CheckIn.objects.filter(
            session__node__path__startswith=node.path,
            session__date__gte=start,
            session__date__lte=end,
            participant__isnull=False,
        )
        .filter(of_its_organisation())
        .order_by()
        .values_list("participant_id", "participant__dedup_hash")
        .distinct()
    )
    return len({("hash", hashed) if hashed else ("record", pk) for pk, hashed in rows})
