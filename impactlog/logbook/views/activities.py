"""Pages of a unit's activities: the list, adding one, changing one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from impactlog.accounts.models import User
from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.logbook import services
from impactlog.logbook.figures import queries
from impactlog.logbook.models import Activity
from impactlog.logbook.views.forms import ActivityForm
from impactlog.logbook.views.lookups import activity_at
from impactlog.network.services import bands_for, vocabulary
from impactlog.structure import queries as structure_queries
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm


def _people_at(unit: Node) -> Any:
    ids = structure_queries.members(unit).values_list("user_id", flat=True)
    return User.objects.filter(pk__in=ids).order_by("full_name")


@node_permission(Perm.VIEW_RECORDS)
def activities(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)
    context = node_context(request, node, activities=queries.activities_of(node))
    return render(request, "logbook/activities.html", context)


@node_permission(Perm.EDIT_RECORDS)
@form_view
def activity_add(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    unit_or_404(node)

    def added(activity: Activity | None) -> HttpResponse:
        if activity is None:
            return redirect("logbook:activities", pk=node.pk)
        return redirect(reverse("logbook:log", args=[node.pk]) + f"?activity={activity.pk}")

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, added)
    form = ActivityForm(
        request.POST or None,
        people=_people_at(node),
        tags=vocabulary(node),
        bands=bands_for(node),
    )
    if request.method == "POST" and form.is_valid():

        def create() -> Activity | None:
            try:
                return services.create_activity(request.user, node, **form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            activity = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, added)
        if activity is not None:
            messages.success(
                request, _("The activity %(name)s was added.") % {"name": activity.name}
            )
            return added(activity)
    context = node_context(request, node, form=form, adding=True)
    return render(request, "logbook/activity_form.html", context)


@node_permission(Perm.EDIT_RECORDS)
@form_view
def activity_edit(request: AuthenticatedRequest, node: Node, activity_pk: int) -> HttpResponse:
    activity = activity_at(unit_or_404(node), activity_pk)
    form = ActivityForm(
        request.POST or None,
        instance=activity,
        people=_people_at(node),
        tags=vocabulary(node),
        bands=bands_for(node),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(request.user, activity, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("logbook:activities", pk=node.pk)
    context = node_context(request, node, form=form, adding=False, activity=activity)
    return render(request, "logbook/activity_form.html", context)
