"""Forms of the registry: a young person's record, a consent, the organisation's settings and
its privacy notice. Messages in the reader's language; the services check everything again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from impactlog.core.widgets import DateInput
from impactlog.participants import consent as rules
from impactlog.participants import services
from impactlog.participants.models import (
    ConsentKind,
    Gender,
    GivenBy,
    HomeArea,
    Method,
    ParticipantSettings,
    Status,
)

# Languages a young person may speak, beyond the interface's: the neighbours' and the largest
# groups of newcomers in the network's countries.
SPOKEN = ["en", "lv", "lt", "et", "sl", "sv", "fi", "ru", "uk", "pl", "de", "ar"]


def _spoken_choices() -> list[tuple[str, str]]:
    names = dict(ALL_LANGUAGES)
    return [(code, gettext(names[code])) for code in SPOKEN]


class ParticipantForm(forms.Form):
    alias = forms.CharField(
        label=_("Alias"),
        max_length=60,
        help_text=_(
            "A name the young person chooses, not their real name. Unique in the organisation."
        ),
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"), widget=forms.NumberInput(attrs={"inputmode": "numeric"})
    )
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"), coerce=int, choices=[("", "—"), *MONTHS.items()]
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices, widget=forms.RadioSelect)
    gender_text = forms.CharField(
        label=_("Gender in their own words"),
        max_length=60,
        required=False,
        help_text=_("Only when “Self-described” is chosen."),
    )
    home_area = forms.ModelChoiceField(
        label=_("Home area"),
        # empty until __init__ sets the organisation's areas (scoped)
        queryset=HomeArea.all_objects.none(),
        required=False,
    )
    status = forms.ChoiceField(label=_("School or work"), choices=Status.choices)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.CheckboxSelectMultiple
    )
    real_name = forms.CharField(label=_("Real name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail address"), required=False)
    phone = forms.CharField(label=_("Phone number"), max_length=40, required=False)
    guardian_email = forms.EmailField(
        label=_("A parent's or guardian's e-mail address"),
        required=False,
        help_text=_(
            "Optional. Under 18, the parent or guardian receives one e-mail about the "
            "registration: who made it, what is kept and how to withdraw."
        ),
    )

    def __init__(
        self,
        *args: Any,
        keeps: ParticipantSettings,
        areas: Any,
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        area_field = self.fields["home_area"]
        assert isinstance(area_field, forms.ModelChoiceField)
        area_field.queryset = areas
        spoken = self.fields["languages"]
        assert isinstance(spoken, forms.MultipleChoiceField)
        spoken.choices = _spoken_choices()
        self.fields["birth_year"].widget.attrs.update(min=today.year - rules.OLDEST, max=today.year)
        for field, switch in services.IDENTITY_FIELDS.items():
            if not getattr(keeps, switch):
                del self.fields[field]  # off unless the organisation turns it on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, month = data.get("birth_year"), data.get("birth_month")
        if year is not None and month:
            try:
                rules.check_birth(year, month, self.today)
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    for message in errors:
                        self.add_error(name, message)
        return data

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for field in services.IDENTITY_FIELDS:
            data.setdefault(field, "")
        return data


class ConsentForm(forms.Form):
    given_by = forms.ChoiceField(
        label=_("Who consented"), choices=GivenBy.choices, widget=forms.RadioSelect
    )
    method = forms.ChoiceField(label=_("How"), choices=Method.choices, initial=Method.WORKER)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput())

    def __init__(self, *args: Any, with_kind: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_on"].initial = timezone.localdate()
        if with_kind:
            self.fields = {
                "kind": forms.ChoiceField(
                    label=_("Consent to"), choices=ConsentKind.choices, widget=forms.RadioSelect
                ),
                **self.fields,
            }

    def given(self) -> services.GivenConsent:
        return given_from(self.cleaned_data)


def given_from(data: dict[str, Any]) -> services.GivenConsent:
    """The consent a form describes: given today means now; an earlier day, at its noon (a
    later day is refused by the service)."""
    day: dt.date = data["given_on"]
    now = timezone.localtime()
    at = now if day == now.date() else timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    return services.GivenConsent(given_by=data["given_by"], method=data["method"], given_at=at)


class RegisterForm(ParticipantForm):
    """A young person's record and the registration consent, in one form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        consent = ConsentForm()
        for name, field in consent.fields.items():
            self.fields[name] = field

    def given(self) -> services.GivenConsent:
        return given_from(self.cleaned_data)

    def values(self) -> dict[str, Any]:
        data = super().values()
        for name in ("given_by", "method", "given_on"):
            data.pop(name, None)
        return data


class SettingsForm(forms.ModelForm[ParticipantSettings]):
    new_areas = forms.CharField(
        label=_("Add home areas"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One area per line: a neighbourhood, a village or a part of town."),
    )

    class Meta:
        model = ParticipantSettings
        fields = ["ask_real_name", "ask_email", "ask_phone", "deduplicate", "retention_months"]

    def areas(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["new_areas"].splitlines() if line.strip()
        ]


class NoticeForm(forms.Form):
    def __init__(self, *args: Any, current: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, name in settings.LANGUAGES:
            self.fields[code] = forms.CharField(
                label=name,
                required=False,
                initial=(current or {}).get(code, ""),
                widget=forms.Textarea(attrs={"rows": 6, "lang": code}),
            )

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code, _name in settings.LANGUAGES}


class IssueLinkForm(forms.Form):
    """A personal link for a young person: how long it works, and a PIN if they chose one."""

    DAYS = [30, 90, 180, 365]

    days = forms.TypedChoiceField(
        label=_("Works for"),
        coerce=int,
        initial=90,
        choices=[],
    )
    pin = forms.CharField(
        label=_("PIN (optional)"),
        required=False,
        max_length=6,
        help_text=_("4 to 6 digits the young person chose. Leave empty to make one."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        days_field = self.fields["days"]
        assert isinstance(days_field, forms.TypedChoiceField)
        days_field.choices = [
            (days, ngettext("%(count)s day", "%(count)s days", days) % {"count": days})
            for days in self.DAYS
        ]


class PinForm(forms.Form):
    """The PIN that opens a personal link."""

    pin = forms.CharField(
        label=_("Your PIN"),
        max_length=6,
        widget=forms.PasswordInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
    )


def _languages() -> list[tuple[str, str]]:
    return [(code, gettext(str(name))) for code, name in settings.LANGUAGES]


class GuardianRequestForm(forms.Form):
    """What a worker gives to ask a guardian's consent online: the least a registration needs."""

    alias = ParticipantForm.base_fields["alias"]
    birth_year = ParticipantForm.base_fields["birth_year"]
    birth_month = ParticipantForm.base_fields["birth_month"]
    gender = forms.ChoiceField(
        label=_("Gender"),
        choices=[(value, label) for value, label in Gender.choices if value != Gender.SELF],
        widget=forms.RadioSelect,
    )
    guardian_email = forms.EmailField(label=_("The parent's or guardian's e-mail address"))
    language = forms.ChoiceField(label=_("Language of the e-mail and the form"))

    def __init__(self, *args: Any, default_language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = _languages()
        language.initial = default_language


class GuardianConsentForm(forms.Form):
    """The guardian's answers on the online form: two consents, given apart."""

    is_guardian = forms.BooleanField(label="")  # labelled with the alias in __init__
    registration = forms.BooleanField(
        label=_("I consent to the registration described in the privacy notice above.")
    )
    photos = forms.BooleanField(
        label=_("I also consent to photos and stories of my child being published."),
        required=False,
        help_text=_("Optional and separate: without it, no photo or story of them is published."),
    )
    notice_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, alias: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["is_guardian"].label = gettext("I am the parent or guardian of %(alias)s.") % {
            "alias": alias
        }


class PaperFormOptions(forms.Form):
    """The printable form's query: its language and, optionally, the alias to print on it."""

    language = forms.ChoiceField(label=_("Language"), required=False)
    alias = forms.CharField(label=_("Alias (optional)"), max_length=60, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = self.fields["language"]
        assert isinstance(language, forms.ChoiceField)
        language.choices = _languages()
