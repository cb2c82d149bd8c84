"""The kiosk's background work: adding waiting check-ins to their session's counts."""

from __future__ import annotations

from django_tasks import task

from impactlog.kiosk import services


@task()
def count_check_ins(session_id: int) -> int:
    """Count the session's waiting check-ins (`services.count_requested`); returns how many.
    Enqueued by the first check-in since the session's last count began, it counts that one and
    every check-in that followed while it waited."""
    return services.count_requested(session_id)
