"""Keeping an uploaded file between its dry run and the import, for a day at most."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = dt.timedelta(days=1)


def _upload_path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}"


def store_upload(data: bytes) -> str:
    """Keep an uploaded file between the dry run and the import; returns its token."""
    _remove_stale_uploads()
    token = uuid.uuid4().hex
    default_storage.save(_upload_path(token), ContentFile(data))
    return token


def load_upload(token: str) -> bytes | None:
    if not re.fullmatch(r"[0-9a-f]{32}", token):
        return None
    try:
        with default_storage.open(_upload_path(token), "rb") as handle:
            content: bytes = handle.read()
    except FileNotFoundError:
        return None
    return content


def discard_upload(token: str) -> None:
    if re.fullmatch(r"[0-9a-f]{32}", token):
        default_storage.delete(_upload_path(token))


def _remove_stale_uploads() -> None:
    """Uploads nobody confirmed within a day are deleted."""
    try:
        _folders, files = default_storage.listdir(UPLOAD_DIR)
    except FileNotFoundError:
        return
    cutoff = timezone.now() - UPLOAD_MAX_AGE
    for name in files:
        path = f"{UPLOAD_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
