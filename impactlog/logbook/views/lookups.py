"""Finding what a logbook URL names, inside the node its permission was checked on."""

from __future__ import annotations

from django.http import Http404

from impactlog.logbook.models import Activity, Session
from impactlog.tenancy.models import Node


def activity_at(node: Node, activity_pk: int) -> Activity:
    """The activity if it belongs to `node`; 404 otherwise."""
    activity = Activity.objects.filter(pk=activity_pk, node=node).first()
    if activity is None:
        raise Http404
    return activity


def session_at(node: Node, session_pk: int) -> Session:
    """The session if it lies in `node`'s subtree; 404 otherwise."""
    session = (
        Session.objects.filter(pk=session_pk, node__path__startswith=node.path)
        .select_related("activity", "node")
        .first()
    )
    if session is None:
        raise Http404
    return session
