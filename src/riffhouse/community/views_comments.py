"""Comment pages: the comment section shown on record and production pages (through the
`comment_section` template tag, which renders it with `section_context`), and the forms it
posts — write, reply, edit, delete (after a confirmation), pin — and the permalink
`community:comment`, which leads to the comment in its page.

An htmx request gets the fragment that changed (the new comment, the edited one, the
tombstone, the section after a pin) — with the heading's count swapped out of band when
the write moved it — and, on a refusal, its form again with the reason in place
(retargeted, answered 200 so htmx swaps it). Without JavaScript every form posts and
redirects to the comment in its page, or shows the form again with the reason.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.community.comments import selectors, services
from riffhouse.community.comments.text import MAX_BODY_CHARS
from riffhouse.community.models import Comment
from riffhouse.core.errors import ApplicationError, PermissionDenied
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.productions.models import Production, Segment
from riffhouse.records.models import Record
from riffhouse.records.selectors import Viewer

SECTION = "community/comments/_section.html"
PAGE = "community/comments/page.html"
# The production page's query parameter naming the segment whose comments it shows
# (`?segment=N` is the player's deep link there).
SEGMENT_PARAM = "segment_comments"


# The section ---------------------------------------------------------------------------------
def query_int(value: object) -> int | None:
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 10 else None


def _target_post_url(
    *, record: Record | None, production: Production | None, segment_number: int | None
) -> str:
    if record is not None:
        return reverse("community:record_comments", args=[record.pk])
    assert production is not None
    url = reverse("community:production_comments", args=[production.pk])
    return f"{url}?segment={segment_number}" if segment_number else url


def section_context(
    request: HttpRequest,
    *,
    record: Record | None = None,
    production: Production | None = None,
    segment_number: int | None = None,
    focus_id: int | None = None,
    show_id: int | None = None,
    cursor: str | None = None,
) -> dict[str, Any]:
    """What the comment section shows `request.user` on a record's or a production's page
    (or a segment's), its first page of threads with the permalinked one first (and
    `show_id`'s comment shown although the viewer blocked its author). A fixed number of
    queries: the threads (at most four), the count, and for a released production its
    segments' names (the chooser) and its producers (who may pin)."""
    viewer: Viewer = request.user
    segments: list[tuple[int, str]] = []
    if production is not None and production.is_released:
        rows = Segment.objects.filter(production=production).order_by("position")
        segments = [
            (number, title or version_title)
            for number, (title, version_title) in enumerate(
                rows.values_list("title", "record_version__title"), start=1
            )
        ]
        if segment_number is not None and not 1 <= segment_number <= len(segments):
            segment_number = None
    elif production is not None:
        segment_number = None
    page = selectors.comment_threads(
        viewer=viewer,
        record=record,
        production=production,
        segment_number=segment_number,
        focus_id=focus_id,
        show_id=show_id,
        cursor=cursor,
    )
    count = selectors.comment_count(
        record_id=record.pk if record is not None else None,
        production_id=production.pk if production is not None else None,
    )
    post_url = _target_post_url(record=record, production=production, segment_number=segment_number)
    base_url = (
        record.get_absolute_url()
        if record is not None
        else reverse("productions:detail", args=[production.pk])  # type: ignore[union-attr]
    )
    return {
        "comments_page": page,
        "comment_count": count,
        "record": record,
        "production": production,
        "segment_number": segment_number,
        "segment_title": segments[segment_number - 1][1] if segment_number else "",
        "segments": segments,
        "segment_param": SEGMENT_PARAM,
        "base_url": base_url,
        "section_url": _target_post_url(record=record, production=production, segment_number=None),
        "post_url": post_url,
        "more_url": post_url,
        "can_pin": page.can_pin,
        "moderator": page.moderator,
        "max_chars": MAX_BODY_CHARS,
        "login_url": f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}",
    }


def _viewer_context(request: HttpRequest, comment: Comment) -> dict[str, Any]:
    """What one comment's fragment needs besides the comment."""
    moderator = selectors.is_moderator(viewer=request.user)
    return {
        "c": comment,
        "moderator": moderator,
        "can_pin": comment.root_id is None
        and selectors.may_pin(viewer=request.user, comment=comment),
        "max_chars": MAX_BODY_CHARS,
    }


def _section_response(
    request: HtmxHttpRequest,
    *,
    record: Record | None = None,
    production: Production | None = None,
    segment_number: int | None = None,
) -> HttpResponse:
    """The section (htmx fills the page's placeholder with it; without JavaScript it is a
    page of its own), or with `?cursor=` its older threads. `?comment=<id>` brings that
    comment's thread first, and `&show=1` shows it although the viewer blocked its author
    (the "Show" link of a collapsed comment, without JavaScript)."""
    cursor = request.GET.get("cursor") or None
    focus_id = query_int(request.GET.get("comment"))
    context = section_context(
        request,
        record=record,
        production=production,
        segment_number=segment_number,
        cursor=cursor,
        focus_id=focus_id,
        show_id=focus_id if request.GET.get("show") == "1" else None,
    )
    if request.htmx:
        return render(request, f"{SECTION}#{'threads' if cursor else 'section'}", context)
    title = record.title if record is not None else production.title  # type: ignore[union-attr]
    mode = "threads" if cursor else "section"
    return render(request, PAGE, {**context, "mode": mode, "title": f"Comments on {title}"})


# Writing -------------------------------------------------------------------------------------
def _refused(
    request: HtmxHttpRequest,
    error: ApplicationError,
    context: dict[str, Any],
    *,
    form_id: str,
    partial: str,
) -> HttpResponse:
    """The form again with the reason: in place for htmx, a page of its own otherwise."""
    context = {**context, "error": error.detail, "form_id": form_id, "max_chars": MAX_BODY_CHARS}
    if request.htmx:
        response = render(request, f"{SECTION}#{partial}", context)
        response["HX-Retarget"] = f"#{form_id}"
        response["HX-Reswap"] = "outerHTML"
    else:
        response = render(request, PAGE, {**context, "mode": partial}, status=error.status)
    for name, value in error.headers.items():
        response[name] = value
    return response


def _create(
    request: HtmxHttpRequest,
    *,
    record: Record | None = None,
    production: Production | None = None,
    segment_number: int | None = None,
    parent: Comment | None = None,
) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    body = request.POST.get("body", "")
    try:
        comment = services.comment_create(
            author=user,
            body=body,
            record=record,
            production=production,
            segment_number=segment_number,
            parent=parent,
        )
    except ApplicationError as error:
        if error.status == 404:
            raise
        if parent is not None:
            context = {"c": parent, "body": body, "action": _reply_url(parent)}
            return _refused(
                request, error, context, form_id=f"reply-form-{parent.pk}", partial="reply_form"
            )
        context = {
            "body": body,
            "post_url": _target_post_url(
                record=record, production=production, segment_number=segment_number
            ),
        }
        return _refused(request, error, context, form_id="comment-form", partial="form")
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment.pk)
    if not request.htmx:
        return redirect(selectors.comment_section_url(comment=comment))
    context = {**_viewer_context(request, comment), **_count_oob(comment), "new": True}
    if parent is None:
        context["thread"] = selectors.Thread(comment=comment)
        return render(request, f"{SECTION}#new_thread", context)
    return render(request, f"{SECTION}#new_reply", context)


def _count_oob(comment: Comment) -> dict[str, Any]:
    """For a fragment whose write changed the target's count: the section heading's count,
    swapped in out of band (the `count` partial), one query."""
    count = selectors.comment_count(
        record_id=comment.record_id, production_id=comment.production_id
    )
    return {"comment_count": count, "count_oob": True}


def _reply_url(comment: Comment) -> str:
    return reverse("community:comment_reply", args=[comment.pk])


@require_http_methods(["GET", "HEAD", "POST"])
def record_comments(request: HtmxHttpRequest, record_id: int) -> HttpResponse:
    """POST: comment on the record. GET: its older threads (`?cursor=`)."""
    record = selectors.comment_target_record(record_id=record_id)
    if request.method == "POST":
        return _create(request, record=record)
    return _section_response(request, record=record)


@require_http_methods(["GET", "HEAD", "POST"])
def production_comments(request: HtmxHttpRequest, production_id: int) -> HttpResponse:
    """As `record_comments`, for a production (`?segment=N`: one released segment)."""
    production = selectors.comment_target_production(
        viewer=request.user, production_id=production_id
    )
    segment = request.GET.get("segment")
    segment_number = query_int(segment) if segment else None
    if segment and segment_number is None:
        segment_number = 0  # not a number: refused by the segment check below, as a 400
    if request.method == "POST":
        return _create(request, production=production, segment_number=segment_number)
    selectors.segment_check(production=production, segment_number=segment_number)
    return _section_response(request, production=production, segment_number=segment_number)


@require_POST
def comment_reply(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    parent = selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    return _create(request, parent=parent)


# One comment ---------------------------------------------------------------------------------
@require_safe
def comment_permalink(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    """The comment in its page (its thread first, scrolled to it); htmx gets the comment's
    own fragment (an edit cancelled). `?show=1` and `?show=0` show and collapse again a
    comment by a member the viewer blocked: htmx gets its fragment, a browser without
    JavaScript the comments' own page, where it was asked from."""
    show = request.GET.get("show")
    comment = selectors.comment_get_visible(
        viewer=request.user, comment_id=comment_id, show_blocked=show == "1"
    )
    if request.htmx:
        return render(request, f"{SECTION}#comment", _viewer_context(request, comment))
    if show in ("0", "1"):
        return redirect(selectors.comment_section_url(comment=comment, show_blocked=show == "1"))
    return redirect(selectors.comment_page_url(comment=comment))


@require_safe
def comment_replies(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    """More replies of a thread, oldest first (`?cursor=`)."""
    comment = selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    page = selectors.comment_replies(
        viewer=request.user, comment=comment, cursor=request.GET.get("cursor") or None
    )
    context = {
        **_viewer_context(request, comment),
        "root": comment,
        "replies_page": page,
        "can_pin": False,
    }
    if request.htmx:
        return render(request, f"{SECTION}#more_replies", context)
    return render(request, PAGE, {**context, "mode": "replies", "title": "Replies"})


@require_http_methods(["GET", "HEAD", "POST"])
def comment_edit(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    form_id = f"edit-form-{comment.pk}"
    if request.method != "POST":
        if comment.author_id != user.pk:
            raise PermissionDenied("Only its author can edit a comment.", code="not_author")
        context = {
            "c": comment,
            "body": comment.body,
            "form_id": form_id,
            "max_chars": MAX_BODY_CHARS,
        }
        if request.htmx:
            return render(request, f"{SECTION}#edit_form", context)
        return render(request, PAGE, {**context, "mode": "edit_form", "title": "Edit your comment"})
    body = request.POST.get("body", "")
    try:
        services.comment_edit(actor=user, comment=comment, body=body)
    except ApplicationError as error:
        if error.status == 404:
            raise
        return _refused(
            request, error, {"c": comment, "body": body}, form_id=form_id, partial="edit_form"
        )
    return _changed(request, comment.pk)


def _changed(request: HtmxHttpRequest, comment_id: int, *, counted: bool = False) -> HttpResponse:
    """The comment as it now reads (`counted`: and the heading's count, which moved)."""
    comment = selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    if not request.htmx:
        return redirect(selectors.comment_section_url(comment=comment))
    context = {**_viewer_context(request, comment), "new": True}
    if counted:
        return render(request, f"{SECTION}#changed", {**context, **_count_oob(comment)})
    return render(request, f"{SECTION}#comment", context)


@require_http_methods(["GET", "HEAD", "POST"])
def comment_delete(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    """GET: "Delete this comment?" (in place for htmx); POST: delete it."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    if comment.author_id != user.pk:
        raise PermissionDenied("Only its author can delete a comment.", code="not_author")
    if request.method != "POST":
        context = {"c": comment}
        if request.htmx:
            return render(request, f"{SECTION}#delete_confirm", context)
        return render(
            request, PAGE, {**context, "mode": "delete_confirm", "title": "Delete your comment?"}
        )
    services.comment_delete(actor=user, comment=comment)
    return _changed(request, comment.pk, counted=True)


@require_POST
def comment_pin(request: HtmxHttpRequest, comment_id: int) -> HttpResponse:
    """Pin (`action=pin`) or unpin (`action=unpin`). htmx gets the whole section back:
    the pinned comment moves to the top and another's pin may have been lifted."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user: User = request.user
    comment = selectors.comment_get_visible(viewer=user, comment_id=comment_id)
    unpin = request.POST.get("action") == "unpin"
    if unpin:
        services.comment_unpin(actor=user, comment=comment)
    else:
        services.comment_pin(actor=user, comment=comment)
    if not request.htmx:
        return redirect(selectors.comment_section_url(comment=comment))
    if comment.record is not None:
        context = section_context(request, record=comment.record, focus_id=None)
    else:
        context = section_context(
            request, production=comment.production, segment_number=comment.segment_number
        )
    response = render(
        request, f"{SECTION}#section", {**context, "announce": "Unpinned." if unpin else "Pinned."}
    )
    response["HX-Retarget"] = "#comments"
    response["HX-Reswap"] = "outerHTML"
    return response


@require_safe
def comment_history(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Moderators: a comment's earlier texts."""
    comment = selectors.comment_get_visible(viewer=request.user, comment_id=comment_id)
    revisions = selectors.comment_history(viewer=request.user, comment=comment)
    return render(
        request,
        PAGE,
        {
            **_viewer_context(request, comment),
            "mode": "history",
            "title": "Earlier texts of a comment",
            "revisions": revisions,
        },
    )
