"""Photos and documents of a session: checked on upload, audited on every look, never public
without consent."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from impactlog.accounts.models import User
from impactlog.logbook import files
from impactlog.logbook.models import Activity, Session, SessionFile
from impactlog.tenancy import audit
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .logbook_fixtures import record

# Read-side functions are called directly here, outside any request: no tenant scope.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_scope")]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_bytes() -> bytes:
    """A valid 1×1 grey PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + _chunk(b"IEND", b"")
    )


def tiny_png(name: str = "mural.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def session(walter: User, drop_in: Activity) -> Session:
    return record(walter, drop_in, total=6)


def _list_url(world: World, session: Session) -> str:
    return reverse("logbook:session_files", args=[world.harbour.pk, session.pk])


def _file_url(world: World, item: SessionFile, name: str = "logbook:session_file") -> str:
    return reverse(name, args=[world.harbour.pk, item.session_id, item.pk])


def _attach(user: User, session: Session, upload: Any, alt: str = "", consent: bool = False) -> Any:
    with unscoped():
        return files.attach_file(user, session, upload, alt, consent)


def _stored(tmp_path: Path) -> list[Path]:
    return [p for p in tmp_path.rglob("*") if p.is_file()]


def _actions(action: str) -> list[AuditEntry]:
    return list(AuditEntry.all_objects.filter(action=action))


def _download(client: Client, url: str) -> tuple[Any, bytes]:
    response = client.get(url)
    # Reading a download to its end closes its file (and, unlike response.close(), leaves the
    # test's database connection open).
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_a_worker_uploads_a_photo_and_the_upload_is_audited(
    world: World, login: Any, walter: User, session: Session, tmp_path: Path
) -> None:
    client = login(walter)
    response = client.post(
        _list_url(world, session),
        {"file": tiny_png(), "alt_text": "Young people painting the mural"},
    )

    assert response.status_code == 302
    item = SessionFile.all_objects.get(session=session)
    assert item.original_name == "mural.png"
    assert item.content_type == "image/png"
    assert item.publication_consent is False
    assert item.uploaded_by == walter
    assert Path(item.file.path).read_bytes() == png_bytes()
    assert Path(item.file.path).is_relative_to(tmp_path)
    (entry,) = _actions("file.uploaded")
    assert entry.actor == walter
    assert entry.node == world.harbour
    assert entry.changes["alt_text"] == "Young people painting the mural"
    page = client.get(_list_url(world, session)).content.decode()
    assert f'src="{_file_url(world, item)}" alt="Young people painting the mural"' in page


def test_a_pdf_needs_no_description_and_is_offered_as_a_download(
    world: World, login: Any, walter: User, session: Session
) -> None:
    item = _attach(walter, session, SimpleUploadedFile("plan.pdf", PDF, "text/plain"))

    response, body = _download(login(walter), _file_url(world, item))

    assert item.content_type == "application/pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert body == PDF


def test_a_text_file_renamed_to_png_is_refused_and_nothing_is_stored(
    world: World, login: Any, walter: User, session: Session, tmp_path: Path
) -> None:
    fake = SimpleUploadedFile("photo.png", b"just some text, not a picture", "image/png")

    response = login(walter).post(_list_url(world, session), {"file": fake, "alt_text": "A cat"})

    assert response.status_code == 200
    assert "are not a PNG file" in response.content.decode()
    assert not SessionFile.all_objects.exists()
    assert _stored(tmp_path) == []
    assert _actions("file.uploaded") == []


@pytest.mark.parametrize("name", ["drawing.svg", "page.html", "notes.txt", "noextension"])
def test_only_photos_and_pdfs_are_accepted(walter: User, session: Session, name: str) -> None:
    with pytest.raises(ValidationError) as refused:
        _attach(walter, session, SimpleUploadedFile(name, png_bytes()), "A drawing")

    assert "JPEG, PNG or WebP" in refused.value.message_dict["file"][0]


def test_a_pdf_named_as_a_photo_is_refused(walter: User, session: Session) -> None:
    with pytest.raises(ValidationError) as refused:
        _attach(walter, session, SimpleUploadedFile("photo.jpg", PDF), "A photo")

    assert "not a JPG file" in refused.value.message_dict["file"][0]


def test_an_oversize_file_is_refused(
    world: World,
    login: Any,
    walter: User,
    session: Session,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(files, "MAX_BYTES", 50)

    response = login(walter).post(
        _list_url(world, session), {"file": tiny_png(), "alt_text": "A mural"}
    )

    assert "larger than" in response.content.decode()
    assert not SessionFile.all_objects.exists()
    assert _stored(tmp_path) == []


def test_a_photo_without_a_description_is_refused(
    world: World, login: Any, walter: User, session: Session, tmp_path: Path
) -> None:
    response = login(walter).post(_list_url(world, session), {"file": tiny_png(), "alt_text": " "})

    assert "Describe what the photo shows" in response.content.decode()
    assert not SessionFile.all_objects.exists()
    assert _stored(tmp_path) == []


def test_a_failure_while_recording_leaves_no_stored_file_behind(
    walter: User, session: Session, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit, "record", broken)

    with pytest.raises(RuntimeError):
        _attach(walter, session, tiny_png(), "A mural")

    assert not SessionFile.all_objects.exists()
    assert _stored(tmp_path) == []


def test_the_consent_box_is_off_by_default_and_explains_what_it_needs(
    world: World, login: Any, walter: User, session: Session
) -> None:
    response = login(walter).get(_list_url(world, session))
    page = response.content.decode()

    assert response.status_code == 200
    assert '<input type="checkbox" name="publication_consent"' in page
    assert "checked" not in page.split('name="publication_consent"')[1].split(">")[0]
    assert "consent of everyone recognisable in it (or of their guardians)" in page
    assert '<label for="id_file">' in page


def test_a_photo_is_shown_inline_uncached_and_every_look_is_audited(
    world: World, login: Any, walter: User, session: Session
) -> None:
    item = _attach(walter, session, tiny_png(), "A mural")

    response, body = _download(login(walter), _file_url(world, item))

    assert response.status_code == 200
    assert body == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    (entry,) = _actions("file.viewed")
    assert (entry.actor, entry.object_id, entry.node) == (walter, str(item.pk), world.harbour)


def test_the_download_needs_the_right_to_see_records(
    world: World, walter: User, carl: User, otto: User, session: Session, login: Any
) -> None:
    item = _attach(walter, session, tiny_png(), "A mural")
    url = _file_url(world, item)

    assert login(carl).get(url).status_code == 403
    assert login(otto).get(url).status_code == 404
    assert _actions("file.viewed") == []


def test_a_file_is_reachable_only_through_its_own_session(
    world: World,
    login: Any,
    walter: User,
    session: Session,
    drop_in: Activity,
    hill_club: Activity,
) -> None:
    item = _attach(walter, session, tiny_png(), "A mural")
    other = record(walter, drop_in, start="10:00", end="12:00", total=2)
    client = login(walter)

    wrong_session = reverse("logbook:session_file", args=[world.harbour.pk, other.pk, item.pk])
    hill_session = record(User.objects.get(email="h@example.org"), hill_club, total=4)
    hill = reverse("logbook:session_files", args=[world.harbour.pk, hill_session.pk])

    assert client.get(wrong_session).status_code == 404
    assert client.get(hill).status_code == 404


def test_deleting_asks_first_then_removes_the_stored_file(
    world: World,
    login: Any,
    walter: User,
    session: Session,
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = _attach(walter, session, tiny_png(), "A mural")
    stored = Path(item.file.path)
    url = _file_url(world, item, "logbook:session_file_delete")
    client = login(walter)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Delete mural.png?" in confirm.content.decode()
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert not SessionFile.all_objects.filter(pk=item.pk).exists()
    assert not stored.exists()
    (entry,) = _actions("file.deleted")
    assert entry.changes["original_name"] == "mural.png"


def test_a_viewer_of_records_cannot_upload(
    world: World, vera: User, session: Session, login: Any
) -> None:
    response = login(vera).post(_list_url(world, session), {"file": tiny_png(), "alt_text": "x"})

    assert response.status_code == 403
    assert not SessionFile.all_objects.exists()


def test_only_files_with_consent_are_publishable(
    world: World, walter: User, session: Session
) -> None:
    private = _attach(walter, session, tiny_png("private.png"), "Faces", consent=False)
    public = _attach(walter, session, tiny_png("public.png"), "The empty hall", consent=True)
    document = _attach(walter, session, SimpleUploadedFile("plan.pdf", PDF), consent=False)

    for node in (world.network, world.region, world.harbour):
        publishable = list(files.publishable_files(node))
        assert publishable == [public]
        assert private not in publishable and document not in publishable
    assert list(files.publishable_files(world.hill)) == []
    assert list(files.publishable_files(world.other_org)) == []
