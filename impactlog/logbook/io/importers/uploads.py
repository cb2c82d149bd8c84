"""Keeping an upload between its check and the import, for a day at most.

The file is read once (`reading.read_table`); what is kept is its table of parsed rows, as JSON
under the upload's token, for the check page and the import. A large file is kept as it came
only until the background check has read it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import uuid
from collections.abc import Iterator
from typing import Any

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone

from impactlog.logbook.io.importers.reading import Table

UPLOAD_DIR = "imports"
UPLOAD_MAX_AGE = dt.timedelta(days=1)
_TOKEN = re.compile(r"[0-9a-f]{32}")
_TYPES: dict[str, Any] = {
    "datetime": dt.datetime.fromisoformat,
    "date": dt.date.fromisoformat,
    "time": dt.time.fromisoformat,
}


def _upload_path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}"


def _table_path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}.json"


def new_token() -> str:
    _remove_stale_uploads()
    return uuid.uuid4().hex


def store_upload(data: bytes, token: str | None = None) -> str:
    """Keep an uploaded file as it came until it is read; returns its token."""
    token = token or new_token()
    default_storage.save(_upload_path(token), ContentFile(data))
    return token


def load_upload(token: str) -> bytes | None:
    if not _TOKEN.fullmatch(token):
        return None
    try:
        with default_storage.open(_upload_path(token), "rb") as handle:
            content: bytes = handle.read()
    except FileNotFoundError:
        return None
    return content


def _plain(value: Any) -> Any:
    """A cell's value as JSON: dates and times tagged with their type."""
    for name in _TYPES:  # datetime before date: a datetime is a date
        if isinstance(value, getattr(dt, name)):
            return {name: value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _value(plain: Any) -> Any:
    if isinstance(plain, dict):
        [(name, text)] = plain.items()
        return _TYPES[name](text)
    return plain


def store_table(table: Table, token: str | None = None) -> str:
    """Keep the parsed rows of an upload, one JSON line per row after a line naming the file
    and its columns; returns its token. The file itself is not kept."""
    token = token or new_token()
    path = _table_path(token)
    if default_storage.exists(path):
        default_storage.delete(path)
    with tempfile.TemporaryFile() as spool:
        head = {"name": table.name, "columns": table.columns}
        spool.write(json.dumps(head).encode() + b"\n")
        for number, values in table.rows:
            line = [number, {k: _plain(v) for k, v in values.items()}]
            spool.write(json.dumps(line).encode() + b"\n")
        spool.seek(0)
        default_storage.save(path, File(spool))
    discard_file(token)
    return token


def _stored_rows(token: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with default_storage.open(_table_path(token), "rb") as handle:
        lines = iter(handle)  # a storage's File reads its lines from the start
        next(lines, None)  # the name and columns
        for line in lines:
            number, values = json.loads(line)
            yield number, {k: _value(v) for k, v in values.items()}


class _StoredRows:
    """The rows kept under a token, read from storage each time they are gone through."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __iter__(self) -> Iterator[tuple[int, dict[str, Any]]]:
        return _stored_rows(self.token)


def load_table(token: str) -> Table | None:
    """The parsed rows kept under `token`, read as they are used, or None when there are none
    (any more)."""
    if not _TOKEN.fullmatch(token):
        return None
    try:
        with default_storage.open(_table_path(token), "rb") as handle:
            head = json.loads(handle.readline())
    except (FileNotFoundError, ValueError):
        return None
    return Table(name=head["name"], columns=head["columns"], rows=_StoredRows(token))


def count_rows(table: Table) -> int:
    return sum(1 for _row in table.rows)


def _summary_path(token: str) -> str:
    return f"{UPLOAD_DIR}/{token}.check.json"


def store_summary(token: str, plain: dict[str, Any]) -> None:
    """Keep what the check found (`applying.Summary.plain()`) for the check page."""
    path = _summary_path(token)
    if default_storage.exists(path):
        default_storage.delete(path)
    default_storage.save(path, ContentFile(json.dumps(plain).encode()))


def load_summary(token: str) -> dict[str, Any] | None:
    if not _TOKEN.fullmatch(token):
        return None
    try:
        with default_storage.open(_summary_path(token), "rb") as handle:
            plain: dict[str, Any] = json.load(handle)
    except FileNotFoundError:
        return None
    return plain


def discard_file(token: str) -> None:
    if _TOKEN.fullmatch(token):
        default_storage.delete(_upload_path(token))


def discard_upload(token: str) -> None:
    """Remove everything kept of an upload."""
    if _TOKEN.fullmatch(token):
        default_storage.delete(_upload_path(token))
        default_storage.delete(_table_path(token))
        default_storage.delete(_summary_path(token))


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
