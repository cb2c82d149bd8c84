"""Demo check-ins: per demo unit with registered young people (participants/demo.py), a kiosk
paired eight weeks ago to the activity with the most sessions since, and check-ins at the first
of its sessions in each week: the first young person at almost every one, the second at about
half, the others once, and one or two anonymous visits. Everything goes through the services
(`create_pairing_code`, `pair_device`, `check_in` with `now=` the moment of the visit), so the
counts, the unique visitors and the audit trail are the real ones. Seeded: the same demo world
gets the same check-ins. Loading it again changes nothing (a unit with a kiosk is left alone)."""

from __future__ import annotations

import datetime as dt
import random
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from impactlog.kiosk import services
from impactlog.kiosk.models import KioskDevice
from impactlog.kiosk.services import CheckInInput, Kind
from impactlog.logbook.models import Activity, Gender, Session
from impactlog.network.services import bands_in, settings_for
from impactlog.participants import services as participants
from impactlog.participants.models import Participant
from impactlog.tenancy.models import Membership, Node
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

WEEKS = 8
# The kiosk's name, in the place's language.
NAMES = {
    "lv": "Ieeja",
    "lt": "Įėjimas",
    "et": "Sissepääs",
    "sl": "Vhod",
    "sv": "Entré",
    "fi": "Sisäänkäynti",
    "en": "Entrance",
}
# How likely each registered young person (in order of registration) is to check in at a
# session; those past the list come once.
RETURNING = [0.9, 0.5]


def _manager(unit: Node) -> Any:
    found = (
        # demo seeding (system code, no actor): reads the place it fills
        Membership.all_objects.filter(node=unit, role=Role.MANAGER).select_related("user").first()
    )
    return found.user if found is not None else None  # else the system pairs it


def _busiest(unit: Node, since: dt.date) -> Activity | None:
    return (
        # demo seeding (system code, no actor): reads the place it fills
        Activity.all_objects.filter(node=unit, archived_at__isnull=True)
        .annotate(recent=Count("sessions", filter=Q(sessions__date__gte=since)))
        .filter(recent__gt=0)
        .order_by("-recent", "pk")
        .first()
    )


def _check_ins_of(unit: Node, now: dt.datetime) -> int:
    since = now - dt.timedelta(weeks=WEEKS)
    young = list(
        participants.consented_in(participants.organisation_of(unit))
        .filter(unit=unit)
        .order_by("registered_at", "pk")
    )
    activity = _busiest(unit, timezone.localdate(since))
    if not young or activity is None:
        return 0
    _pairing, code = services.create_pairing_code(_manager(unit), activity, now=since)
    _device, token = services.pair_device(code, NAMES.get(unit.language, NAMES["en"]), now=since)
    seeded = random.Random(f"impactlog-demo-kiosk/{unit.slug}")  # noqa: S311 (demo data, not secrets)
    bands = [key for key, _label in bands_in(settings_for(unit))]
    place = zoneinfo.ZoneInfo(unit.time_zone)
    # demo seeding (system code, no actor): reads the place it fills
    sessions = Session.all_objects.filter(
        activity=activity, date__gte=timezone.localdate(since)
    ).order_by("date", "start_time")
    weekly: dict[tuple[int, int], Session] = {}
    for session in sessions:  # the week's first session: the demo stays quick to load
        weekly.setdefault(session.date.isocalendar()[:2], session)
    once = {person.pk: False for person in young[len(RETURNING) :]}
    made = 0
    for session in weekly.values():
        start = dt.datetime.combine(session.date, session.start_time, tzinfo=place)
        visitors = [
            person.pk
            for person, likely in zip(young, RETURNING, strict=False)
            if seeded.random() < likely
        ]
        for pk, done in once.items():
            if not done and seeded.random() < 0.4:
                visitors.append(pk)
                once[pk] = True
        entries = [CheckInInput(0, "", Kind.RETURNING, participant=pk) for pk in visitors]
        for _anonymous in range(seeded.randint(1, 2)):
            entries.append(
                CheckInInput(
                    0,
                    "",
                    Kind.ANONYMOUS,
                    gender=seeded.choice([Gender.GIRLS, Gender.BOYS]),
                    age_band=seeded.choice(bands),
                )
            )
        for minutes, entry in enumerate(entries):
            moment = start + dt.timedelta(minutes=5 + 7 * minutes)
            if moment >= now:
                break
            made += 1
            key = uuid.UUID(int=seeded.getrandbits(128)).hex
            services.check_in(
                token,
                CheckInInput(
                    made,
                    key,
                    entry.kind,
                    device_time=moment,
                    participant=entry.participant,
                    gender=entry.gender,
                    age_band=entry.age_band,
                ),
                now=moment,
            )
    return made


def load(places: Mapping[str, Node], *, now: dt.datetime | None = None) -> int:
    """Pair a kiosk in each demo unit with registered young people and check them in over the
    last weeks; returns how many check-ins were added."""
    now = now or timezone.now()
    added = 0
    with unscoped():
        for unit in sorted(places.values(), key=lambda node: node.path):
            # demo seeding (system code, no actor): reads the place it fills
            if KioskDevice.all_objects.filter(node=unit).exists():
                continue
            # demo seeding (system code, no actor): reads the place it fills
            if not Participant.all_objects.filter(unit=unit, anonymised_at__isnull=True).exists():
                continue
            added += _check_ins_of(unit, now)
    return added
