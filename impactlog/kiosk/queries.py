"""What kiosk pages read: the alias search, the devices of a unit, unique visitors, the check-ins
waiting to be counted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.utils.translation import ngettext

from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.models import Session
from impactlog.participants.models import alias_key_of
from impactlog.participants.services import consented_in, organisation_of
from impactlog.tenancy.models import Node

MIN_PREFIX = 2
MAX_ALIASES = 8


def aliases_starting(device: KioskDevice, prefix: str) -> list[dict[str, object]]:
    """At most eight aliases of the device's organisation's consented young people that start
    with `prefix` (two letters at least): their id and alias, nothing else."""
    key = alias_key_of(prefix)
    if len(key) < MIN_PREFIX:
        return []
    found = (
        consented_in(organisation_of(device.node))
        .filter(alias_key__startswith=key)
        .order_by("alias_key")
        .values("pk", "alias")[:MAX_ALIASES]
    )
    return [{"id": row["pk"], "alias": row["alias"]} for row in found]


@dataclass(frozen=True)
class DeviceRow:
    device: KioskDevice
    received: int
    gaps: list[tuple[int, int]]  # numbers never received, as (first, last) ranges
    sent: int = 0  # the highest number received: what the device says it sent

    @property
    def missing(self) -> int:
        return sum(last - first + 1 for first, last in self.gaps)


def _gaps(numbers: list[int]) -> list[tuple[int, int]]:
    gaps: list[tuple[int, int]] = []
    expected = 1
    for number in numbers:
        if number > expected:
            gaps.append((expected, number - 1))
        expected = max(expected, number + 1)
    return gaps


def devices_of(unit: Node) -> list[DeviceRow]:
    """The unit's kiosks with what they sent: three queries whatever their number."""
    devices = list(KioskDevice.objects.filter(node=unit).select_related("paired_by", "activity"))
    numbers: dict[int, list[int]] = {d.pk: [] for d in devices}
    for device_id, sequence in (
        CheckIn.objects.filter(device__in=devices)
        .order_by("device", "sequence")
        .values_list("device", "sequence")
    ):
        numbers[device_id].append(sequence)
    return [
        DeviceRow(d, len(numbers[d.pk]), _gaps(numbers[d.pk]), max(numbers[d.pk], default=0))
        for d in devices
    ]


def device_at(unit: Node, pk: int) -> KioskDevice | None:
    """One kiosk of the unit, or None."""
    return KioskDevice.objects.filter(node=unit, pk=pk).select_related("activity").first()


@dataclass(frozen=True)
class SessionVisitors:
    """Who checked in at a session's kiosk: `people` distinct registered young people (the
    session's unique visitors, see docs/definitions.md) and `without_name` anonymous check-ins
    (visits, not people: nothing tells two of them apart)."""

    people: int
    without_name: int


def unique_visitors(session: Session) -> SessionVisitors | None:
    """The session's unique visitors and its check-ins counted without a name (1 query); None
    when nobody checked in at a kiosk (the count is then only what was entered)."""
    found = CheckIn.objects.filter(session=session).aggregate(
        people=Count("participant", distinct=True),
        anonymous=Count("pk", filter=Q(participant__isnull=True)),
        any=Max("pk"),
    )
    if found["any"] is None:
        return None
    return SessionVisitors(int(found["people"]), int(found["anonymous"]))


def waiting(session: Session) -> int:
    """How many of the session's check-ins are not in its counts yet (1 query): the count
    follows each check-in within moments (kiosk.tasks.count_check_ins)."""
    # the caller authorised the session; its check-ins are its own
    return CheckIn.all_objects.filter(session=session, counted_at__isnull=True).count()


def waiting_line(session: Session) -> str | None:
    """The session page's line while check-ins wait to be counted, else None."""
    n = waiting(session)
    if not n:
        return None
    return ngettext(
        "%(n)d check-in from the kiosk is still being added to the counts.",
        "%(n)d check-ins from the kiosk are still being added to the counts.",
        n,
    ) % {"n": n}
