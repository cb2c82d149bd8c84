from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impactlog.logbook.models import Activity
from impactlog.tenancy.models import Node


class CodeForm(forms.Form):
    """The activity a new kiosk will check young people in to."""

    # empty until __init__ sets the unit's activities (scoped)
    activity = forms.ModelChoiceField(queryset=Activity.all_objects.none(), label=_("Activity"))

    def __init__(self, *args: Any, unit: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Activity.objects.filter(node=unit, archived_at__isnull=True).order_by(
            "name"
        )


class PairForm(forms.Form):
    code = forms.CharField(
        label=_("Pairing code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    name = forms.CharField(
        label=_("Name of the kiosk"),
        max_length=60,
        help_text=_("Such as “Front desk”."),
    )
