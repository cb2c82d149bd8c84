"""The XLSForm commands: import_xlsform prints the new survey's id or every problem with its
row (exit status non-zero, nothing made); export_xlsform writes a workbook pyxform converts.
Both act as the system and are audited."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pyxform.xls2xform import convert

from impactlog.accounts.models import User
from impactlog.surveys.models import Survey
from impactlog.tenancy.models import AuditEntry
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .surveys_world import make_survey
from .test_survey_xlsform import workbook


def test_export_then_import_by_command(world: World, walter: User, tmp_path: Path) -> None:
    survey = make_survey(walter, world.harbour)
    target = tmp_path / "exit.xlsx"
    out = io.StringIO()
    call_command("export_xlsform", str(survey.pk), str(target), stdout=out)
    assert "version 1" in out.getvalue()
    convert(target.read_bytes(), file_type=".xlsx")
    out = io.StringIO()
    call_command("import_xlsform", str(target), "--node", world.harbour.slug, stdout=out)
    with unscoped():
        made = Survey.all_objects.get(pk=int(out.getvalue()))
        assert made.node == world.harbour and made.created_by is None
        entries = AuditEntry.all_objects.filter(actor__isnull=True)
        assert entries.filter(action="survey.created", object_id=str(made.pk)).exists()
        assert entries.filter(action="survey.xlsform_exported", object_id=str(survey.pk)).exists()


def test_import_with_problems_prints_them_and_makes_nothing(world: World, tmp_path: Path) -> None:
    source = tmp_path / "bad.xlsx"
    source.write_bytes(
        workbook([["type", "name", "label"], ["text", "a", "A"], ["geopoint", "where", "Where"]])
    )
    before = Survey.all_objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_xlsform", str(source), "--node", world.harbour.slug, stderr=err)
    assert "survey, row 3" in err.getvalue() and "geopoint" in err.getvalue()
    assert Survey.all_objects.count() == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["import_xlsform", "{missing}", "--node", "{harbour}"], "Cannot read"),
        (["import_xlsform", "{text}", "--node", "{harbour}"], "not an XLSForm"),
        (["import_xlsform", "{text}", "--node", "nowhere"], "No place"),
        (["export_xlsform", "999999", "{missing}"], "No survey"),
    ],
)
def test_bad_arguments_are_refused_clearly(
    world: World, tmp_path: Path, arguments: list[str], message: str
) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook")
    names = {
        "missing": str(tmp_path / "none.xlsx"),
        "text": str(text),
        "harbour": world.harbour.slug,
    }
    with pytest.raises(CommandError, match=message):
        call_command(*[argument.format(**names) for argument in arguments], stderr=io.StringIO())
