"""Run the retention of young people's records: cron or a systemd timer runs it daily."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from impactlog.participants.privacy import apply_retention_everywhere


class Command(BaseCommand):
    help = "Anonymise young people inactive past their organisation's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        count = apply_retention_everywhere()
        self.stdout.write(f"{count} anonymised")
