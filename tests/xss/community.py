"""The XSS corpus through issue 13's fields (scene.py calls these; see tests/xss/__init__.py):
comments and replies (on a record, a production and a released segment), vectors next to and
inside @mentions, the notifications those make (comment, reply, mention, follow, moderation),
the follower and following lists, search (queries made of vectors and results titled by
them, the full page and the htmx fragment), the feeds, and moderation (report reasons, a
moderator's reason, an appeal and its answer).

Per batch of 25 vectors: the remixer follows the owner and comments on the source record, the
production and its first segment with the batch; the owner replies with the batch; the
remixer mentions the owner next to and inside each vector (`@owner0<script>…`). The reader
follows the owner (the home feed) and reports the source record and the comment with the
batch; a moderator hides a record of the owner with the batch as reason; the owner appeals
with the batch and the moderator answers with it."""

from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Role, User
from riffhouse.community.comments.services import comment_create
from riffhouse.community.social.services import follow_add
from riffhouse.moderation import services as moderation
from riffhouse.productions.models import Production
from riffhouse.records import services as records
from riffhouse.records.models import Record
from tests.xss.vectors import Vector, joined, packed, spaced

# Rendered from Markdown: not on the page verbatim (scene.MARKDOWN_FIELDS).
COMMENT_FIELDS = {
    "comment body",
    "reply body",
    "mention body",
    "production comment body",
    "segment comment body",
}
MODERATOR = "modwren"
HTMX_SEARCH = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "search-body"}


def _moderator() -> User:
    found = User.objects.filter(username=MODERATOR).first()
    if found is not None:
        return found
    return accounts.user_create(
        username=MODERATOR,
        email="mod@ex.org",
        password="a-long-and-lovely-passphrase",
        display_name="Moderator",
        role=Role.MODERATOR,
    )


def mentions(username: str, batch: list[Vector]) -> str:
    """Each vector right after an @mention (inside its word), and right before one."""
    return "\n\n".join(f"@{username}{v.text} and {v.text}@{username}" for v in batch)


def community_batch(
    scene: Any,
    *,
    owner: User,
    remixer: User,
    source: Record,
    production: Production,
    batch: list[Vector],
    names: tuple[list[Vector], list[Vector]],
    source_title: list[Vector],
) -> None:
    """Issue 13's fields for one batch (see the module docstring), and the pages showing them."""
    from tests.xss.scene import _try

    text = joined(batch)
    owner_name, remixer_name = names
    reader = User.objects.get(username="reader")
    moderator = _moderator()

    follow_add(follower=remixer, user=owner)
    follow_add(follower=reader, user=owner)
    comment = _try(
        scene, "comment body", batch, comment_create, author=remixer, record=source, body=text
    )
    reply = _try(
        scene, "reply body", batch, comment_create, author=owner, parent=comment, body=text
    )
    del reply
    _try(
        scene,
        "mention body",
        batch,
        comment_create,
        author=remixer,
        record=source,
        body=mentions(owner.username, batch),
    )
    _try(
        scene,
        "production comment body",
        batch,
        comment_create,
        author=remixer,
        production=production,
        body=text,
    )
    _try(
        scene,
        "segment comment body",
        batch,
        comment_create,
        author=remixer,
        production=production,
        segment_number=1,
        body=text,
    )

    # Moderation: a report of the record and of the comment (open, in the queue); a hidden
    # record of the owner (the reason on the appeal page and in the notification), appealed
    # and answered.
    _try(
        scene,
        "report reason",
        batch,
        moderation.report_create,
        reporter=reader,
        target=moderation.target_ref(record=source.pk),
        category="other",
        text=text,
    )
    _try(
        scene,
        "report reason",
        batch,
        moderation.report_create,
        reporter=reader,
        target=moderation.target_ref(comment=comment.pk),
        category="spam",
        text=text,
    )
    hidden = records.record_create(author=owner, kind="text", title="Reported piece", body="Gulls.")
    action = _try(
        scene,
        "moderator reason",
        batch,
        moderation.action_take,
        moderator=moderator,
        target=moderation.target_ref(record=hidden.pk),
        kind="hide",
        reason=text,
    )
    appeal = _try(
        scene,
        "appeal text",
        batch,
        moderation.appeal_create,
        member=owner,
        action_id=action.pk,
        text=text,
    )
    _try(
        scene,
        "appeal answer",
        batch,
        moderation.appeal_decide,
        moderator=moderator,
        appeal_id=appeal.pk,
        grant=False,
        note=text,
    )

    def shows(viewer: str, url: str, *fields: tuple[str, list[Vector]]) -> None:
        page = scene.page(viewer, url)
        for name, vectors in fields:
            page.show(name, vectors)

    for viewer in ("", "reader"):
        shows(
            viewer,
            reverse("community:record_comments", args=[source.pk]),
            ("comment body", batch),
            ("reply body", batch),
            ("mention body", batch),
            ("display_name", owner_name + remixer_name),
        )
    shows(
        "reader",
        reverse("community:production_comments", args=[production.pk]),
        ("production comment body", batch),
        ("display_name", remixer_name),
    )
    shows(
        "reader",
        reverse("community:production_comments", args=[production.pk]) + "?segment=1",
        ("segment comment body", batch),
        ("display_name", remixer_name),
    )
    shows(
        "reader",
        reverse("community:comment_replies", args=[comment.pk]),
        ("reply body", batch),
    )
    # Notifications: the comment, the mention and the follow reach the owner; the reply
    # reaches the remixer; the moderation and the appeal's answer reach the owner. Their
    # texts are excerpts: each page is credited with the vectors it shows verbatim.
    shows(
        owner.username,
        reverse("community:notifications"),
        ("notification text", batch),
        ("display_name", remixer_name),
    )
    shows(
        remixer.username,
        reverse("community:notifications"),
        ("notification text", batch),
        ("display_name", owner_name),
    )
    for viewer in ("", "reader"):
        shows(
            viewer,
            reverse("community:followers", args=[owner.username]),
            ("display_name", remixer_name),
        )
        shows(
            viewer,
            reverse("community:following", args=[remixer.username]),
            ("display_name", owner_name),
        )
    shows(
        MODERATOR,
        reverse("moderation:queue"),
        ("report reason", batch),
        ("record title", source_title),
    )
    shows(
        owner.username,
        reverse("moderation:appeal", args=[action.pk]),
        ("moderator reason", batch),
        ("appeal text", batch),
        ("appeal answer", batch),
    )
    shows(
        MODERATOR,
        reverse("moderation:appeal", args=[action.pk]),
        ("moderator reason", batch),
        ("appeal text", batch),
    )


def community_lists(scene: Any, usable: list[Vector], titles: list[list[Vector]]) -> None:
    """Search (queries made of vectors; results titled by them — the full page and the
    fragment the header's box swaps in), the moderators' lists, the feeds."""
    queries = titles + packed([v for v in usable if not any(v in t for t in titles)], 200)
    for group in queries:
        url = f"{reverse('search:page')}?{urlencode({'q': spaced(group)})}"
        for headers in ({}, HTMX_SEARCH):
            page = scene.page("reader", url, headers=headers)
            page.show("search query", group)
            if group in titles:
                page.show("record title", group)
    for name in ("moderation:appeals", "moderation:actions"):
        page = scene.page(MODERATOR, reverse(name))
        page.show("moderator reason", usable)
        page.show("appeal text", usable)
