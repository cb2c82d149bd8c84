"""Pages of the network's glossary: definitions, their history, and members' questions on them.

Every page hangs under a place the user can see (`n/<pk>/definitions/…`) and shows the glossary
of the top of that place's tree. Outside the user's tree: 404. Editing and answering need
`Perm.EDIT_DEFINITIONS` at the top of the tree: 403 otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.glossary import services as definitions
from impactlog.glossary.forms import AnswerForm, DefinitionForm, DefinitionQuestionForm
from impactlog.glossary.models import Definition, DefinitionQuestion
from impactlog.glossary.services import DefinitionConflict
from impactlog.structure.pages import apply_errors, node_context
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.permissions import has_perm
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_of

View = Callable[..., HttpResponseBase]


def glossary_view(perm: Perm | None = None) -> Callable[[View], View]:
    """Resolve `pk` to a place the user can see (404 otherwise) and pass the top of its tree.

    With `perm` (a network-level permission, checked at the top of the tree by the permission
    layer), the user must also hold it (403 otherwise).
    """

    def decorator(view: View) -> View:
        @node_permission(perm or Perm.VIEW_NODE)
        @wraps(view)
        def wrapped(
            request: AuthenticatedRequest, node: Node, *args: Any, **kwargs: Any
        ) -> HttpResponseBase:
            return view(request, node, root_of(node), *args, **kwargs)

        return wrapped

    return decorator


def _may_edit(request: AuthenticatedRequest, root: Node) -> bool:
    return has_perm(request.user, Perm.EDIT_DEFINITIONS, root)


def _definition(root: Node, key: str) -> Definition:
    definition = definitions.definition_at(root, key)
    if definition is None:
        raise Http404
    return definition


def _context(
    request: AuthenticatedRequest, node: Node, root: Node, **extra: object
) -> dict[str, object]:
    return node_context(request, node, root=root, may_edit=_may_edit(request, root), **extra)


@glossary_view()
def glossary(request: AuthenticatedRequest, node: Node, root: Node) -> HttpResponse:
    editor = _may_edit(request, root)
    answered = definitions.answered_by_definition(root)
    context = _context(
        request,
        node,
        root,
        entries=[(d, answered.get(d.pk, [])) for d in definitions.glossary(root)],
        open_count=definitions.open_question_count(root) if editor else 0,
    )
    return render(request, "glossary/definitions.html", context)


@glossary_view()
def definition_detail(
    request: AuthenticatedRequest, node: Node, root: Node, key: str
) -> HttpResponse:
    definition = _definition(root, key)
    editor = _may_edit(request, root)
    context = _context(
        request,
        node,
        root,
        definition=definition,
        versions=definitions.history(definition),
        questions=definitions.questions_on(definition, request.user, editor=editor),
        form=DefinitionQuestionForm(),
    )
    return render(request, "glossary/definition_detail.html", context)


@glossary_view(Perm.EDIT_DEFINITIONS)
@form_view
def definition_edit(
    request: AuthenticatedRequest, node: Node, root: Node, key: str
) -> HttpResponse:
    definition = _definition(root, key)
    initial = {
        "term": definition.shown_term,
        "text": definition.shown_text,
        "version": definition.version,
    }
    form = DefinitionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            version = definitions.edit_definition(
                request.user,
                definition,
                term=form.cleaned_data["term"],
                text=form.cleaned_data["text"],
                note=form.cleaned_data["note"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        except DefinitionConflict:
            form.add_error(
                None,
                _(
                    "Someone else changed this definition while you were editing it. Open it "
                    "again to see their version, then make your change."
                ),
            )
        else:
            if version is None:
                messages.info(request, _("Nothing was changed."))
            else:
                messages.success(
                    request,
                    _("The definition was saved as version %(version)s.")
                    % {"version": version.version},
                )
            return redirect("glossary:definition", pk=node.pk, key=definition.key)
    context = _context(request, node, root, definition=definition, form=form)
    return render(request, "glossary/definition_edit.html", context)


@glossary_view()
@form_view
def definition_ask(request: AuthenticatedRequest, node: Node, root: Node, key: str) -> HttpResponse:
    definition = _definition(root, key)
    url = reverse("glossary:definition", kwargs={"pk": node.pk, "key": definition.key})

    def asked(question: DefinitionQuestion | None) -> HttpResponse:
        return redirect(f"{url}#question-{question.pk}" if question is not None else url)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(
            request,
            found,
            asked,
            back=reverse("glossary:definition_ask", kwargs={"pk": node.pk, "key": definition.key}),
        )
    form = DefinitionQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def ask() -> DefinitionQuestion | None:
            try:
                return definitions.ask_question(
                    request.user, definition, node, form.cleaned_data["text"]
                )
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            question = idempotency.once(request, node, ask)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, asked)
        if question is not None:
            messages.success(
                request,
                _(
                    "Your question was sent to the network's coordinators. Their answer will "
                    "appear under the definition."
                ),
            )
            return asked(question)
    context = _context(request, node, root, definition=definition, form=form)
    return render(request, "glossary/definition_ask.html", context)


@glossary_view(Perm.EDIT_DEFINITIONS)
@form_view
def definition_answer(
    request: AuthenticatedRequest, node: Node, root: Node, key: str, question_pk: int
) -> HttpResponse:
    definition = _definition(root, key)
    question = (
        DefinitionQuestion.objects.select_related("asked_by", "place")
        .filter(pk=question_pk, definition=definition)
        .first()
    )
    if question is None:
        raise Http404
    form = AnswerForm(request.POST or None, initial={"answer": question.answer})
    if request.method == "POST" and form.is_valid():
        try:
            changed = definitions.answer_question(
                request.user, question, form.cleaned_data["answer"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if changed:
                messages.success(request, _("The answer is now shown to every member."))
            else:
                messages.info(request, _("Nothing was changed."))
            url = reverse("glossary:definition", kwargs={"pk": node.pk, "key": definition.key})
            return redirect(f"{url}#question-{question.pk}")
    context = _context(request, node, root, definition=definition, question=question, form=form)
    return render(request, "glossary/definition_answer.html", context)


@glossary_view(Perm.EDIT_DEFINITIONS)
def definition_questions(request: AuthenticatedRequest, node: Node, root: Node) -> HttpResponse:
    context = _context(request, node, root, questions=definitions.open_questions(root))
    return render(request, "glossary/definition_questions.html", context)
