"""Record pages: browse, upload, the record page with its viewer, edit, history, delete,
and the files themselves."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from riffhouse.accounts.auth import token_user
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.core.files import serve_stored_file
from riffhouse.core.http import HtmxHttpRequest
from riffhouse.core.page_cache import every_member, members_share, public_page
from riffhouse.records import cards, content, selectors, services
from riffhouse.records.forms import RecordEditForm, RecordForm
from riffhouse.records.models import Kind, ProcessingStatus, Record

DISCOVER = {
    "": ("Newest", {}),
    "remixable": ("Open to remix", {"remixable": True}),
    "never_remixed": ("Never remixed", {"never_remixed": True}),
    "most_remixed": ("Most remixed", {"sort": "most_remixed"}),
}


@public_page(members=every_member)
@require_safe
def record_list(request: HtmxHttpRequest) -> HttpResponse:
    show = request.GET.get("show", "")
    show = show if show in DISCOVER else ""
    params = {
        name: request.GET.get(name, "")
        for name in ("kind", "tag", "author")
        if request.GET.get(name)
    }
    if show:
        params["show"] = show
    # Ids first, then the cards: those in the cache cost no query (decision 0041).
    page = selectors.record_feed_ids(
        viewer=request.user,
        kind=params.get("kind"),
        tag=params.get("tag"),
        author=params.get("author"),
        cursor=request.GET.get("cursor") or None,
        **DISCOVER[show][1],  # type: ignore[arg-type]
    )

    def link(**changes: str) -> str:
        return "?" + urlencode({k: v for k, v in {**params, **changes}.items() if v})

    context = {
        "page": page,
        "cards": cards.cards_for_ids(page.ids),
        "kind": params.get("kind", ""),
        "tag": params.get("tag", ""),
        "author": params.get("author", ""),
        "show": show,
        "kind_tabs": [("", "Everything", link(kind=""))]
        + [(value, label, link(kind=value)) for value, label in Kind.choices],
        "show_tabs": [(value, label, link(show=value)) for value, (label, _) in DISCOVER.items()],
        "more_url": link(cursor=page.next_cursor) if page.next_cursor else "",
    }
    # The same list for every member: kept for them all (decision 0042).
    members_share(request)
    if request.htmx:
        return render(request, "records/list.html#cards", context)
    return render(request, "records/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_new(request: HttpRequest) -> HttpResponse:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.user  # type: ignore[assignment]
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        # ?kind=audio (an "Upload music" link) starts with that kind chosen.
        initial={"remix_policy": user.default_remix_policy, "kind": request.GET.get("kind")},
        uploader=user,
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_create(
                author=user,
                rate_limit=True,
                licence=form.cleaned_data["licence"],
                visibility=form.cleaned_data["visibility"],
                **form.record_create_fields(),
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            return redirect(record)
    drafts = selectors.record_drafts(viewer=request.user)[:10]
    return render(
        request,
        "records/new.html",
        {"form": form, "drafts": drafts},
        status=400 if form.errors else 200,
    )


@public_page(members=selectors.record_page_shared)
@require_safe
def record_detail(request: HttpRequest, record_id: int) -> HttpResponse:
    try:
        record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    except NotFound:
        hidden = selectors.record_get_hidden(record_id=record_id)
        if hidden is None:
            raise
        return render(request, "records/hidden.html", {"record": hidden}, status=403)
    if record.deleted_at is not None:
        return render(request, "records/tombstone.html", {"record": record}, status=410)
    version = selectors.record_version_for(viewer=request.user, record=record)
    if record.is_public:
        members_share(request, record_id=record.pk, author_id=record.author_id)
    return render(request, "records/detail.html", _detail_context(request, record, version))


def _detail_context(request: HttpRequest, record: Record, version: Any) -> dict[str, Any]:
    renditions = {r.label: r for r in version.renditions.all()} if version else {}
    selectors.records_cover_art_attach(records=[record], version_of=lambda _record: version)
    image_sources = sorted(
        (r for r in renditions.values() if r.label.endswith(".webp")), key=lambda r: r.width or 0
    )
    fallbacks = sorted(
        (
            r
            for r in renditions.values()
            if r.label.startswith("w") and not r.label.endswith(".webp")
        ),
        key=lambda r: r.width or 0,
    )
    return {
        "record": record,
        "version": version,
        "renditions": renditions,
        "image_sources": image_sources,
        "image_fallbacks": fallbacks,
        # Title and description of the version this viewer sees: an unpublished version's
        # are its author's alone (the record's own copy is the live version's).
        "title": version.title if version else record.title,
        "description": version.description if version else record.description,
        "summary": (version.description if version else record.description)
        or (version.metadata.get("excerpt", "") if version else ""),
        "is_author": request.user.is_authenticated and request.user.pk == record.author_id,
        "processing": version is not None
        and version.status in {ProcessingStatus.PENDING, ProcessingStatus.PROCESSING},
    }


@require_safe
def record_status(request: HttpRequest, record_id: int) -> HttpResponse:
    """The processing status, polled by the record page while its version is being made."""
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    version = selectors.record_version_for(viewer=request.user, record=record)
    context = _detail_context(request, record, version)
    response = render(request, "records/detail.html#status", context)
    if not context["processing"]:
        response["HX-Refresh"] = "true"  # show the finished record
    return response


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request: HttpRequest, record_id: int) -> HttpResponse:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    record = selectors.record_get_editable(viewer=request.user, record_id=record_id)
    current = record.current_version
    initial = {
        # The author edits on from their newest version, published or not.
        "title": current.title if current else record.title,
        "description": current.description if current else record.description,
        "tags": ", ".join(t.name for t in record.tags.all()),
        "language": record.language,
        "licence": record.licence,
        "remix_policy": record.remix_policy,
        "visibility": record.visibility,
        "body": current.body if current else "",
        "wants_collaborators": record.wants_collaborators,
    }
    form = RecordEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        kind=record.kind,
        has_cover=record.cover_id is not None,
        uploader=request.user,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_update(
                actor=request.user,  # type: ignore[arg-type]
                record=record,
                title=data["title"],
                description=data["description"],
                tags=data["tags"],
                language=data["language"],
                licence=data["licence"],
                remix_policy=data["remix_policy"],
                visibility=data["visibility"],
                body=data.get("body") if record.kind == Kind.TEXT else None,
                upload=form.upload,
                cover=content.Upload.of(data.get("cover")),
                remove_cover=bool(data.get("remove_cover")),
                wants_collaborators=bool(data.get("wants_collaborators")),
            )
        except ApplicationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "Saved.")
            return redirect(record)
    return render(
        request,
        "records/edit.html",
        {"form": form, "record": record},
        status=400 if form.errors else 200,
    )


@require_safe
def record_history(request: HttpRequest, record_id: int) -> HttpResponse:
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    versions = Paginator(selectors.record_versions(viewer=request.user, record=record), 50)
    return render(
        request,
        "records/history.html",
        {
            "record": record,
            "versions": versions.get_page(request.GET.get("page")),
            "is_author": request.user.pk == record.author_id,
        },
    )


@login_required
@require_POST
def record_restore(request: HttpRequest, record_id: int, number: int) -> HttpResponse:
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    version = services.record_version_restore(
        actor=request.user,  # type: ignore[arg-type]
        record=record,
        number=number,
    )
    messages.success(request, f"Version {number} is restored as version {version.number}.")
    return redirect(record)


@login_required
@require_http_methods(["GET", "POST"])
def record_delete(request: HttpRequest, record_id: int) -> HttpResponse:
    if request.method == "POST":
        # The service refuses anyone but the author (403) and a deleted record (410).
        record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
        services.record_delete(actor=request.user, record=record)  # type: ignore[arg-type]
        messages.success(request, f"“{record.title}” is deleted.")
        user: User = request.user  # type: ignore[assignment]
        return redirect(user)
    record = selectors.record_get_editable(viewer=request.user, record_id=record_id)
    return render(request, "records/delete.html", {"record": record})


def _file_viewer(request: HttpRequest) -> selectors.Viewer:
    """Who asks for a file. The API lists these URLs, so they honour its credentials: a
    bearer token names the viewer (a bad one is refused, never taken for anonymous);
    otherwise the browser session does."""
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return request.user
    user = token_user(raw=raw.strip())
    if user is None:
        raise ApplicationError("That API token is not valid.", code="invalid_token", status=401)
    return user


@require_safe
def record_file(request: HttpRequest, record_id: int, key: str, label: str) -> HttpResponseBase:
    record, version, name, mime = selectors.record_file_get(
        viewer=_file_viewer(request), record_id=record_id, key=key, label=label
    )
    download = version.original_name if label == "original" else f"{record.pk}-{label}"
    # Only what anyone may fetch is cached by shared caches: an original (its author's alone,
    # metadata and all) or a draft's file is private even on a public record.
    public = record.is_public and label != "original"
    return serve_stored_file(request, name, mime, public=public, download_name=download)


@require_safe
def record_cover(request: HttpRequest, record_id: int, key: str) -> HttpResponseBase:
    """A record's cover image (its author's), for anyone who may see the record."""
    record, name = selectors.record_cover_file_get(
        viewer=_file_viewer(request), record_id=record_id, key=key
    )
    return serve_stored_file(
        request, name, "image/webp", public=record.is_public, download_name=f"{record.pk}-cover"
    )
