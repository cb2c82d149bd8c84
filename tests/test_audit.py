from __future__ import annotations

import pytest

from impactlog.structure import services
from impactlog.tenancy.models import AppendOnlyError, AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World


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
def test_a_failed_change_leaves_no_audit_entry(world: World, alice) -> None:
    from django.core.exceptions import ValidationError

    before = AuditEntry.all_objects.count()
    with pytest.raises(ValidationError):
        services.update_node(alice, world.hill, name="")
    assert AuditEntry.all_objects.count() == before
    world.hill.refresh_from_db()
    assert world.hill.name == "Hill Youth Centre"
