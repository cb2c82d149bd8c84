from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impactlog.logbook.models import Activity, Gender, Session, SessionMode
from impactlog.logbook.periods import PERIOD_KINDS
from impactlog.logbook.services import PLAUSIBLE_PARTICIPANTS, Cell, SessionInput, check
from impactlog.network.models import AgeBand, ReflectionQuestion, Tag
from impactlog.network.services import Band, default_bands, tag_label

COUNT_WIDGET = {"inputmode": "numeric", "min": "0", "class": "count"}


def cell_name(gender: str, band: str) -> str:
    return f"c_{gender}_{band}"


class ActivityForm(forms.ModelForm[Activity]):
    # Declared here so that the form never builds a queryset of tenant rows at import time;
    # the view passes the network's vocabulary.
    tags = forms.ModelMultipleChoiceField(
        label=_("topics and goals"),
        queryset=Tag.all_objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Activity
        fields = [
            "name",
            "kind",
            "target_group",
            "opening_hours",
            "youth_led",
            "responsible",
            "tags",
        ]
        widgets = {
            "responsible": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, people: QuerySet[Any], tags: QuerySet[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people
        tag_field = self.fields["tags"]
        assert isinstance(tag_field, forms.ModelMultipleChoiceField)
        tag_field.queryset = tags
        tag_field.label_from_instance = tag_label  # type: ignore[method-assign,assignment]


class SessionForm(forms.Form):
    """One screen for one session: when, who came, and the rest folded away."""

    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.all_objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(label=_("Start"), widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(
        label=_("End"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    minutes = forms.IntegerField(
        label=_("or duration in minutes"), required=False, min_value=1, max_value=24 * 60
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=SessionMode.choices)
    place = forms.CharField(label=_("Location"), required=False, max_length=200)
    breakdown_unknown = forms.BooleanField(
        label=_("I only know the total"),
        required=False,
        help_text=_("Reported as “breakdown not known”."),
    )
    total = forms.IntegerField(label=_("Total participants"), required=False, min_value=0)
    youth_produced = forms.BooleanField(label=_("Produced by young people"), required=False)
    youth_producers = forms.IntegerField(label=_("Youth producers"), min_value=0, initial=0)
    youth_minutes = forms.IntegerField(label=_("Youth-produced minutes"), min_value=0, initial=0)
    staff = forms.IntegerField(label=_("Staff present"), min_value=0, initial=0)
    staff_minutes = forms.IntegerField(label=_("Staff minutes in all"), min_value=0, initial=0)
    volunteers = forms.IntegerField(label=_("Volunteers present"), min_value=0, initial=0)
    volunteer_minutes = forms.IntegerField(
        label=_("Volunteer minutes in all"), min_value=0, initial=0
    )
    costs = forms.DecimalField(
        label=_("Costs"), required=False, min_value=0, max_digits=10, decimal_places=2
    )
    online_live = forms.IntegerField(
        label=_("Live online participants"), required=False, min_value=0
    )
    online_views = forms.IntegerField(label=_("Later views"), required=False, min_value=0)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    confirm_large = forms.BooleanField(label=_("Yes, these numbers are right"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        activities: QuerySet[Activity],
        questions: list[ReflectionQuestion] | None = None,
        limit: int = PLAUSIBLE_PARTICIPANTS,
        bands: list[Band] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.bands = bands or default_bands()
        self.questions = questions or []
        for question in self.questions:
            self.fields[f"r_{question.pk}"] = forms.CharField(
                label=question.text,
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = activities
        for gender in Gender:
            for band, band_label in self.bands:
                self.fields[cell_name(gender, band)] = forms.IntegerField(
                    label=f"{gender.label}, {band_label}",
                    min_value=0,
                    max_value=100000,
                    initial=0,
                    required=False,
                    widget=forms.NumberInput(attrs=COUNT_WIDGET),
                )

    def reflection_fields(self) -> list[forms.BoundField]:
        return [self[f"r_{question.pk}"] for question in self.questions]

    def grid(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The count fields as rows of age bands, columns of genders."""
        return [(label, [self[cell_name(g, band)] for g in Gender]) for band, label in self.bands]

    def genders(self) -> list[str]:
        return [str(gender.label) for gender in Gender]

    def counts(self) -> dict[Cell, int]:
        return {
            (gender.value, band): self.cleaned_data.get(cell_name(gender, band)) or 0
            for gender in Gender
            for band, _label in self.bands
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("breakdown_unknown") and cleaned.get("total") is None:
            self.add_error("total", _("Give the total, or untick “I only know the total”."))
        if cleaned.get("date") and cleaned.get("start_time"):
            # The service's own checks, so that every problem shows at once.
            try:
                check(
                    self.to_input(),
                    today=timezone.localdate(),
                    confirm_large=bool(cleaned.get("confirm_large")),
                    limit=self.limit,
                    bands={key for key, _label in self.bands},
                )
            except ValidationError as error:
                for name, messages in error.message_dict.items():
                    target = name if name in self.fields else None
                    for message in messages:
                        if message not in self.errors.get(name or "__all__", []):
                            self.add_error(target, message)
        return cleaned

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        unknown = bool(data.get("breakdown_unknown"))
        return SessionInput(
            date=data["date"],
            start_time=data["start_time"],
            end_time=data.get("end_time"),
            minutes=data.get("minutes"),
            mode=data["mode"],
            place=data.get("place") or "",
            counts={} if unknown else self.counts(),
            total=data.get("total") if unknown else None,
            youth_produced=bool(data.get("youth_produced")),
            youth_producers=data.get("youth_producers") or 0,
            youth_minutes=data.get("youth_minutes") or 0,
            staff=data.get("staff") or 0,
            staff_minutes=data.get("staff_minutes") or 0,
            volunteers=data.get("volunteers") or 0,
            volunteer_minutes=data.get("volunteer_minutes") or 0,
            costs=data.get("costs"),
            online_live=data.get("online_live"),
            online_views=data.get("online_views"),
            notes=data.get("notes") or "",
            reflections={q.pk: data.get(f"r_{q.pk}") or "" for q in self.questions},
        )


def initial_from(session: Session, *, same_shape_only: bool) -> dict[str, Any]:
    """Form values from a recorded session: all of it to edit it, or its shape (times, counts,
    inputs; today's date) to record the next one "the same as last time"."""
    values: dict[str, Any] = {
        "activity": session.activity_id,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "minutes": None if session.end_time else session.minutes,
        "mode": session.mode,
        "place": session.place,
        "breakdown_unknown": not session.breakdown_known,
        "total": None if session.breakdown_known else session.participants,
        "youth_produced": session.youth_produced,
        "youth_producers": session.youth_producers,
        "youth_minutes": session.youth_minutes,
        "staff": session.staff,
        "staff_minutes": session.staff_minutes,
        "volunteers": session.volunteers,
        "volunteer_minutes": session.volunteer_minutes,
        "costs": session.costs,
        "online_live": session.online_live,
        "online_views": session.online_views,
    }
    for count in session.counts.all():
        values[cell_name(count.gender, count.age_band)] = count.count
    if not same_shape_only:
        for answer in session.reflections.all():
            values[f"r_{answer.question_id}"] = answer.text
    if same_shape_only:
        values["date"] = timezone.localdate()
    else:
        values.update(date=session.date, notes=session.notes, version=session.version)
    return values


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Period"), choices=list(PERIOD_KINDS.items()))
    start = forms.DateField(
        label=_("Starting from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("Until (custom range)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

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


class WeekDayForm(forms.Form):
    """One day of the week grid: held or not, times, and visitors by gender."""

    held = forms.BooleanField(label=_("Held"), required=False)
    date = forms.DateField(widget=forms.HiddenInput)
    start_time = forms.TimeField(
        label=_("Start"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("End"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for gender in Gender:
            self.fields[gender.value] = forms.IntegerField(
                label=gender.label,
                min_value=0,
                max_value=100000,
                required=False,
                widget=forms.NumberInput(
                    attrs={"inputmode": "numeric", "min": "0", "class": "count"}
                ),
            )

    def gender_fields(self) -> list[forms.BoundField]:
        return [self[gender.value] for gender in Gender]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("held") and not cleaned.get("start_time"):
            self.add_error("start_time", _("Give the start time of a session that was held."))
        return cleaned

    def to_input(self) -> SessionInput:
        data = self.cleaned_data
        return SessionInput(
            date=data["date"],
            start_time=data["start_time"],
            end_time=data.get("end_time"),
            counts={
                (gender.value, AgeBand.UNKNOWN.value): data.get(gender.value) or 0
                for gender in Gender
            },
        )


WeekFormSet = forms.formset_factory(WeekDayForm, extra=0, min_num=7, max_num=7)
