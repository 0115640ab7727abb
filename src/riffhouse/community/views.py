"""Community pages: the home page (the community's work, and a member's own start), a
member's notifications (open one, mark one or all read, the header's unread badge) and
their notification settings."""

from collections.abc import Mapping
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.community import selectors, services, views_feeds
from riffhouse.community.context_processors import unread_count
from riffhouse.community.feeds import selectors as feeds_selectors
from riffhouse.community.models import Delivery, NotificationCategory
from riffhouse.core import fragments
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.page_cache import members_share, public_page
from riffhouse.core.templatetags.relative_time import times_marked
from riffhouse.productions import browse

HOME_FEED = 12  # whole rows of two and three cards


# The home page's gallery and what it includes (their sources are part of its key).
GALLERY_TEMPLATES = (
    "community/_home_gallery.html",
    "community/_tree_node.html",
    "productions/_card.html",
    "records/_card.html",
)


# A member's own part of home: their feed and their latest work (kept rendered, per member).
MEMBER_TEMPLATES = (
    "community/_home_member.html",
    "community/feeds/_home_feed.html",
    "community/feeds/_item.html",
    "productions/_card.html",
    "records/_card.html",
)


@dataclass(frozen=True)
class _MemberHome:
    """What home keeps for a member: the counts its welcome shows, and their feed and latest
    work rendered with their times marked (`times_filled` puts them in on each visit)."""

    pending_requests: int
    drafts: int
    html: str


def _member_home(user: User) -> _MemberHome:
    start = selectors.home_member_start(user=user)
    feed = feeds_selectors.home_feed(viewer=user, limit=HOME_FEED)
    context = {
        "user": user,
        "start": start,
        "feed": feed,
        "feed_more_url": views_feeds.home_feed_more_url(feed),
    }
    with times_marked():
        html = fragments.fragment_render(MEMBER_TEMPLATES[0], context)
    return _MemberHome(len(start.pending_requests), start.drafts, str(html))


def _gallery(member: bool) -> dict[str, object]:
    """The gallery's context: the most remixed and newest records and a remix tree, as a
    visitor sees them (a member's own drafts are not the community's work), the latest
    episode and the open calls closing soonest."""
    return {
        "gallery": selectors.home_gallery(viewer=AnonymousUser()),
        "episode": browse.latest_released(),
        "calls": browse.production_feed(status="open", limit=3).items,
        "member": member,
    }


def _home_facts(request: HttpRequest) -> dict[str, object]:
    """What a member's home shows of them besides what `public` covers: their name, the
    version of their follows (their feed) and their unread count (once per request)."""
    facts: dict[str, object] | None = getattr(request, "_home_facts", None)
    if facts is None:
        user: User = request.user  # type: ignore[assignment]
        facts = {
            "name": user.name,
            "follows": feeds_selectors.home_feed_follows_version(viewer=user),
            "unread": unread_count(request),
        }
        request._home_facts = facts  # type: ignore[attr-defined]
    return facts


def _home_as_kept(*, request: HttpRequest, facts: Mapping[str, object]) -> bool:
    """A member's home, kept for them alone (`_home_audience`), holds while what it shows of
    them is the same."""
    return dict(facts) == _home_facts(request)


def _home_audience(request: HttpRequest) -> str:
    return str(request.user.pk)


@public_page(members=_home_as_kept, audience=_home_audience)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front door. It lives here, not in core, because it shows records and their
    lineage (core may import neither), and productions: the latest episode, the open calls.

    A member's home is kept whole for them (decision 0044): under `public`, their name,
    follows and unread count, their header put in and their feed's times told anew on each
    visit."""
    member = request.user.is_authenticated
    # The community's work, the same for everyone: a kept fragment (decision 0042).
    context: dict[str, object] = {
        "gallery_html": fragments.fragment(
            "home-gallery",
            int(member),
            templates=GALLERY_TEMPLATES,
            context=lambda: _gallery(member),
        )
    }
    if request.user.is_authenticated:
        user: User = request.user
        # Their start (their work, drafts, requests waiting) and their feed (the members and
        # productions they follow, calls for what they make) change only with public writes
        # and their follows: kept rendered under both, their times put in on each visit.
        facts = _home_facts(request)
        kept = fragments.kept(
            "home-member",
            user.pk,
            *facts["follows"],  # type: ignore[misc]
            fragments.templates_digest(*MEMBER_TEMPLATES),
            compute=lambda: _member_home(user),
        )
        context["start"] = kept
        # Times stay marks: the page cache tells them as of each answer.
        context["member_html"] = mark_safe(kept.html)  # noqa: S308 -- our markup
        members_share(request, **facts)
    return render(request, "community/home.html", context)


@login_required
@require_safe
def notification_list(request: HtmxHttpRequest) -> HttpResponse:
    """Newest first; reading the page marks nothing (the button does). htmx asks for the
    next page's items only (the `items` partial)."""
    user: User = request.user  # type: ignore[assignment]
    unread_only = request.GET.get("unread") == "1"
    page = selectors.notification_list(
        user=user, cursor=request.GET.get("cursor") or None, unread_only=unread_only
    )
    context = {
        "page": page,
        "unread_only": unread_only,
        "previews": selectors.notification_request_previews(notifications=page.items),
    }
    if request.htmx:
        return render(request, "community/notifications.html#items", context)
    return render(request, "community/notifications.html", context)


@login_required
@require_POST
def notifications_mark_read(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if services.notifications_mark_read(user=user):
        messages.success(request, "All caught up: every notification is marked as read.")
    return redirect("community:notifications")


@login_required
@require_safe
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification (from the page or a digest email): it is marked read, and the
    member lands where it leads. Someone else's notification is a 404."""
    user: User = request.user  # type: ignore[assignment]
    notification = selectors.notification_get(user=user, notification_id=notification_id)
    if notification is None:
        raise Http404("No such notification.")
    services.notification_mark_read(user=user, notification_id=notification.pk)
    return redirect(selectors.notification_url(notification=notification))


@login_required
@require_POST
def notification_mark_read(request: HtmxHttpRequest, notification_id: int) -> HttpResponse:
    """The "Mark read" button: htmx swaps the button for a quiet "Read", and the header's
    badge and the page's summary for the new unread count (one COUNT); without JavaScript
    the page comes back at the notification, its header counted anew."""
    user: User = request.user  # type: ignore[assignment]
    try:
        services.notification_mark_read(user=user, notification_id=notification_id)
    except ApplicationError as error:
        raise Http404(error.detail) from error
    if request.htmx:
        return render(request, "community/notifications_read.html", {"id": notification_id})
    after = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(after, allowed_hosts={request.get_host()}):
        after = ""
    return redirect(after or "community:notifications")


@never_cache
@require_safe
def notification_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread badge, polled by htmx: one COUNT query (none logged out)."""
    return render(request, "community/notifications_badge.html")


class NotificationSettingsForm(forms.Form):
    """One choice per category: in the app, in the app and an email digest, or off."""

    def __init__(self, data: QueryDict | None = None, *, initial: dict[str, str]) -> None:
        super().__init__(data, initial=initial)
        for category in NotificationCategory:
            self.fields[category.value] = forms.ChoiceField(
                label=category.label, choices=Delivery.choices, widget=forms.RadioSelect
            )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = NotificationSettingsForm(
        request.POST or None, initial=selectors.notification_preferences(user=user)
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_set(user=user, preferences=form.cleaned_data)
        messages.success(request, "Your notification settings are saved.")
        return redirect("community:notification_settings")
    return render(
        request,
        "community/notification_settings.html",
        {"form": form, "section": "notifications"},
    )
