"""Forms of the network's pages: its settings and thresholds, a new topic, a new reflection
question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from impactlog.network import services
from impactlog.network.models import (
    THRESHOLD_MAX,
    THRESHOLD_MIN,
    THRESHOLD_VALIDATORS,
    NetworkSettings,
)

THRESHOLD_FIELDS = [
    "threshold_visits",
    "threshold_people",
    "threshold_annual_survey",
    "threshold_other_surveys",
]


class SettingsForm(forms.ModelForm[NetworkSettings]):
    bands = forms.CharField(
        label=gettext_lazy("Age bands"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "One band per line as two ages, for example 10–14. Leave empty for the default "
            "bands (under 13, 13–15, 16–18, 19–24, 25–29). “Age not known” is always added. "
            "Bands can be changed only before the first head-count is recorded."
        ),
    )

    consent_ages = forms.CharField(
        label=gettext_lazy("Ages of digital consent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "For countries other than Latvia (13), Lithuania (14), Estonia (13), Sweden (13), "
            "Finland (13) and Slovenia (15), or to change theirs: one country per line as its "
            "code and the age, for example DE 16. Elsewhere 16 holds. Below this age a young "
            "person is registered only with a guardian's consent."
        ),
    )

    confirm_lower = forms.BooleanField(
        label=gettext_lazy("I understand that lower numbers protect young people less"),
        required=False,
        help_text=gettext_lazy("Needed only when you set a number below its default."),
    )

    class Meta:
        model = NetworkSettings
        fields = ["plausible_participants", *THRESHOLD_FIELDS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_ages"].initial = "\n".join(
            f"{country} {age}" for country, age in sorted(self.instance.consent_ages.items())
        )
        self.fields["bands"].initial = "\n".join(
            f"{low}–{high}" for low, high in self.instance.age_bands
        )
        for name in THRESHOLD_FIELDS:
            # The model's bounds and their messages, not the form's own "at least 0".
            field = self.fields[name]
            field.validators = list(THRESHOLD_VALIDATORS)
            field.widget.attrs.update(min=THRESHOLD_MIN, max=THRESHOLD_MAX)

    def general_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("plausible_participants", "bands", "consent_ages")]

    def threshold_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in [*THRESHOLD_FIELDS, "confirm_lower"]]

    def clean_consent_ages(self) -> dict[str, int]:
        return services.parse_consent_ages(self.cleaned_data.get("consent_ages") or "")

    def clean_bands(self) -> list[list[int]]:
        return services.parse_bands(self.cleaned_data.get("bands") or "")

    def thresholds(self) -> services.Thresholds:
        data = self.cleaned_data
        return services.Thresholds(
            visits=data["threshold_visits"],
            people=data["threshold_people"],
            annual_survey=data["threshold_annual_survey"],
            other_surveys=data["threshold_other_surveys"],
        )


class TopicForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New topic"), max_length=120)


class ReflectionQuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("New question"), max_length=300)
