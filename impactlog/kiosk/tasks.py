"""The kiosk's background work: adding waiting check-ins to their session's counts."""

from __future__ import annotations

from django_tasks import task

from impactlog.kiosk import services


@task()
def count_check_ins(session_id: int) -> int:
    """Count the session's waiting check-ins (`services.count_waiting`); returns how many. Run
    once per check-in, it mostly finds that an earlier run counted them all."""
    return services.count_waiting(session_id)
