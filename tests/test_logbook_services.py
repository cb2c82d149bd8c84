from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from impactlog.logbook import services
from impactlog.logbook.models import Activity, ActivityKind, Session, SessionRevision
from impactlog.logbook.services import ConflictError, SessionInput
from impactlog.network.models import Tag
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import MONDAY, record

pytestmark = pytest.mark.django_db


def test_a_session_with_counts_sums_its_participants(world: World, walter, drop_in) -> None:
    session = record(walter, drop_in, counts={("girls", "13_15"): 4, ("boys", "16_18"): 6})
    assert (session.participants, session.minutes, session.breakdown_known) == (10, 240, True)
    assert session.node == world.harbour
    assert {(c.gender, c.age_band, c.count) for c in session.counts.all()} == {
        ("girls", "13_15", 4),
        ("boys", "16_18", 6),
    }
    assert AuditEntry.all_objects.filter(action="session.created").count() == 1


def test_a_single_total_is_kept_as_breakdown_not_known(world: World, walter, drop_in) -> None:
    session = record(walter, drop_in, total=25)
    assert (session.participants, session.breakdown_known) == (25, False)
    assert session.counts.count() == 0


def test_bad_input_is_explained_and_nothing_is_saved(world: World, walter, drop_in) -> None:
    with pytest.raises(ValidationError) as error:
        record(
            walter,
            drop_in,
            day=dt.date(2026, 11, 19),  # the day after NOW
            start="18:00",
            end="17:00",
            counts={("girls", "13_15"): -1},
            staff=-2,
        )
    messages = error.value.message_dict
    assert messages["date"] == ["The date is in the future."]
    assert messages["end_time"] == ["The end is before the start."]
    assert messages["staff"] == ["This cannot be negative."]
    assert "Counts cannot be negative." in messages["__all__"]
    assert not Session.all_objects.filter(activity=drop_in).exists()


def test_today_is_the_day_in_riga_and_the_next_day_is_in_the_future(
    world: World, walter, drop_in, time_machine
) -> None:
    # 23:30 in London on 18 November 2026 is 01:30 on 19 November in Riga.
    time_machine.move_to(dt.datetime(2026, 11, 18, 23, 30, tzinfo=dt.UTC), tick=False)
    assert record(walter, drop_in, day=dt.date(2026, 11, 19), total=3).participants == 3
    with pytest.raises(ValidationError) as error:
        record(walter, drop_in, day=dt.date(2026, 11, 20), total=3)
    assert error.value.message_dict["date"] == ["The date is in the future."]
    assert Session.all_objects.filter(activity=drop_in).count() == 1


def test_an_implausible_count_needs_confirmation(world: World, walter, drop_in) -> None:
    with pytest.raises(ValidationError, match="unusually many"):
        record(walter, drop_in, total=900)
    data = SessionInput(date=MONDAY, start_time=dt.time(15), end_time=dt.time(19), total=900)
    with unscoped():
        session = services.create_session(walter, drop_in, data, confirm_large=True)
    assert session.participants == 900


def test_a_second_session_at_the_same_start_is_refused(world: World, walter, drop_in) -> None:
    record(walter, drop_in, total=5)
    with pytest.raises(ValidationError, match="already has a session on this day at this time"):
        record(walter, drop_in, total=7)
    assert Session.all_objects.filter(activity=drop_in).count() == 1


def test_editing_keeps_history_and_detects_conflicts(world: World, walter, maria, drop_in) -> None:
    session = record(walter, drop_in, total=5)
    opened_at = session.version
    changed = SessionInput(date=MONDAY, start_time=dt.time(15), end_time=dt.time(19), total=8)
    with unscoped():
        services.update_session(maria, session, changed, expected_version=opened_at)
        with pytest.raises(ConflictError):
            services.update_session(walter, session, changed, expected_version=opened_at)
    session.refresh_from_db()
    assert (session.participants, session.version) == (8, 2)
    latest = SessionRevision.all_objects.filter(session=session).first()
    assert latest is not None and latest.by == maria
    assert latest.changes["participants"] == [5, 8]


def test_only_people_who_record_at_the_unit_may_record(world, carl, vera, otto, drop_in) -> None:
    for outsider in (carl, vera, otto):
        with pytest.raises(PermissionDenied):
            record(outsider, drop_in, total=3)


def test_activities_belong_to_units(world: World, alice, maria) -> None:
    from impactlog.structure import services as structure
    from impactlog.tenancy.roles import Role

    with unscoped():
        structure.grant_role(None, maria, world.region, Role.MANAGER)
        with pytest.raises(ValidationError, match="belong to a unit"):
            services.create_activity(maria, world.region, kind=ActivityKind.GROUP, name="X")
        with pytest.raises(PermissionDenied):  # administrators do not keep records
            services.create_activity(alice, world.harbour, kind=ActivityKind.GROUP, name="X")


def test_deleting_a_session_leaves_its_content_in_the_audit_trail(world, walter, drop_in) -> None:
    session = record(walter, drop_in, counts={("girls", "u13"): 2})
    with unscoped():
        services.delete_session(walter, session)
    entry = AuditEntry.all_objects.get(action="session.deleted")
    assert entry.changes["counts"] == {"girls/u13": 2}
    assert not Session.all_objects.filter(activity=drop_in).exists()


def test_an_activity_of_an_archived_unit_is_not_changed(
    world: World, alice, maria, drop_in
) -> None:
    from impactlog.structure import services as structure

    structure.archive_node(alice, world.harbour)
    with unscoped(), pytest.raises(ValidationError) as error:
        services.update_activity(maria, drop_in, name="Renamed in an archived place")
    assert error.value.messages == ["Nothing can be recorded in an archived place."]
    assert Activity.all_objects.get(pk=drop_in.pk).name == "Open evenings"


def test_an_activity_takes_only_the_topics_and_goals_of_its_network(
    world: World, maria, drop_in
) -> None:
    with unscoped():
        ours = Tag.all_objects.create(
            owner=world.network, vocabulary="topic", key="music", name="M"
        )
        theirs = Tag.all_objects.create(
            owner=world.other_org, vocabulary="topic", key="art", name="A"
        )
        for call in (
            lambda: services.create_activity(
                maria, world.harbour, kind=ActivityKind.GROUP, name="Art", tags=[theirs]
            ),
            lambda: services.update_activity(maria, drop_in, tags=[ours, theirs]),
        ):
            with pytest.raises(ValidationError) as error:
                call()
            assert error.value.message_dict == {
                "tags": ["Choose topics and goals of this network."]
            }
        assert not Activity.all_objects.filter(name="Art").exists()
        assert not drop_in.tags.exists()
        services.update_activity(maria, drop_in, tags=[ours])
    assert list(drop_in.tags.all()) == [ours]


def test_the_people_responsible_for_an_activity_hold_a_role_at_its_unit(
    world: World, alice, maria, walter, otto, drop_in
) -> None:
    with unscoped():
        for call in (
            lambda: services.create_activity(
                maria, world.harbour, kind=ActivityKind.GROUP, name="Band", responsible=[otto]
            ),
            lambda: services.update_activity(maria, drop_in, responsible=[walter, otto]),
        ):
            with pytest.raises(ValidationError) as error:
                call()
            assert error.value.message_dict == {
                "responsible": ["Choose people who work at this unit."]
            }
        assert not Activity.all_objects.filter(name="Band").exists()
        assert not drop_in.responsible.exists()
        # a role at the unit or above it will do
        services.update_activity(maria, drop_in, responsible=[walter, alice])
    assert set(drop_in.responsible.all()) == {walter, alice}
