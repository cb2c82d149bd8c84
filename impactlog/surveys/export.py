"""The answers of a survey at one unit as a file: one row per response, and a codebook.

Only for the unit's own workers (surveys.answers at the unit), audited as
SURVEY_ANSWERS_EXPORTED; free texts are in it because only they may read them. Streamed row by
row with the logbook's exporters (logbook/io/exporters.py): the responses are read through a
database iterator, their answers a chunk at a time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from itertools import islice

from impactlog.logbook.io.exporters import Exporter, Sheet
from impactlog.logbook.io.exporters import Value as Cell
from impactlog.surveys.models import (
    NOT_ANSWERED,
    Answer,
    Choice,
    Question,
    Response,
    Survey,
    SurveyVersion,
    text_in,
)
from impactlog.tenancy import audit
from impactlog.tenancy.audit import AuditAction
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import authorize, service
from impactlog.tenancy.roles import Perm

RESPONSE_COLUMNS = ["response", "submitted_at", "language", "channel", "age_band", "gender"]


class AnswersExporter(Exporter):
    """One row per complete or partial response of one version at one unit; a multiple
    choice's values joined with spaces (as XLSForm writes them)."""

    name = "answers"
    chunk_size = 500

    def __init__(self, survey: Survey, version: SurveyVersion, unit: Node) -> None:
        self.survey = survey
        self.version = version
        self.unit = unit
        self.questions: list[Question] = [
            q for q in version.questions.all() if q.type not in NOT_ANSWERED
        ]

    def filename(self) -> str:
        return f"{self.unit.slug}-survey-{self.survey.pk}-v{self.version.number}-answers"

    def headers(self) -> list[str]:
        return [*RESPONSE_COLUMNS, "complete", *(q.name for q in self.questions)]

    def rows(self) -> Iterator[Sequence[Cell]]:
        found = (
            Response.objects.filter(survey=self.survey, version=self.version, node=self.unit)
            .order_by("submitted_at", "pk")
            .values_list(
                "pk", "submitted_at", "language", "channel", "age_band", "gender", "complete"
            )
            .iterator(chunk_size=self.chunk_size)
        )
        while chunk := list(islice(found, self.chunk_size)):
            values: dict[tuple[int, int], list[str]] = defaultdict(list)
            for response_id, question_id, text, number, day in (
                Answer.objects.filter(response_id__in=[row[0] for row in chunk])
                .order_by("pk")
                .values_list("response_id", "question_id", "text", "number", "day")
            ):
                value = (
                    day.isoformat()
                    if day
                    else (f"{number.normalize():f}" if number is not None else text)
                )
                values[(response_id, question_id)].append(value)
            for pk, submitted, language, channel, age_band, gender, complete in chunk:
                yield [
                    pk,
                    submitted.replace(tzinfo=None).isoformat(timespec="seconds"),
                    language,
                    channel,
                    age_band,
                    gender,
                    "yes" if complete else "no",
                    *(" ".join(values.get((pk, q.pk), [])) for q in self.questions),
                ]

    def codebook_rows(self) -> Iterator[Sequence[Cell]]:
        """Question name, type, text in each language, then a row per choice value."""
        choices: dict[int, list[Choice]] = defaultdict(list)
        for choice in Choice.objects.filter(choice_list__version=self.version).order_by(
            "choice_list_id", "position"
        ):
            choices[choice.choice_list_id].append(choice)
        languages = self.survey.languages or ["en"]
        for question in self.questions:
            yield [
                question.name,
                question.type,
                "",
                *(text_in(question.label, code) for code in languages),
            ]
            for choice in choices.get(question.choice_list_id or 0, []):
                yield [
                    question.name,
                    "choice",
                    choice.value,
                    *(text_in(choice.label, code) for code in languages),
                ]

    def codebook_headers(self) -> list[str]:
        return [
            "name",
            "type",
            "value",
            *(f"label_{code}" for code in self.survey.languages or ["en"]),
        ]

    def extra_sheets(self) -> list[Sheet]:
        return [("codebook", self.codebook_headers(), self.codebook_rows())]


class CodebookExporter(Exporter):
    """The codebook alone, for the CSV download (a CSV file holds one table)."""

    name = "codebook"

    def __init__(self, answers: AnswersExporter) -> None:
        self.answers = answers

    def filename(self) -> str:
        return self.answers.filename().replace("-answers", "-codebook")

    def headers(self) -> list[str]:
        return self.answers.codebook_headers()

    def rows(self) -> Iterator[Sequence[Cell]]:
        return self.answers.codebook_rows()


@service
def export_answers(actor: object, survey: Survey, unit: Node, file_format: str) -> None:
    """Authorise and audit a download of the unit's answers (the file is streamed after)."""
    authorize(actor, Perm.READ_ANSWERS, unit)
    audit.record(
        actor,  # type: ignore[arg-type]
        AuditAction.SURVEY_ANSWERS_EXPORTED,
        survey,
        node=unit,
        changes={"format": file_format},
    )


@service
def read_answers(actor: object, survey: Survey, unit: Node) -> None:
    """Authorise and audit reading the unit's free-text answers on the results page."""
    authorize(actor, Perm.READ_ANSWERS, unit)
    audit.record(actor, AuditAction.SURVEY_ANSWERS_READ, survey, node=unit)  # type: ignore[arg-type]
