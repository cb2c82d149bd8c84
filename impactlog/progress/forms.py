"""Forms of the workers' progress pages. They check the shape of what is sent; the services
check the rules (levels, dates, mentors, whose competence)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from impactlog.accounts.models import User
from impactlog.logbook.figures.periods import validate_reporting_day
from impactlog.progress import queries
from impactlog.progress.models import Goal, GoalStatus
from impactlog.progress.vocabulary import KeyCompetence, Level
from impactlog.tenancy.models import Membership, Node
from impactlog.tenancy.roles import ROLE_PERMS, Perm
from impactlog.tenancy.tree import ancestors


def _day_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[validate_reporting_day],
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class RatingForm(forms.Form):
    competence = forms.ChoiceField(label=_("Competence"))
    level = forms.TypedChoiceField(
        label=_("Level"), choices=Level.choices, coerce=int, widget=forms.RadioSelect
    )
    rated_on = _day_field(_("Date"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, organisation: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        field = self.fields["competence"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = queries.competence_choices(organisation)
        self.fields["rated_on"].initial = timezone.localdate()

    def chosen_competence(self) -> Any:
        return queries.competence_from_choice(self.organisation, self.cleaned_data["competence"])


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5})
    )
    shared = forms.BooleanField(
        label=_("Show it to the young person on their own timeline"), required=False
    )


def mentors_of(unit: Node) -> list[User]:
    """Who may mentor a young person of `unit`: whoever may read the unit's young people."""
    roles = [role for role, perms in ROLE_PERMS.items() if Perm.VIEW_PERSONAL in perms]
    # system code: the names of the people who work with the unit's young people, for a list
    ids = Membership.all_objects.filter(node__in=[*ancestors(unit), unit], role__in=roles).values(
        "user"
    )
    return list(User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "email"))


class GoalForm(forms.Form):
    title = forms.CharField(label=_("Goal"), max_length=200)
    mentor = forms.TypedChoiceField(label=_("Mentor"), coerce=int)
    steps = forms.CharField(
        label=_("Steps"),
        help_text=_("One step a line."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, unit: Node, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mentors = {user.pk: user for user in mentors_of(unit)}
        field = self.fields["mentor"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(pk, str(user)) for pk, user in self.mentors.items()]

    def chosen_mentor(self) -> User | None:
        return self.mentors.get(self.cleaned_data["mentor"])

    def step_texts(self) -> list[str]:
        return [line for line in self.cleaned_data["steps"].splitlines() if line.strip()]


class GoalUpdateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=GoalStatus.choices, widget=forms.RadioSelect
    )
    reached_on = _day_field(_("Reached on"), required=False)
    done = forms.TypedMultipleChoiceField(
        label=_("Steps done"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    new_step = forms.CharField(label=_("Add a step"), required=False, max_length=200)

    def __init__(self, *args: Any, goal: Goal, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": goal.status,
                "reached_on": goal.reached_on,
                "done": [step.pk for step in goal.steps.all() if step.done_on],
            },
        )
        super().__init__(*args, **kwargs)
        field = self.fields["done"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(step.pk, step.text) for step in goal.steps.all()]

    def reached_day(self) -> dt.date | None:
        value: dt.date | None = self.cleaned_data["reached_on"]
        return value


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CompetenceForm(forms.Form):
    name = forms.CharField(label=_("Competence"), max_length=120)
    key_competence = forms.ChoiceField(
        label=_("Counts towards the key competence"),
        required=False,
        choices=[("", _("None of them")), *KeyCompetence.choices],
    )
