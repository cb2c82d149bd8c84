"""Demo surveys: each demo organisation gets the annual meeting-place survey and the exit survey,
made from the built-in templates through `library_services.use_template` (the system as actor).
No answers here: those come with the answering. Loading it again changes nothing (an
organisation that has an annual survey is left alone)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from impactlog.surveys import library_services
from impactlog.surveys.models import Survey, SurveyKind
from impactlog.tenancy.models import Node, NodeKind
from impactlog.tenancy.scoping import unscoped


def load(now: dt.datetime | None = None) -> int:
    """Give every organisation without one the two demo surveys; the number of surveys made."""
    now = now or timezone.now()
    made = 0
    with unscoped():  # system code: the demo command
        organisations = list(Node.all_objects.filter(kind=NodeKind.ORGANISATION))
        for organisation in organisations:
            if Survey.all_objects.filter(node=organisation, kind=SurveyKind.ANNUAL).exists():
                continue
            for key in ("annual", "exit"):
                library_services.use_template(None, organisation, key, now=now)
                made += 1
    return made
