"""Forms of the glossary pages: a definition's wording, a member's question and its answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from impactlog.glossary.services import QUESTION_MAX, TERM_MAX, TEXT_MAX


class DefinitionForm(forms.Form):
    term = forms.CharField(
        label=gettext_lazy("Term"),
        max_length=TERM_MAX,
        error_messages={"required": gettext_lazy("Give the term that is being defined.")},
    )
    text = forms.CharField(
        label=gettext_lazy("Definition"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy(
            "Start with one or two sentences that say what the term means: they are shown next "
            "to the field in the forms. Then say what counts and what does not. Leave an empty "
            "line between paragraphs."
        ),
        error_messages={
            "required": gettext_lazy(
                "Write the definition: what counts and what does not. An empty definition would "
                "leave every member guessing."
            )
        },
    )
    note = forms.CharField(
        label=gettext_lazy("What changed and why (optional)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Shown in the history, so that members can follow the change."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class DefinitionQuestionForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your question"),
        max_length=QUESTION_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "Describe what happened and what you are unsure how to record. The network's "
            "coordinators answer; the answer is shown to every member, without your name."
        ),
        error_messages={
            "required": gettext_lazy(
                "Write your question: what happened, and what you are unsure how to count."
            )
        },
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("Answer"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=gettext_lazy("Every member of the network will read it under the definition."),
        error_messages={
            "required": gettext_lazy("Write the answer that every member of the network will read.")
        },
    )
