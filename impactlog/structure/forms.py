from __future__ import annotations

import zoneinfo
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impactlog.core.widgets import DateInput
from impactlog.tenancy.audit import action_label
from impactlog.tenancy.models import KIND_RANK, Node, NodeKind
from impactlog.tenancy.roles import Role


def _time_zone_choices() -> list[tuple[str, str]]:
    zones = sorted(z for z in zoneinfo.available_timezones() if "/" in z and "Etc" not in z)
    return [(zone, zone.replace("_", " ")) for zone in zones]


class NodeForm(forms.ModelForm[Node]):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_time_zone_choices)

    class Meta:
        model = Node
        fields = ["name", "slug", "kind", "country", "language", "time_zone", "require_two_factor"]

    def __init__(self, *args: Any, parent: Node | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.parent = parent if parent is not None else self.instance.parent
        if self.parent is not None:
            rank = KIND_RANK[NodeKind(self.parent.kind)]
            kind_field = self.fields["kind"]
            assert isinstance(kind_field, forms.ChoiceField)
            kind_field.choices = [(k.value, k.label) for k in NodeKind if KIND_RANK[k] >= rank]

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data["slug"]
        # siblings under a parent above the editor's scope count too
        siblings = Node.all_objects.filter(parent=self.parent, slug=slug)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        if siblings.exists():
            raise forms.ValidationError(_("Another place here already uses this short name."))
        return slug


def _indented(node: Node) -> str:
    return f"{'— ' * node.depth}{node.name}"


class MoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        # a form's empty queryset, set by the view
        label=_("Move inside"),
        queryset=Node.all_objects.none(),
        empty_label=None,
    )

    def __init__(self, *args: Any, targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["new_parent"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = targets
        field.label_from_instance = _indented  # type: ignore[method-assign,assignment]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.WORKER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.CharField(label=_("Person (e-mail contains)"), required=False, max_length=254)
    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args: Any, actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action_field = self.fields["action"]
        assert isinstance(action_field, forms.ChoiceField)
        action_field.choices = [("", _("All actions")), *((a, action_label(a)) for a in actions)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return cleaned
