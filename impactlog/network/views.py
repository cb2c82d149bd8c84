"""Pages where a network sets up its logbook: settings, vocabulary and reflection questions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.network import services
from impactlog.network.forms import ReflectionQuestionForm, SettingsForm, TopicForm
from impactlog.network.models import ReflectionQuestion, Tag
from impactlog.structure.pages import apply_errors, node_context
from impactlog.tenancy import idempotency
from impactlog.tenancy.decorators import node_permission
from impactlog.tenancy.models import Node
from impactlog.tenancy.roles import Perm
from impactlog.tenancy.tree import root_of


@node_permission(Perm.EDIT_DEFINITIONS)
@form_view
def settings_page(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    root = root_of(node)  # definitions.edit was checked there by node_permission
    current = services.settings_for(root)
    form = SettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_settings(
                request.user,
                root,
                plausible_participants=form.cleaned_data["plausible_participants"],
                age_bands=form.cleaned_data["bands"],
                consent_ages=form.cleaned_data["consent_ages"],
                thresholds=form.thresholds(),
                confirm_lower=form.cleaned_data["confirm_lower"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your changes were saved."))
            return redirect("network:settings", pk=node.pk)
    tags = [
        (tag, services.tag_label(tag)) for tag in services.vocabulary(root, include_archived=True)
    ]
    context = node_context(request, node, root=root, form=form, tags=tags, topic_form=TopicForm())
    # A refused change is shown again with its reasons, and answered as refused.
    status = 400 if request.method == "POST" else 200
    return render(request, "network/settings.html", context, status=status)


@node_permission(Perm.EDIT_DEFINITIONS)
@require_POST
def topic_add(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    root = root_of(node)  # definitions.edit was checked there by node_permission

    def settings_page(_saved: object = None) -> HttpResponse:
        return redirect("network:settings", pk=node.pk)

    if (found := idempotency.earlier(request)) is not None:
        back = reverse("network:settings", args=[node.pk])
        return idempotency.repeated(request, found, settings_page, back=back)
    form = TopicForm(request.POST)
    if form.is_valid():

        def create() -> Tag | None:
            try:
                return services.add_topic(request.user, root, form.cleaned_data["name"])
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return None

        try:
            tag = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            back = reverse("network:settings", args=[node.pk])
            return idempotency.repeated(request, repeat.earlier, settings_page, back=back)
        if tag is not None:
            messages.success(request, _("The topic was added."))
    else:
        messages.error(request, _("Give the topic a name."))
    return settings_page()


@node_permission(Perm.EDIT_DEFINITIONS)
@require_POST
def topic_archive(request: AuthenticatedRequest, node: Node, tag_pk: int) -> HttpResponse:
    root = root_of(node)  # definitions.edit was checked there by node_permission
    tag = Tag.objects.filter(pk=tag_pk, owner=root).first()
    if tag is None:
        raise Http404
    services.archive_tag(request.user, tag)
    messages.success(request, _("The topic was archived."))
    return redirect("network:settings", pk=node.pk)


@node_permission(Perm.MANAGE_REFLECTION)
@form_view
def reflection_questions(request: AuthenticatedRequest, node: Node) -> HttpResponse:
    def listing(_saved: object = None) -> HttpResponse:
        return redirect("network:reflection", pk=node.pk)

    if request.method == "POST" and (found := idempotency.earlier(request)) is not None:
        return idempotency.repeated(request, found, listing)
    form = ReflectionQuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def create() -> ReflectionQuestion | None:
            try:
                return services.add_question(request.user, node, form.cleaned_data["text"])
            except ValidationError as error:
                apply_errors(form, error)
                return None

        try:
            question = idempotency.once(request, node, create)
        except idempotency.Repeated as repeat:
            return idempotency.repeated(request, repeat.earlier, listing)
        if question is not None:
            messages.success(request, _("The question was added."))
            return listing()
    questions = services.questions_for(node)
    context = node_context(request, node, form=form, questions=questions)
    return render(request, "network/reflection_questions.html", context)


@node_permission(Perm.MANAGE_REFLECTION)
@require_POST
def reflection_archive(request: AuthenticatedRequest, node: Node, question_pk: int) -> HttpResponse:
    question = ReflectionQuestion.objects.filter(pk=question_pk, node=node).first()
    if question is None:
        raise Http404
    services.archive_question(request.user, question)
    messages.success(request, _("The question was archived; earlier answers stay."))
    return redirect("network:reflection", pk=node.pk)
