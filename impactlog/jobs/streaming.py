"""Sending a finished file without handing it to the request machinery.

A `FileResponse` served through a WSGI server's `wsgi.file_wrapper` gets its file's `close`
replaced by the response's, which announces the end of the request (and closes the database
connections of the thread). A file that is closed again later (by the garbage collector, in the
middle of another request) would announce it again. Here the file is read by a generator that
closes it in `finally`, and nothing else: the response is a plain stream with a known length.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import IO

from django.http import StreamingHttpResponse
from django.utils.http import content_disposition_header

CHUNK = 64 * 1024


def _chunks(handle: IO[bytes]) -> Iterator[bytes]:
    try:
        while chunk := handle.read(CHUNK):
            yield chunk
    finally:
        handle.close()


def _size(handle: IO[bytes]) -> int | None:
    try:
        return os.fstat(handle.fileno()).st_size
    except (AttributeError, OSError, ValueError):
        pass
    try:
        position = handle.tell()
        size = handle.seek(0, os.SEEK_END)
        handle.seek(position)
        return size - position
    except (AttributeError, OSError, ValueError):
        return None


def file_download(
    handle: IO[bytes], filename: str, content_type: str, *, as_attachment: bool = True
) -> StreamingHttpResponse:
    """Stream the open binary file `handle` named `filename` (an attachment, or shown inline),
    then close it."""
    size = _size(handle)
    response = StreamingHttpResponse(_chunks(handle), content_type=content_type)
    if size is not None:  # lets the browser show progress and keeps the connection alive
        response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(as_attachment, filename) or (
        "attachment" if as_attachment else "inline"
    )
    return response
