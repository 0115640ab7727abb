"""Account pages: sign up, confirm, log in and out, password change and reset, profile,
settings. Each view parses, calls one service or selector, and renders."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts import selectors, services
from riffhouse.accounts.forms import (
    AccountDeleteForm,
    ConfirmationResendForm,
    LogInForm,
    PasswordResetForm,
    ProfileForm,
    SignUpForm,
    TokenForm,
)
from riffhouse.accounts.models import AuditEvent, User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest, client_ip
from riffhouse.core.page_cache import members_share, public_page


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@require_http_methods(["GET", "POST"])
def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("community:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_sign_up(
                base_url=_base_url(request), ip=client_ip(request), **form.cleaned_data
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            request.session["signup_email"] = form.cleaned_data["email"]
            return redirect("accounts:sign_up_done")
    return render(request, "accounts/sign_up.html", {"form": form})


@require_safe
def sign_up_done(request: HttpRequest) -> HttpResponse:
    return render(
        request, "accounts/sign_up_done.html", {"email": request.session.get("signup_email", "")}
    )


@require_safe
def confirm_email(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    try:
        user = services.user_confirm_email(uidb64=uidb64, token=token)
    except ApplicationError as error:
        return _confirm_failed(request, error)
    login(request, user, backend="riffhouse.accounts.backends.UsernameOrEmailBackend")
    messages.success(request, f"Welcome to Riffhouse, {user.username}! Tell people about you.")
    return redirect("settings:profile")


@require_safe
def confirm_email_incomplete(request: HttpRequest, rest: str = "") -> HttpResponse:
    """A confirmation link cut short before its token (mail programs wrap long lines)."""
    return _confirm_failed(request, ApplicationError(services.LINK_INVALID, code="invalid_link"))


def _confirm_failed(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(
        request,
        "accounts/confirm_failed.html",
        {"error": error.detail, "code": error.code, "form": ConfirmationResendForm()},
        status=400,
    )


@require_http_methods(["GET", "POST"])
def confirm_resend(request: HttpRequest) -> HttpResponse:
    """Send a new confirmation link. Answers the same for any address (see the service)."""
    form = ConfirmationResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_confirmation_resend(
            email=form.cleaned_data["email"], base_url=_base_url(request), ip=client_ip(request)
        )
        request.session["signup_email"] = form.cleaned_data["email"]
        return redirect("accounts:sign_up_done")
    return render(
        request,
        "accounts/confirm_resend.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("community:home")


@require_http_methods(["GET", "POST"])
def log_in(request: HttpRequest) -> HttpResponse:
    form = LogInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_authenticate(
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
                ip=client_ip(request),
            )
        except services.EmailUnconfirmed as unconfirmed:
            return render(
                request,
                "accounts/log_in_unconfirmed.html",
                {"email": unconfirmed.email, "form": ConfirmationResendForm()},
                status=403,
            )
        except ApplicationError as error:
            form.add_service_error(error)
            status = 429 if error.code == "too_many_attempts" else 200
        else:
            login(request, user)
            services.audit(action=AuditEvent.Action.LOGGED_IN, subject=user, actor=user)
            return HttpResponseRedirect(_safe_next(request))
    return render(
        request,
        "accounts/log_in.html",
        {"form": form, "next": request.GET.get("next", "")},
        status=status,
    )


@require_POST
def log_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.info(request, "You are logged out. See you soon.")
    return redirect("community:home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/settings_password.html"
    success_url = reverse_lazy("settings:password")
    extra_context = {"section": "password"}

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        services.audit(
            action=AuditEvent.Action.PASSWORD_CHANGED, subject=form.user, actor=form.user
        )
        messages.success(self.request, "Your password is changed.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):  # type: ignore[no-untyped-def]
        response = super().form_valid(form)
        services.audit(action=AuditEvent.Action.PASSWORD_RESET, subject=form.user, actor=form.user)
        return response


def _profile_shared(*, request: HttpRequest, facts: Mapping[str, Any]) -> bool:
    """A profile is the same for every member but its owner and those who blocked them
    (the block button says "Unblock")."""
    user: User = request.user  # type: ignore[assignment]
    return user.pk != facts["member_id"] and not selectors.block_exists(
        blocker_id=user.pk, blocked_id=facts["member_id"]
    )


@public_page(members=_profile_shared)
@require_safe
def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        member = selectors.user_get_public(username=username)
    except ApplicationError as error:
        if error.code != "deleted":
            raise
        return render(request, "accounts/profile_gone.html", status=410)
    if member.username != username:
        return redirect(member, permanent=True)
    blocked = request.user.is_authenticated and selectors.block_exists(
        blocker_id=request.user.pk, blocked_id=member.pk
    )
    members_share(request, member_id=member.pk)  # decision 0042
    return render(request, "accounts/profile.html", {"member": member, "blocked": blocked})


@login_required
@require_http_methods(["GET", "POST"])
def settings_profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    initial = {
        "display_name": user.display_name,
        "bio": user.bio,
        "links": "\n".join(user.links),
        "default_remix_policy": user.default_remix_policy,
    }
    form = ProfileForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.user_update_profile(
                user=user,
                display_name=data["display_name"],
                bio=data["bio"],
                links=data["links"],
                default_remix_policy=data["default_remix_policy"] or None,
            )
            if data["avatar"]:
                services.user_set_avatar(user=user, upload=data["avatar"], size=data["avatar"].size)
            elif data["remove_avatar"]:
                services.user_remove_avatar(user=user)
        except ApplicationError as error:
            user.refresh_from_db()
            form.add_service_error(error)
        else:
            messages.success(request, "Your profile is saved.")
            return redirect("settings:profile")
    return render(
        request,
        "accounts/settings_profile.html",
        {"form": form, "section": "profile"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def settings_tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.api_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            form = TokenForm()
    tokens = selectors.api_token_list(user=request.user)
    return render(
        request,
        "accounts/settings_tokens.html",
        {"form": form, "tokens": tokens, "issued": issued, "section": "tokens"},
    )


@login_required
@require_POST
def settings_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = services.api_token_revoke(
            user=request.user,  # type: ignore[arg-type]
            token_id=token_id,
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"“{token.name}” is revoked; it no longer works.")
    return redirect("settings:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def settings_delete(request: HttpRequest) -> HttpResponse:
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_delete(
                user=request.user,  # type: ignore[arg-type]
                password=form.cleaned_data["password"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            logout(request)
            # After logout: the message must outlive the flushed session.
            messages.success(
                request, "Your account is deleted. Thank you for everything you made here."
            )
            return redirect("community:home")
    return render(
        request,
        "accounts/settings_delete.html",
        {"form": form, "section": "delete"},
        status=400 if form.errors else 200,
    )


# Blocks ------------------------------------------------------------------------------------
@login_required
@require_safe
def settings_blocks(request: HtmxHttpRequest) -> HttpResponse:
    """The members you blocked, the latest first, a page at a time: "Show more" links to the
    next page, and htmx asks for that page's members only."""
    cursor = request.GET.get("cursor") or None
    page = selectors.block_list(user=request.user, cursor=cursor)  # type: ignore[arg-type]
    more_url = (
        f"{reverse('settings:blocks')}?{urlencode({'cursor': page.next_cursor})}"
        if page.next_cursor
        else None
    )
    context = {"page": page, "cursor": cursor, "more_url": more_url, "section": "blocks"}
    if request.htmx:
        return render(request, "accounts/settings_blocks.html#blocks", context)
    return render(request, "accounts/settings_blocks.html", context)


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def block_add(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.user_get_public(username=username)
    services.block_add(blocker=request.user, blocked=member)  # type: ignore[arg-type]
    messages.success(
        request,
        f"You blocked {member.name}. They can no longer follow you, comment on or mention "
        "you, or ask to remix or submit your work.",
    )
    return redirect(_back(request, member.get_absolute_url()))


@login_required
@require_POST
def block_remove(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.user_get_public(username=username)
    services.block_remove(blocker=request.user, blocked=member)  # type: ignore[arg-type]
    messages.success(request, f"You unblocked {member.name}.")
    return redirect(_back(request, reverse("settings:blocks")))
