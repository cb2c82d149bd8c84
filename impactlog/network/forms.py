"""Forms of the network's pages: its settings, a new topic, a new reflection question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from impactlog.network import services
from impactlog.network.models import NetworkSettings


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

    class Meta:
        model = NetworkSettings
        fields = ["plausible_participants"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["bands"].initial = "\n".join(
            f"{low}–{high}" for low, high in self.instance.age_bands
        )

    def clean_bands(self) -> list[list[int]]:
        return services.parse_bands(self.cleaned_data.get("bands") or "")


class TopicForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("New topic"), max_length=120)


class ReflectionQuestionForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("New question"), max_length=300)
