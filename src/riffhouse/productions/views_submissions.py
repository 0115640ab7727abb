"""Submission pages: answering a need (choose one of mine, upload a new one, remix the
seed), submitting to a production as a whole, the producers' curation board, a
submission's page, a member's submissions and a released production's submissions.

The curation board's actions are plain forms (POST, then back to the board) that htmx
sends in place: an htmx request gets the card and the counts back, not the page."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.lineage import remix_form
from riffhouse.lineage import selectors as lineage_selectors
from riffhouse.lineage.forms import source_specs
from riffhouse.productions import submissions
from riffhouse.productions.models import Need, Submission, SubmissionStatus
from riffhouse.productions.selectors import (
    is_producer,
    need_get_visible,
    production_get_for_producer,
    production_get_visible,
)
from riffhouse.records import content
from riffhouse.records import selectors as record_selectors
from riffhouse.records import services as record_services
from riffhouse.records.forms import RecordForm
from riffhouse.records.models import Kind, Record


def _int(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _record_ref(raw: str) -> int | None:
    """A record named by its number or its address (…/records/12/)."""
    raw = raw.strip().rstrip("/")
    if not raw:
        return None
    return _int(raw.rsplit("/", 1)[-1])


def need_submit_context(*, viewer: Any, need: Need) -> dict[str, Any]:
    """What `_need_submit.html` needs (H1's need page adds it to its context): the viewer's
    published records of the right kinds, with thumbnails, and whether the need is open."""
    mine: list[Record] = []
    answering = 0
    if viewer.is_authenticated:
        mine = submissions.my_records_for_need(viewer=viewer, need=need)
        if not mine:
            answering = submissions.my_submission_count(viewer=viewer, need=need)
    deadline = need.deadline or need.production.submission_deadline
    return {
        "need": need,
        "my_records": mine,
        "my_answering": answering,
        "my_thumbnails": lineage_selectors.record_thumbnails(records=mine),
        "need_open": need.production.status == "open"
        and (deadline is None or deadline > timezone.now()),
    }


# Answering a need ---------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def need_submit(request: HttpRequest, need_id: int) -> HttpResponse:
    """Choose one of my records (or name someone else's) and submit it to the need. GET
    shows the same choices as the need page, on a page of their own."""
    user: User = request.user  # type: ignore[assignment]
    need = need_get_visible(viewer=user, need_id=need_id)
    error = None
    if request.method == "POST":
        record_id = _int(request.POST.get("record")) or _record_ref(request.POST.get("other", ""))
        if record_id is None:
            error = "Choose one of your records, or give a record’s number or address."
        else:
            try:
                submission = submissions.submission_create(
                    actor=user,
                    production=need.production,
                    record=record_id,
                    need=need,
                    message=request.POST.get("message", ""),
                )
            except ApplicationError as exc:
                error = exc.detail
            else:
                messages.success(request, _submitted_message(submission))
                return redirect("productions:submission", submission_id=submission.pk)
    return render(
        request,
        "productions/submit.html",
        {
            **need_submit_context(viewer=user, need=need),
            "production": need.production,
            "error": error,
        },
        status=400 if error else 200,
    )


def _submitted_message(submission: Submission) -> str:
    if submission.consent == "asked":
        author = submission.record.author
        return (
            f"Submitted. {author.name if author else 'Its author'} is asked first: the "
            "producers see it once they approve."
        )
    return "Submitted. You’ll hear here when the producers decide."


@login_required
@require_http_methods(["GET", "POST"])
def production_submit(request: HttpRequest, production_id: int) -> HttpResponse:
    """Submit a record to the production as a whole (outside its needs)."""
    user: User = request.user  # type: ignore[assignment]
    production = production_get_visible(viewer=user, production_id=production_id)
    error = None
    if request.method == "POST":
        record_id = _int(request.POST.get("record")) or _record_ref(request.POST.get("other", ""))
        if record_id is None:
            error = "Choose one of your records, or give a record’s number or address."
        else:
            try:
                submission = submissions.submission_create(
                    actor=user,
                    production=production,
                    record=record_id,
                    message=request.POST.get("message", ""),
                )
            except ApplicationError as exc:
                error = exc.detail
            else:
                messages.success(request, _submitted_message(submission))
                return redirect("productions:submission", submission_id=submission.pk)
    mine = submissions.my_records_to_submit(viewer=user)
    return render(
        request,
        "productions/submit.html",
        {
            "production": production,
            "need": None,
            "my_records": mine,
            "my_thumbnails": lineage_selectors.record_thumbnails(records=mine),
            "need_open": production.status == "open",
            "error": error,
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_upload(request: HttpRequest, need_id: int) -> HttpResponse:
    """The upload form; the new record is submitted to the need when it is published (at
    once for text, once processed for a file)."""
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.user  # type: ignore[assignment]
    need = need_get_visible(viewer=user, need_id=need_id)
    kinds = need.kind_list
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        initial={"remix_policy": user.default_remix_policy, "kind": kinds[0]},
        uploader=user,
    )
    if request.method == "POST" and form.is_valid():
        fields = form.record_create_fields()
        try:
            if fields["kind"] not in kinds:
                raise ApplicationError(
                    f"This need asks for {' or '.join(str(k).lower() for k in need.kind_labels)}.",
                    code="kind_mismatch",
                    field="kind",
                )
            submissions.submission_check_open(production=need.production, need=need)
            with transaction.atomic():
                record = record_services.record_create(
                    author=user,
                    rate_limit=True,
                    licence=form.cleaned_data["licence"],
                    visibility="published",
                    **fields,
                )
                record.refresh_from_db()
                done = submissions.submission_pending_create(
                    actor=user, need=need, record=record, message=request.POST.get("message", "")
                )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return _after_answer(request, done, record, need)
    return render(
        request,
        "productions/submit_upload.html",
        {"form": form, "need": need, "production": need.production},
        status=400 if form.errors else 200,
    )


def _after_answer(request: HttpRequest, done: Any, record: Record, need: Need) -> HttpResponse:
    """Where "Publish and submit" (upload or remix for `need`) lands, saying what became of
    the need: submitted now (the submission's page), or as soon as the record is published
    (its own page, with a link to the need and to "Your submissions", where it shows up)."""
    if isinstance(done, Submission):
        then = _submitted_message(done).removeprefix("Submitted. ")
        messages.success(request, f"Published and submitted to “{need.title}”. {then}")
        return redirect("productions:submission", submission_id=done.pk)
    when = (
        "once its sources’ authors approve and it is published"
        if record.visibility == "draft"
        else "as soon as it is ready"
    )
    messages.info(
        request,
        format_html(
            'Saved. It is submitted to “<a href="{}">{}</a>” {}; '
            '<a href="{}">your submissions</a> will show it.',
            reverse("productions:need", args=[need.pk]),
            need.title,
            when,
            reverse("productions:my_submissions"),
        ),
    )
    return redirect(record)


@login_required
@require_http_methods(["GET", "POST"])
def need_remix(request: HttpRequest, need_id: int) -> HttpResponse:
    """ "Remix the seed": lineage's remix form with the need's seed as its source. Published
    at once, the remix is submitted; waiting for the seed's author (an `ask` seed), it is
    submitted when it is published (`PendingSubmission`)."""
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.user  # type: ignore[assignment]
    need = need_get_visible(viewer=user, need_id=need_id)
    if need.seed_id is None:
        raise NotFound("This need has no seed to remix.")
    source = record_selectors.record_get_remixable(viewer=user, record_id=need.seed_id)
    form, formset = remix_form.remix_forms(request=request, viewer=user, source=source)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        fields = form.record_create_fields()
        try:
            if fields["kind"] not in need.kind_list:
                raise ApplicationError(
                    f"This need asks for {' or '.join(str(k).lower() for k in need.kind_labels)}.",
                    code="kind_mismatch",
                    field="kind",
                )
            submissions.submission_check_open(production=need.production, need=need)
            with transaction.atomic():
                remix = record_services.record_create(
                    author=user,
                    rate_limit=True,
                    sources=source_specs(formset),
                    licence=data["licence"],
                    visibility="published",
                    message=data["message"],
                    **fields,
                )
                remix.refresh_from_db()
                done = submissions.submission_pending_create(actor=user, need=need, record=remix)
        except ApplicationError as error:
            remix_form.remix_form_refusal(form=form, error=error)
        else:
            return _after_answer(request, done, remix, need)
    return render(
        request,
        "productions/submit_remix.html",
        {
            **remix_form.remix_form_context(viewer=user, source=source, form=form, formset=formset),
            "need": need,
            "production": need.production,
        },
        status=400 if form.errors or formset.errors or formset.non_form_errors() else 200,
    )


# The curation board -------------------------------------------------------------------------
def _board_query(request: HttpRequest) -> dict[str, Any]:
    kind = request.GET.get("kind", "")
    return {
        "need_id": _int(request.GET.get("need")),
        "whole": request.GET.get("need") == "none",
        "status": request.GET.get("status") or None,
        "kind": kind if kind in Kind.values else "",
        "cursors": {
            s: request.GET[f"after_{s}"]
            for s in SubmissionStatus.values
            if request.GET.get(f"after_{s}")
        },
    }


@login_required
@require_safe
def curate(request: HtmxHttpRequest, production_id: int) -> HttpResponse:
    """The producers' board for one need (or the production as a whole): a column per
    status, each paged; `?need=`, `?status=`, `?kind=` filter; `after_<status>` pages."""
    production = production_get_for_producer(viewer=request.user, production_id=production_id)
    query = _board_query(request)
    board = submissions.curation_board(viewer=request.user, production=production, **query)
    context = {
        "production": production,
        "board": board,
        "query": query,
        "kinds": Kind.choices,
        "statuses": [(s, SubmissionStatus(s).label) for s in submissions.BOARD_STATUSES],
        "need_param": board.need.pk if board.need else "none",
    }
    if request.htmx and request.GET.get("column"):
        column = next((c for c in board.columns if c.status == request.GET["column"]), None)
        if column is None:
            raise NotFound("No such column.")
        return render(
            request, "productions/curate.html#column-items", {**context, "column": column}
        )
    return render(request, "productions/curate.html", context)


@login_required
@require_POST
def decide(request: HtmxHttpRequest, submission_id: int) -> HttpResponse:
    """One producer action on a submission (`status`, optional `note`). An htmx request
    gets the card in its new state, moved to its new column, and the counts (out of band);
    others go back to the board."""
    user: User = request.user  # type: ignore[assignment]
    submission = submissions.submission_get_visible(viewer=user, submission_id=submission_id)
    production = submission.production
    before = submission.status
    fallback = reverse("productions:curate", args=[production.pk])
    error = None
    try:
        submission = submissions.submission_decide(
            actor=user,
            submission=submission,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        if not request.htmx:
            messages.error(request, exc.detail)
            return redirect(_back(request, fallback))
        error = exc.detail
    if not request.htmx:
        status_label = submission.get_status_display().lower()
        messages.success(request, f"“{submission.record.title}”: {status_label}.")
        return redirect(_back(request, fallback))
    card = submissions.board_card_get(
        viewer=user, production=production, submission_id=submission_id
    )
    # The board says which columns it shows (`board_columns`, curate.html): a card whose
    # new column is on view goes there; otherwise it stays where it is, showing its status.
    on_view = set(request.POST.get("board_columns", "").split())
    moved_to = card.status if card.status != before and card.status in on_view else ""
    counts = submissions.submission_counts(production=production)
    need_counts = counts.get(card.need_id, {})
    response = render(
        request,
        "productions/_submission_card.html",
        {
            "cards": [card],
            "production": production,
            "thumbnails": submissions.thumbnails_for(submissions=[card]),
            "card_errors": {card.pk: error} if error else {},
            "moved_to": moved_to,
            "need_counts": need_counts,
            "need_total": sum(need_counts.values()),
            "need_param": card.need_id or "none",
            "statuses": [(s, SubmissionStatus(s).label) for s in submissions.BOARD_STATUSES],
            "next": _back(request, fallback),
        },
    )
    if moved_to:
        response["HX-Reswap"] = "delete"  # out of its old column; the new one has it
    return response


# A submission's page and lists ---------------------------------------------------------------
@require_safe
def submission_detail(request: HttpRequest, submission_id: int) -> HttpResponse:
    viewer = request.user
    submission = submissions.submission_get_visible(viewer=viewer, submission_id=submission_id)
    is_contributor = viewer.is_authenticated and viewer.pk in {
        submission.submitted_by_id,
        submission.record.author_id,
    }
    return render(
        request,
        "productions/submission.html",
        {
            "s": submission,
            "production": submission.production,
            "history": submissions.submission_history(submission=submission),
            "is_producer": is_producer(viewer=viewer, production=submission.production),
            "can_withdraw": is_contributor
            and submission.status in {"submitted", "shortlisted"}
            and not submission.production.is_released,
            "can_answer": viewer.is_authenticated
            and submission.record.author_id == viewer.pk
            and submission.consent == "asked"
            and submission.status != "withdrawn",
            "thumbnails": submissions.thumbnails_for(submissions=[submission]),
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, submission_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    try:
        submissions.submission_withdraw(actor=user, submission=submission_id)
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Withdrawn.")
    return redirect(_back(request, reverse("productions:submission", args=[submission_id])))


@login_required
@require_POST
def consent(request: HttpRequest, submission_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    approve = request.POST.get("approve") == "1"
    try:
        submissions.submission_consent_decide(
            actor=user, submission=submission_id, approve=approve, note=request.POST.get("note", "")
        )
    except NotFound:
        raise
    except ApplicationError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, "Approved: its producers see it now." if approve else "Declined.")
    return redirect(_back(request, reverse("productions:submission", args=[submission_id])))


@login_required
@require_safe
def my_submissions(request: HttpRequest) -> HttpResponse:
    """Your submissions (and submissions of your records by others), newest first."""
    user: User = request.user  # type: ignore[assignment]
    page = submissions.member_submissions(viewer=user, cursor=request.GET.get("cursor"))
    return render(
        request,
        "productions/submissions_mine.html",
        {
            "page": page,
            "asking": list(submissions.consent_requests(viewer=user)),
            "thumbnails": submissions.thumbnails_for(submissions=page.items),
        },
    )


@require_safe
def production_submissions(request: HttpRequest, production_id: int) -> HttpResponse:
    """A production's submissions: public once it is released; before, its producers see
    them (on the board) and a contributor their own."""
    production = production_get_visible(viewer=request.user, production_id=production_id)
    status = request.GET.get("status") or None
    page = submissions.production_submissions(
        viewer=request.user,
        production=production,
        need_id=_int(request.GET.get("need")),
        status=status,
        cursor=request.GET.get("cursor"),
    )
    return render(
        request,
        "productions/submissions_list.html",
        {
            "production": production,
            "page": page,
            "thumbnails": submissions.thumbnails_for(submissions=page.items),
            "status": status or "",
            "page_statuses": [(v, SubmissionStatus(v).label) for v in submissions.BOARD_STATUSES],
            "is_producer": is_producer(viewer=request.user, production=production),
        },
    )
