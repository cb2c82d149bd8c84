from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import DatabaseError

from impactlog.core.models import AppendOnlyError, AuditEntry
from impactlog.core.scoping import unscoped
from impactlog.logbook import services as logbook
from impactlog.logbook import settings_services as logbook_settings
from impactlog.logbook.models import ReflectionAnswer, Session, SessionCount, SessionRevision
from impactlog.logbook.services import SessionInput
from impactlog.structure import services
from impactlog.structure.models import Node, NodeKind

from .conftest import World
from .logbook_fixtures import record


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(world: World, alice) -> None:
    with unscoped():
        services.update_node(alice, world.hill, name="Hill Youth House")
        entry = AuditEntry.all_objects.filter(action="node.updated").get()
    assert entry.changes == {"name": ["Hill Youth Centre", "Hill Youth House"]}
    assert entry.actor == alice
    entry.action = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_objects.all().update(action="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.all_objects.all().delete()


@pytest.mark.django_db
def test_a_change_that_changes_nothing_writes_no_entry(world: World, alice) -> None:
    services.update_node(alice, world.hill, name="Hill Youth Centre")
    assert not AuditEntry.all_objects.filter(action="node.updated").exists()


@pytest.mark.django_db
def test_an_invalid_change_is_refused_and_writes_no_audit_entry(world: World, alice) -> None:
    from django.core.exceptions import ValidationError

    before = AuditEntry.all_objects.count()
    with pytest.raises(ValidationError):
        services.update_node(alice, world.hill, name="")
    assert AuditEntry.all_objects.count() == before
    world.hill.refresh_from_db()
    assert world.hill.name == "Hill Youth Centre"


def _audit_fails_after(monkeypatch: pytest.MonkeyPatch, observe: Callable[[], Any]) -> list[Any]:
    """Make writing any audit entry fail. Just before it fails, `observe` looks at the database
    (inside the change's transaction) and what it saw is appended to the returned list."""
    observed: list[Any] = []

    def save(entry: AuditEntry, *args: Any, **kwargs: Any) -> None:
        observed.append(observe())
        raise DatabaseError("the audit trail cannot be written")

    monkeypatch.setattr(AuditEntry, "save", save)
    return observed


@pytest.mark.django_db
def test_a_renamed_place_whose_audit_entry_fails_keeps_its_name(
    world: World, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(monkeypatch, lambda: Node.all_objects.get(pk=world.hill.pk).name)
    with unscoped(), pytest.raises(DatabaseError):
        services.update_node(alice, world.hill, name="Hill Youth House")
    assert observed == ["Hill Youth House"]  # the place was saved before the audit failed
    assert Node.all_objects.get(pk=world.hill.pk).name == "Hill Youth Centre"
    assert AuditEntry.all_objects.count() == before


@pytest.mark.django_db
def test_a_new_place_whose_audit_entry_fails_is_not_added(
    world: World, alice, monkeypatch: pytest.MonkeyPatch
) -> None:
    places = Node.all_objects.count()
    observed = _audit_fails_after(
        monkeypatch, lambda: list(Node.all_objects.filter(slug="dunes").values_list("path"))
    )
    with unscoped(), pytest.raises(DatabaseError):
        services.create_node(
            alice,
            world.region,
            kind=NodeKind.UNIT,
            name="Dunes Youth Centre",
            slug="dunes",
            country="LV",
            language="lv",
            time_zone="Europe/Riga",
        )
    [(path,)] = observed[0]
    assert path.startswith(world.region.path)  # saved, path and all, before the audit failed
    assert Node.all_objects.count() == places
    assert not Node.all_objects.filter(slug="dunes").exists()


def _session_rows() -> tuple[int, int, int, int]:
    return (
        Session.all_objects.count(),
        SessionCount.objects.count(),
        SessionRevision.objects.count(),
        ReflectionAnswer.objects.count(),
    )


@pytest.mark.django_db
def test_a_session_whose_audit_entry_fails_is_not_recorded(
    world: World, walter, maria, drop_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unscoped():
        question = logbook_settings.add_question(maria, world.harbour, "What went well?")
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(monkeypatch, _session_rows)
    with pytest.raises(DatabaseError):
        record(
            walter,
            drop_in,
            counts={("girls", "13_15"): 4, ("boys", "16_18"): 3},
            youth_producers=2,
            reflections={question.pk: "They ran the quiz themselves."},
        )
    assert observed == [(1, 2, 1, 1)]  # session, counts, revision and answer were all saved
    assert _session_rows() == (0, 0, 0, 0)
    assert AuditEntry.all_objects.count() == before


@pytest.mark.django_db
def test_a_change_to_a_session_whose_audit_entry_fails_leaves_it_as_it_was(
    world: World, walter, drop_in, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = record(walter, drop_in, counts={("girls", "13_15"): 4}, staff=1)
    before = AuditEntry.all_objects.count()
    observed = _audit_fails_after(
        monkeypatch,
        lambda: Session.all_objects.values_list("participants", "version", "staff").get(),
    )
    changed = SessionInput(
        date=session.date,
        start_time=session.start_time,
        end_time=session.end_time,
        counts={("girls", "13_15"): 9, ("boys", "u13"): 2},
        staff=3,
    )
    with unscoped(), pytest.raises(DatabaseError):
        logbook.save_session(walter, drop_in, changed, session=session, expected_version=1)
    assert observed == [(11, 2, 3)]
    assert Session.all_objects.values_list("participants", "version", "staff").get() == (4, 1, 1)
    assert {(c.gender, c.age_band, c.count) for c in SessionCount.objects.all()} == {
        ("girls", "13_15", 4)
    }
    assert SessionRevision.objects.filter(session=session).count() == 1
    assert AuditEntry.all_objects.count() == before
