"""Checks shared by the workers' services and the young person's own actions (own.py)."""

from __future__ import annotations

import datetime as dt
from typing import TypeAlias

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.participants import services as registry
from impactlog.participants.models import Participant
from impactlog.progress.models import Competence
from impactlog.progress.vocabulary import HIGHEST, LOWEST, KeyCompetence

# A competence as callers name it: a key competence's code ("digital") or one of the
# organisation's own competences.
CompetenceRef: TypeAlias = "str | Competence"


def locked(participant: Participant) -> Participant:
    return registry.locked_participant(participant)


def check_live(participant: Participant) -> None:
    """Nothing is recorded about a young person whose record is anonymised, whose registration
    consent was withdrawn, or who has no registration consent in force."""
    if participant.anonymised_at is not None:
        raise ValidationError(
            _("This record is anonymised: it only counts, and nothing more is recorded in it.")
        )
    if participant.stopped_at is not None or registry.active_registration(participant) is None:
        raise ValidationError(
            _(
                "The registration consent was withdrawn: nothing more is recorded about this "
                "young person unless they (or a guardian) consent again."
            )
        )


def competence_fields(participant: Participant, ref: CompetenceRef) -> dict[str, object]:
    """The row fields naming `ref`, refused unless it is a key competence or a competence of the
    participant's organisation."""
    if isinstance(ref, Competence):
        if ref.owner_id != participant.organisation_id:
            raise ValidationError({"competence": _("Choose a competence from the list.")})
        return {"competence": ref, "key_competence": ""}
    if ref not in KeyCompetence.values:
        raise ValidationError({"competence": _("Choose a competence from the list.")})
    return {"competence": None, "key_competence": ref}


def check_level(level: object) -> int:
    if isinstance(level, bool) or not isinstance(level, int) or not LOWEST <= level <= HIGHEST:
        raise ValidationError(
            {
                "level": _("Choose a level from %(low)s to %(high)s.")
                % {"low": LOWEST, "high": HIGHEST}
            }
        )
    return level


def check_day(day: dt.date, now: dt.datetime, field: str) -> dt.date:
    if day > timezone.localdate(now):
        raise ValidationError({field: _("The date cannot be in the future.")})
    return day


def check_text(text: str, field: str, limit: int, *, required: bool = True) -> str:
    text = text.replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({field: _("This field is required.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep it under %(count)s characters.") % {"count": limit + 1}}
        )
    return text
