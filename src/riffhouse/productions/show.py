"""The released production's public pages: the show (a continuous player of the lineup,
the brief, the credits, the fairness report), its full credits and its WebVTT chapters.

`show_page` is called by the production's page (`productions:detail`) once the production
is released; the credits and chapters have their own addresses. Everything here reads what
the release stored (see `show_selectors`): anyone may look, logged in or not.
"""

from dataclasses import dataclass
from html import escape
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from riffhouse.core.errors import NotFound
from riffhouse.core.page_cache import public_page
from riffhouse.productions import selectors, show_cache, show_selectors
from riffhouse.productions.models import Production
from riffhouse.productions.templatetags.show_tags import ms_duration, ms_seconds


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


def _credit_line_html(segment: show_selectors.ShowSegment, credits_url: str) -> str:
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
    return names


_CREDIT_SEP = '<span class="credit-sep" aria-hidden="true"> · </span>'
_REMOVED_GLYPH = (
    '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M5 5l14 14M19 5 5 19"/></svg>'
)
_SIZES = "(max-width: 900px) 100vw, 760px"


def _media_fragment(s: show_selectors.ShowSegment) -> str:
    """The in and out points of a segment's own media (`#t=1.5,9`)."""
    return f"#t={ms_seconds(s.in_ms)},{ms_seconds(s.end_in_ms)}"


def _dimensions(width: int | None, height: int | None) -> str:
    return f' width="{escape(str(width))}" height="{escape(str(height))}"' if width else ""


def _segment_media_html(s: show_selectors.ShowSegment, cover_url: str) -> str:
    """What plays a segment without JavaScript: the browser's own player, in to out."""
    if s.kind == "video":
        poster = f' poster="{escape(s.poster)}"' if s.poster else ""
        media = (
            f'<video controls preload="none" playsinline src="{escape(s.src)}'
            f'{_media_fragment(s)}"{poster}{_dimensions(s.width, s.height)}></video>'
        )
    elif s.kind == "audio":
        if s.art:
            picture = (
                f'<img src="{escape(s.art.url)}" alt="" loading="lazy" '
                f'width="{s.art.width or 640}" height="{s.art.height or 640}">'
            )
        elif cover_url:
            picture = f'<img src="{escape(cover_url)}" alt="" loading="lazy">'
        else:
            picture = ""
        media = (
            f'<div class="segment-audio">{picture}<audio controls preload="none" '
            f'src="{escape(s.src)}{_media_fragment(s)}"></audio></div>'
        )
    elif s.kind == "image":
        source = ""
        if s.images:
            srcset = ", ".join(f"{escape(i.url)} {i.width}w" for i in s.images)
            source = f'<source type="image/webp" srcset="{srcset}" sizes="{_SIZES}">'
        fallback = s.image_fallback[-1].url if s.image_fallback else ""
        srcset = ", ".join(f"{escape(i.url)} {i.width}w" for i in s.image_fallback)
        style = (
            f' style="background: {escape(s.color)} url(&#x27;{escape(s.placeholder)}&#x27;)'
            ' center / cover"'
            if s.placeholder
            else ""
        )
        media = (
            f'<picture>{source}<img src="{escape(fallback)}" srcset="{srcset}" '
            f'sizes="{_SIZES}" alt="{escape(s.title)}" loading="lazy"'
            f"{_dimensions(s.width, s.height)}{style}></picture>"
        )
    else:
        media = (
            f'<div class="segment-card"><h3 class="segment-card-title">{escape(s.title)}</h3>'
            f'<div class="prose">{s.body_html}</div>'  # rendered and sanitised by records
            f'<p class="segment-card-by">{escape(s.author_name)}</p></div>'
        )
    return (
        f'<div class="segment-media" data-segment-media>{media}'
        f'<p class="segment-record"><a href="{escape(s.record_url)}">'
        f"“{escape(s.version_title)}”</a>, version {s.version_number}</p></div>"
    )


def _segment_item_html(s: show_selectors.ShowSegment, cover_url: str, music_icon: str) -> str:
    """One segment of the lineup: the jump link the player listens to, and (unless it was
    removed) what plays it without JavaScript. Every value is escaped."""
    if s.removed:
        thumb = _REMOVED_GLYPH
    elif s.kind == "image" and s.images:
        thumb = f'<img src="{escape(s.images[0].url)}" alt="" loading="lazy">'
    elif s.kind == "video" and s.poster:
        thumb = f'<img src="{escape(s.poster)}" alt="" loading="lazy">'
    elif s.kind == "audio" and s.art:
        thumb = f'<img src="{escape(s.art.url)}" alt="" loading="lazy">'
    elif s.kind == "audio":
        thumb = music_icon
    elif s.kind == "text":
        thumb = '<span class="segment-glyph" aria-hidden="true">Aa</span>'
    else:
        thumb = ""
    classes = f"segment segment-kind-{escape(s.kind)}"
    classes += " is-removed" if s.removed else ""
    classes += " is-link" if s.is_link else ""
    color = f' style="background-color: {escape(s.color)}"' if s.color else ""
    by = (
        "removed by its author"
        if s.removed
        else f"{escape(s.author_name)} · {ms_duration(s.duration_ms)}"
    )
    by += " · link" if s.is_link else ""
    disabled = ' aria-disabled="true"' if s.removed else ""
    return (
        f'<li id="{s.anchor}" class="{classes}" data-segment="{s.number}">'
        f'<a class="segment-jump" href="#{s.anchor}" data-jump="{s.number}"{disabled}>'
        f'<span class="segment-number" aria-hidden="true">{s.number}</span>'
        f'<span class="segment-thumb"{color}>{thumb}</span>'
        '<span class="segment-label">'
        f'<span class="segment-title"><span class="visually-hidden">{s.number}. </span>'
        f"{escape(s.title)}</span>"
        f'<span class="segment-by">{by}</span></span>'
        '<span class="segment-now" aria-hidden="true"></span></a>'
        f"{'' if s.removed else _segment_media_html(s, cover_url)}</li>\n"
    )


def _segment_credits_item_html(s: show_selectors.ShowSegment, credits_url: str) -> str:
    """One segment's line of the credits: its first credits, or its author's name."""
    removed = ' <span class="meta">(removed by its author)</span>' if s.removed else ""
    names = (
        _credit_line_html(s, credits_url)
        if s.credits
        else f'<span class="meta">{escape(s.author_name)}</span>'
    )
    return (
        f'<li><span class="segment-credits-title"><span class="segment-credits-number">'
        f"{s.number}</span> {escape(s.title)}{removed}</span>"
        f'<span class="segment-credits-names">{names}</span></li>\n'
    )


def _chapters_html(show: show_selectors.Show) -> str:
    """The player timeline's chapters, one per segment that plays."""
    return "".join(
        f'<span class="show-chapter" data-chapter="{s.number}" style="flex-grow: '
        f'{s.duration_ms}" title="{s.number}. {escape(s.title)}">'
        '<span class="show-chapter-fill"></span></span>'
        for s in show.playable
    )


@dataclass(frozen=True)
class ShowFragment:
    """What every viewer of a released page sees the same, rendered once per
    `show_version` and cached (`show_cache`): the figures the page's head names, and the
    HTML of the player and lineup, the fairness summary, the credits and the player's
    data. Plain strings, so that any cache backend stores them."""

    segments: int
    runtime_ms: int
    credits_total: int
    main: str
    fairness: str
    credits: str
    player_data: str


def _fragment_render(production: Production, cover_url: str) -> ShowFragment:
    show = show_selectors.production_show_get(production=production)
    credits_url = reverse("productions:credits", args=[production.pk])
    music_icon = render_to_string("core/_icon_music.html", {"size": "20"})
    context = {
        "MEDIA_URL": settings.MEDIA_URL,  # the avatars' (rendered without a request)
        "show": show,
        "production": production,
        "cover_url": cover_url,
        "credits_url": credits_url,
        "chapters_url": reverse("productions:chapters", args=[production.pk]),
        "fairness_url": reverse("productions:fairness", args=[production.pk]),
        "chapters_html": mark_safe(_chapters_html(show)),  # noqa: S308 - escaped above
        "segments_html": mark_safe(  # noqa: S308 - escaped in _segment_item_html
            "".join(_segment_item_html(s, cover_url, music_icon) for s in show.segments)
        ),
        "segment_credits_html": mark_safe(  # noqa: S308 - escaped in the function
            "".join(_segment_credits_item_html(s, credits_url) for s in show.segments)
        ),
    }
    partials = "productions/_show_shared.html#"
    return ShowFragment(
        segments=len(show.segments),
        runtime_ms=show.runtime_ms,
        credits_total=show.credits_total,
        main=str(render_to_string(partials + "main", context)),
        fairness=str(render_to_string(partials + "fairness", context)),
        credits=str(render_to_string(partials + "credits", context)),
        player_data=str(json_script([s.player_data() for s in show.segments], "show-data")),
    )


def show_page(
    request: HttpRequest,
    production: Production,
    *,
    producer_context: dict[str, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The released production's page. `?segment=N` redirects to `#segment-N`, the deep
    link the player (and, without JavaScript, the browser) starts from. Its producers'
    tools come in `producer_context` (`is_producer`, `tools`, `moves`, `status_error`).
    Everything but those tools, the producers and the header is the same for every viewer
    and comes from the cache (`show_cache`)."""
    start = request.GET.get("segment", "")
    if start.isdigit():
        return HttpResponseRedirect(f"{show_url(production)}#segment-{int(start)}")
    if not production.is_released:
        raise NotFound("This production is not released yet.")
    cover_url = _cover_url(production)
    fragment: ShowFragment = show_cache.show_fragment_get(
        production=production, render=lambda: _fragment_render(production, cover_url)
    )
    return render(
        request,
        "productions/show.html",
        {
            "fragment": fragment,
            "main_html": mark_safe(fragment.main),  # noqa: S308 - rendered by _fragment_render
            "fairness_html": mark_safe(fragment.fairness),  # noqa: S308 - likewise
            "credits_html": mark_safe(fragment.credits),  # noqa: S308 - likewise
            "player_data_html": mark_safe(fragment.player_data),  # noqa: S308 - json_script
            "production": production,
            "producers": selectors.production_producers(production=production),
            "show_url": show_url(production),
            "cover_url": cover_url,
            "credits_url": reverse("productions:credits", args=[production.pk]),
            "chapters_url": reverse("productions:chapters", args=[production.pk]),
            **(producer_context or {}),
        },
        status=status,
    )


@public_page()
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


@public_page()
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
