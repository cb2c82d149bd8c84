"""Pages of sessions: the one-screen entry, the week grid, the list, editing, history, deletion."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from impactlog.core.converters import IdConverter
from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.kiosk.queries import unique_visitors
from impactlog.logbook import services, session_notes
from impactlog.logbook.figures import queries
from impactlog.logbook.figures.periods import FIRST_DAY, LAST_DAY
from impactlog.logbook.models import Activity, Session
from impactlog.logbook.views.forms import SessionForm, WeekFormSet, initial_from
from impactlog.logbook.views.lookups import activity_at, session_at
from impactlog.network.services import bands_in, questions_for, settings_for
from impactlog.structure.pages import apply_errors, node_context, unit_or_404
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm

SESSIONS_PAGE_SIZE = 50


def _preselected(request: AuthenticatedRequest, activities: Any) -> Activity | None:
    """The activity asked for, else the one logged most recently, else the only one."""
    wanted = request.GET.get("activity", "")
    # Not str.isdigit(): it takes "²" and "٣", which int() refuses.
    if re.fullmatch(IdConverter.regex, wanted):
        found = activities.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    latest = (
        Session.objects.filter(activity__in=activities)
        .order_by("-date", "-start_time")
        .select_related("activity")
        .first()
    )
    if latest is not None:
        return latest.activity
    return activities.first()


def _form_extras(unit: Node) -> dict[str, Any]:
    """What the entry form needs from the unit's organisation and network."""
    network = settings_for(unit)
    return {
        "questions": questions_for(unit),
        "limit": network.plausible_participants,
        "bands": bands_in(network),
    }


def _entry_page(
    request: AuthenticatedRequest, node: Node, form: SessionForm, activities: Any, **extra: Any
) -> HttpResponse:
    """The entry page, with the age bands each activity shows first (read only to show it)."""
    form.usual = queries.usual_bands(list(activities), [band for band, _label in form.bands])
    context = node_context(request, node, form=form, **extra)
    return render(request, "logbook/session_form.html", context)


def _landing(node: Node) -> HttpResponse:
    """Where a saved session (or week) leads: the figures it counts in."""
    return redirect(reverse("logbook:figures", args=[node.pk]) + "?saved=1")


def _already_saved(session: Session) -> str:
    return _("Already saved: %(activity)s, %(count)s participants. Nothing was added.") % {
        "activity": session.activity.name,
        "count": session.participants,
    }


def _save(
    request: AuthenticatedRequest, form: SessionForm, session: Session | None
) -> Session | None:
    """Hand a valid form to the service; put its objections back on the form."""
    confirm_large = bool(form.cleaned_data.get("confirm_large"))
    try:
        if session is None:
            return services.create_session(
                request.user,
                form.cleaned_data["activity"],
                form.to_input(),
                confirm_large=confirm_large,
            )
        # The form offers the unit's activities: a different one moves the session to it.
        return services.update_session(
            request.user,
            session,
            form.to_input(),
            activity=form.cleaned_data["activity"],
            expected_version=form.cleaned_data.get("version"),
            confirm_large=confirm_large,
        )
    except services.ConflictError:
        form.add_error(
            None,
            _(
                "Someone else saved this session while you were editing it. Open it again to "
                "see their changes, then make yours."
            ),
        )
    except ValidationError as error:
        apply_errors(form, error)
    return None


@node_permission(Perm.EDIT_RECORDS)
@form_view
def log_session(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    """The youth worker's evening: one screen, today's activity chosen, counts by steppers."""
    activities = queries.activities_of(unit_or_404(node))
    if request.method == "POST":
        # A resend of a form that was saved already shows what it saved.
        if (found := idempotency.earlier(request)) is not None:
            return idempotency.repeated(
                request, found, lambda _saved: _landing(node), already=_already_saved
            )
    elif not activities.exists():
        return render(request, "logbook/log_no_activity.html", node_context(request, node))
    extra = _form_extras(node)
    if request.method == "POST":
        form = SessionForm(request.POST, activities=activities, **extra)
        if form.is_valid():
            try:
                saved = idempotency.once(request, node, lambda: _save(request, form, None))
            except idempotency.Repeated as repeat:
                return idempotency.repeated(
                    request, repeat.earlier, lambda _saved: _landing(node), already=_already_saved
                )
            if saved is not None:
                messages.success(
                    request,
                    _("Saved: %(activity)s, %(count)s participants.")
                    % {"activity": saved.activity.name, "count": saved.participants},
                )
                return _landing(node)
    else:
        activity = _preselected(request, activities)
        initial: dict[str, Any] = {"date": timezone.localdate(), "activity": activity}
        last = queries.last_session(activity) if activity else None
        if last is not None and request.GET.get("copy") == "last":
            initial = initial_from(last, same_shape_only=True)
        elif last is not None:
            initial["start_time"], initial["end_time"] = last.start_time, last.end_time
        form = SessionForm(initial=initial, activities=activities, **extra)
    return _entry_page(request, node, form, activities, editing=None)


def _monday(value: str | None) -> dt.date:
    """The Monday of the week asked for; of this week when the day is not one, or lies beyond
    the days a period may cover (the grid links to the weeks before and after)."""
    try:
        day = dt.date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        day = timezone.localdate()
    if not FIRST_DAY <= day <= LAST_DAY:
        day = timezone.localdate()
    return day - dt.timedelta(days=day.weekday())


def _seven_days(formset: Any) -> bool:
    """The grid came back with its seven days (not a POST without them, nor with eight)."""
    return formset.management_form.is_valid() and formset.total_form_count() == 7


@node_permission(Perm.EDIT_RECORDS)
@form_view
def week_grid(request: AuthenticatedRequest, node: Node, activity_pk: int) -> HttpResponse:
    """A whole week of a regular activity on one page, saved all together or not at all."""
    activity = activity_at(unit_or_404(node), activity_pk)
    monday = _monday(request.GET.get("start"))
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    existing = {s.date: s for s in Session.objects.filter(activity=activity, date__in=days)}
    last = queries.last_session(activity)
    initial = [
        {
            "date": day,
            "start_time": last.start_time if last else None,
            "end_time": last.end_time if last else None,
        }
        for day in days
    ]
    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, lambda _saved: _landing(node))
    formset = WeekFormSet(request.POST or None, initial=initial, prefix="day")
    status = 200
    if formset.is_bound and not _seven_days(formset):
        # A sent grid that lost (or gained) days: the week shown again, as it is saved.
        messages.error(
            request,
            _("The week could not be read: it did not have its seven days. Enter it again."),
        )
        formset, status = WeekFormSet(initial=initial, prefix="day"), 400
    if formset.is_bound and formset.is_valid():
        todo = [
            form
            for form in formset.forms
            if form.cleaned_data.get("held") and form.cleaned_data["date"] not in existing
        ]
        saved: list[Session] = []

        def save() -> Activity | None:
            # The week is kept under its activity: a resend shows "Already saved" for it.
            try:
                days = [f.to_input() for f in todo]
                saved.extend(services.save_week(request.user, activity, days))
            except ValidationError as error:
                problems_by_key = getattr(error, "message_dict", {"__all__": error.messages})
                for key, problems in problems_by_key.items():
                    # "day-N" names the failing day; anything else is about the whole week
                    position = key.removeprefix("day-")
                    for problem in problems:
                        if key.startswith("day-") and position.isdecimal():
                            todo[int(position)].add_error(None, problem)
                        else:
                            messages.error(request, problem)
                return None
            return activity

        try:
            done = idempotency.once(request, node, save)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, lambda _saved: _landing(node))
        if done is not None:
            messages.success(
                request,
                ngettext(
                    "%(count)s session was saved.", "%(count)s sessions were saved.", len(saved)
                )
                % {"count": len(saved)},
            )
            return _landing(node)
    rows = [(form, existing.get(day)) for form, day in zip(formset.forms, days, strict=True)]
    context = node_context(
        request,
        node,
        activity=activity,
        formset=formset,
        rows=rows,
        monday=monday,
        previous=(monday - dt.timedelta(days=7)).isoformat(),
        following=(monday + dt.timedelta(days=7)).isoformat(),
    )
    return render(request, "logbook/week_grid.html", context, status=status)


@node_permission(Perm.VIEW_RECORDS)
def sessions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    page = Paginator(queries.recent_sessions(node), SESSIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "logbook/sessions.html", node_context(request, node, page=page))


@node_permission(Perm.EDIT_RECORDS)
@form_view
def session_edit(request: AuthenticatedRequest, node: Node, session_pk: int) -> HttpResponse:
    session = session_at(node, session_pk)
    activities = queries.activities_of(session.node, include_archived=True)
    extra = _form_extras(session.node)
    if request.method == "POST":
        form = SessionForm(request.POST, activities=activities, **extra)
        if form.is_valid() and _save(request, form, session) is not None:
            messages.success(request, _("Your changes were saved."))
            return redirect("logbook:sessions", pk=node.pk)
    else:
        form = SessionForm(
            initial=initial_from(session, same_shape_only=False), activities=activities, **extra
        )
    # Young people checked in at a kiosk: the distinct ones (None if nobody checked in there).
    visitors = unique_visitors(session)
    notes = session_notes.notes_of(session)
    return _entry_page(
        request, node, form, activities, editing=session, kiosk_visitors=visitors, notes=notes
    )


@node_permission(Perm.VIEW_RECORDS)
def session_history(request: AuthenticatedRequest, node: Node, session_pk: int) -> HttpResponse:
    session = session_at(node, session_pk)
    revisions = session.revisions.select_related("by")
    context = node_context(request, node, session=session, revisions=revisions)
    return render(request, "logbook/session_history.html", context)


@node_permission(Perm.EDIT_RECORDS)
@form_view
def session_delete(request: AuthenticatedRequest, node: Node, session_pk: int) -> HttpResponse:
    session = session_at(node, session_pk)
    if request.method == "POST":
        services.delete_session(request.user, session)
        messages.success(request, _("The session was deleted."))
        return redirect("logbook:sessions", pk=node.pk)
    return render(
        request, "logbook/session_delete.html", node_context(request, node, session=session)
    )
