"""Follow and heart buttons, and the follower and following lists.

The pages that show the buttons belong to apps below community (a member's profile is
accounts', a record's page records', a production's productions'), which may not import
community. Each of those pages holds an empty slot that htmx fills from here on load
(decision 0031, like the profile's productions in 0022), so they keep their own query
budgets and a released production's cached fragment never holds anyone's own state. The
slot's fallback is a link to the same URL, which answers a normal request with a small page
holding the button: every button is a plain form that posts and redirects without
JavaScript, and swaps itself in place with htmx.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_safe

from riffhouse.accounts.models import User
from riffhouse.community import social
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.productions.models import Production
from riffhouse.productions.selectors import production_get_visible
from riffhouse.records.models import Record
from riffhouse.records.selectors import record_get_visible

BUTTON = "community/social/_button.html"


def _back(request: HtmxHttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


def _me(request: HtmxHttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    return user


def _member_context(request: HtmxHttpRequest, member: User) -> dict[str, Any]:
    viewer = request.user
    return {
        "kind": "member",
        "slot": f"social-member-{member.pk}",
        "member": member,
        "is_self": viewer.is_authenticated and viewer.pk == member.pk,
        "active": member.pk in social.follow_states(viewer=viewer, user_ids=[member.pk]),
        "counts": social.member_counts(user_ids=[member.pk])[member.pk],
    }


def _production_follow_context(request: HtmxHttpRequest, production: Production) -> dict[str, Any]:
    ids = [production.pk]
    return {
        "kind": "production_follow",
        "slot": f"social-production-follow-{production.pk}",
        "production": production,
        "active": production.pk
        in social.production_follow_states(viewer=request.user, production_ids=ids),
        "count": social.production_counts(production_ids=ids)[production.pk].followers,
    }


def _record_heart_context(request: HtmxHttpRequest, record: Record) -> dict[str, Any]:
    ids = [record.pk]
    return {
        "kind": "record_heart",
        "slot": f"social-record-heart-{record.pk}",
        "record": record,
        "active": record.pk in social.heart_states(viewer=request.user, record_ids=ids).records,
        "count": social.record_counts(record_ids=ids)[record.pk].hearts,
    }


def _production_heart_context(request: HtmxHttpRequest, production: Production) -> dict[str, Any]:
    ids = [production.pk]
    return {
        "kind": "production_heart",
        "slot": f"social-production-heart-{production.pk}",
        "production": production,
        "active": production.pk
        in social.heart_states(viewer=request.user, production_ids=ids).productions,
        "count": social.production_counts(production_ids=ids)[production.pk].hearts,
    }


def _button(
    request: HtmxHttpRequest,
    *,
    title: str,
    back: str,
    context: Callable[[], dict[str, Any]],
    add: Callable[[User], object],
    remove: Callable[[User], object],
) -> HttpResponse:
    """GET: the button (htmx) or a small page holding it. POST: `action` says which way
    ("add" or "remove": explicit, so a double click never undoes itself) and `add` or
    `remove` writes it for the member; then the button again (htmx) or a redirect back. A
    refusal is shown by the button (htmx swaps only successful answers, so the fragment
    comes with 200 and the refusal's Retry-After) or as a message on the page it came from."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            # A visitor's button is a "Log in" link; a POST without a session goes there too.
            return redirect_to_login(back)
        action = request.POST.get("action", "")
        error: ApplicationError | None = None
        if action not in {"add", "remove"}:
            error = ApplicationError("Choose to add or to remove.", code="invalid_action")
        else:
            try:
                (add if action == "add" else remove)(_me(request))
            except ApplicationError as refused:
                if refused.status == 404:
                    raise
                error = refused
        if not request.htmx:
            if error is not None:
                messages.error(request, error.detail)
            return _back(request, back)
        response = render(request, BUTTON, {**context(), "error": error, "next": back})
        for name, value in (error.headers if error else {}).items():
            response[name] = value
        return response
    data = {**context(), "next": back}
    if request.htmx:
        return render(request, BUTTON, data)
    return render(request, "community/social/button_page.html", {**data, "title": title})


@require_http_methods(["GET", "HEAD", "POST"])
def follow_member(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = social.member_get_followable(username=username)
    return _button(
        request,
        title=f"Follow {member.name}",
        back=member.get_absolute_url(),
        context=lambda: _member_context(request, member),
        add=lambda me: social.follow_add(follower=me, user=member),
        remove=lambda me: social.follow_remove(follower=me, user=member),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def follow_production(request: HtmxHttpRequest, production_id: int) -> HttpResponse:
    production = production_get_visible(viewer=request.user, production_id=production_id)
    return _button(
        request,
        title=f"Follow “{production.title}”",
        back=production.get_absolute_url(),
        context=lambda: _production_follow_context(request, production),
        add=lambda me: social.follow_add(follower=me, production=production),
        remove=lambda me: social.follow_remove(follower=me, production=production),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def heart_record(request: HtmxHttpRequest, record_id: int) -> HttpResponse:
    record = record_get_visible(viewer=request.user, record_id=record_id)
    return _button(
        request,
        title=f"Heart “{record.title}”",
        back=record.get_absolute_url(),
        context=lambda: _record_heart_context(request, record),
        add=lambda me: social.heart_add(user=me, record=record),
        remove=lambda me: social.heart_remove(user=me, record=record),
    )


@require_http_methods(["GET", "HEAD", "POST"])
def heart_production(request: HtmxHttpRequest, production_id: int) -> HttpResponse:
    production = production_get_visible(viewer=request.user, production_id=production_id)
    return _button(
        request,
        title=f"Heart “{production.title}”",
        back=production.get_absolute_url(),
        context=lambda: _production_heart_context(request, production),
        add=lambda me: social.heart_add(user=me, production=production),
        remove=lambda me: social.heart_remove(user=me, production=production),
    )


def _member_list(request: HtmxHttpRequest, username: str, *, following: bool) -> HttpResponse:
    member = social.member_get_followable(username=username)
    list_of = social.following_list if following else social.follower_list
    page = list_of(user=member, cursor=request.GET.get("cursor") or None)
    context = {
        **_member_context(request, member),
        "page": page,
        "showing_following": following,
        "next": member.get_absolute_url(),
    }
    if request.htmx:
        return render(request, "community/social/members.html#items", context)
    return render(request, "community/social/members.html", context)


@require_safe
def followers(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """A member's followers, newest first; htmx asks for the next page's items only."""
    return _member_list(request, username, following=False)


@require_safe
def following(request: HtmxHttpRequest, username: str) -> HttpResponse:
    """The members a member follows, newest first."""
    return _member_list(request, username, following=True)
