"""The released production's public pages: the show (a continuous player of the lineup,
the brief, the credits, the fairness report), its full credits and its WebVTT chapters.

`show_page` is called by the production's page (`productions:detail`) once the production
is released; the credits and chapters have their own addresses. Everything here reads what
the release stored (see `show_selectors`): anyone may look, logged in or not.
"""

from html import escape
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_safe

from riffhouse.core.errors import NotFound
from riffhouse.productions import selectors, show_selectors
from riffhouse.productions.models import Production


def show_url(production: Production) -> str:
    """The released page's address: the production's own page."""
    return production.get_absolute_url()


def _cover_url(production: Production) -> str:
    cover = production.cover
    if cover is None or not cover.path:
        return ""
    return reverse("productions:cover", args=[production.pk, cover.key])


def _released(request: HttpRequest, production_id: int) -> Production:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    if not production.is_released:
        raise NotFound("This production is not released yet.")
    return production


def _credit_line_html(segment: show_selectors.ShowSegment, credits_url: str) -> SafeString:
    """A segment's first credits as one line of HTML, made here rather than in the template:
    200 segments name up to 1,600 people, which the template language (and even
    `format_html`, lazy-aware at every argument) renders slowly. Every value is escaped."""
    names = _CREDIT_SEP.join(
        '<span class="credit-name">'
        + (f'<a href="{escape(c.url)}">{escape(c.name)}</a>' if c.url else escape(c.name))
        + (f' <span class="credit-role">{escape(c.roles)}</span>' if c.roles else "")
        + "</span>"
        for c in segment.credits
    )
    if segment.credits_more:
        names += (
            f' <a class="credit-more" href="{escape(credits_url)}?by=segment&amp;segment='
            f'{segment.number}#{segment.anchor}">and {segment.credits_more} more</a>'
        )
    return mark_safe(names)  # noqa: S308 - built from escaped values above


_CREDIT_SEP = '<span class="credit-sep" aria-hidden="true"> · </span>'


def show_page(
    request: HttpRequest,
    production: Production,
    *,
    producer_context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The released production's page. `?segment=N` redirects to `#segment-N`, the deep
    link the player (and, without JavaScript, the browser) starts from. Its producers'
    tools come in `producer_context` (`is_producer`, `tools`, `moves`, `status_error`)."""
    start = request.GET.get("segment", "")
    if start.isdigit():
        return HttpResponseRedirect(f"{show_url(production)}#segment-{int(start)}")
    show = show_selectors.production_show_get(production=production)
    credits_url = reverse("productions:credits", args=[production.pk])
    for segment in show.segments:
        segment.credit_line = _credit_line_html(segment, credits_url)
    return render(
        request,
        "productions/show.html",
        {
            "show": show,
            "production": production,
            "show_url": show_url(production),
            "cover_url": _cover_url(production),
            "credits_url": credits_url,
            "chapters_url": reverse("productions:chapters", args=[production.pk]),
            "fairness_url": reverse("productions:fairness", args=[production.pk]),
            "player_data": [s.player_data() for s in show.segments],
            **(producer_context or {}),
        },
        status=status,
    )


@require_safe
def credits_view(request: HttpRequest, production_id: int) -> HttpResponse:
    """Every credit of a released production, a page at a time: by role (largest share
    first), or `?by=segment` segment by segment (`&segment=N` opens that segment's page)."""
    production = _released(request, production_id)
    by = "segment" if request.GET.get("by") == "segment" else "role"
    page = request.GET.get("page", "1")
    number = request.GET.get("segment", "")
    if by == "segment":
        paged, groups = show_selectors.production_credits_by_segment(
            production=production,
            page=int(page) if page.isdigit() else 1,
            segment_number=int(number) if number.isdigit() else None,
        )
    else:
        paged, groups = show_selectors.production_credits_by_role(
            production=production, page=int(page) if page.isdigit() else 1
        )
    return render(
        request,
        "productions/credits.html",
        {
            "production": production,
            "producers": selectors.production_producers(production=production),
            "by": by,
            "page": paged,
            "groups": groups,
            "show_url": show_url(production),
            "cover_url": _cover_url(production),
        },
    )


def _vtt_text(value: str) -> str:
    """Cue text as WebVTT reads it: one line, its markup characters escaped (which also
    keeps any "-->" out of it)."""
    one_line = " ".join(value.split())
    return one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _vtt_time(ms: int) -> str:
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


@require_safe
def chapters_view(request: HttpRequest, production_id: int) -> HttpResponse:
    """The show's chapters as WebVTT: one cue per segment that plays, at its place in the
    continuous timeline, titled with its number and title."""
    production = _released(request, production_id)
    lines = ["WEBVTT", ""]
    for segment in show_selectors.production_chapters(production=production):
        lines += [
            segment.anchor,
            f"{_vtt_time(segment.start_ms)} --> {_vtt_time(segment.end_ms)}",
            _vtt_text(f"{segment.number}. {segment.title}"),
            "",
        ]
    return HttpResponse("\n".join(lines), content_type="text/vtt; charset=utf-8")
