"""Community pages: the home page (the community's work, and a member's own start), a
member's notifications and "Mark all as read"."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.community import selectors, services, views_feeds
from riffhouse.community.feeds import selectors as feeds_selectors
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.productions import browse

HOME_FEED = 12  # whole rows of two and three cards


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The front door. It lives here, not in core, because it shows records and their
    lineage (core may import neither), and productions: the latest episode, the open calls."""
    context: dict[str, object] = {"gallery": selectors.home_gallery(viewer=request.user)}
    # Productions: the latest released episode and the open calls closing soonest.
    context["episode"] = browse.latest_released()
    context["calls"] = browse.production_feed(status="open", limit=3).items
    if request.user.is_authenticated:
        user: User = request.user
        context["start"] = selectors.home_member_start(user=user)
        # Their feed: the members and productions they follow, calls for what they make.
        feed = feeds_selectors.home_feed(viewer=user, limit=HOME_FEED)
        context["feed"] = feed
        context["feed_more_url"] = views_feeds.home_feed_more_url(feed)
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
