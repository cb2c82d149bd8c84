"""Write a survey's current questions as an XLSForm workbook.

    manage.py export_xlsform SURVEY_ID FILE

The command acts as the system; the download is audited (no person).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impactlog.surveys import xlsform
from impactlog.surveys.models import Survey
from impactlog.tenancy.scoping import unscoped


class Command(BaseCommand):
    help = "Write a survey's current questions as an XLSForm workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("survey", type=int)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        with unscoped():
            survey = Survey.all_objects.filter(pk=options["survey"]).first()
            if survey is None:
                raise CommandError(f"No survey has the id {options['survey']}.")
            version, data = xlsform.export_survey(None, survey)
        path: Path = options["file"]
        try:
            path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Cannot write {path}: {error.strerror}") from error
        self.stdout.write(f"Wrote version {version.number} of survey {survey.pk} to {path}.")
