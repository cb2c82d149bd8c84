"""Error pages in the user's language, with the site's layout; never a stack trace.

A refusal (403) is an expected answer, not a fault: the server log gets one line for it
(method, path, user id, status) and no traceback; see `OneLineRefusal`.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # Logged once, by django.request, in the shape `OneLineRefusal` gives it.
    return render(request, "errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the failure may lie in it.
    return HttpResponse(render_to_string("errors/500.html"), status=500)


def _escaped(value: str) -> str:
    """No line breaks or control characters from the request reach the log."""
    return value.encode("unicode_escape").decode("ascii")


class OneLineRefusal(logging.Filter):
    """On `django.request`: a 403 becomes one line, "Forbidden: GET /path user=12 status=403".

    Django logs a PermissionDenied with the exception attached, which handlers print as a full
    traceback; a refusal is the permission layer working, so the traceback is dropped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 403:
            return True
        request = getattr(record, "request", None)
        user = getattr(request, "user", None)
        user_id = getattr(user, "pk", None) if user is not None else None
        record.msg = "Forbidden: %s %s user=%s status=%s"
        record.args = (
            _escaped(getattr(request, "method", None) or "-"),
            _escaped(getattr(request, "path", None) or "-"),
            user_id if user_id is not None else "-",
            403,
        )
        record.exc_info = None
        record.exc_text = None
        return True
