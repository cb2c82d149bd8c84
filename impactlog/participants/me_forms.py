"""Forms of the young person's own progress pages (their personal link). The shape is checked
here; progress.own checks the rules again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from impactlog.participants.models import Participant
from impactlog.progress import queries
from impactlog.progress.own import RECOGNITION_LIMIT
from impactlog.progress.vocabulary import Level
from impactlog.tenancy.models import Node


class _Competence(forms.Form):
    competence = forms.ChoiceField(label=_("Competence"))

    def __init__(self, *args: Any, organisation: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        field = self.fields["competence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = queries.competence_choices(organisation)

    def chosen_competence(self) -> Any:
        return queries.competence_from_choice(self.organisation, self.cleaned_data["competence"])


class SelfAssessmentForm(_Competence):
    level = forms.TypedChoiceField(
        label=_("How good are you at it now?"),
        choices=Level.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("What shows it? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JournalForm(forms.Form):
    did = forms.CharField(
        label=_("What I did"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    learned = forms.CharField(
        label=_("What I learned"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class RecognitionForm(_Competence):
    peer = forms.TypedChoiceField(label=_("Who is it for?"), coerce=int)
    text = forms.CharField(
        label=_("What they did well"),
        max_length=RECOGNITION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, peers: list[Participant], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.peers = {peer.pk: peer for peer in peers}
        field = self.fields["peer"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *[(peer.pk, peer.alias) for peer in peers]]

    def chosen_peer(self) -> Participant:
        return self.peers[self.cleaned_data["peer"]]
