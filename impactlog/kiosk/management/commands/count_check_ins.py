"""Count every check-in still waiting to be added to its session's counts.

    manage.py count_check_ins

The worker counts each check-in moments after it is stored (kiosk.tasks.count_check_ins); after
the worker was down, this counts what it left waiting. Running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impactlog.kiosk.services import count_all_waiting
from impactlog.tenancy.scoping import unscoped


class Command(BaseCommand):
    help = "Add every waiting kiosk check-in to its session's counts."

    def handle(self, *args: Any, **options: Any) -> None:
        with unscoped():
            counted = count_all_waiting()
        self.stdout.write(f"Counted {counted} waiting check-ins.")
