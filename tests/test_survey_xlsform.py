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
    """A workbook with the given sheets, each a list of rows (the first the column names); a
    settings sheet with a title unless one is given (`[]`: none)."""
    if settings is None:
        settings = [["form_title"], ["Test"]]
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for title, rows in (("choices", choices), ("settings", settings)):
        if rows:
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
    original = dataclasses.replace(original, purpose={}, timing={}, citation="")
    assert again == original


def _problems(data: bytes) -> set[tuple[str, int]]:
    return {(problem.sheet, problem.row) for problem in xlsform.read(data).problems}


def test_a_messy_workbook_from_another_tool_is_read(world: World, walter: User) -> None:
    data = workbook(
        [
            # columns in another order, a label without a language, upper-case names
            ["Name", "Label", "TYPE", "label::Latviešu (lv)", "Required", "hint::lv", "constraint"],
            ["start", "", "start", "", "", "", ""],  # metadata: skipped
            [],  # blank row
            ["visits ", "How often?", " Select_One  freq ", "Cik bieži?", "TRUE()", "", ""],
            ["age", "Age", "integer", "Vecums", "1", "Gados", ". >= 7 and . <= 30"],
            ["height", "Height", "decimal", "Augums", "no", "", ". <= 2.5"],
            ["wish", "Wishes", "text", "Vēlmes", "", "", ""],
            ["grp", "More", "begin group", "Vairāk", "", "", ""],
            ["inner", "", "begin_group", "", "", "", ""],
            ["when", "When", "date", "Kad", "", "", ""],
            ["", "", "end_group", "", "", "", ""],
            ["", "", "end group", "", "", "", ""],
        ],
        [
            ["list_name", "name", "label", "label::lv"],
            ["freq", "often", "Often", "Bieži"],
            ["freq", "rarely", "Rarely", "Reti"],
            ["unused", "x", "X", "X"],
        ],
        [["form_title", "form_id", "default_language"], ["Visits", "visits", "English (en)"]],
    )
    reading = xlsform.read(data)
    assert reading.problems == []
    assert reading.spec is not None
    spec = reading.spec
    assert spec.languages == ["en", "lv"]
    assert spec.title == {"en": "Visits"}
    assert [(q.name, q.type) for q in spec.questions] == [
        ("visits", "single"),
        ("age", "number"),
        ("height", "number"),
        ("wish", "short_text"),
        ("grp", "section"),
        ("inner", "section"),
        ("when", "date"),
    ]
    assert spec.questions[0].required and spec.questions[1].required
    assert spec.questions[0].label == {"en": "How often?", "lv": "Cik bieži?"}
    assert spec.questions[1].hint == {"lv": "Gados"}
    assert spec.questions[1].limits == {"min": 7, "max": 30}
    assert spec.questions[2].limits == {"max": 2.5, "decimal": True}
    assert [choice_list.name for choice_list in spec.lists] == ["freq"]
    survey = xlsform.import_workbook(walter, world.harbour, data)
    assert survey.title == {"en": "Visits"}


UNSUPPORTED: list[tuple[list[Any], str]] = [
    (["where", "Where?", "geopoint", "", ""], "type"),
    (["photo", "Photo", "image", "", ""], "type"),
    (["sum", "", "calculate", "", ""], "type"),
    (["pet", "Pet?", "select_one pets or_other", "", ""], "or_other"),
    (["pet", "Pet?", "select_one missing", "", ""], "list"),
    (["pet", "Pet?", "select_one", "", ""], "list"),
    (["kids", "", "begin repeat", "", ""], "repeat"),
    (["a", "A", "text", "maybe", ""], "required"),
    (["a", "A", "text", "", "string-length(.) > 3"], "constraint"),
    (["n", "N", "integer", "", ". > 3"], "constraint"),
    (["safe", "Again", "text", "", ""], "duplicate name"),
    (["a", "A", "text", "", "", "${safe} > today()"], "relevant"),
    (["a", "A", "text", "", "", "${later} = 'x'"], "relevant on a later question"),
    (["", "A", "text", "", ""], "no name"),
    (["a", "", "text", "", ""], "no label"),
    (["", "", "", "", ""], "no type"),
    (["g", "G", "begin group", "", "", "${safe} = 'yes'"], "group not ended"),
]


@pytest.mark.parametrize(("row", "why"), UNSUPPORTED, ids=[why for _row, why in UNSUPPORTED])
def test_each_unsupported_row_is_reported_on_its_row_and_nothing_is_made(
    world: World, walter: User, row: list[Any], why: str
) -> None:
    data = workbook(
        [
            ["name", "label::English (en)", "type", "required", "constraint", "relevant"],
            ["safe", "Safe?", "select_one pets", "yes", "", ""],
            row + [""] * (6 - len(row)),
        ],
        [["list_name", "name", "label::English (en)"], ["pets", "cat", "Cat"]],
    )
    if row[2] == "" and row[0] == "":
        data = workbook(
            [
                ["name", "label::English (en)", "type"],
                ["safe", "Safe?", "select_one pets"],
                ["", "Just a label", ""],
            ],
            [["list_name", "name", "label::English (en)"], ["pets", "cat", "Cat"]],
        )
    assert ("survey", 3) in _problems(data)
    before = Survey.all_objects.count()
    with pytest.raises(xlsform.ImportRefused) as refused:
        xlsform.import_workbook(walter, world.harbour, data)
    assert all(problem.row == 3 for problem in refused.value.problems)
    assert Survey.all_objects.count() == before


def test_sheet_level_problems_are_reported() -> None:
    unknown_language = workbook(
        [["type", "name", "label::Klingon (tlh)"], ["text", "a", "A"]],
        settings=[["default_language"], ["Esperanto"]],
    )
    assert _problems(unknown_language) >= {("survey", 1), ("settings", 2)}
    no_survey = workbook([["type", "name"]])
    book = Workbook()
    book.active.title = "questions"  # type: ignore[union-attr]
    out = io.BytesIO()
    book.save(out)
    assert ("survey", 0) in _problems(out.getvalue())
    # a choice with no list, a list with the same value twice
    choices = workbook(
        [["type", "name", "label"], ["select_one l", "a", "A"]],
        [["list_name", "name", "label"], ["", "x", "X"], ["l", "y", "Y"], ["l", "y", "Y2"]],
    )
    assert _problems(choices) == {("choices", 2), ("choices", 3)}
    assert ("survey", 0) in _problems(no_survey) or xlsform.read(no_survey).problems


def test_a_group_with_a_condition_keeps_it_off_the_questions_after_it() -> None:
    data = workbook(
        [
            ["type", "name", "label", "relevant"],
            ["integer", "n", "N", ""],
            ["begin group", "g", "G", "${n} > 3"],
            ["text", "a", "A", ""],
            ["end group", "", "", ""],
            ["text", "b", "B", ""],  # would fall into g's section
        ]
    )
    assert _problems(data) == {("survey", 6)}


@pytest.mark.parametrize(
    "data",
    [b"", b"not a workbook", b"PK\x03\x04broken zip", workbook([["type"]])[:200]],
    ids=["empty", "text", "broken zip", "cut short"],
)
def test_a_file_that_is_not_a_workbook_is_refused_clearly(data: bytes) -> None:
    with pytest.raises(xlsform.WorkbookRefused):
        xlsform.read(data)


def test_a_workbook_over_the_limits_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [["type", "name", "label"]] + [["text", f"q{i}", "Q"] for i in range(30)]
    data = workbook(rows)
    monkeypatch.setattr(xlsform, "MAX_ROWS", 20)
    with pytest.raises(xlsform.WorkbookRefused, match="rows"):
        xlsform.read(data)
    monkeypatch.setattr(xlsform, "MAX_BYTES", 100)
    with pytest.raises(xlsform.WorkbookRefused, match="larger"):
        xlsform.read(data)


def test_our_scales_are_restored_from_the_generated_list_names_alone() -> None:
    data = workbook(
        [["type", "name", "label"], ["select_one impactlog_agreement", "ok", "OK?"]],
        [
            ["list_name", "name", "label"],
            *[["impactlog_agreement", str(point), str(point)] for point in range(1, 6)],
        ],
    )
    spec = xlsform.read(data).spec
    assert spec is not None
    assert [(q.type, q.list_name) for q in spec.questions] == [("agreement", "")]
    assert spec.lists == []
