"""Template helpers of the submission pages, and the curation board's cards.

A board shows up to 96 cards, each a preview and a form of one-click moves. They are written
here in Python rather than as an included template per card: the same markup at a fraction
of the cost, with what every card shares (the CSRF field, the board's address, the icon, the
shape of the URLs, the moves per status) worked out once. Every value from the database goes
through `esc`, the standard library's html.escape, which Django's own escaping uses."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape as esc
from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from riffhouse.core.templatetags.relative_time import ago
from riffhouse.productions.models import Production, Submission, SubmissionStatus
from riffhouse.productions.submissions import submission_moves
from riffhouse.records.models import Rendition

register = template.Library()

FORMER_MEMBER = "a former member"
MESSAGE_CHARS = 140
NOTE_CHARS = 120
EXCERPT_CHARS = 220


@register.filter
def lookup(mapping: dict[object, object] | None, key: object) -> object:
    """`{{ thumbnails|lookup:s.record_version_id }}`: a dict's value by key (None if absent)."""
    return (mapping or {}).get(key)


@register.filter
def total(board: object, need_id: int | None) -> int:
    """`{{ board|total:need.pk }}`: how many submissions a need holds on the board."""
    return board.total(need_id)  # type: ignore[attr-defined,no-any-return]


# URLs -------------------------------------------------------------------------------------------
def _url_maker(name: str, *markers: object) -> Callable[..., str]:
    """`reverse(name, args=...)` worked out once: the URL with each marker argument turned
    into a slot, filled per card by `str.format` (about twenty times cheaper than reverse)."""
    shape = reverse(name, args=markers).replace("{", "{{").replace("}", "}}")
    for position, marker in enumerate(markers):
        shape = shape.replace(str(marker), f"{{{position}}}", 1)
    return shape.format


_RECORD_MARKER = 987654321
_KEY_MARKER = "00000000-0000-4000-8000-0000deadbeef"
_LABEL_MARKER = "label-marker"


@dataclass
class Urls:
    submission: Callable[..., str]
    decide: Callable[..., str]
    file: Callable[..., str]

    @classmethod
    def make(cls) -> "Urls":
        return cls(
            submission=_url_maker("productions:submission", _RECORD_MARKER),
            decide=_url_maker("productions:decide", _RECORD_MARKER),
            file=_url_maker("records:file", _RECORD_MARKER, _KEY_MARKER, _LABEL_MARKER),
        )


# The preview ------------------------------------------------------------------------------------
def _music_icon() -> SafeString:
    return mark_safe(render_to_string("core/_icon_music.html", {"size": "36"}).strip())  # noqa: S308 - our own template


def _short(text: str, length: int) -> str:
    """`truncatechars`, without its cost for the many texts that are short already."""
    return text if len(text) <= length else Truncator(text).chars(length)


def preview_html(
    s: Submission, *, thumb: Rendition | None, urls: Urls, music_icon: SafeString
) -> SafeString:
    """What `_submission_preview.html` shows: the picture, the film, the player or the text's
    first lines of the submitted version (or that its author removed it). Every value from
    the database goes through `esc`."""
    record, version = s.record, s.record_version
    kind = record.kind
    title = esc(record.title)
    if record.deleted_at is not None:
        inner = '<p class="sub-preview-gone">Removed by its author</p>'
    elif kind == "image":
        if thumb is None:
            inner = '<span class="sub-preview-icon" aria-hidden="true">◐</span>'
        else:
            size = f' width="{thumb.width}" height="{thumb.height}"' if thumb.width else ""
            src = esc(urls.file(record.pk, version.key, thumb.label))
            inner = f'<img src="{src}" alt="{title}" loading="lazy"{size}>'
    elif kind == "video":
        poster = (
            f' poster="{esc(urls.file(record.pk, version.key, thumb.label))}"'
            if thumb is not None
            else ""
        )
        src = esc(urls.file(record.pk, version.key, "video.mp4"))
        inner = (
            f'<video controls preload="none"{poster} src="{src}" '
            f'aria-label="Play “{title}”"></video>'
        )
    elif kind == "audio":
        src = esc(urls.file(record.pk, version.key, "audio.m4a"))
        inner = (
            f'<span class="sub-preview-icon" aria-hidden="true">{music_icon}</span>'
            f'<audio controls preload="none" src="{src}" aria-label="Play “{title}”"></audio>'
        )
    else:
        excerpt = getattr(s, "excerpt", None)  # the board's query reads only this much
        if excerpt is None:
            excerpt = (version.metadata or {}).get("excerpt") or version.body
        inner = f'<p class="sub-preview-excerpt">{esc(_short(excerpt or "", EXCERPT_CHARS))}</p>'
    return mark_safe(f'<div class="sub-preview sub-preview-{esc(kind)}">{inner}</div>')  # noqa: S308 - escaped above


@register.simple_tag
def submission_preview(s: Submission, thumbnails: dict[int, Rendition] | None) -> SafeString:
    """`{% submission_preview s thumbnails %}`: one submission's preview (its page, lists)."""
    return preview_html(
        s,
        thumb=(thumbnails or {}).get(s.record_version_id),
        urls=Urls.make(),
        music_icon=_music_icon(),
    )


# The board's cards ------------------------------------------------------------------------------
# The buttons, in the order a card shows them.
_ACTION_LABELS: dict[str, str] = {
    SubmissionStatus.SHORTLISTED: "Shortlist",
    SubmissionStatus.SELECTED: "Select",
    SubmissionStatus.SUBMITTED: "Back to submitted",
}
_STATUS_LABELS: dict[str, str] = dict(SubmissionStatus.choices)


@dataclass
class Kit:
    """What every card of one response shares."""

    production: Production
    thumbnails: dict[int, Rendition]
    csrf_input: str
    next_url: str
    urls: Urls
    music_icon: SafeString
    errors: dict[int, str]  # a refused move, said in its card
    moves: dict[tuple[str, bool], list[str]] = field(default_factory=dict)

    def moves_for(self, status: str, in_lineup: bool) -> list[str]:
        """`submission_moves`, asked once per status on the board (the rules decide)."""
        key = (status, in_lineup)
        if key not in self.moves:
            self.moves[key] = submission_moves(
                production=self.production, current=status, in_lineup=in_lineup
            )
        return self.moves[key]


def _name(member: Any) -> str | None:
    return None if member is None else member.name


def _actions(s: Submission, kit: Kit) -> str:
    in_lineup = bool(getattr(s, "in_lineup", False))
    targets = kit.moves_for(s.status, in_lineup)
    if not targets:
        if s.status == SubmissionStatus.SELECTED and in_lineup:
            return '<p class="sub-card-hint meta">In the lineup: take it out there to move it.</p>'
        return ""
    pk = s.pk
    buttons = []
    for target in _ACTION_LABELS:  # forward moves first; declining is behind a disclosure
        if target not in targets:
            continue
        label = _ACTION_LABELS[target]
        if target == SubmissionStatus.SHORTLISTED and s.status == SubmissionStatus.SELECTED:
            label = "Back to shortlist"
        quiet = " button-quiet" if target == SubmissionStatus.SUBMITTED else ""
        buttons.append(
            f'<button type="submit" name="status" value="{target}" '
            f'class="button button-small{quiet}" id="s{pk}-{target}">{label}</button>'
        )
    if SubmissionStatus.DECLINED in targets:
        to = esc(_name(s.submitted_by) or "them")
        buttons.append(
            '<details class="sub-decline">'
            f'<summary class="button button-small button-quiet" id="s{pk}-decline-open">'
            "Decline…</summary>"
            f'<label for="s{pk}-note">A note for {to} <span class="optional">optional</span>'
            "</label>"
            f'<textarea id="s{pk}-note" name="note" rows="2" maxlength="2000"></textarea>'
            '<button type="submit" name="status" value="declined" '
            f'class="button button-small button-danger" id="s{pk}-declined">Decline</button>'
            "</details>"
        )
    decide = esc(kit.urls.decide(pk))
    return (
        f'<form method="post" action="{decide}" class="sub-actions" hx-post="{decide}" '
        f'hx-target="#submission-{pk}" hx-swap="outerHTML" '
        f'aria-label="Decide on “{esc(s.record.title)}”">{kit.csrf_input}'
        f'<input type="hidden" name="next" value="{kit.next_url}">{"".join(buttons)}</form>'
    )


def card_html(s: Submission, kit: Kit) -> str:
    """One card of the board: the preview, who and when, the message, the status (and the
    producers' note), a refusal if there was one, and the moves the rules allow now. Plain
    f-strings (a board has 96 cards): every value from the database goes through `esc`."""
    record = s.record
    pk, status = s.pk, s.status
    by = (
        f" · submitted by {esc(s.submitted_by.name)}"
        if s.submitted_by_id != record.author_id and s.submitted_by is not None
        else ""
    )
    message = (
        f'<p class="sub-card-message">“{esc(_short(s.message, MESSAGE_CHARS))}”</p>'
        if s.message
        else ""
    )
    note = (
        f' <span class="sub-card-note">{esc(_short(s.note, NOTE_CHARS))}</span>' if s.note else ""
    )
    error = kit.errors.get(pk)
    alert = f'<p class="error" role="alert">{esc(error)}</p>' if error else ""
    actions = _actions(s, kit) if status != SubmissionStatus.WITHDRAWN else ""
    preview = preview_html(
        s, thumb=kit.thumbnails.get(s.record_version_id), urls=kit.urls, music_icon=kit.music_icon
    )
    return (
        f'<article class="sub-card sub-card-{status}" id="submission-{pk}" '
        f'aria-labelledby="submission-{pk}-title" tabindex="-1">{preview}'
        '<div class="sub-card-body">'
        f'<h3 class="sub-card-title" id="submission-{pk}-title">'
        f'<a href="{esc(kit.urls.submission(pk))}">{esc(record.title)}</a></h3>'
        f'<p class="meta">{esc(record.get_kind_display())} · '
        f"{esc(_name(record.author) or FORMER_MEMBER)}{by} · "
        f'<time datetime="{timezone.localtime(s.created_at).isoformat()}">'
        f"{esc(ago(s.created_at))}</time></p>"
        f"{message}"
        '<p class="sub-card-status" role="status">'
        f'<span class="sub-pill sub-pill-{status}">{_STATUS_LABELS.get(status, status)}</span>'
        f"{note}</p>{alert}{actions}</div></article>\n"
    )


@register.simple_tag(takes_context=True)
def board_cards(context: template.Context, cards: Iterable[Submission]) -> SafeString:
    """`{% board_cards column.page.items %}`: the cards, with the context's `production`,
    `thumbnails` (or `board.thumbnails`), `next` (else this page's address) and
    `card_errors` (submission id → a refusal to say in its card)."""
    request = context["request"]
    board = context.get("board")
    kit = Kit(
        production=context["production"],
        thumbnails=context.get("thumbnails") or (board.thumbnails if board else {}),
        csrf_input='<input type="hidden" name="csrfmiddlewaretoken" '
        f'value="{esc(get_token(request))}">',
        next_url=esc(context.get("next") or request.get_full_path()),
        urls=Urls.make(),
        music_icon=_music_icon(),
        errors=context.get("card_errors") or {},
    )
    return mark_safe("".join(card_html(s, kit) for s in cards))  # noqa: S308 - escaped in card_html
