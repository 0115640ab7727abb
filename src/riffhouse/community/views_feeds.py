"""Discover: the public lists (trending, latest, never remixed, open to remix, needs
collaborators) as tabs of one page, and the home feed's next page (htmx "More")."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from riffhouse.accounts.models import User
from riffhouse.community.feeds import selectors
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.page_cache import TRENDING, public_page


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str
    lede: str
    read: Callable[[HttpRequest, str | None], selectors.FeedPage]


def _record_list(name: str) -> Callable[[HttpRequest, str | None], selectors.FeedPage]:
    return lambda request, cursor: selectors.record_list(
        name=name, viewer=request.user, cursor=cursor
    )


TABS = [
    Tab(
        "trending",
        "Trending",
        "What the community is hearting, remixing, discussing and playing these days.",
        lambda request, cursor: selectors.trending(cursor=cursor),
    ),
    Tab(
        "latest",
        "Latest",
        "Everything just published, newest first.",
        _record_list("latest"),
    ),
    Tab(
        "never-remixed",
        "Never remixed",
        "Work nobody has built on yet. Be the first.",
        _record_list("never-remixed"),
    ),
    Tab(
        "open-to-remix",
        "Open to remix",
        "Work anyone may build on without asking first.",
        _record_list("open-to-remix"),
    ),
    Tab(
        "needs-collaborators",
        "Needs collaborators",
        "Members asking for a hand, and productions' open calls.",
        lambda request, cursor: selectors.needs_collaborators(cursor=cursor),
    ),
]
TABS_BY_SLUG = {tab.slug: tab for tab in TABS}


def _tab_url(slug: str) -> str:
    if slug == TABS[0].slug:
        return reverse("community:discover")
    return reverse("community:discover_list", kwargs={"tab": slug})


@public_page(also=(TRENDING,))
@require_safe
def discover(request: HtmxHttpRequest, tab: str = "trending") -> HttpResponse:
    """One of the public lists; htmx asks for the next page's items only."""
    current = TABS_BY_SLUG.get(tab)
    if current is None:
        raise Http404("No such list.")
    page = current.read(request, request.GET.get("cursor") or None)
    more_url = (
        f"{_tab_url(current.slug)}?{urlencode({'cursor': page.next_cursor})}"
        if page.next_cursor
        else None
    )
    context = {
        "tab": current,
        "tabs": [(t, _tab_url(t.slug)) for t in TABS],
        "page": page,
        "more_url": more_url,
    }
    if request.htmx:
        return render(request, "community/feeds/discover.html#items", context)
    return render(request, "community/feeds/discover.html", context)


@login_required
@require_safe
def home_feed_more(request: HtmxHttpRequest) -> HttpResponse:
    """The next page of the member's home feed (the home page shows the first)."""
    user: User = request.user  # type: ignore[assignment]
    page = selectors.home_feed(viewer=user, cursor=request.GET.get("cursor") or None)
    context = {"feed": page, "feed_more_url": home_feed_more_url(page)}
    if request.htmx:
        return render(request, "community/feeds/_home_feed.html#items", context)
    return render(request, "community/feeds/feed.html", context)


def home_feed_more_url(page: selectors.FeedPage) -> str | None:
    if not page.next_cursor:
        return None
    return f"{reverse('community:feed')}?{urlencode({'cursor': page.next_cursor})}"
