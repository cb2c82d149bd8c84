"""The forms of the logbook's pages: activities, the session entry, the week grid, files."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impactlog.core.converters import IdConverter
from impactlog.core.widgets import DateInput, TimeInput
from impactlog.logbook import fields as session_fields
from impactlog.logbook.fields import SessionField
from impactlog.logbook.files import ACCEPT
from impactlog.logbook.models import Activity, Gender, Session
from impactlog.logbook.services import PLAUSIBLE_PARTICIPANTS, Cell, SessionInput, check
from impactlog.network.models import AgeBand, ReflectionQuestion, Tag
from impactlog.network.services import Band, default_bands, tag_label

# A text box with the phone's number pad: a number box's spinner and scroll-wheel changes get
# in the way of counting, and its `pattern` is ignored.
COUNT_WIDGET = {
    "inputmode": "numeric",
    "pattern": "[0-9]*",
    "autocomplete": "off",
    "class": "count",
}


def cell_name(gender: str, band: str) -> str:
    return f"c_{gender}_{band}"


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A choice of several rows by their ids, refusing a value that is no id before it reaches
    the database (where a number too big for a 64-bit column fails instead of not matching)."""

    def clean(self, value: Any) -> Any:
        for pk in value if isinstance(value, list | tuple) else []:
            if isinstance(pk, str) and not re.fullmatch(IdConverter.regex, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super().clean(value)


class ActivityForm(forms.ModelForm[Activity]):
    # Declared here so that the form never builds a queryset of tenant rows at import time;
    # the view passes the network's vocabulary.
    tags = IdsChoiceField(
        label=_("topics and goals"),
        # a form's empty queryset, set by the view
        queryset=Tag.all_objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The network's age bands, set by the view.
    usual_age_bands = forms.MultipleChoiceField(
        label=_("usual age bands"),
        choices=[],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=Activity._meta.get_field("usual_age_bands").help_text,
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
            "usual_age_bands",
        ]
        widgets = {
            "responsible": forms.CheckboxSelectMultiple,
        }
        field_classes = {"responsible": IdsChoiceField}

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Any],
        tags: QuerySet[Any],
        bands: list[Band] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        band_field = self.fields["usual_age_bands"]
        assert isinstance(band_field, forms.MultipleChoiceField)
        band_field.choices = bands or default_bands()
        field = self.fields["responsible"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = people
        tag_field = self.fields["tags"]
        assert isinstance(tag_field, forms.ModelMultipleChoiceField)
        tag_field.queryset = tags
        tag_field.label_from_instance = tag_label  # type: ignore[method-assign,assignment]


# The session's fields a person enters on the form, as `fields.SESSION` declares them.
ENTRY_FIELDS = [f for f in session_fields.ENTERED if f.label is not None]


def entry_field(declared: SessionField) -> forms.Field:
    """The form field for one declared field of a session, after the model's field."""
    model_field = declared.model_field
    kind, label, required = declared.kind, declared.label, not model_field.blank
    if kind == session_fields.DATE:
        return forms.DateField(label=label, widget=DateInput())
    if kind == session_fields.TIME:
        return forms.TimeField(label=label, required=required, widget=TimeInput())
    if kind == session_fields.DURATION:
        return forms.IntegerField(label=label, required=False, min_value=1, max_value=24 * 60)
    if kind == session_fields.CHOICE:
        return forms.ChoiceField(label=label, choices=model_field.choices or [])
    if kind == session_fields.TEXT:
        return forms.CharField(label=label, required=required, max_length=model_field.max_length)
    if kind == session_fields.LONG_TEXT:
        return forms.CharField(
            label=label, required=required, widget=forms.Textarea(attrs={"rows": 3})
        )
    if kind == session_fields.FLAG:
        return forms.BooleanField(label=label, required=False)
    if kind == session_fields.COUNT:
        if declared.null:
            return forms.IntegerField(label=label, required=False, min_value=0)
        return forms.IntegerField(label=label, min_value=0, initial=0)
    if kind == session_fields.MONEY:
        assert isinstance(model_field, models.DecimalField)
        return forms.DecimalField(
            label=label,
            required=required,
            min_value=0,
            max_digits=model_field.max_digits,
            decimal_places=model_field.decimal_places,
        )
    raise TypeError(kind)


def _field_order() -> list[str]:
    """The entry form's fields in the order of the declaration, the total where "participants"
    stands."""
    names = ["activity"]
    for declared in session_fields.SESSION:
        if declared.name == "participants":
            names += ["breakdown_unknown", "total"]
        elif declared in ENTRY_FIELDS:
            names.append(declared.name)
    return [*names, "confirm_large", "version"]


FIELD_ORDER = _field_order()


class SessionForm(forms.Form):
    """One screen for one session: when, who came, and the rest folded away."""

    # a form's empty queryset, set by the view
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=Activity.all_objects.none())
    # The session's own fields come from `fields.SESSION` (see `entry_field`); how many came
    # is asked as the head-counts, or as a total when the breakdown is not known.
    breakdown_unknown = forms.BooleanField(
        label=_("I only know the total"),
        required=False,
        help_text=_("Reported as “breakdown not known”."),
    )
    total = forms.IntegerField(label=_("Total participants"), required=False, min_value=0)
    confirm_large = forms.BooleanField(label=_("Yes, these numbers are right"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        activities: QuerySet[Activity],
        questions: list[ReflectionQuestion] | None = None,
        limit: int = PLAUSIBLE_PARTICIPANTS,
        bands: list[Band] | None = None,
        usual: dict[int, list[str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.limit = limit
        # The age bands each activity shows first (see figures.queries.usual_bands).
        self.usual = usual or {}
        self.bands = bands or default_bands()
        self.questions = questions or []
        for declared in ENTRY_FIELDS:
            self.fields[declared.name] = entry_field(declared)
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
                    widget=forms.TextInput(attrs=COUNT_WIDGET),
                )
        self.order_fields(FIELD_ORDER)

    def reflection_fields(self) -> list[forms.BoundField]:
        return [self[f"r_{question.pk}"] for question in self.questions]

    def grid(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The count fields as rows of age bands (key, label, cells), columns of genders."""
        return [
            (band, label, [self[cell_name(g, band)] for g in Gender]) for band, label in self.bands
        ]

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
            **{f.name: f.clean(data.get(f.name)) for f in ENTRY_FIELDS},
            counts={} if unknown else self.counts(),
            total=data.get("total") if unknown else None,
            reflections={q.pk: data.get(f"r_{q.pk}") or "" for q in self.questions},
        )


def initial_from(session: Session, *, same_shape_only: bool) -> dict[str, Any]:
    """Form values from a recorded session: all of it to edit it, or its shape (times, counts,
    inputs; today's date) to record the next one "the same as last time"."""
    values: dict[str, Any] = {"activity": session.activity_id}
    for declared in ENTRY_FIELDS:
        if declared.copied or not same_shape_only:
            values[declared.name] = getattr(session, declared.name)
    values["minutes"] = None if session.end_time else session.minutes
    values["breakdown_unknown"] = not session.breakdown_known
    values["total"] = None if session.breakdown_known else session.participants
    for count in session.counts.all():
        values[cell_name(count.gender, count.age_band)] = count.count
    if same_shape_only:
        values["date"] = timezone.localdate()
    else:
        for answer in session.reflections.all():
            values[f"r_{answer.question_id}"] = answer.text
        values["version"] = session.version
    return values


class WeekDayForm(forms.Form):
    """One day of the week grid: held or not, times, and visitors by gender."""

    held = forms.BooleanField(label=_("Held"), required=False)
    date = forms.DateField(widget=forms.HiddenInput)
    start_time = forms.TimeField(label=_("Start"), required=False, widget=TimeInput())
    end_time = forms.TimeField(label=_("End"), required=False, widget=TimeInput())

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


class SessionFileUploadForm(forms.Form):
    """A photo or document of a session, with its description and the publication consent."""

    file = forms.FileField(
        label=_("Photo or document"),
        help_text=_("A JPEG, PNG or WebP photo, or a PDF document, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={
            "required": _("Choose a photo or a document to upload."),
            "empty": _("The file is empty."),
        },
    )
    alt_text = forms.CharField(
        label=_("Description (alt text)"),
        max_length=300,
        required=False,
        help_text=_("What the photo shows, for people who cannot see it. Needed for every photo."),
    )
    publication_consent = forms.BooleanField(
        label=_("Consent to publish"),
        required=False,
        initial=False,
        help_text=_(
            "Publication requires the consent of everyone recognisable in it (or of their "
            "guardians). Tick only if you have it; without the tick the file is never published."
        ),
    )
