"""XLSForm in and out: a workbook (survey, choices and settings sheets) read as a `SurveySpec`,
and a stored version written as a workbook that pyxform converts.

`read(data)` returns the spec and every problem found, each with its sheet and row; a workbook
with any problem is not stored (`import_workbook` stores it through `services.create_survey`
only when there is none). What the survey builder cannot hold (repeats, pictures, places,
calculations, `or_other`, constraints other than a lowest and highest number…) is reported on its
row, never dropped in silence; only the form metadata types (start, end, today, deviceid, …),
which ask the respondent nothing, are skipped.

`write(version)` writes our own scale types (agreement, smiley, scale_10, yes_no) as select_one
questions with generated choice lists and names the type in an `impactlog_type` column, so that
reading the workbook back restores it. docs/import-export.md, "XLSForm", lists the mapping.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from impactlog.surveys import conditions, services
from impactlog.surveys.models import (
    SCALES,
    QuestionType,
    Survey,
    SurveyKind,
    SurveyVersion,
)
from impactlog.surveys.spec import (
    LANGUAGES,
    ChoiceSpec,
    ListSpec,
    QuestionSpec,
    SurveySpec,
    problems,
    spec_of,
)
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

if TYPE_CHECKING:
    from impactlog.accounts.models import User
    from impactlog.tenancy.models import Node

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000  # rows of a sheet, blank ones included
MAX_COLUMNS = 100
MAX_UNPACKED_BYTES = 32 * 1024 * 1024
TYPE_COLUMN = "impactlog_type"  # our own type of a question written as select_one
ROLE_COLUMN = "impactlog_role"
KIND_SETTING = "impactlog_kind"
MINUTES_SETTING = "impactlog_minutes"  # the estimated answering time
PER_PAGE_SETTING = "impactlog_per_page"
# form_title holds one text (pyxform has no translated title): the others go in these columns.
TITLE_SETTING = "impactlog_title"
LIST_PREFIX = "impactlog_"  # the generated lists of our scales: impactlog_agreement, …
SURVEY, CHOICES, SETTINGS = "survey", "choices", "settings"

# Types that ask nothing: skipped on import.
METADATA = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "phonenumber",
        "username",
        "email",
        "audit",
        "simserial",
        "subscriberid",
        "start-geopoint",
    }
)
TRUE = frozenset({"yes", "true", "true()", "1"})
FALSE = frozenset({"", "no", "false", "false()", "0"})
_LIMIT = r"\.\s*(?P<op%d>>=|<=)\s*(?P<value%d>-?\d+(?:\.\d+)?)"
_CONSTRAINT = re.compile(rf"^{_LIMIT % (1, 1)}(?:\s+and\s+{_LIMIT % (2, 2)})?$")
_COLUMN = re.compile(r"^(?P<field>label|hint|media::\w+|[a-z_]+)(?:\s*::\s*(?P<language>.+))?$")
_CODE = re.compile(r"\((?P<code>[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)?)\)\s*$")

# The points of our scales, their labels in every language (the survey's answering pages show
# the same scales).
_AGREEMENT = [
    gettext_lazy("Strongly disagree"),
    gettext_lazy("Disagree"),
    gettext_lazy("Neither agree nor disagree"),
    gettext_lazy("Agree"),
    gettext_lazy("Strongly agree"),
]
_SMILEY = [
    gettext_lazy("Very sad"),
    gettext_lazy("Sad"),
    gettext_lazy("Neither sad nor happy"),
    gettext_lazy("Happy"),
    gettext_lazy("Very happy"),
]
OWN_TYPES = (
    QuestionType.AGREEMENT,
    QuestionType.SMILEY,
    QuestionType.SCALE_10,
    QuestionType.YES_NO,
)


class WorkbookRefused(ValidationError):
    """The file cannot be read as a workbook at all (not an XLSX file, too large, broken)."""


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, on which sheet and row (0: the sheet as a whole)."""

    sheet: str
    row: int
    message: str

    def __str__(self) -> str:
        if self.row:
            return _("%(sheet)s, row %(row)d: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
        return f"{self.sheet}: {self.message}"


@dataclass
class Reading:
    """The spec read from a workbook and everything wrong with it."""

    spec: SurveySpec | None
    problems: list[RowProblem] = field(default_factory=list)


class ImportRefused(ValidationError):
    def __init__(self, found: list[RowProblem]) -> None:
        super().__init__([str(problem) for problem in found])
        self.problems = found


# Reading


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheets(data: bytes) -> dict[str, list[tuple[int, dict[str, str]]]]:
    """Every sheet of the workbook by its lower-case name: its rows below the column names as
    (row number, {column: text}), blank rows left out."""
    if len(data) > MAX_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(size)d MB.") % {"size": MAX_BYTES // (1024 * 1024)}
        )
    unreadable = WorkbookRefused(
        _("The file is not an XLSForm workbook (.xlsx) or cannot be read. Save it as .xlsx.")
    )
    if not data.startswith(b"PK\x03\x04"):
        raise unreadable
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise unreadable from error
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise WorkbookRefused(_("The workbook unpacks to too much data."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style warnings of other programs' files
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        sheets: dict[str, list[tuple[int, dict[str, str]]]] = {}
        for sheet in workbook.worksheets:
            lines = sheet.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS, values_only=True)
            header = [_cell(value) for value in next(lines, ())]
            rows = []
            for number, line in enumerate(lines, start=2):
                values = {
                    name: _cell(value)
                    for name, value in zip(header, line, strict=False)
                    if name and _cell(value)
                }
                if values:
                    rows.append((number, values))
            if sheet.max_row is not None and sheet.max_row > MAX_ROWS + 1:
                raise WorkbookRefused(
                    _("A sheet has more than %(count)d rows.") % {"count": MAX_ROWS}
                )
            sheets.setdefault(str(sheet.title).strip().lower(), rows)
        workbook.close()
    except ValidationError:
        raise
    except Exception as error:  # a broken file can fail in many places inside openpyxl
        raise unreadable from error
    return sheets


def _language_names() -> dict[str, str]:
    """Every way a language column may name one of ours → its code (lower case)."""
    names: dict[str, str] = {}
    for code in LANGUAGES:
        info = get_language_info(code)
        for name in (code, info["name"], info["name_local"], info["name_translated"]):
            names[str(name).strip().lower()] = code
    return names


def language_of(column_language: str) -> str | None:
    """The code of `English (en)`, `Latviešu (lv)`, `lv` or `Latvian`; None if not ours."""
    match = _CODE.search(column_language)
    if match:
        code = match.group("code").lower().replace("_", "-").split("-")[0]
        return code if code in LANGUAGES else None
    return _language_names().get(column_language.strip().lower())


class _Reader:
    def __init__(self, sheets: dict[str, list[tuple[int, dict[str, str]]]], file_name: str) -> None:
        self.sheets = sheets
        self.file_name = file_name
        self.found: list[RowProblem] = []
        self.default = settings.LANGUAGE_CODE.split("-")[0]
        self.languages: list[str] = []
        self.rows: list[int] = []  # the survey row of each question
        self.list_rows: dict[str, int] = {}
        self.whole: dict[str, int] = {}  # the settings that are whole numbers

    def problem(self, sheet: str, row: int, message: str) -> None:
        self.found.append(RowProblem(sheet, row, message))

    def texts(self, sheet: str, row: int, values: dict[str, str], name: str) -> dict[str, str]:
        found: dict[str, str] = {}
        for column, text in values.items():
            match = _COLUMN.match(column.strip().lower())
            if not match or match.group("field") != name or not text:
                continue
            language = match.group("language")
            code = self.default if language is None else language_of(column.split("::", 1)[1])
            if code is None:
                continue  # the column is reported once, with the column names
            found[code] = text
            if code not in self.languages:
                self.languages.append(code)
        return found

    def check_columns(self, sheet: str) -> None:
        columns = {column for _row, values in self.sheets.get(sheet, []) for column in values}
        for column in sorted(columns):
            field_name, _sep, language = column.partition("::")
            if (
                language
                and field_name.strip().lower() in ("label", "hint")
                and language_of(language) is None
            ):
                self.problem(
                    sheet,
                    1,
                    _("The column “%(column)s” is in a language the product does not speak.")
                    % {"column": column},
                )

    def settings(self) -> tuple[dict[str, str], str]:
        rows = self.sheets.get(SETTINGS, [])
        values = {key.strip().lower(): text for key, text in (rows[0][1] if rows else {}).items()}
        default = values.get("default_language", "")
        if default:
            code = language_of(default)
            if code is None:
                self.problem(
                    SETTINGS,
                    rows[0][0],
                    _("The default language “%(language)s” is not one the product speaks.")
                    % {"language": default},
                )
            else:
                self.default = code
        kind = values.get(KIND_SETTING, SurveyKind.OTHER)
        if kind not in SurveyKind.values:
            self.problem(
                SETTINGS, rows[0][0], _("Unknown kind of survey “%(kind)s”.") % {"kind": kind}
            )
            kind = SurveyKind.OTHER
        self.whole = {}
        for key in (MINUTES_SETTING, PER_PAGE_SETTING):
            text = values.get(key, "0")
            if not text.isdecimal() or len(text) > 4:
                self.problem(
                    SETTINGS,
                    rows[0][0],
                    _("“%(value)s” in %(column)s is not a whole number.")
                    % {"value": text, "column": key},
                )
            else:
                self.whole[key] = int(text)
        return values, kind

    def lists(self) -> dict[str, ListSpec]:
        lists: dict[str, ListSpec] = {}
        self.check_columns(CHOICES)
        for row, values in self.sheets.get(CHOICES, []):
            values = {key.strip().lower(): text for key, text in values.items()}
            list_name = values.get("list_name") or values.get("list name", "")
            value = values.get("name", "")
            if not list_name:
                self.problem(CHOICES, row, _("The choice has no list_name."))
                continue
            if list_name not in lists:
                lists[list_name] = ListSpec(list_name, [])
                self.list_rows[list_name] = row
            label = self.texts(CHOICES, row, values, "label")
            lists[list_name].choices.append(ChoiceSpec(value, label))
        return lists

    def question(
        self, row: int, values: dict[str, str], lists: dict[str, ListSpec]
    ) -> QuestionSpec | None:
        kind, *rest = values.get("type", "").split()
        kind = kind.lower()
        name = values.get("name", "")
        label = self.texts(SURVEY, row, values, "label")
        hint = self.texts(SURVEY, row, values, "hint")
        required_text = values.get("required", "").strip().lower()
        if required_text not in TRUE | FALSE:
            self.problem(
                SURVEY,
                row,
                _("“%(value)s” in required is not yes or no.") % {"value": values["required"]},
            )
        question = QuestionSpec(
            name=name, type="", label=label, hint=hint, required=required_text in TRUE
        )
        question.role = values.get(ROLE_COLUMN, "")
        relevant = values.get("relevant", "")
        try:
            question.relevant = conditions.write(conditions.parse(relevant))
        except conditions.ConditionError as error:
            self.problem(
                SURVEY,
                row,
                _("The condition “%(condition)s” is not supported: %(reason)s")
                % {"condition": relevant, "reason": error},
            )
        own = values.get(TYPE_COLUMN, "").lower()
        if kind in ("select_one", "select_multiple"):
            if len(rest) != 1:
                unsupported = " ".join(rest[1:]) or kind
                self.problem(
                    SURVEY,
                    row,
                    _("“%(type)s” is not supported: add an “other” choice and a text question.")
                    % {"type": unsupported}
                    if "or_other" in rest
                    else _("A %(type)s question names one choice list.") % {"type": kind},
                )
                return None
            list_name = rest[0]
            if list_name not in lists:
                self.problem(
                    SURVEY,
                    row,
                    _("The choice list “%(list)s” is not on the choices sheet.")
                    % {"list": list_name},
                )
                return None
            if not own and list_name.startswith(LIST_PREFIX):
                own = list_name.removeprefix(LIST_PREFIX)
            if kind == "select_one" and own in OWN_TYPES:
                question.type = own
            else:
                question.type = (
                    QuestionType.SINGLE if kind == "select_one" else QuestionType.MULTIPLE
                )
                question.list_name = list_name
        elif kind == "text":
            appearance = values.get("appearance", "").lower()
            long = "multiline" in appearance.split() or own == QuestionType.LONG_TEXT
            question.type = QuestionType.LONG_TEXT if long else QuestionType.SHORT_TEXT
        elif kind in ("integer", "decimal"):
            question.type = QuestionType.NUMBER
            if kind == "decimal":
                question.limits["decimal"] = True
        elif kind == "date":
            question.type = QuestionType.DATE
        elif kind == "note":
            question.type = QuestionType.NOTE
        else:
            self.problem(
                SURVEY,
                row,
                _("The question type “%(type)s” is not supported.") % {"type": values["type"]},
            )
            return None
        constraint = values.get("constraint", "")
        if constraint:
            self.constraint(row, question, constraint)
        return question

    def constraint(self, row: int, question: QuestionSpec, constraint: str) -> None:
        match = _CONSTRAINT.match(constraint.strip())
        if question.type != QuestionType.NUMBER or match is None:
            self.problem(
                SURVEY,
                row,
                _(
                    "The constraint “%(constraint)s” is not supported: only a lowest and highest "
                    "number, as “. >= 7 and . <= 30”."
                )
                % {"constraint": constraint},
            )
            return
        for index in (1, 2):
            op, value = match.group(f"op{index}"), match.group(f"value{index}")
            if op is None:
                continue
            number = float(value)
            question.limits["min" if op == ">=" else "max"] = (
                int(number) if number.is_integer() else number
            )

    def read(self) -> Reading:
        if SURVEY not in self.sheets:
            self.problem(SURVEY, 0, _("The workbook has no sheet named “survey”."))
            return Reading(None, self.found)
        values, kind = self.settings()
        lists = self.lists()
        self.check_columns(SURVEY)
        questions: list[QuestionSpec] = []
        groups: list[tuple[int, bool]] = []  # open groups: (row, has a condition)
        closed_with_condition = False
        for row, cells in self.sheets[SURVEY]:
            cells = {key.strip().lower() if "::" not in key else key: v for key, v in cells.items()}
            type_text = " ".join(cells.get("type", "").lower().split())
            if not type_text:
                self.problem(SURVEY, row, _("The row has no type."))
                continue
            if type_text in METADATA:
                continue
            if type_text in ("begin group", "begin_group"):
                conditioned = bool(cells.get("relevant"))
                if groups and (conditioned or any(flag for _r, flag in groups)):
                    self.problem(
                        SURVEY,
                        row,
                        _(
                            "A group inside a group with a condition cannot be flattened into "
                            "sections."
                        ),
                    )
                groups.append((row, conditioned))
                closed_with_condition = False
                section = QuestionSpec(
                    name=cells.get("name", ""),
                    type=QuestionType.SECTION,
                    label=self.texts(SURVEY, row, cells, "label"),
                    hint=self.texts(SURVEY, row, cells, "hint"),
                )
                try:
                    section.relevant = conditions.write(conditions.parse(cells.get("relevant", "")))
                except conditions.ConditionError as error:
                    self.problem(
                        SURVEY,
                        row,
                        _("The condition “%(condition)s” is not supported: %(reason)s")
                        % {"condition": cells.get("relevant", ""), "reason": error},
                    )
                questions.append(section)
                self.rows.append(row)
                continue
            if type_text in ("end group", "end_group"):
                if not groups:
                    self.problem(SURVEY, row, _("“end group” without a “begin group”."))
                else:
                    _start, conditioned = groups.pop()
                    closed_with_condition = conditioned and not groups
                continue
            if type_text.startswith(("begin repeat", "begin_repeat", "end repeat", "end_repeat")):
                self.problem(SURVEY, row, _("Repeated groups are not supported."))
                continue
            if closed_with_condition and not groups:
                self.problem(
                    SURVEY,
                    row,
                    _(
                        "A question after the end of a group with a condition would take that "
                        "condition: put it in a group of its own."
                    ),
                )
                closed_with_condition = False
            question = self.question(row, cells, lists)
            if question is not None:
                questions.append(question)
                self.rows.append(row)
        for row, _conditioned in groups:
            self.problem(SURVEY, row, _("The group is not ended with “end group”."))
        used = {question.list_name for question in questions if question.list_name}
        languages = [self.default] if self.default in self.languages else []
        languages += [code for code in self.languages if code not in languages]
        title_texts = {
            code: text
            for code, text in self.texts(
                SETTINGS,
                0,
                {
                    k.replace(TITLE_SETTING, "label").replace("form_title", "label"): v
                    for k, v in values.items()
                },
                "label",
            ).items()
        }
        if not title_texts and (values.get("form_id") or self.file_name):
            # as pyxform does: the form's id, else the file's name
            title_texts = {self.default: values.get("form_id") or self.file_name}
        spec = SurveySpec(
            kind=kind,
            title=title_texts,
            languages=languages or [self.default],
            questions=questions,
            lists=[choice_list for name, choice_list in lists.items() if name in used],
            minutes=self.whole.get(MINUTES_SETTING, 0),
            per_page=self.whole.get(PER_PAGE_SETTING, 0),
        )
        for problem in problems(spec):
            if problem.question is not None:
                self.problem(SURVEY, self.rows[problem.question], problem.message)
            elif problem.list_name:
                self.problem(CHOICES, self.list_rows.get(problem.list_name, 0), problem.message)
            else:
                self.problem(SETTINGS if SETTINGS in self.sheets else SURVEY, 0, problem.message)
        return Reading(spec, self.found)


def read(data: bytes, file_name: str = "") -> Reading:
    """The survey of an XLSForm workbook and every problem with where it is; WorkbookRefused
    when the file is not a workbook that can be read. The title is the settings' form_title,
    else its form_id, else the file's name without its extension."""
    stem = file_name.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0].strip()[:200]
    return _Reader(_sheets(data), stem).read()


def import_workbook(actor: User | None, node: Node, data: bytes, file_name: str = "") -> Survey:
    """A new survey at `node` from the workbook; ImportRefused (or WorkbookRefused) listing
    every problem, and nothing stored, when it has any."""
    reading = read(data, file_name)
    if reading.problems or reading.spec is None:
        raise ImportRefused(reading.problems)
    return services.create_survey(actor, node, reading.spec)


# Writing


def language_column(code: str) -> str:
    """`English (en)`, `Latviešu (lv)`: XLSForm's language name with its code."""
    return f"{get_language_info(code)['name_local']} ({code})"


def _scale_labels(kind: str, language: str) -> list[tuple[str, str]]:
    with translation.override(language):
        if kind == QuestionType.AGREEMENT:
            return [(str(point), str(text)) for point, text in enumerate(_AGREEMENT, start=1)]
        if kind == QuestionType.SMILEY:
            return [(str(point), str(text)) for point, text in enumerate(_SMILEY, start=1)]
        if kind == QuestionType.YES_NO:
            return [("yes", _("Yes")), ("no", _("No"))]
        low, high = SCALES[kind]
        return [(str(point), str(point)) for point in range(low, high + 1)]


def _number(value: object) -> str:
    return str(value)


def write(version: SurveyVersion) -> bytes:
    """The version as an XLSForm workbook (.xlsx)."""
    spec = spec_of(version)
    languages = spec.languages
    survey_columns = [
        "type",
        "name",
        *[f"label::{language_column(code)}" for code in languages],
        *[f"hint::{language_column(code)}" for code in languages],
        "required",
        "relevant",
        "constraint",
        "appearance",
        TYPE_COLUMN,
        ROLE_COLUMN,
    ]
    rows: list[list[str]] = []
    own_used: list[str] = []
    taken = {choice_list.name for choice_list in spec.lists}
    list_of: dict[str, str] = {}
    for own_type in OWN_TYPES:
        name = LIST_PREFIX + own_type
        while name in taken:
            name += "_"
        list_of[own_type] = name
    in_group = False
    for question in spec.questions:
        if question.type == QuestionType.SECTION:
            if in_group:
                rows.append(["end group"])
            in_group = True
        kind: str = question.type
        xls_type, own, appearance, constraint = "", "", "", ""
        if kind == QuestionType.SECTION:
            xls_type = "begin group"
        elif kind == QuestionType.SINGLE:
            xls_type = f"select_one {question.list_name}"
        elif kind == QuestionType.MULTIPLE:
            xls_type = f"select_multiple {question.list_name}"
        elif kind in OWN_TYPES:
            xls_type, own = f"select_one {list_of[kind]}", kind
            if kind not in own_used:
                own_used.append(kind)
        elif kind == QuestionType.NUMBER:
            xls_type = "decimal" if question.limits.get("decimal") else "integer"
            bounds = []
            if "min" in question.limits:
                bounds.append(f". >= {_number(question.limits['min'])}")
            if "max" in question.limits:
                bounds.append(f". <= {_number(question.limits['max'])}")
            constraint = " and ".join(bounds)
        elif kind == QuestionType.SHORT_TEXT:
            xls_type = "text"
        elif kind == QuestionType.LONG_TEXT:
            xls_type, appearance = "text", "multiline"
        elif kind == QuestionType.DATE:
            xls_type = "date"
        else:
            xls_type = "note"
        rows.append(
            [
                xls_type,
                question.name,
                *[question.label.get(code, "") for code in languages],
                *[question.hint.get(code, "") for code in languages],
                "yes" if question.required else "",
                question.relevant,
                constraint,
                appearance,
                own,
                question.role,
            ]
        )
    if in_group:
        rows.append(["end group"])

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SURVEY
    sheet.append(survey_columns)
    for line in rows:
        sheet.append(line)
    choices = workbook.create_sheet(CHOICES)
    choices.append(["list_name", "name", *[f"label::{language_column(c)}" for c in languages]])
    for choice_list in spec.lists:
        for choice in choice_list.choices:
            choices.append(
                [choice_list.name, choice.value, *[choice.label.get(c, "") for c in languages]]
            )
    for own_kind in own_used:
        labels = {code: _scale_labels(own_kind, code) for code in languages}
        for index, (value, _label) in enumerate(labels[languages[0]]):
            choices.append([list_of[own_kind], value, *[labels[c][index][1] for c in languages]])
    settings_sheet = workbook.create_sheet(SETTINGS)
    settings_sheet.append(
        [
            "form_id",
            "version",
            "default_language",
            "form_title",
            *[f"{TITLE_SETTING}::{language_column(c)}" for c in languages[1:]],
            KIND_SETTING,
            MINUTES_SETTING,
            PER_PAGE_SETTING,
        ]
    )
    settings_sheet.append(
        [
            f"impactlog_survey_{version.survey_id}",
            str(version.number),
            language_column(languages[0]),
            spec.title.get(languages[0], ""),
            *[spec.title.get(c, "") for c in languages[1:]],
            spec.kind,
            str(spec.minutes),
            str(spec.per_page),
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@service
def export_survey(actor: User | None, survey: Survey) -> tuple[SurveyVersion, bytes]:
    """The survey's current version as an XLSForm workbook; the download is audited. Its
    questions are not records: whoever sees the survey (a template shared from above
    included) may take them."""
    # re-read the object the caller named; authorize() decides
    survey = Survey.all_objects.select_related("node").get(pk=survey.pk)
    authorize(actor, Perm.VIEW_NODE, survey)
    version = services.current_version(survey)
    data = write(version)
    audit.record(
        actor,
        AuditAction.SURVEY_XLSFORM_EXPORTED,
        survey,
        node=survey.node,
        changes={"version": version.number},
    )
    return version, data


def rows_of(problems_found: list[RowProblem]) -> Iterator[RowProblem]:
    """The problems in the order of the workbook: sheet, then row."""
    order = {SETTINGS: 0, SURVEY: 1, CHOICES: 2}
    yield from sorted(problems_found, key=lambda p: (order.get(p.sheet, 3), p.row))
