"""Photos and documents of sessions: checked on the way in, audited on every look.

Photos of young people are personal data. A file is stored outside any public URL, every
download writes `file.viewed`, and only a file whose publication consent was ticked can ever
reach a public page (`publishable_files`).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.logbook.models import Session, SessionFile
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.scoping import validate

MAX_BYTES = 10 * 1024 * 1024
NAME_MAX = 200  # SessionFile.original_name
HEAD_BYTES = 12  # enough for every signature below


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple[str, ...]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    def matches(self, head: bytes) -> bool:
        """Whether the file's leading bytes carry this kind's signature (magic number)."""
        if self.content_type == "image/jpeg":
            return head.startswith(b"\xff\xd8\xff")
        if self.content_type == "image/png":
            return head.startswith(b"\x89PNG\r\n\x1a\n")
        if self.content_type == "image/webp":
            return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
        if self.content_type == "application/pdf":
            return head.startswith(b"%PDF-")
        return False


# Deliberately no SVG, HTML or office formats: nothing that can carry script or macros.
KINDS = (
    FileKind("image/jpeg", ("jpg", "jpeg")),
    FileKind("image/png", ("png",)),
    FileKind("image/webp", ("webp",)),
    FileKind("application/pdf", ("pdf",)),
)
ACCEPT = ",".join(f".{ext}" for kind in KINDS for ext in kind.extensions)
FILE_FIELDS = ["original_name", "content_type", "alt_text", "publication_consent"]


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _clean_name(name: str) -> str:
    """The file's own name without any folder, short enough to keep, extension intact."""
    name = posixpath.basename(name.replace("\\", "/")).strip() or "file"
    if len(name) > NAME_MAX:
        stem, dot, ext = name.rpartition(".")
        name = stem[: NAME_MAX - len(ext) - 1] + dot + ext if dot else name[:NAME_MAX]
    return name


def check_upload(upload: UploadedFile, alt_text: str) -> FileKind:
    """The kind of an uploaded file, or a ValidationError keyed by form field.

    The browser's content type is ignored: the extension and the leading bytes must agree.
    """
    name = upload.name or ""
    kind = next((k for k in KINDS if _extension(name) in k.extensions), None)
    if kind is None:
        raise ValidationError(
            {"file": _("Upload a photo (JPEG, PNG or WebP) or a PDF document.")}, code="type"
        )
    if (upload.size or 0) > MAX_BYTES:
        raise ValidationError(
            {
                "file": _("The file is larger than %(size)s MB. Upload a smaller one.")
                % {"size": MAX_BYTES // (1024 * 1024)}
            },
            code="size",
        )
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if not kind.matches(head):
        raise ValidationError(
            {
                "file": _(
                    "The contents of %(name)s are not a %(kind)s file, whatever its name says. "
                    "Upload the original photo or PDF."
                )
                % {"name": _clean_name(name), "kind": kind.extensions[0].upper()}
            },
            code="content",
        )
    if kind.is_image and not alt_text.strip():
        raise ValidationError(
            {
                "alt_text": _(
                    "Describe what the photo shows, for people who cannot see it "
                    "(for example “Six young people painting the mural in the yard”)."
                )
            },
            code="alt_text",
        )
    return kind


@service
def attach_file(
    actor: User | None, session: Session, upload: UploadedFile, alt_text: str, consent: bool
) -> SessionFile:
    """Store a photo or document of a session: checked, saved and audited, or nothing at all.

    The session is read again from the database and authorised; a session of an archived unit
    takes no new files.
    """
    session = (
        # re-read the object the caller named; authorize() decides
        Session.all_objects.select_for_update(of=("self",))
        .select_related("node")
        .get(pk=session.pk)
    )
    authorize(actor, Perm.EDIT_RECORDS, session)
    if session.node.is_archived:
        raise ValidationError(_("Nothing can be recorded in an archived place."))
    kind = check_upload(upload, alt_text)
    name = _clean_name(upload.name or "")
    item = SessionFile(
        session=session,
        original_name=name,
        content_type=kind.content_type,
        alt_text=alt_text.strip(),
        publication_consent=consent,
        uploaded_by=actor,
    )
    validate(item, exclude=["file"])
    with transaction.atomic():
        item.file.save(name, upload, save=False)
        try:
            item.save()
            changes = audit.snapshot(item, FILE_FIELDS)
            changes["size"] = item.file.size
            changes["session"] = session.pk
            audit.record(actor, AuditAction.FILE_UPLOADED, item, node=session.node, changes=changes)
        except BaseException:
            item.file.storage.delete(item.file.name or "")
            raise
    return item


def _fresh(item: SessionFile) -> SessionFile:
    """The file's row as stored now, with its session and unit."""
    # re-read the object the caller named; authorize() decides
    return SessionFile.all_objects.select_related("session__node").get(pk=item.pk)


@service
def delete_file(actor: User | None, item: SessionFile) -> None:
    """Remove a file; its stored bytes go once the deletion is committed."""
    item = _fresh(item)
    authorize(actor, Perm.EDIT_RECORDS, item)
    storage, stored = item.file.storage, item.file.name or ""
    with transaction.atomic():
        changes = audit.snapshot(item, FILE_FIELDS)
        changes["session"] = item.session_id
        audit.record(actor, AuditAction.FILE_DELETED, item, node=item.session.node, changes=changes)
        item.delete()
        if stored:
            transaction.on_commit(lambda: storage.delete(stored))


@service
def open_file(actor: User | None, item: SessionFile) -> IO[Any]:
    """The stored bytes of a file, opened for reading; who looked is written to the audit trail.

    A file missing from storage raises FileNotFoundError and writes nothing.
    """
    item = _fresh(item)
    authorize(actor, Perm.VIEW_RECORDS, item)
    handle = item.file.storage.open(item.file.name or "", "rb")
    try:
        with transaction.atomic():
            audit.record(actor, AuditAction.FILE_VIEWED, item, node=item.session.node)
    except BaseException:
        handle.close()
        raise
    return handle


def files_of(session: Session) -> models.QuerySet[SessionFile]:
    return SessionFile.objects.filter(session=session).select_related("uploaded_by")


def publishable_files(node: Node) -> models.QuerySet[SessionFile]:
    """Files of sessions in `node`'s subtree that may appear on public pages.

    The publication consent is the only way in: without it a file is never returned here.
    """
    return SessionFile.objects.filter(
        publication_consent=True, session__node__path__startswith=node.path
    ).select_related("session")
