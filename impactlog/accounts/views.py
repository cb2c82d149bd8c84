from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from impactlog.accounts import services, throttle, twofactor
from impactlog.accounts.client_ip import client_ip
from impactlog.accounts.forms import (
    AcceptInvitationForm,
    DisableTwoFactorForm,
    EmailAuthenticationForm,
    ProfileForm,
    TokenForm,
)
from impactlog.core.decorators import form_view
from impactlog.core.types import AuthenticatedRequest
from impactlog.structure import services as structure_services

PENDING_USER = "impactlog_pending_user"
PENDING_BACKEND = "impactlog_pending_backend"
PENDING_NEXT = "impactlog_pending_next"


def _safe_next(request: HttpRequest, target: str | None) -> str:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@form_view
def login_view(request: HttpRequest) -> HttpResponse:
    """Step one: e-mail and password. With a second factor set up, step two asks for a code."""
    if request.user.is_authenticated:
        return redirect("core:home")
    form = EmailAuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        target = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
        if twofactor.confirmed_device(user) is not None:
            request.session[PENDING_USER] = user.pk
            request.session[PENDING_BACKEND] = user.backend  # type: ignore[attr-defined]
            request.session[PENDING_NEXT] = target
            return redirect("accounts:login_verify")
        login(request, user)
        return redirect(target)
    return render(
        request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")}
    )


@form_view
def login_verify(request: HttpRequest) -> HttpResponse:
    user_pk = request.session.get(PENDING_USER)
    user = get_user_model().objects.filter(pk=user_pk, is_active=True).first() if user_pk else None
    device = twofactor.confirmed_device(user) if user else None
    if user is None or device is None:
        return redirect("accounts:login")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            backend = request.session.pop(PENDING_BACKEND)
            target = request.session.pop(PENDING_NEXT, reverse("core:home"))
            request.session.pop(PENDING_USER)
            login(request, user, backend=backend)
            otp_login(request, device)
            return redirect(target)
        form.add_error("token", _("That code is not right or has expired. Try the next one."))
    return render(request, "accounts/login_verify.html", {"form": form})


@login_required
@form_view
def profile(request: AuthenticatedRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.update_profile(request.user, **form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:profile")
    context = {
        "form": form,
        "has_two_factor": twofactor.confirmed_device(request.user) is not None,
        "two_factor_required": twofactor.two_factor_required(request.user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@form_view
def twofactor_setup(request: AuthenticatedRequest) -> HttpResponse:
    device = twofactor.pending_device(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.confirm_two_factor(request.user, form.cleaned_data["token"])
        except ValidationError as error:
            form.add_error("token", error)
        else:
            otp_login(request, confirmed)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("accounts:profile")
    context: dict[str, Any] = {
        "form": form,
        "qr": twofactor.qr_data_uri(device),
        "secret": twofactor.secret_for_display(device),
        "required": request.GET.get("required") == "1",
    }
    return render(request, "accounts/twofactor_setup.html", context)


@login_required
@form_view
def twofactor_disable(request: AuthenticatedRequest) -> HttpResponse:
    """Turning the second factor off asks for a current code or the password: a session left
    open on a shared device must not be enough."""
    has_device = twofactor.confirmed_device(request.user) is not None
    form = DisableTwoFactorForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disable_two_factor(request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("accounts:profile")
    context = {"form": form, "has_device": has_device}
    return render(request, "accounts/twofactor_disable.html", context)


class LogoutView(auth_views.LogoutView):
    """Sign out, and have the browser forget what this site kept in it (drafts of sessions).
    Browsers honour Clear-Site-Data over HTTPS and on localhost; the page's script clears the
    drafts too."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"storage"'
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(form.user)
        messages.success(self.request, _("Your password was changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        """Past the limit for the address or the client no e-mail leaves, and the answer is the
        same as always, so that it tells nothing about which addresses have an account."""
        try:
            with throttle.sending(
                throttle.MailKind.PASSWORD_RESET,
                address=form.cleaned_data["email"],
                client=client_ip(self.request),
            ):
                return super().form_valid(form)
        except throttle.Throttled:
            return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_changed(form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@form_view
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Take up an invitation: a new person creates an account, a known one signs in first."""
    invitation = structure_services.find_invitation(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    existing = get_user_model().objects.filter(email__iexact=invitation.email).first()
    context: dict[str, Any] = {"invitation": invitation}
    if request.user.is_authenticated and request.user.email.lower() != invitation.email:
        return render(request, "accounts/invitation_other_user.html", context, status=403)
    if existing is not None:
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?next={request.path}")
        if request.method == "POST":
            try:
                structure_services.accept_invitation(invitation, existing)
            except ValidationError:
                # Used or withdrawn since the page was shown.
                return render(request, "accounts/invitation_invalid.html", status=409)
            messages.success(request, _("You joined %(place)s.") % {"place": invitation.node})
            return redirect("structure:node", pk=invitation.node.pk)
        return render(request, "accounts/invitation_accept.html", context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.sign_up_from_invitation(
                invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
                language=getattr(request, "LANGUAGE_CODE", ""),
            )
        except ValidationError as error:
            # The invitation was used, or the address taken, between the page and the post.
            form.add_error(None, error.messages)
            context["form"] = form
            return render(request, "accounts/invitation_signup.html", context, status=409)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welcome! You joined %(place)s.") % {"place": invitation.node})
        return redirect("structure:node", pk=invitation.node.pk)
    context["form"] = form
    return render(request, "accounts/invitation_signup.html", context)
