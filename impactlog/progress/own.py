"""The young person's own actions on their progress: self-assessment, a journal entry and a
recognition for a peer.

They take the participant instead of a user: the caller (the personal link and PIN pages) has
already established who the young person is. Each function runs in one transaction, re-reads and
locks the participant, and refuses with a ValidationError (nothing written) when the record is
anonymised, the registration consent was withdrawn or is not in force. The audit entry has no
actor (the young person has no account) and names only what kind of thing was added.

    own.self_assess(participant, "digital", 3, note="I made a video")
    own.self_assess(participant, competence, 4)          # a Competence of their organisation
    own.write_journal(participant, "We built a robot", "Soldering is not scary")
    own.recognise(participant, peer, "citizenship", "You helped me a lot")

A competence is a key competence's code (vocabulary.KeyCompetence) or a `Competence` of the
participant's organisation. `now` is for tests and imports; it defaults to the current time.
What the young person sees is queries.timeline(participant) (own=True: workers' private notes
and pending or refused recognitions are left out).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from impactlog.participants.models import Participant
from impactlog.progress import rules
from impactlog.progress.models import JournalEntry, Rating, Recognition, Source
from impactlog.progress.rules import CompetenceRef
from impactlog.progress.services import TEXT_LIMIT
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.permissions import acting_as

F = TypeVar("F", bound=Callable[..., Any])

RECOGNITION_LIMIT = 280


def _own_action(func: F) -> F:
    """One transaction, reading as the system: the young person has no account and no scope."""

    @wraps(func)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with acting_as(None), transaction.atomic():
            return func(*args, **kwargs)

    return cast(F, wrapped)


@_own_action
def self_assess(
    participant: Participant,
    competence: CompetenceRef,
    level: int,
    *,
    note: str = "",
    now: dt.datetime | None = None,
) -> Rating:
    """The young person rates themselves today; their earlier ratings and the workers' stay."""
    now = now or timezone.now()
    current = rules.locked(participant)
    rules.check_live(current)
    # created for the young person of the link (a credential)
    rating = Rating.all_objects.create(
        participant=current,
        level=rules.check_level(level),
        source=Source.SELF,
        rated_by=None,
        rated_on=timezone.localdate(now),
        note=rules.check_text(note, "note", TEXT_LIMIT, required=False),
        created_at=now,
        **rules.competence_fields(current, competence),
    )
    audit.record(
        None,
        AuditAction.PROGRESS_SELF_RATED,
        current,
        node=current.unit,
        changes={"rating": rating.pk},
    )
    return rating


@_own_action
def write_journal(
    participant: Participant, did: str, learned: str, *, now: dt.datetime | None = None
) -> JournalEntry:
    """A journal entry: what I did and what I learned (both needed)."""
    current = rules.locked(participant)
    rules.check_live(current)
    # created for the young person of the link (a credential)
    entry = JournalEntry.all_objects.create(
        participant=current,
        did=rules.check_text(did, "did", TEXT_LIMIT),
        learned=rules.check_text(learned, "learned", TEXT_LIMIT),
        written_at=now or timezone.now(),
    )
    audit.record(
        None, AuditAction.JOURNAL_WRITTEN, current, node=current.unit, changes={"entry": entry.pk}
    )
    return entry


@_own_action
def recognise(
    participant: Participant,
    peer: Participant,
    competence: CompetenceRef,
    text: str,
    *,
    now: dt.datetime | None = None,
) -> Recognition:
    """Give a peer of the same organisation a short recognition for a competence. It waits for
    a worker of the peer's unit (services.decide_recognition) before the peer sees it."""
    current = rules.locked(participant)
    rules.check_live(current)
    if peer.pk == current.pk:
        raise ValidationError({"peer": _("Choose someone else than yourself.")})
    # any peer by number: refused below unless of the same organisation
    other = Participant.all_objects.filter(pk=peer.pk).first()
    if other is None or other.organisation_id != current.organisation_id:
        raise ValidationError({"peer": _("Choose someone from your own youth centre.")})
    try:
        rules.check_live(other)
    except ValidationError:
        raise ValidationError(
            {"peer": _("This young person cannot receive recognitions.")}
        ) from None
    # created for the young person of the link (a credential)
    recognition = Recognition.all_objects.create(
        giver=current,
        peer=other,
        text=rules.check_text(text, "text", RECOGNITION_LIMIT),
        given_at=now or timezone.now(),
        **rules.competence_fields(current, competence),
    )
    audit.record(
        None,
        AuditAction.RECOGNITION_GIVEN,
        other,
        node=other.unit,
        # Not the giver: the peer's record and its export name nobody else.
        changes={"recognition": recognition.pk},
    )
    return recognition
