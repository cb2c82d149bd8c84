from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.db.models.functions import ExtractMonth

from impactlog.accounts.models import User
from impactlog.kiosk.models import CheckIn, KioskDevice
from impactlog.logbook.figures.periods import Period
from impactlog.logbook.figures.queries import figures
from impactlog.logbook.models import Activity, Session, SessionCount
from impactlog.participants.models import Participant
from impactlog.structure.demo_world import PEOPLE
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import AuditEntry, Membership, Node, NodeKind
from impactlog.tenancy.roles import Role
from impactlog.tenancy.scoping import unscoped

from .conftest import LEAP_DAY, NOW


@pytest.mark.django_db
def test_the_demo_world_is_believable_and_loading_it_twice_changes_nothing() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    counts = (Node.all_objects.count(), User.objects.count(), Membership.all_objects.count())
    call_command("demo", stdout=io.StringIO())
    assert (Node.all_objects.count(), User.objects.count(), Membership.all_objects.count()) == (
        counts
    )
    network = Node.all_objects.get(kind=NodeKind.NETWORK)
    countries = set(
        Node.all_objects.filter(path__startswith=network.path).values_list("country", flat=True)
    )
    assert len(countries) == 2
    regions = Node.all_objects.filter(parent=network, kind=NodeKind.REGION)
    assert regions.count() == 2
    for region in regions:
        assert 3 <= Node.all_objects.filter(parent=region, kind=NodeKind.UNIT).count() <= 5
    assert Node.all_objects.filter(kind=NodeKind.ORGANISATION, parent=None).count() == 2
    assert {m.role for m in Membership.all_objects.all()} == set(Role.values)
    assert "impactlog-demo" in out.getvalue()
    for person in PEOPLE:
        assert person.email in out.getvalue()
        assert User.objects.get(email=person.email).check_password("impactlog-demo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "today"),
    [(NOW, dt.date(2026, 11, 18)), (LEAP_DAY, dt.date(2028, 2, 29))],
)
def test_the_demo_has_a_believable_year_of_sessions_for_every_unit_and_adds_none_twice(
    time_machine: Any, moment: dt.datetime, today: dt.date
) -> None:
    time_machine.move_to(moment, tick=False)
    call_command("demo", stdout=io.StringIO())
    year = Period("custom", today - dt.timedelta(days=365), today)
    with unscoped():
        sessions = Session.all_objects.all()
        assert not sessions.filter(date__gt=today).exists()
        assert not sessions.filter(date__lt=year.start).exists()
        units = Node.all_objects.filter(kind=NodeKind.UNIT)
        for unit in units:
            months = {day.month for day in sessions.filter(node=unit).dates("date", "month")}
            assert len(months) >= 11, unit.slug
        girls_shares = {}
        for centre in units.filter(parent__kind=NodeKind.REGION):
            by_month = dict(
                sessions.filter(node=centre)
                .annotate(month=ExtractMonth("date"))
                .order_by()
                .values_list("month")
                .annotate(visits=Sum("participants"))
            )
            summer = (by_month.get(7, 0) + by_month.get(8, 0)) / 2
            autumn = (by_month[9] + by_month[10] + by_month[11]) / 3
            assert summer < autumn, centre.slug
            girls_shares[centre.slug] = figures(centre, year).girls_share
        assert max(girls_shares.values()) - min(girls_shares.values()) >= 0.2, girls_shares
        anna = next(p for p in PEOPLE if p.role == Role.WORKER)
        worker_unit = Node.all_objects.get(slug=anna.place.rsplit("/", 1)[-1])
        recent = Period("custom", today - dt.timedelta(days=30), today)
        assert figures(worker_unit, recent).visits > 0
        assert figures(worker_unit.parent, recent).sessions > figures(worker_unit, recent).sessions
        loaded = (sessions.count(), SessionCount.all_objects.count(), Activity.all_objects.count())
        audits = AuditEntry.all_objects.filter(action="demo.loaded").count()
        assert audits == units.count()

    out = io.StringIO()
    call_command("demo", stdout=out)
    with unscoped():
        assert (
            Session.all_objects.count(),
            SessionCount.all_objects.count(),
            Activity.all_objects.count(),
        ) == loaded
        assert AuditEntry.all_objects.filter(action="demo.loaded").count() == audits
    assert "Demo data is ready." in out.getvalue()
    assert "Recorded" not in out.getvalue()


@pytest.mark.django_db
def test_the_demo_names_each_centres_activities_in_the_centres_own_language() -> None:
    call_command("demo", stdout=io.StringIO())
    with unscoped():
        names = {
            (a.node.slug, a.name): a
            for a in Activity.all_objects.select_related("node").filter(node__kind=NodeKind.UNIT)
        }
    latvian = names[("agenskalns", "Atvērtie vakari")]
    assert latvian.node.language == "lv"
    assert latvian.opening_hours == "P.–Pk. 15–20"
    assert latvian.target_group == "Jaunieši vecumā no 13 līdz 24 gadiem"
    assert ("silainiai", "Atviras jaunimo centras") in names  # Lithuanian
    assert ("volunteers", "Vabatahtlike koolitus") in names  # Estonian
    english = {"Open evenings", "Music studio", "Open youth centre", "Volunteer training"}
    assert not english & {name for _slug, name in names}


@pytest.mark.django_db
def test_the_demo_kiosks_check_in_young_people_often_once_and_anonymously(
    time_machine: Any,
) -> None:
    time_machine.move_to(NOW, tick=False)
    out = io.StringIO()
    call_command("demo", stdout=out)
    with unscoped():
        devices = {d.node.slug: d for d in KioskDevice.all_objects.select_related("node")}
        assert set(devices) == {"agenskalns", "silainiai"}  # the units with young people
        assert devices["agenskalns"].name == "Ieeja"
        assert devices["silainiai"].name == "Įėjimas"
        for device in devices.values():
            check_ins = CheckIn.all_objects.filter(device=device)
            assert not check_ins.filter(counted_at__isnull=True).exists()  # all counted
            assert {c.session.activity_id for c in check_ins} == {device.activity_id}
            assert min(c.received_at for c in check_ins) >= NOW - dt.timedelta(weeks=8)
            visits = Counter(
                check_ins.exclude(participant=None).values_list("participant", flat=True)
            )
            assert max(visits.values()) >= 5 and min(visits.values()) == 1, visits
            assert len(visits) == Participant.all_objects.filter(unit=device.node).count()
            assert check_ins.filter(participant=None).exists()  # anonymous visits
            entries = AuditEntry.all_objects.filter(
                action=AuditAction.KIOSK_CHECKED_IN, node=device.node
            )
            assert entries.count() == sum(visits.values())
        total = CheckIn.all_objects.count()
    assert f"Recorded {total} check-ins at the demo kiosks." in out.getvalue()
    call_command("demo", stdout=io.StringIO())
    with unscoped():
        assert CheckIn.all_objects.count() == total
        assert KioskDevice.all_objects.count() == 2
