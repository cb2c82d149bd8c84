"""Pages of a node: its home, its structure, its people and its audit trail."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from impactlog.accounts import throttle
from impactlog.accounts.client_ip import client_ip
from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.structure import queries, services
from impactlog.structure.forms import AuditFilterForm, InviteForm, MoveForm, NodeForm, RoleForm
from impactlog.structure.pages import apply_errors, home_parts, node_context
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Invitation, Membership, Node
from impactlog.tenancy.permissions import nodes_where, roles_at
from impactlog.tenancy.roles import Perm, Role, is_role
from impactlog.tenancy.tree import root_id_of

AUDIT_PAGE_SIZE = 50


@node_permission(Perm.VIEW_NODE)
def node_home(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The page a person lands on: the work of the place first (the parts other apps add),
    then what the place is."""
    children = list(queries.children(node))
    parts = home_parts(request, node, children)
    context = node_context(
        request,
        node,
        children=children,
        home_parts=parts,
        # A part that lists the places below replaces the plain list of them.
        places_shown=any(part.get("places") for part in parts),
        # A role no longer known (a stored value from an older version) is not shown.
        my_roles=[str(Role(r).label) for r in sorted(roles_at(request.user, node)) if is_role(r)],
    )
    return render(request, "structure/node_home.html", context)


@node_permission(Perm.VIEW_NODE)
def structure_tree(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    show_archived = request.GET.get("archived") == "1"
    rows = queries.subtree(node, include_archived=show_archived)
    return render(
        request,
        "structure/tree.html",
        node_context(request, node, rows=rows, show_archived=show_archived),
    )


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def node_add(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    def tree(_saved: object = None) -> HttpResponse:
        return redirect("structure:tree", pk=node.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, tree)
    initial = {"country": node.country, "language": node.language, "time_zone": node.time_zone}
    form = NodeForm(request.POST or None, parent=node, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}

        def create() -> Node | None:
            try:
                return services.create_node(request.user, node, **fields)
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            child = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, tree)
        if child is not None:
            messages.success(request, _("%(name)s was added.") % {"name": child.name})
            return tree()
    return render(
        request, "structure/node_form.html", node_context(request, node, form=form, adding=True)
    )


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def node_edit(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    form = NodeForm(request.POST or None, instance=Node.objects.get(pk=node.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.update_node(request.user, node, **fields)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("structure:node", pk=node.pk)
    return render(
        request, "structure/node_form.html", node_context(request, node, form=form, adding=False)
    )


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def node_move(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    if node.parent_id is None:
        raise Http404
    targets = (
        nodes_where(request.user, Perm.MANAGE_STRUCTURE)
        .filter(archived_at__isnull=True, path__startswith=f"/{root_id_of(node)}/")
        .exclude(path__startswith=node.path)
        .exclude(pk=node.parent_id)
    )
    form = MoveForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            services.move_node(request.user, node, form.cleaned_data["new_parent"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s was moved.") % {"name": node.name})
            return redirect("structure:node", pk=node.pk)
    return render(request, "structure/node_move.html", node_context(request, node, form=form))


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def node_archive(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    if request.method == "POST" and not node.is_archived:
        inside = services.archive_node(request.user, node) - 1
        text = (
            ngettext(
                "%(name)s and %(count)s place inside it were archived.",
                "%(name)s and %(count)s places inside it were archived.",
                inside,
            )
            if inside
            else _("%(name)s was archived.")
        )
        messages.success(request, text % {"name": node.name, "count": inside})
        return redirect("structure:node", pk=node.pk)
    below = len(queries.subtree(node, include_archived=False)) - 1
    return render(request, "structure/node_archive.html", node_context(request, node, below=below))


@node_permission(Perm.MANAGE_STRUCTURE)
@form_view
def node_restore(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    error = None
    if request.method == "POST" and node.is_archived:
        try:
            services.restore_node(request.user, node)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("%(name)s was restored.") % {"name": node.name})
            return redirect("structure:node", pk=node.pk)
    return render(request, "structure/node_restore.html", node_context(request, node, error=error))


@node_permission(Perm.VIEW_MEMBERS)
def members(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    context = node_context(
        request,
        node,
        memberships=queries.members(node),
        invitations=queries.open_invitations(node, timezone.now()),
    )
    return render(request, "structure/members.html", context)


@node_permission(Perm.MANAGE_MEMBERS)
@form_view
def member_invite(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    def members(_saved: object = None) -> HttpResponse:
        return redirect("structure:members", pk=node.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, members)
    form = InviteForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():

        def send() -> Invitation | None:
            try:
                # Invitation e-mails are throttled per address and per client (accounts.throttle);
                # an invitation the service refuses is not counted.
                with throttle.sending(
                    throttle.MailKind.INVITATION,
                    address=form.cleaned_data["email"],
                    client=client_ip(request),
                ):
                    return services.invite(
                        request.user,
                        node,
                        form.cleaned_data["email"],
                        form.cleaned_data["role"],
                        base_url=request.build_absolute_uri("/"),
                    )
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            sent = idempotency.once(request, node, send)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, members)
        except throttle.Throttled:
            form.add_error(None, throttle.invitations_refused_message())
            status = 429
        else:
            if sent is not None:
                messages.success(
                    request, _("An invitation was sent to %(email)s.") % form.cleaned_data
                )
                return members()
    context = node_context(request, node, form=form)
    return render(request, "structure/member_invite.html", context, status=status)


def _membership_at(node: Node, membership_pk: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "node")
        .filter(pk=membership_pk, node=node)
        .first()
    )
    if membership is None:
        raise Http404
    return membership


@node_permission(Perm.MANAGE_MEMBERS)
@form_view
def member_edit(request: AuthenticatedRequest, node: Node, membership_pk: int) -> HttpResponse:
    membership = _membership_at(node, membership_pk)
    form = RoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.change_role(request.user, membership, form.cleaned_data["role"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The role was changed."))
            return redirect("structure:members", pk=node.pk)
    context = node_context(request, node, form=form, membership=membership)
    return render(request, "structure/member_edit.html", context)


@node_permission(Perm.MANAGE_MEMBERS)
@form_view
def member_remove(request: AuthenticatedRequest, node: Node, membership_pk: int) -> HttpResponse:
    membership = _membership_at(node, membership_pk)
    error = None
    if request.method == "POST":
        try:
            services.remove_membership(request.user, membership)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, _("The role was removed."))
            return redirect("structure:members", pk=node.pk)
    context = node_context(request, node, membership=membership, error=error)
    return render(request, "structure/member_remove.html", context)


@node_permission(Perm.MANAGE_MEMBERS)
@require_POST
def invitation_revoke(
    request: AuthenticatedRequest, node: Node, invitation_pk: int
) -> HttpResponse:
    invitation = Invitation.objects.filter(pk=invitation_pk, node=node).first()
    if invitation is None:
        raise Http404
    services.revoke_invitation(request.user, invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("structure:members", pk=node.pk)


@node_permission(Perm.VIEW_AUDIT)
def audit_log(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    form = AuditFilterForm(request.GET or None, actions=queries.audit_actions(node))
    filters = form.cleaned_data if form.is_valid() else {}
    entries = queries.audit_entries(
        node,
        action=filters.get("action") or "",
        actor=filters.get("actor") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    # Each entry as this reader may see it: the values of records only with the records right.
    rows = queries.audit_rows(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    context = node_context(request, node, form=form, page=page, rows=rows, query=query.urlencode())
    template = (
        "structure/audit_rows.html" if request.headers.get("HX-Request") else "structure/audit.html"
    )
    return render(request, template, context)
