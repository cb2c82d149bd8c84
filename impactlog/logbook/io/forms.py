"""The forms of the downloads and of the import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from impactlog.core.widgets import DateInput
from impactlog.logbook.figures.periods import (
    PERIOD_KINDS,
    PROTECTED_KINDS,
    Period,
    period_of,
    validate_reporting_day,
)
from impactlog.logbook.io.importers import applying, reading
from impactlog.network.services import Band


class ExportPeriodForm(forms.Form):
    """The period of a download. Nothing given means this year."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Period"),
        choices=list(PERIOD_KINDS.items()),
        required=False,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label=gettext_lazy("A day in the period, or its first day"),
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[validate_reporting_day],
        widget=DateInput(),
    )
    end = forms.DateField(
        label=gettext_lazy("Last day (custom range only)"),
        required=False,
        input_formats=["%Y-%m-%d"],
        validators=[validate_reporting_day],
        widget=DateInput(),
    )

    def __init__(self, *args: Any, today: dt.date, protected: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"kind": "year", "start": today})
        super().__init__(*args, **kwargs)
        self.today = today
        if protected:  # calendar periods only: see figures.periods.PROTECTED_KINDS
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [(k, PERIOD_KINDS[k]) for k in PROTECTED_KINDS]
            self.fields["start"].label = gettext_lazy("A day in the period")
            del self.fields["end"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind, start, end = data.get("kind") or "year", data.get("start"), data.get("end")
        if self.errors:
            return data
        if kind == "custom":
            if start is None or end is None:
                raise ValidationError(_("A custom range needs its first and its last day."))
            if end < start:
                raise ValidationError(_("The last day is before the first day."))
            data["period"] = Period("custom", start, end)
        else:
            data["period"] = period_of(kind, start or self.today)
        return data


class ImportUploadForm(forms.Form):
    """The file to import, and whether unusually large sessions are right."""

    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV or XLSX file with the template's columns, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    confirm_large = forms.BooleanField(required=False)

    def __init__(self, *args: Any, limit: int, bands: list[Band], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.bands = bands
        self.too_large = False
        self.inline_max_bytes = reading.MAX_BYTES  # above this, a job reads the file
        self.table: reading.Table | None = None
        self.fields["confirm_large"].label = _(
            "Sessions with more than %(count)s participants are right; import them as they are"
        ) % {"count": limit}

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > reading.MAX_BYTES:
            self.too_large = True
            raise ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": reading.MAX_BYTES // (1024 * 1024)}
            )
        self.name: str = upload.name
        self.content: bytes = upload.read()
        if not self.content:
            raise ValidationError(_("The file is empty."))
        if reading.extension_of(upload.name) not in reading.READERS:
            raise ValidationError(_("Upload a CSV or XLSX file."))
        try:
            if len(self.content) > self.inline_max_bytes:
                # Read by a job, which refuses what else cannot be used.
                reading.check_limits(upload.name, self.content)
            else:
                self.table = reading.read_table(upload.name, self.content, self.bands)
        except reading.TooLarge:
            self.too_large = True
            raise
        return upload


class ConfirmImportForm(forms.Form):
    skip_bad_rows = forms.BooleanField(
        label=gettext_lazy("Import the good rows and skip the rows with problems"),
        required=False,
    )

    def __init__(self, *args: Any, summary: applying.Summary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.summary = summary
        if not summary.bad:
            del self.fields["skip_bad_rows"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.summary.new:
            raise ValidationError(_("There is nothing new to import in this file."))
        if self.summary.bad and not data.get("skip_bad_rows"):
            raise ValidationError(
                _(
                    "Some rows have problems. Correct the file and upload it again, or choose "
                    "to skip those rows."
                )
            )
        return data
