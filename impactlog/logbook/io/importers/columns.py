"""The columns of the import template, what goes in each, and the template file itself.

A session's columns come from `fields.SESSION` (each field's `import_column`), with the
head-counts by gender and age band of the unit's network after how many came.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from django.utils.translation import gettext as _

from impactlog.logbook import fields as session_fields
from impactlog.logbook.io.exporters import Exporter, Sheet, Value, cell_columns
from impactlog.logbook.models import Activity, Gender, SessionMode
from impactlog.network.services import Band, bands_for
from impactlog.tenancy.models import Node

ACTIVITY = "activity"  # the name of one of the unit's activities; not a field of the session
HEAD = [f for f in session_fields.HEAD if f.import_column]
TAIL = [f for f in session_fields.TAIL if f.import_column]
REQUIRED_COLUMNS = [ACTIVITY, *(f.import_column or "" for f in HEAD + TAIL if f.import_required)]
# The numbers of a session that are never negative, beyond the head-counts and the total.
NUMBER_COLUMNS = [
    f.name
    for f in session_fields.IMPORTED
    if f.entered and f.kind == session_fields.COUNT and f.import_column
]
TOTAL = session_fields.BY_NAME["participants"].import_column or ""


def columns_for(bands: list[Band]) -> list[str]:
    """The columns of the template for a network's age bands, in order."""
    return [
        ACTIVITY,
        *(f.import_column or "" for f in HEAD),
        *(column for column, _g, _b in cell_columns(bands)),
        *(f.import_column or "" for f in TAIL),
    ]


# The column of the file that each field of `services.check`'s errors is about.
CHECK_COLUMNS = {
    **{f.name: f.import_column for f in session_fields.SESSION if f.import_column},
    "total": TOTAL,  # `SessionInput.total`: the participants without a breakdown
}


def column_help(network_bands: list[Band]) -> list[tuple[str, bool, str]]:
    """Every column of the template: its name, whether it is required, what goes in it."""
    genders, bands = dict(Gender.choices), dict(network_bands)
    modes = ", ".join(SessionMode.values)

    def described(fields: list[session_fields.SessionField]) -> list[tuple[str, bool, str]]:
        return [
            (f.import_column or "", f.import_required, str(f.import_help) % {"modes": modes})
            for f in fields
        ]

    cells = [
        (
            column,
            False,
            _("Participants: %(gender)s, %(band)s.")
            % {"gender": genders[gender], "band": bands[band]},
        )
        for column, gender, band in cell_columns(network_bands)
    ]
    activity = _("The name of one of this unit's activities, as the logbook has it.")
    return [(ACTIVITY, True, activity), *described(HEAD), *cells, *described(TAIL)]


class ImportTemplate(Exporter):
    """The empty file to fill in, with the columns explained on a second sheet (XLSX)."""

    name = "sessions"

    def __init__(self, unit: Node) -> None:
        self.unit = unit

    def headers(self) -> list[str]:
        return columns_for(bands_for(self.unit))

    def rows(self) -> Iterator[Sequence[Value]]:
        return iter(())

    def filename(self) -> str:
        return f"{self.unit.slug}-import-template"

    def extra_sheets(self) -> list[Sheet]:
        yes, no = _("yes"), _("no")
        columns = [
            (name, yes if required else no, text)
            for name, required, text in column_help(bands_for(self.unit))
        ]
        activities = [
            (activity.name, activity.get_kind_display())
            for activity in Activity.objects.filter(node=self.unit).order_by("name")
        ]
        return [
            ("columns", [_("Column"), _("Required"), _("What to write")], columns),
            ("activities", [_("Activity"), _("Kind")], activities),
        ]
