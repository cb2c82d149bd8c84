"""Lines the session's page shows about it from apps built on the logbook.

The logbook does not import those apps; they register a note when they start (in their
`AppConfig.ready`): the kiosk says how many of its check-ins are still being added to the counts.
A note reads what it needs (one query) and answers a line, or None when it has nothing to say.
"""

from __future__ import annotations

from collections.abc import Callable

from impactlog.logbook.models import Session

Note = Callable[[Session], str | None]

_notes: list[Note] = []


def register(note: Note) -> None:
    if note not in _notes:
        _notes.append(note)


def notes_of(session: Session) -> list[str]:
    """The lines each registered note has about `session`, in the order they registered."""
    return [line for line in (note(session) for note in _notes) if line]
