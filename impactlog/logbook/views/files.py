"""Pages of a session's photos and documents: the list with the upload, the download, deletion.

Files are never served from a public URL: each download passes the permission check here and
is written to the audit trail by `files.open_file`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.jobs.streaming import file_download
from impactlog.logbook import files
from impactlog.logbook.models import SessionFile
from impactlog.logbook.views.forms import SessionFileUploadForm
from impactlog.logbook.views.lookups import session_at
from impactlog.structure.pages import apply_errors, node_context
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm


def _file_at(node: Node, session_pk: int, file_pk: int) -> SessionFile:
    session = session_at(node, session_pk)
    item = SessionFile.objects.filter(pk=file_pk, session=session).first()
    if item is None:
        raise Http404
    item.session = session
    return item


@node_permission(Perm.VIEW_RECORDS)
@form_view
def session_files(request: AuthenticatedRequest, node: Node, session_pk: int) -> HttpResponse:
    """The photos and documents of a session; a POST uploads one more."""
    session = session_at(node, session_pk)
    can_upload = has_perm(request.user, Perm.EDIT_RECORDS, session.node)

    def listing(_saved: object = None) -> HttpResponse:
        return redirect("logbook:session_files", pk=node.pk, session_pk=session.pk)

    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied
        if (found := idempotency.earlier(request)) is not None:
            return idempotency.repeated(request, found, listing)
    form = SessionFileUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def attach() -> SessionFile | None:
            try:
                return files.attach_file(
                    request.user,
                    session,
                    data["file"],
                    data["alt_text"],
                    data["publication_consent"],
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            item = idempotency.once(request, node, attach)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, listing)
        if item is not None:
            messages.success(
                request, _("The file %(name)s was added.") % {"name": item.original_name}
            )
            return listing()
    context = node_context(
        request,
        node,
        session=session,
        files=files.files_of(session),
        form=form if can_upload else None,
    )
    return render(request, "logbook/file_list.html", context)


@node_permission(Perm.VIEW_RECORDS)
@require_safe
def session_file(
    request: AuthenticatedRequest, node: Node, session_pk: int, file_pk: int
) -> StreamingHttpResponse:
    """The stored bytes: photos shown inline, documents downloaded; never cached."""
    item = _file_at(node, session_pk, file_pk)
    try:
        handle = files.open_file(request.user, item)
    except FileNotFoundError:
        raise Http404 from None
    response = file_download(
        handle, item.original_name, item.content_type, as_attachment=not item.is_image
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@node_permission(Perm.EDIT_RECORDS)
@form_view
def session_file_delete(
    request: AuthenticatedRequest, node: Node, session_pk: int, file_pk: int
) -> HttpResponse:
    item = _file_at(node, session_pk, file_pk)
    if request.method == "POST":
        files.delete_file(request.user, item)
        messages.success(request, _("%(name)s was deleted.") % {"name": item.original_name})
        return redirect("logbook:session_files", pk=node.pk, session_pk=session_pk)
    context: dict[str, Any] = node_context(request, node, session=item.session, file=item)
    return render(request, "logbook/file_delete.html", context)
