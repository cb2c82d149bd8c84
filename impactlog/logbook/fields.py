"""What a session holds, declared once.

Every list of a session's fields is taken from `SESSION`: the services (what a save writes and
what the audit trail snapshots), the entry form's fields, the import template's columns and the
parsing of its rows, and the sessions export's columns. A new field of `Session` is added to the
model and here, and nowhere else. What kind of value a field holds comes from the model.

The head-counts by gender and age band are not fields of `Session` (they are `SessionCount`
rows); the import template and the sessions export place their columns right after the
`COUNTS_AFTER` field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from impactlog.logbook.models import Session

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE, TIME, DURATION, CHOICE, TEXT, LONG_TEXT, FLAG, COUNT, MONEY = (
    "date",
    "time",
    "duration",
    "choice",
    "text",
    "long_text",
    "flag",
    "count",
    "money",
)
_KINDS: list[tuple[type[models.Field[Any, Any]], str]] = [
    (models.DateField, DATE),
    (models.TimeField, TIME),
    (models.BooleanField, FLAG),
    (models.PositiveIntegerField, COUNT),
    (models.DecimalField, MONEY),
    (models.TextField, LONG_TEXT),
    (models.CharField, TEXT),
]


@dataclass(frozen=True)
class SessionField:
    """One field of `Session` and where it appears.

    `label` is the entry form's label (None: the form does not ask for it as itself).
    `entered`: `SessionInput` has an attribute of the same name, saved as it is.
    `copied`: "Same as last time" copies it into the next session.
    `import_column`: its column in the import template (None: not imported);
    `import_derived`: the import sets it without a column of its own.
    `export_column`: its column in the sessions export (default: its name).
    """

    name: str
    label: StrOrPromise | None = None
    entered: bool = True
    copied: bool = True
    import_column: str | None = None
    import_required: bool = False
    import_derived: bool = False
    import_help: StrOrPromise | None = None
    export_column: str = ""
    duration: bool = False  # a number of minutes a person enters instead of the end time

    @cached_property  # read per row by the import and the checks: computed once
    def model_field(self) -> models.Field[Any, Any]:
        field = Session._meta.get_field(self.name)
        assert isinstance(field, models.Field)
        return field

    @cached_property
    def kind(self) -> str:
        if self.duration:
            return DURATION
        if self.model_field.choices:
            return CHOICE
        for field_class, kind in _KINDS:
            if isinstance(self.model_field, field_class):
                return kind
        raise TypeError(self.name)

    @property
    def null(self) -> bool:
        return bool(self.model_field.null)

    @property
    def column(self) -> str:
        return self.export_column or self.name

    @property
    def imported(self) -> bool:
        """Whether the import sets this field (from its column or from others)."""
        return self.import_column is not None or self.import_derived

    def clean(self, value: Any) -> Any:
        """An entered value as the session stores it: text never None, counts 0 when empty."""
        kind = self.kind
        if kind in (TEXT, LONG_TEXT):
            return value or ""
        if kind == FLAG:
            return bool(value)
        if kind == CHOICE:
            return value or self.model_field.default
        if kind == COUNT and not self.null:
            return value or 0
        return value


SESSION: tuple[SessionField, ...] = (
    SessionField(
        "date",
        label=_("Date"),
        copied=False,
        import_column="date",
        import_required=True,
        import_help=_("The day of the session: YYYY-MM-DD (2025-03-14) or DD.MM.YYYY."),
    ),
    SessionField(
        "start_time",
        label=_("Start"),
        import_column="start",
        import_required=True,
        import_help=_("When it began: HH:MM, for example 15:30."),
        export_column="start",
    ),
    SessionField(
        "end_time",
        label=_("End"),
        import_column="end",
        import_help=_("When it ended: HH:MM. Leave it empty to give the minutes instead."),
        export_column="end",
    ),
    SessionField(
        "minutes",
        label=_("or duration in minutes"),
        duration=True,
        import_column="minutes",
        import_help=_("The length in minutes, when there is no end time."),
    ),
    SessionField(
        "mode",
        label=_("Mode"),
        import_column="mode",
        import_help=_("How it took place: %(modes)s. Empty means on site."),
    ),
    SessionField("place", label=_("Location")),
    # How many came: a total, or the sum of the head-counts when the breakdown is known.
    SessionField(
        "participants",
        entered=False,
        import_column="participants_total",
        import_help=_("A single total, only when the numbers by gender and age are not known."),
    ),
    SessionField("breakdown_known", entered=False, import_derived=True),
    SessionField("youth_produced", label=_("Produced by young people"), import_derived=True),
    SessionField(
        "youth_producers",
        label=_("Youth producers"),
        import_column="youth_producers",
        import_help=_("How many young people produced the session."),
    ),
    SessionField(
        "youth_minutes",
        label=_("Youth-produced minutes"),
        import_column="youth_minutes",
        import_help=_("Minutes of the session that young people produced."),
    ),
    SessionField(
        "staff",
        label=_("Staff present"),
        import_column="staff",
        import_help=_("Staff present."),
    ),
    SessionField(
        "staff_minutes",
        label=_("Staff minutes in all"),
        import_column="staff_minutes",
        import_help=_("Minutes worked by the staff, added up."),
    ),
    SessionField(
        "volunteers",
        label=_("Volunteers present"),
        import_column="volunteers",
        import_help=_("Volunteers present."),
    ),
    SessionField(
        "volunteer_minutes",
        label=_("Volunteer minutes in all"),
        import_column="volunteer_minutes",
        import_help=_("Minutes given by the volunteers, added up."),
    ),
    SessionField("costs", label=_("Costs")),
    SessionField("online_live", label=_("Live online participants")),
    SessionField("online_views", label=_("Later views")),
    SessionField(
        "notes",
        label=_("Notes"),
        copied=False,
        import_column="notes",
        import_help=_("Free notes."),
    ),
)

# The head-counts' columns follow this field in files and exports.
COUNTS_AFTER = "breakdown_known"
_SPLIT = [f.name for f in SESSION].index(COUNTS_AFTER) + 1
HEAD, TAIL = SESSION[:_SPLIT], SESSION[_SPLIT:]

NAMES = [f.name for f in SESSION]
ENTERED = [f for f in SESSION if f.entered]
IMPORTED = [f for f in SESSION if f.imported]
BY_NAME = {f.name: f for f in SESSION}
