"""Lineage pages: remix a record, edit a record's sources, the remix tree, credits, the
JSON-LD export, remix requests, and the licence table."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.models import User
from riffhouse.core import fragments
from riffhouse.core.errors import ApplicationError
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.page_cache import every_member, members_share, public_page
from riffhouse.lineage import exports, remix_form, rules, selectors, services
from riffhouse.lineage.forms import (
    RemixForm,
    SourceFormSet,
    SourcesEditForm,
    source_specs,
)
from riffhouse.lineage.licences import LICENCES, PERMISSIVENESS
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.templatetags.lineage import period
from riffhouse.records import content
from riffhouse.records import selectors as record_selectors
from riffhouse.records import services as record_services


@public_page()
@require_safe
def licence_list(request: HttpRequest) -> HttpResponse:
    licences = [LICENCES[code] for code in PERMISSIVENESS]
    rows = [
        (terms, [LICENCES[c] for c in PERMISSIVENESS if c in terms.allows]) for terms in licences
    ]
    return render(request, "lineage/licences.html", {"rows": rows})


# Remix -------------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET", "POST"])
def remix_new(request: HttpRequest, record_id: int) -> HttpResponse:
    """The upload form with the source filled in; more sources can be added with the picker.
    The record is created by `record_create`, as on the upload page, with the sources."""
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.user  # type: ignore[assignment]
    source = record_selectors.record_get_remixable(viewer=request.user, record_id=record_id)
    form, formset = remix_form.remix_forms(request=request, viewer=user, source=source)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        try:
            remix = record_services.record_create(
                author=user,
                rate_limit=True,
                sources=source_specs(formset),
                licence=data["licence"],
                visibility=data["visibility"],
                message=data["message"],
                **form.record_create_fields(),
            )
        except ApplicationError as error:
            remix_form.remix_form_refusal(form=form, error=error)
        else:
            if remix.visibility == "draft" and data["visibility"] == "published":
                messages.info(
                    request,
                    "Your remix is saved as a draft: it is published as soon as the authors "
                    "you asked approve.",
                )
            return redirect(remix)
    return render(
        request,
        "lineage/remix.html",
        remix_form.remix_form_context(viewer=user, source=source, form=form, formset=formset),
        status=400 if form.errors or formset.errors or formset.non_form_errors() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sources_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    record = record_selectors.record_get_editable(viewer=request.user, record_id=record_id)
    rows = selectors.record_sources(viewer=user, record=record)
    initial = [
        {
            "record": str(row.link.source_id),
            "version": row.link.source_version.number,
            "usage": row.link.usage,
            "start": row.link.start_ms / 1000 if row.link.start_ms is not None else None,
            "end": row.link.end_ms / 1000 if row.link.end_ms is not None else None,
        }
        for row in rows
    ]
    form = SourcesEditForm(request.POST or None)
    formset = SourceFormSet(request.POST or None, prefix="sources", initial=initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            record_services.record_update(
                actor=user,
                record=record,
                sources=source_specs(formset),
                message=form.cleaned_data["message"],
            )
        except ApplicationError as error:
            form.add_error(None, error.detail)
        else:
            messages.success(request, "Sources saved.")
            return redirect(record)
    return render(
        request,
        "lineage/sources_edit.html",
        {
            **remix_form.sources_picked(
                viewer=user,
                formset=formset,
                held={row.link.source_id: row.held for row in rows if row.held},
            ),
            "form": form,
            "record": record,
            "rows": rows,
        },
        status=400 if form.errors or formset.errors else 200,
    )


def _ids(request: HttpRequest, name: str) -> list[int]:
    """Record ids from the query string; a 400 for anything else."""
    values = request.GET.getlist(name)
    if len(values) > rules.MAX_SOURCES or not all(v.isdigit() and len(v) < 10 for v in values):
        raise ApplicationError(
            f"“{name}” takes up to {rules.MAX_SOURCES} record numbers.", code="invalid_" + name
        )
    return [int(v) for v in values]


@login_required
@require_safe
def source_search(request: HttpRequest) -> HttpResponse:
    """The source picker's results as you type (an htmx fragment): records the member may
    build on by title or author, those closed to remixes marked with the reason, those
    already chosen (`chosen`) marked, the record being edited (`exclude`) left out."""
    query = request.GET.get("q", "")
    chosen = _ids(request, "chosen")
    candidates = selectors.source_candidates(
        viewer=request.user, query=query, exclude_ids=_ids(request, "exclude")
    )
    return render(
        request,
        "lineage/_source_results.html",
        {
            "query": " ".join(query.split()),
            "candidates": candidates,
            "chosen": set(chosen),
            "empty_form": SourceFormSet(prefix="sources").empty_form,
        },
    )


@login_required
@require_safe
def source_licences(request: HttpRequest) -> HttpResponse:
    """The remix form's licence field for the chosen sources (`source`, repeated): only the
    licences they all allow, the member's choice (`licence`) kept if still allowed, else the
    proposed one, and why (an htmx fragment, swapped in as the sources change)."""
    chosen = selectors.source_candidates_get(
        viewer=request.user, record_ids=_ids(request, "source")
    )
    options = rules.licence_options(sources=[c.record for c in chosen.values()])
    current = request.GET.get("licence", "")
    form = RemixForm(initial={"licence": current if current in options.codes else options.proposed})
    form.offer_licences(options)
    return render(request, "_field.html", {"field": form["licence"]})


# The graph ---------------------------------------------------------------------------------
def _tree_shared(*, request: HttpRequest, facts: Mapping[str, Any]) -> bool:
    """A public record's tree is the same for every member but those who would see a record
    of their own in it that others do not: its author, the authors of its ancestors on the
    page that are not public (and not deleted), and members with a direct source or remix
    of theirs (the remixes are read per viewer)."""
    user: User = request.user  # type: ignore[assignment]
    return user.pk not in facts["own"] and not selectors.record_page_personal(
        viewer=user, record_id=facts["record_id"]
    )


@public_page(members=_tree_shared)
@require_safe
def tree(request: HttpRequest, record_id: int) -> HttpResponse:
    """The remix tree, drawn by lineage-tree.js from the lineage API; the lists below the
    drawing are the same tree for screen readers and browsers without JavaScript."""
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    ancestors = selectors.lineage_page(
        viewer=request.user, record=record, direction="ancestors", limit=50
    )
    descendants = selectors.lineage_page(
        viewer=request.user, record=record, direction="descendants", limit=50
    )
    if record.is_public:  # kept for members (decision 0042)
        own = {record.author_id} | {
            node.record.author_id
            for node in ancestors.items
            if not node.record.is_public and node.record.deleted_at is None
        }
        members_share(request, record_id=record.pk, own=frozenset(own))
    return render(
        request,
        "lineage/tree.html",
        {
            "record": record,
            "center": selectors.node_get(viewer=request.user, record=record),
            "ancestors": ancestors,
            "descendants": descendants,
            "api_url": reverse("api:record_lineage", args=[record.pk]),
        },
    )


@public_page(members=record_selectors.record_page_shared)
@require_safe
def remixes(request: HtmxHttpRequest, record_id: int) -> HttpResponse:
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    if record.is_public:  # the same for members as the record's page (decision 0042)
        members_share(request, record_id=record.pk, author_id=record.author_id)
    page = selectors.record_remixes(
        viewer=request.user, record=record, cursor=request.GET.get("cursor") or None, limit=24
    )
    context = {"record": record, "page": page}
    if request.htmx:
        return render(request, "lineage/remixes.html#items", context)
    return render(request, "lineage/remixes.html", context)


# The credits page's table and what it includes (their sources are part of its key).
CREDIT_TABLE_TEMPLATES = ("lineage/_credit_table.html", "accounts/_avatar.html")


@public_page(members=every_member)
@require_safe
def credits(request: HttpRequest, record_id: int) -> HttpResponse:
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    if record.is_public:  # the same page for every member (decision 0042)
        members_share(request)
    # The table is the same for everyone: from the cache, read only when it is not there.
    credits_html = fragments.fragment(
        "credits",
        record.pk,
        templates=CREDIT_TABLE_TEMPLATES,
        context=lambda: {
            "credits": selectors.record_credits(record=record),
            "MEDIA_URL": settings.MEDIA_URL,  # for the avatars; no context processors run
        },
    )
    return render(request, "lineage/credits.html", {"record": record, "credits_html": credits_html})


@public_page()
@require_safe
def jsonld(request: HttpRequest, record_id: int) -> HttpResponse:
    """The lineage as JSON-LD (schema.org and W3C PROV), at a stable address."""
    record = record_selectors.record_get_visible(viewer=request.user, record_id=record_id)
    response = JsonResponse(
        exports.lineage_jsonld(request, record),
        content_type="application/ld+json",
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Cache-Control"] = "public, max-age=300" if record.is_public else "private, no-store"
    return response


# Remix requests ----------------------------------------------------------------------------
@login_required
@require_safe
def requests(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    incoming = selectors.remix_request_list(viewer=user, incoming=True)
    pending = [r for r in incoming if r.status == RemixRequest.Status.PENDING]
    previews = selectors.remix_request_previews(requests=pending)
    return render(
        request,
        "lineage/requests.html",
        {
            "pending": [(r, previews.get(r.pk)) for r in pending],
            "answered": [r for r in incoming if r.status != RemixRequest.Status.PENDING][:50],
            "sent": selectors.remix_request_list(viewer=user, incoming=False),
        },
    )


@login_required
@require_safe
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    """One remix request with the remix in view: what the source's author decides on (and,
    for the remixer, what happened to it)."""
    page = selectors.remix_request_get(viewer=request.user, request_id=request_id)
    return render(
        request,
        "lineage/request.html",
        {"page": page, "req": page.request, "max_asks": rules.MAX_ASKS},
    )


def _back(request: HttpRequest, fallback: str) -> str:
    """Where a decision form came from (the notifications, the requests list), if it is
    this site; else `fallback`."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: int, decision: str) -> HttpResponse:
    """Approve or decline, with the optional note: one click from the request page, the
    requests list or the notification."""
    user: User = request.user  # type: ignore[assignment]
    back = _back(request, reverse("lineage:request", args=[request_id]))
    try:
        remix_request = services.remix_request_decide(
            actor=user,
            request_id=request_id,
            approve=decision == "approve",
            note=request.POST.get("note", ""),
        )
    except ApplicationError as error:
        if error.status in {403, 404}:
            raise  # not theirs to answer: the error page, as before
        messages.error(request, error.detail)
        return redirect(back)
    title = remix_request.remix.title
    if remix_request.status == RemixRequest.Status.APPROVED:
        messages.success(request, f"You approved “{title}”{period(title)} Its author is told.")
    else:
        messages.info(
            request, f"You declined “{title}”{period(title)} It stays a draft; its author is told."
        )
    return redirect(back)


@login_required
@require_POST
def request_ask_again(request: HttpRequest, request_id: int) -> HttpResponse:
    """After a decline, the remixer asks once more with a new message."""
    user: User = request.user  # type: ignore[assignment]
    page = selectors.remix_request_get(viewer=user, request_id=request_id)
    back = _back(request, page.request.remix.get_absolute_url())
    try:
        services.remix_request_create(
            actor=user,
            source_id=page.request.source_id,
            remix_id=page.request.remix_id,
            message=request.POST.get("message", ""),
        )
    except ApplicationError as error:
        messages.error(request, error.detail)
        return redirect(back)
    owner = page.request.owner.name if page.request.owner else "The author"
    messages.success(request, f"You asked again. {owner} is told; the remix waits for the answer.")
    return redirect(back)
