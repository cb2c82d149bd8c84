"""Make a survey at a place from an XLSForm workbook.

    manage.py import_xlsform FILE --node SLUG

Prints the new survey's id. A workbook with problems makes nothing: each problem is printed to
stderr with its sheet and row, and the command exits with status 1. The command acts as the
system; the survey's audit entry says so (no person).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from impactlog.surveys import xlsform
from impactlog.tenancy.models import Node
from impactlog.tenancy.scoping import unscoped


def node_named(text: str) -> Node:
    """The node with this slug (or id); CommandError when none or several."""
    with unscoped():
        found = list(Node.all_objects.filter(slug=text)[:5])
        if not found and text.isdecimal():
            found = list(Node.all_objects.filter(pk=int(text)))
    if not found:
        raise CommandError(f"No place has the slug or id {text!r}.")
    if len(found) > 1:
        ids = ", ".join(str(node.pk) for node in found)
        raise CommandError(f"Several places have the slug {text!r} (ids {ids}): give the id.")
    return found[0]


class Command(BaseCommand):
    help = "Make a survey at a place from an XLSForm workbook (.xlsx)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--node", required=True, help="the place's slug (or id)")

    def handle(self, *args: Any, **options: Any) -> None:
        node = node_named(options["node"])
        path: Path = options["file"]
        try:
            with path.open("rb") as stream:
                data = stream.read(xlsform.MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
        try:
            with unscoped():
                survey = xlsform.import_workbook(None, node, data, path.name)
        except xlsform.ImportRefused as refused:
            for problem in xlsform.rows_of(refused.problems):
                self.stderr.write(str(problem))
            raise CommandError("Nothing was imported.") from refused
        except xlsform.WorkbookRefused as refused:
            raise CommandError(" ".join(refused.messages)) from refused
        self.stdout.write(str(survey.pk))
