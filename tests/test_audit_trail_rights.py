"""The audit trail obeys the rules of the data it describes; a refusal is one line in the log."""

from __future__ import annotations

import dataclasses
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.logbook import files
from impactlog.logbook import services as logbook
from impactlog.logbook.models import Activity, Session
from impactlog.logbook.services import SessionInput
from impactlog.network import services as network
from impactlog.structure import services as structure
from impactlog.tenancy import audit
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.roles import Perm, Role
from impactlog.tenancy.scoping import unscoped

from .conftest import World, make_person
from .logbook_fixtures import MONDAY, record

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

NOTE = "Jānis (15) disclosed family problems"
NEW_NOTE = "Jānis (15) now lives with his aunt"
ANSWER = "Jānis asked for help with his mother"
DELETED_NOTE = "Līga (14) came with bruises"
FILE_NAME = "Janis_family_letter.pdf"
FILE_ALT = "The letter Jānis brought from home"
SECRETS = [NOTE, NEW_NOTE, ANSWER, DELETED_NOTE, "Janis_family_letter", FILE_ALT]


@pytest.fixture
def logged(world: World, alice: User, maria: User, walter: User, drop_in: Activity) -> Session:
    """A worker's week: a session with notes and a reflection answer, edited, with a file; and
    a session deleted with what it held."""
    with unscoped():
        question = network.add_question(maria, world.harbour, "What went wrong?")
    session = record(walter, drop_in, total=6, notes=NOTE, reflections={question.pk: ANSWER})
    edited = SessionInput(
        date=MONDAY,
        start_time=session.start_time,
        end_time=session.end_time,
        total=6,
        notes=NEW_NOTE,
        reflections={question.pk: ANSWER},
    )
    with unscoped():
        session = logbook.update_session(walter, session, edited)
        files.attach_file(walter, session, SimpleUploadedFile(FILE_NAME, PDF), FILE_ALT, False)
    mistake = record(walter, drop_in, start="10:00", end="11:00", total=2, notes=DELETED_NOTE)
    with unscoped():
        logbook.delete_session(walter, mistake)
        structure.update_node(alice, world.hill, name="Hill Youth House")
    return session


def _entry(action: str) -> AuditEntry:
    with unscoped():
        return AuditEntry.all_objects.select_related("node").filter(action=action).earliest("pk")


@pytest.mark.django_db
def test_each_entry_stores_the_permission_that_guards_its_values(world: World, logged) -> None:
    for action in ["session.created", "session.updated", "session.deleted", "file.uploaded"]:
        assert _entry(action).values_perm == Perm.VIEW_RECORDS
    assert _entry("activity.created").values_perm == Perm.VIEW_RECORDS
    assert _entry("node.updated").values_perm == ""
    assert _entry("reflection.question_added").values_perm == ""


@pytest.mark.django_db
def test_the_values_of_records_go_only_to_readers_with_the_records_right(
    world: World, logged, alice, maria, walter, carl
) -> None:
    updated = _entry("session.updated")
    for reader in (maria, walter):
        changes = audit.visible_changes(updated, reader)
        assert isinstance(changes, dict)
        assert changes["notes"] == [NOTE, NEW_NOTE]
    for reader in (alice, carl):
        assert audit.visible_changes(updated, reader) == ["notes"]
    created = _entry("session.created")
    assert "reflections" in audit.visible_changes(created, alice)
    assert ANSWER not in str(audit.visible_changes(created, alice))
    assert ANSWER in str(audit.visible_changes(created, maria))
    # Structure entries are read by anyone who may read the trail.
    renamed = _entry("node.updated")
    assert audit.visible_changes(renamed, alice) == {
        "name": ["Hill Youth Centre", "Hill Youth House"]
    }


@pytest.mark.django_db
def test_an_entry_without_a_stored_guard_is_guarded_by_its_action(world: World, alice) -> None:
    with unscoped():
        old = AuditEntry(
            action="session.updated",
            node=world.harbour,
            object_type="logbook.session",
            object_id="7",
            object_repr="Open evenings 2026-10-05 15:00",
            changes={"notes": ["", NOTE]},
        )
        old.save()
    assert audit.visible_changes(old, alice) == ["notes"]
    view = audit.entry_view(old, alice)
    assert view.object_label == "session #7"
    assert not view.values_shown


@pytest.mark.django_db
def test_the_network_admin_sees_who_changed_which_fields_but_not_the_records(
    world: World, login, logged, alice
) -> None:
    client = login(alice)
    url = reverse("structure:audit", args=[world.network.pk])
    pages = [
        client.get(url).content.decode(),
        client.get(url, {"page": "1"}, HTTP_HX_REQUEST="true").content.decode(),
        client.get(url, {"action": "session"}, HTTP_HX_REQUEST="true").content.decode(),
        client.get(url, {"action": "file.uploaded"}, HTTP_HX_REQUEST="true").content.decode(),
    ]
    for page in pages:
        for secret in SECRETS:
            assert secret not in page
        assert "Aunt" not in page and "aunt" not in page
    full = pages[0]
    assert "Session changed" in full and "Session deleted" in full
    assert "Photo or file added" in full
    assert "walter@example.org" in full
    assert "notes" in full and "reflections" in full and "original_name" in full
    assert "file #" in full and "session #" in full
    assert "Open evenings" not in full  # the activity's name neither
    assert "Values visible only to those who may see the records." in full
    assert "Hill Youth House" in full  # the structure's own changes keep their values
    assert "session" in pages[2] and "Session changed" in pages[2]


@pytest.mark.django_db
def test_an_audit_reader_with_the_records_right_sees_the_values(
    world: World, login, logged
) -> None:
    # Administrator of the municipality and manager of its Harbour: both rights at Harbour.
    both = make_person("both@example.org", "Bo Both", world.region, Role.ADMIN)
    with unscoped():
        structure.grant_role(None, both, world.harbour, Role.MANAGER)
    page = login(both).get(reverse("structure:audit", args=[world.harbour.pk])).content.decode()
    for secret in [NOTE, NEW_NOTE, ANSWER, DELETED_NOTE, FILE_NAME, FILE_ALT]:
        assert secret in page
    assert "Values visible only" not in page


@pytest.mark.django_db
def test_the_redaction_keeps_every_field_name(world: World, logged, alice) -> None:
    deleted = _entry("session.deleted")
    view = audit.entry_view(deleted, alice)
    assert view.changes == sorted(deleted.changes)
    assert "notes" in view.changes and "counts" in view.changes
    assert DELETED_NOTE not in str(dataclasses.replace(view, entry=None))  # type: ignore[arg-type]
    uploaded = audit.entry_view(_entry("file.uploaded"), alice)
    assert uploaded.object_label.startswith("file #")
    assert set(uploaded.changes) >= {"original_name", "alt_text"}


@pytest.mark.django_db
def test_a_refusal_is_one_log_line_without_a_traceback(
    world: World, login, vera, caplog: pytest.LogCaptureFixture
) -> None:
    url = reverse("structure:audit", args=[world.region.pk])
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = login(vera).get(url)
    assert response.status_code == 403
    refusals = [r for r in caplog.records if r.name == "django.request"]
    assert len(refusals) == 1
    line = refusals[0]
    assert line.exc_info is None and not line.exc_text
    assert line.getMessage() == f"Forbidden: GET {url} user={vera.pk} status=403"
    assert "Traceback" not in caplog.text
