"""Production pages: start and edit a production, its call page, history, producers and
status; needs; browsing open calls and released productions; the cover file.

The released production's page is `show.show_page` (its own module); curation, the
lineup and the fairness report have their own view modules and are linked from the
producers' tools by path.
"""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import user_get_public
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.core.files import serve_stored_file
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.page_cache import public_page
from riffhouse.lineage.forms import record_ref
from riffhouse.productions import browse, covers, selectors, services, show, views_submissions
from riffhouse.productions.forms import NeedForm, ProducerAddForm, ProductionForm
from riffhouse.productions.models import Need, Production, ProductionKind, ProductionStatus
from riffhouse.records import content
from riffhouse.records import selectors as records
from riffhouse.records.models import Record

# The button for each move `services.STATUS_MOVES` allows (a test keeps the two tables
# alike), with its words and, for the moves that take something away from members, a
# confirmation shown before the button.
STATUS_MOVE_BUTTONS: dict[str, list[tuple[str, str, str]]] = {
    ProductionStatus.DRAFT: [
        ("open", "Open for submissions", ""),
        ("curating", "Go straight to curating", ""),
    ],
    ProductionStatus.OPEN: [
        ("curating", "Close submissions and curate", "Members can no longer submit."),
        ("draft", "Back to draft", "Only its producers will see it until you open it again."),
    ],
    ProductionStatus.CURATING: [("open", "Reopen for submissions", "")],
    ProductionStatus.RELEASED: [
        ("archived", "Archive", "It leaves the lists of released productions.")
    ],
    ProductionStatus.ARCHIVED: [("released", "Bring it back from the archive", "")],
}
STATUS_DONE = {
    "open": "It is open: members can answer its needs.",
    "curating": "Submissions are closed: time to curate.",
    "draft": "It is a draft again: only its producers see it.",
    "archived": "It is archived.",
    "released": "It is back among the released productions.",
}


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _same_minute(sent: datetime | None, stored: datetime | None) -> datetime | None:
    """The stored deadline when the form sent it back unchanged (a datetime field keeps
    minutes only), so an edit of something else never trips over a deadline that passed."""
    if sent is not None and stored is not None and sent == stored.replace(second=0, microsecond=0):
        return stored
    return sent


def producer_tools(production: Production) -> dict[str, str]:
    """The producers' pages of `production`."""
    args = [production.pk]
    return {
        "edit": reverse("productions:edit", args=args),
        "needs": reverse("productions:need_new", args=args),
        "producers": reverse("productions:producers", args=args),
        "history": reverse("productions:history", args=args),
        "curate": reverse("productions:curate", args=args),
        "lineup": reverse("productions:lineup", args=args),
        "fairness": reverse("productions:fairness", args=args),
    }


# Start, edit -------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def production_new(request: HttpRequest) -> HttpResponse:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    form = ProductionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused cover leaves no production behind
                production = services.production_create(
                    actor=_user(request),
                    kind=data["kind"],
                    title=data["title"],
                    theme=data["theme"],
                    brief=data["brief"],
                    submission_deadline=data["submission_deadline"],
                )
                upload = content.Upload.of(data.get("cover"))
                if upload is not None:
                    covers.production_cover_set(
                        actor=_user(request), production=production, upload=upload
                    )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request, "Your production is started as a draft. Add needs, then open it."
            )
            return redirect(production)
    return render(
        request, "productions/form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
def production_edit(request: HttpRequest, production_id: int) -> HttpResponse:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    production = selectors.production_get_for_producer(
        viewer=request.user, production_id=production_id
    )
    released = production.status in {ProductionStatus.RELEASED, ProductionStatus.ARCHIVED}
    initial = {
        "kind": production.kind,
        "title": production.title,
        "theme": production.theme,
        "brief": production.brief,
        "submission_deadline": production.submission_deadline,
    }
    form = ProductionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_cover=production.cover_id is not None,
        released=released,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {name: data[name] for name in initial if name in data}
        if "submission_deadline" in changes:
            changes["submission_deadline"] = _same_minute(
                changes["submission_deadline"], production.submission_deadline
            )
        try:
            with transaction.atomic():
                services.production_update(actor=_user(request), production=production, **changes)
                upload = content.Upload.of(data.get("cover"))
                if upload is not None:
                    covers.production_cover_set(
                        actor=_user(request), production=production, upload=upload
                    )
                elif data.get("remove_cover"):
                    covers.production_cover_remove(actor=_user(request), production=production)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect(production)
    return render(
        request,
        "productions/form.html",
        {
            "form": form,
            "production": production,
            "cover_url": covers.cover_url(production=production),
        },
        status=400 if form.errors else 200,
    )


# The production page -----------------------------------------------------------------------
@public_page()
@require_safe
def production_detail(request: HttpRequest, production_id: int) -> HttpResponse:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    if production.is_released:
        return show.show_page(
            request, production, producer_context=_producer_context(request, production)
        )
    return render(request, "productions/detail.html", _detail_context(request, production))


def _producer_context(request: HttpRequest, production: Production) -> dict[str, Any]:
    """The producers' tools and status moves, for a producer (nothing for anyone else)."""
    if not selectors.is_producer(viewer=request.user, production=production):
        return {"is_producer": False}
    return {
        "is_producer": True,
        "tools": producer_tools(production),
        "moves": STATUS_MOVE_BUTTONS.get(production.status, []),
    }


def _detail_context(request: HttpRequest, production: Production) -> dict[str, Any]:
    is_producer = selectors.is_producer(viewer=request.user, production=production)
    needs = list(selectors.production_needs(production=production))
    now = timezone.now()
    for need in needs:
        need.effective_deadline = need.deadline or production.submission_deadline  # type: ignore[attr-defined]
        need.closing_soon = browse.closing_soon(deadline=need.effective_deadline, now=now)  # type: ignore[attr-defined]
    return {
        "production": production,
        "producers": selectors.production_producers(production=production),
        "needs": needs,
        "is_producer": is_producer,
        "cover_url": covers.cover_url(production=production),
        "closing_soon": browse.closing_soon(deadline=production.submission_deadline, now=now),
        "deadline_passed": production.submission_deadline is not None
        and production.submission_deadline <= now,
        "tools": producer_tools(production) if is_producer else None,
        "moves": STATUS_MOVE_BUTTONS.get(production.status, []) if is_producer else [],
    }


@login_required
@require_POST
def production_status(request: HttpRequest, production_id: int) -> HttpResponse:
    production = selectors.production_get_for_producer(
        viewer=request.user, production_id=production_id
    )
    status = request.POST.get("status", "")
    try:
        services.production_status_set(actor=_user(request), production=production, status=status)
    except ApplicationError as error:
        if error.status == 404:
            raise
        if production.is_released:
            context = {**_producer_context(request, production), "status_error": error.detail}
            return show.show_page(
                request, production, producer_context=context, status=error.status
            )
        context = _detail_context(request, production)
        context["status_error"] = error.detail
        return render(request, "productions/detail.html", context, status=error.status)
    messages.success(request, STATUS_DONE.get(status, "Done."))
    # A move made from another of the production's pages (the fairness page's "Close
    # submissions and start curating") comes back there; anywhere else, its own page.
    back = request.POST.get("next", "")
    if back.startswith(f"/productions/{production.pk}/") and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(production)


@require_safe
def production_history(request: HttpRequest, production_id: int) -> HttpResponse:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    revisions = list(browse.production_revisions(production=production)[:200])
    return render(
        request,
        "productions/history.html",
        {
            "production": production,
            "revisions": revisions,
            "is_producer": selectors.is_producer(viewer=request.user, production=production),
        },
    )


# Producers ---------------------------------------------------------------------------------
def _producers_page(
    request: HttpRequest,
    production: Production,
    form: ProducerAddForm,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    producers = selectors.production_producers(production=production)
    return render(
        request,
        "productions/producers.html",
        {
            "production": production,
            "producers": producers,
            "form": form,
            "remove_error": error,
            "only_one": len(producers) <= 1,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def production_producers(request: HttpRequest, production_id: int) -> HttpResponse:
    production = selectors.production_get_for_producer(
        viewer=request.user, production_id=production_id
    )
    form = ProducerAddForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = user_get_public(username=form.cleaned_data["username"])
            services.producer_add(actor=_user(request), production=production, user=member)
        except ApplicationError as error:
            form.add_error("username", error.detail)
            status = 409 if error.status == 409 else 400
            return _producers_page(request, production, form, status=status)
        messages.success(request, f"{member.name} now produces “{production.title}” with you.")
        return redirect("productions:producers", production_id=production.pk)
    return _producers_page(request, production, form, status=400 if form.errors else 200)


@login_required
@require_POST
def producer_remove(request: HttpRequest, production_id: int, username: str) -> HttpResponse:
    production = selectors.production_get_for_producer(
        viewer=request.user, production_id=production_id
    )
    member = next(
        (
            p
            for p in selectors.production_producers(production=production)
            if p.username == username
        ),
        None,
    )
    if member is None:
        raise NotFound(f"{username} does not produce it.")
    try:
        services.producer_remove(actor=_user(request), production=production, user=member)
    except ApplicationError as error:
        return _producers_page(
            request, production, ProducerAddForm(), error=error.detail, status=error.status
        )
    if member.pk == request.user.pk:
        messages.success(request, f"You stepped down from “{production.title}”.")
        if production.status == ProductionStatus.DRAFT:
            return redirect(_user(request))  # a draft is its producers' only
        return redirect(production)
    messages.success(request, f"{member.name} no longer produces “{production.title}”.")
    return redirect("productions:producers", production_id=production.pk)


# Needs -------------------------------------------------------------------------------------
def _need_changes(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": data["title"],
        "description": data["description"],
        "kinds": data["kinds"],
        "wanted": data["wanted"],
        "deadline": data["deadline"],
        "seed": data["seed"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def need_new(request: HttpRequest, production_id: int) -> HttpResponse:
    production = selectors.production_get_for_producer(
        viewer=request.user, production_id=production_id
    )
    form = NeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            need = services.need_create(
                actor=_user(request), production=production, **_need_changes(form.cleaned_data)
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, f"“{need.title}” is added.")
            return redirect(production)
    return render(
        request,
        "productions/need_form.html",
        {"form": form, "production": production, "seed": _seed_preview(request, form)},
        status=_form_status(form),
    )


def _form_status(form: NeedForm) -> int:
    return 400 if form.errors else 200


def _need_for_producer(request: HttpRequest, need_id: int) -> Need:
    need = selectors.need_get_visible(viewer=request.user, need_id=need_id)
    selectors.production_check_producer(actor=request.user, production=need.production)
    return need


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _need_for_producer(request, need_id)
    initial = {
        "title": need.title,
        "description": need.description,
        "kinds": need.kind_list,
        "wanted": need.wanted,
        "deadline": need.deadline,
        "seed": str(need.seed_id or ""),
    }
    form = NeedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = _need_changes(form.cleaned_data)
            changes["deadline"] = _same_minute(changes["deadline"], need.deadline)
            services.need_update(actor=_user(request), need=need, **changes)
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect("productions:need", need_id=need.pk)
    return render(
        request,
        "productions/need_form.html",
        {
            "form": form,
            "production": need.production,
            "need": need,
            "seed": _seed_preview(request, form),
        },
        status=_form_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_delete(request: HttpRequest, need_id: int) -> HttpResponse:
    need = _need_for_producer(request, need_id)
    error = ""
    if request.method == "POST":
        try:
            services.need_delete(actor=_user(request), need=need)
        except ApplicationError as refusal:
            error = refusal.detail
        else:
            messages.success(request, f"“{need.title}” is removed.")
            return redirect(need.production)
    return render(
        request,
        "productions/need_delete.html",
        {"need": need, "production": need.production, "error": error},
        status=409 if error else 200,
    )


def _seed_record(request: HttpRequest, record_id: int | None) -> Record | None:
    """A seed record with what its card shows, if the viewer may see it."""
    if record_id is None:
        return None
    return records.record_card_get(viewer=request.user, record_id=record_id)


def _seed_preview(request: HttpRequest, form: NeedForm) -> dict[str, Any] | None:
    """The record the seed field names, for the form to show its title (or say it is not
    a record the viewer can see)."""
    raw = form["seed"].value()
    if not raw:
        return None
    record_id = record_ref(raw)
    if record_id is None:
        return None  # the field says what is wrong
    record = _seed_record(request, record_id)
    return {"record": record, "raw": raw}


@require_safe
def seed_preview(request: HttpRequest) -> HttpResponse:
    """The seed field's preview (htmx, as the producer types a number or an address)."""
    form = NeedForm(request.GET or None)
    return render(
        request, "productions/need_form.html#seed", {"seed": _seed_preview(request, form)}
    )


@public_page()
@require_safe
def need_detail(request: HttpRequest, need_id: int) -> HttpResponse:
    need = selectors.need_get_visible(viewer=request.user, need_id=need_id)
    production = need.production
    deadline = need.deadline or production.submission_deadline
    return render(
        request,
        "productions/need.html",
        {
            "need": need,
            "production": production,
            "seed": _seed_record(request, need.seed_id),
            "deadline": deadline,
            "closing_soon": browse.closing_soon(deadline=deadline),
            "deadline_passed": deadline is not None and deadline <= timezone.now(),
            "is_producer": selectors.is_producer(viewer=request.user, production=production),
            **views_submissions.need_submit_context(viewer=request.user, need=need),
            "cover_url": covers.cover_url(production=production),
        },
    )


# Browse ------------------------------------------------------------------------------------
def _link(params: dict[str, str], **changes: str) -> str:
    return "?" + urlencode({k: v for k, v in {**params, **changes}.items() if v})


@public_page()
@require_safe
def calls(request: HtmxHttpRequest) -> HttpResponse:
    """Open calls, closing soonest first."""
    page = browse.production_feed(status="open", cursor=request.GET.get("cursor") or None)
    context = {
        "page": page,
        "more_url": _link({}, cursor=page.next_cursor) if page.next_cursor else "",
    }
    if request.htmx:
        return render(request, "productions/calls.html#cards", context)
    return render(request, "productions/calls.html", context)


@public_page()
@require_safe
def production_list(request: HtmxHttpRequest) -> HttpResponse:
    """Released productions by kind and theme, newest first; `?producer=` a member's."""
    producer = request.GET.get("producer", "")
    if producer:
        return _member_productions(request, producer)
    params = {
        name: request.GET.get(name, "") for name in ("kind", "theme") if request.GET.get(name)
    }
    page = browse.production_feed(
        status="released",
        kind=params.get("kind"),
        theme=params.get("theme"),
        cursor=request.GET.get("cursor") or None,
    )
    context = {
        "page": page,
        "kind": params.get("kind", ""),
        "theme": params.get("theme", ""),
        "kind_tabs": [("", "Everything", _link(params, kind=""))]
        + [(value, label, _link(params, kind=value)) for value, label in ProductionKind.choices],
        "theme_chips": [(t, _link(params, theme=t)) for t in browse.released_themes()],
        "all_themes_url": _link(params, theme=""),
        "more_url": _link(params, cursor=page.next_cursor) if page.next_cursor else "",
    }
    if request.htmx:
        return render(request, "productions/browse.html#cards", context)
    return render(request, "productions/browse.html", context)


def _member_productions(request: HtmxHttpRequest, username: str) -> HttpResponse:
    member = user_get_public(username=username)
    page = browse.member_productions(
        viewer=request.user, member=member, cursor=request.GET.get("cursor") or None
    )
    context = {
        "page": page,
        "member": member,
        "more_url": _link({"producer": member.username}, cursor=page.next_cursor)
        if page.next_cursor
        else "",
    }
    if request.htmx:
        return render(request, "productions/browse.html#member", context)
    return render(request, "productions/browse.html", context)


@require_safe
def production_cover(request: HttpRequest, production_id: int, key: str) -> HttpResponseBase:
    """A production's processed cover, for anyone who may see the production."""
    production, name = covers.production_cover_file_get(
        viewer=request.user, production_id=production_id, key=str(key)
    )
    return serve_stored_file(
        request,
        name,
        "image/webp",
        public=production.status != ProductionStatus.DRAFT,
        download_name=f"production-{production.pk}-cover",
    )
