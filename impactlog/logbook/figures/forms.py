"""The form of the figures page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impactlog.core.widgets import DateInput
from impactlog.logbook.figures.periods import PERIOD_KINDS, PROTECTED_KINDS, validate_reporting_day


class FiguresPeriodForm(forms.Form):
    """The period whose figures the page shows, compared with the same period a year earlier.

    People who see protected figures choose calendar periods only (`protected=True`)."""

    kind = forms.ChoiceField(label=_("Period"), choices=list(PERIOD_KINDS.items()))
    start = forms.DateField(
        label=_("Starting from"),
        validators=[validate_reporting_day],
        widget=DateInput(),
    )
    end = forms.DateField(
        label=_("Until (custom range)"),
        required=False,
        validators=[validate_reporting_day],
        widget=DateInput(),
    )

    def __init__(self, *args: Any, protected: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if protected:
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [(k, PERIOD_KINDS[k]) for k in PROTECTED_KINDS]
            self.fields["start"].label = _("A day in the period")
            del self.fields["end"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if cleaned.get("kind") == "custom":
            if not end:
                self.add_error("end", _("A custom range needs an end date."))
            elif start and end < start:
                self.add_error("end", _("The end date is before the start date."))
            elif start and (end - start) > dt.timedelta(days=3660):
                self.add_error("end", _("Choose a range of at most ten years."))
        return cleaned
