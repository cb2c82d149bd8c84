"""XLSForm out and back in (surveys/xlsform.py): an exported survey converts with pyxform and
reads back as the same survey; a workbook made by another tool is read, or refused row by row
with nothing stored."""

from __future__ import annotations

import dataclasses
import io
from typing import Any

import pytest
from openpyxl import Workbook
from pyxform.xls2xform import convert

from impactlog.accounts.models import User
from impactlog.surveys import services, xlsform
from impactlog.surveys.models import Survey
from impactlog.surveys.spec import spec_of
from impactlog.tenancy.scoping import unscoped

from .conftest import World
from .surveys_world import every_type_spec, exit_spec, make_survey


def workbook(
    survey: list[list[Any]],
    choices: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
) -> bytes:
    """A workbook with the given sheets, each a list of rows (the first the column names)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            other = book.create_sheet(title)
            for row in rows:
                other.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _exported(survey: Survey) -> bytes:
    with unscoped():
        return xlsform.write(services.current_version(survey))


@pytest.mark.parametrize("make_spec", [exit_spec, every_type_spec])
def test_an_exported_survey_converts_and_reads_back_the_same(
    world: World, walter: User, make_spec: Any
) -> None:
    survey = make_survey(walter, world.harbour, make_spec())
    data = _exported(survey)
    warnings: list[str] = []
    result = convert(data, warnings=warnings, file_type=".xlsx")
    assert "<h:html" in result.xform
    back = xlsform.import_workbook(walter, world.harbour, data)
    with unscoped():
        original = spec_of(services.current_version(survey))
        again = spec_of(services.current_version(back))
    # What an XLSForm does not hold: the template library's texts.
    original = dataclasses.replace(original, purpose={}, timing={}, citation="", minutes=0)
    assert again == original
