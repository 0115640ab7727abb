"""Moderation pages: the report form (everyone signed in), the moderators' queue with its
action and dismiss forms, recent actions (undo), appeals and their decisions, and the page
a member reaches from the notice of an action on their work (what, why, appeal once)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.community.models import Comment
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.moderation import selectors, services
from riffhouse.moderation.forms import (
    ActionForm,
    AppealForm,
    DecideForm,
    DismissForm,
    ReportForm,
    UndoForm,
)
from riffhouse.moderation.models import TARGET_FIELDS
from riffhouse.moderation.services import TargetRef


def _target_from(data: Any) -> TargetRef:
    """The target a query string or form names (`record=ID`, `comment=ID`, `production=ID`,
    `member=ID` or `member=username`)."""
    given: dict[str, int | None] = {}
    for name in TARGET_FIELDS:
        raw = (data.get(name) or "").strip()
        if not raw:
            continue
        if raw.isdigit():
            given[name] = int(raw)
        elif name == "member":
            found = User.objects.filter(username__iexact=raw[:150]).values_list("pk", flat=True)
            given[name] = found.first() or 0
        else:
            given[name] = 0  # not an id: reported as nothing there
    return services.target_ref(**given)


def _target_url(row: object) -> str:
    if isinstance(row, Comment):
        parent = row.record if row.record_id else row.production
        return f"{parent.get_absolute_url()}#comment-{row.pk}" if parent else "/"
    url = getattr(row, "get_absolute_url", None)
    return url() if url else "/"


def _target_title(kind: str, row: object) -> str:
    if isinstance(row, User):
        return f"{row.name} (@{row.username})"
    if isinstance(row, Comment):
        return f"a comment by {row.author.name if row.author else 'a former member'}"
    return f"“{getattr(row, 'title', '')}”"


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    try:
        target = _target_from(source)
        row, _subject = services.target_load(ref=target)
    except ApplicationError as error:
        return render(request, "error.html", {"error": error}, status=400)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_create(
                reporter=request.user,  # type: ignore[arg-type]
                target=target,
                category=form.cleaned_data["category"],
                text=form.cleaned_data["text"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Thank you. Moderators will look at it.")
            return redirect(_target_url(row))
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(
        request,
        "moderation/report.html",
        {
            "form": form,
            "target": target,
            "title": _target_title(target.kind, row),
            "back": _target_url(row),
        },
        status=status,
    )


@login_required
@require_safe
def queue(request: HtmxHttpRequest) -> HttpResponse:
    """The open reports, the longest-waiting target first, a page at a time: "Show more"
    links to the next page, and htmx asks for that page's cases only."""
    cursor = request.GET.get("cursor") or None
    data = selectors.moderation_queue(viewer=request.user, cursor=cursor)
    more_url = (
        f"{reverse('moderation:queue')}?{urlencode({'cursor': data.next_cursor})}"
        if data.next_cursor
        else None
    )
    context = {
        "queue": data,
        "cursor": cursor,
        "more_url": more_url,
        "action_form": ActionForm(),
        "dismiss_form": DismissForm(),
    }
    if request.htmx:
        return render(request, "moderation/queue.html#cases", context)
    return render(request, "moderation/queue.html", context)


def _query(target: TargetRef) -> str:
    return urlencode({target.kind: target.pk})


@login_required
@require_POST
def action_new(request: HttpRequest) -> HttpResponse:
    selectors.moderator_check(viewer=request.user)
    form = ActionForm(request.POST)
    try:
        target = _target_from(request.POST)
        if not form.is_valid():
            raise ApplicationError(
                " ".join(str(e) for errors in form.errors.values() for e in errors),
                code="invalid",
            )
        action = services.action_take(
            moderator=request.user,  # type: ignore[arg-type]
            target=target,
            kind=form.cleaned_data["kind"],
            reason=form.cleaned_data["reason"],
            until=form.cleaned_data.get("until"),
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(
            request, f"Done: {action.get_kind_display().lower()}. The member is told why."
        )
    return redirect("moderation:queue")


@login_required
@require_POST
def reports_dismiss(request: HttpRequest) -> HttpResponse:
    selectors.moderator_check(viewer=request.user)
    form = DismissForm(request.POST)
    form.is_valid()
    try:
        closed = services.reports_dismiss(
            moderator=request.user,  # type: ignore[arg-type]
            target=_target_from(request.POST),
            note=form.cleaned_data.get("note", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"Dismissed {closed} report{'s' if closed != 1 else ''}.")
    return redirect("moderation:queue")


@login_required
@require_safe
def action_list(request: HttpRequest) -> HttpResponse:
    actions = selectors.actions_recent(viewer=request.user)
    return render(request, "moderation/actions.html", {"actions": actions, "undo_form": UndoForm()})


@login_required
@require_POST
def action_undo(request: HttpRequest, action_id: int) -> HttpResponse:
    selectors.moderator_check(viewer=request.user)
    form = UndoForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Give the reason for undoing it.", code="reason_required")
        services.action_undo(
            moderator=request.user,  # type: ignore[arg-type]
            action_id=action_id,
            reason=form.cleaned_data["reason"],
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Undone. The member is told.")
    return redirect("moderation:actions")


@login_required
@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, action_id: int) -> HttpResponse:
    """What moderators did to the member's work, and why; their one appeal."""
    action = selectors.action_get_for_member(viewer=request.user, action_id=action_id)
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal_create(
                member=request.user,  # type: ignore[arg-type]
                action_id=action.pk,
                text=form.cleaned_data["text"],
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Your appeal is sent. A moderator will decide.")
            return redirect("moderation:appeal", action_id=action.pk)
    return render(
        request,
        "moderation/appeal.html",
        {
            "action": action,
            "appeal": action.appeal_row,  # type: ignore[attr-defined]
            "form": form,
            "is_subject": action.subject_id == request.user.pk,
            "target_url": _action_target_url(action),
        },
        status=400 if request.method == "POST" else 200,
    )


def _action_target_url(action: Any) -> str:
    row = action.record or action.comment or action.production or action.member
    if row is None:
        return ""
    if isinstance(row, Comment):
        return ""  # the comment's page is reached through its record or production
    return _target_url(row)


@login_required
@require_safe
def appeal_list(request: HtmxHttpRequest) -> HttpResponse:
    """The appeals waiting, the oldest first, a page at a time like the queue."""
    cursor = request.GET.get("cursor") or None
    page = selectors.appeals_open(viewer=request.user, cursor=cursor)
    more_url = (
        f"{reverse('moderation:appeals')}?{urlencode({'cursor': page.next_cursor})}"
        if page.next_cursor
        else None
    )
    context = {
        "appeals": page.items,
        "cursor": cursor,
        "more_url": more_url,
        "decide_form": DecideForm(),
    }
    if request.htmx:
        return render(request, "moderation/appeals.html#appeals", context)
    return render(request, "moderation/appeals.html", context)


@login_required
@require_POST
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    selectors.moderator_check(viewer=request.user)
    form = DecideForm(request.POST)
    try:
        if not form.is_valid():
            raise ApplicationError("Choose a decision and write a note.", code="invalid")
        services.appeal_decide(
            moderator=request.user,  # type: ignore[arg-type]
            appeal_id=appeal_id,
            grant=form.cleaned_data["decision"] == "grant",
            note=form.cleaned_data["note"],
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, "Decided. The member is told.")
    return redirect(reverse("moderation:appeals"))
