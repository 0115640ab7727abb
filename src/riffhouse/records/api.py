"""Records endpoints: browse, read, create, edit, new versions, restore, delete.

Creating a record (`POST /records`) and editing it (`PATCH /records/{id}`) take `sources`;
records' services hand them to the sources handler lineage registers (`hooks.py`), and the
answer shows them through the same handler. (Their operation ids are kept from when
lineage/api.py declared them: the API's clients and its schema snapshot know them so.)
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import ErrorOut, error_responses
from riffhouse.core.errors import ApplicationError
from riffhouse.core.page_cache import public_page
from riffhouse.records import content, hooks, selectors, services
from riffhouse.records.models import Record, RecordVersion
from riffhouse.records.schemas import (
    RecordCreateIn,
    RecordEditIn,
    RecordOut,
    RecordPageOut,
    RecordWithSourcesOut,
    VersionFieldsIn,
    VersionOut,
)

router = Router(tags=["records"], auth=bearer_or_session)
ERRORS = error_responses(400, 401, 403, 404, 410, 413, 422)
ERRORS_WITH_CONFLICT = error_responses(400, 401, 403, 404, 409, 410, 413, 422)


class FeedQuery(Schema):
    kind: str | None = None
    tag: str | None = None
    author: str | None = None
    remixable: bool = False
    never_remixed: bool = False
    sort: str = "newest"
    cursor: str | None = None
    limit: int = 24


def _version_out(
    request: HttpRequest, record: Record, version: RecordVersion, *, owner: bool
) -> dict[str, Any]:
    files = [
        {
            "label": r.label,
            "mime": r.mime,
            "width": r.width,
            "height": r.height,
            "size": r.size,
            "url": request.build_absolute_uri(
                reverse("records:file", args=[record.pk, version.key, r.label])
            ),
        }
        for r in version.renditions.all()
    ]
    if owner and version.original:
        files.append(
            {
                "label": "original",
                "mime": version.mime,
                "width": None,
                "height": None,
                "size": version.original_size,
                "url": request.build_absolute_uri(
                    reverse("records:file", args=[record.pk, version.key, "original"])
                ),
            }
        )
    text = record.kind == "text"
    return {
        "number": version.number,
        "title": version.title,
        "description": version.description,
        "status": version.status,
        "failure_reason": version.failure_reason,
        "created_at": version.created_at,
        "restored_from": version.restored_from,
        "body": version.body if text else None,
        "body_html": version.body_html if text else None,
        "metadata": {k: v for k, v in version.metadata.items() if k != "probe"},
        "files": files,
    }


def record_out(request: HttpRequest, record: Record) -> dict[str, Any]:
    viewer = request.user
    owner = viewer.is_authenticated and viewer.pk == record.author_id
    version = (
        None if record.deleted_at else selectors.record_version_for(viewer=viewer, record=record)
    )
    return {
        "id": record.pk,
        "url": request.build_absolute_uri(record.get_absolute_url()),
        "kind": record.kind,
        # The version this viewer sees decides (its author: the newest, maybe unpublished).
        "title": version.title if version else record.title,
        "description": version.description if version else record.description,
        "tags": [t.name for t in record.tags.all()],
        "language": record.language,
        "licence": record.licence,
        "remix_policy": record.remix_policy,
        "visibility": record.visibility,
        "author": author_out(request, record.author),
        "created_at": record.created_at,
        "published_at": record.published_at,
        "deleted": record.deleted_at is not None,
        "remix_count": record.remix_count,
        "wants_collaborators": record.wants_collaborators,
        "version": _version_out(request, record, version, owner=owner) if version else None,
        "cover": _cover_out(request, record, version),
    }


def _cover_out(
    request: HttpRequest, record: Record, version: RecordVersion | None
) -> dict[str, Any] | None:
    if record.kind != "audio" or version is None:
        return None
    if not hasattr(record, "cover_art"):  # a list has them already (record_feed)
        selectors.records_cover_art_attach(records=[record], version_of=lambda _r: version)
    art = record.cover_art
    if art is None:
        return None
    return {
        "url": request.build_absolute_uri(art.url),
        "origin": art.origin,
        "width": art.width,
        "height": art.height,
    }


@router.get(
    "/records",
    auth=bearer_session_or_anonymous,
    response={200: RecordPageOut, 400: ErrorOut},
    summary="Published records, newest first",
)
@decorate_view(public_page())
def record_list(request: HttpRequest, filters: Query[FeedQuery]) -> dict[str, Any]:
    page = selectors.record_feed(
        viewer=request.user,
        kind=filters.kind,
        tag=filters.tag,
        author=filters.author,
        remixable=filters.remixable,
        never_remixed=filters.never_remixed,
        sort=filters.sort,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    return {"items": [record_out(request, r) for r in page.items], "next_cursor": page.next_cursor}


def _with_sources(request: HttpRequest, viewer: User, record_id: int) -> dict[str, Any]:
    record = selectors.record_get_visible(viewer=viewer, record_id=record_id)
    return {**record_out(request, record), **hooks.sources_out(request, viewer, record)}


@router.post(
    "/records",
    response={201: RecordWithSourcesOut, **ERRORS_WITH_CONFLICT},
    summary="Create a record (`body` for text, `file` for the rest), with its `sources`",
    operation_id="riffhouse_lineage_api_record_create",
)
def record_create(
    request: HttpRequest,
    payload: Form[RecordCreateIn],
    file: UploadedFile | None = File(None),  # type: ignore[type-arg]
    cover: UploadedFile | None = File(None),  # type: ignore[type-arg]
) -> Status[dict[str, Any]]:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.auth  # type: ignore[attr-defined]
    record = services.record_create(
        author=user,
        rate_limit=True,
        sources=hooks.sources_parse(raw=payload.sources),
        licence=payload.licence,
        visibility=payload.visibility,
        message=payload.message,
        kind=payload.kind,
        title=payload.title,
        description=payload.description,
        tags=payload.tags,
        language=payload.language,
        remix_policy=payload.remix_policy,
        body=payload.body,
        upload=content.Upload.of(file),
        cover=content.Upload.of(cover),
        wants_collaborators=payload.wants_collaborators,
    )
    return Status(201, _with_sources(request, user, record.pk))


@router.get(
    "/records/{record_id}",
    auth=bearer_session_or_anonymous,
    response={200: RecordOut, 404: ErrorOut, 410: ErrorOut},
    summary="A record with the version you see (its author: the newest)",
)
@decorate_view(public_page())
def record_detail(request: HttpRequest, record_id: int) -> Any:
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    if record.deleted_at is not None:
        raise ApplicationError("This record was removed by its author.", code="deleted", status=410)
    return record_out(request, record)


@router.patch(
    "/records/{record_id}",
    response={200: RecordWithSourcesOut, **ERRORS_WITH_CONFLICT},
    summary="Edit: new title, description or text make a new version; `sources` replaces them",
    operation_id="riffhouse_lineage_api_record_update",
)
def record_update(request: HttpRequest, record_id: int, payload: RecordEditIn) -> Any:
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    services.record_update(
        actor=user,
        record=record,
        sources=None
        if payload.sources is None
        else hooks.sources_parse(raw=[s.dict() for s in payload.sources]),
        message=payload.message,
        **payload.dict(exclude_unset=True, exclude={"sources", "message"}),
    )
    return _with_sources(request, user, record_id)


@router.post(
    "/records/{record_id}/versions",
    response={201: RecordOut, **ERRORS},
    summary="Upload a new file as a new version",
)
def record_version_create(
    request: HttpRequest, record_id: int, payload: Form[VersionFieldsIn], file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    services.record_update(
        actor=user,
        record=record,
        title=payload.title,
        description=payload.description,
        upload=content.Upload.of(file),
    )
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    return Status(201, record_out(request, record))


@router.get(
    "/records/{record_id}/versions",
    auth=bearer_session_or_anonymous,
    response={200: list[VersionOut], 404: ErrorOut},
    summary="Version history, newest first (others see processed versions only)",
)
@decorate_view(public_page())
def record_versions(request: HttpRequest, record_id: int) -> Any:
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    owner = request.user.is_authenticated and request.user.pk == record.author_id
    versions = selectors.record_versions(viewer=request.user, record=record)
    return [
        _version_out(request, record, v, owner=owner)
        for v in versions.prefetch_related("renditions")[:100]
    ]


@router.post(
    "/records/{record_id}/versions/{number}/restore",
    response={201: RecordOut, **ERRORS},
    summary="Make an earlier version current again (as a new version)",
)
def record_restore(request: HttpRequest, record_id: int, number: int) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=request.user, record_id=record_id)
    services.record_version_restore(actor=user, record=record, number=number)
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    return Status(201, record_out(request, record))


@router.delete(
    "/records/{record_id}",
    response={204: None, **ERRORS},
    summary="Delete (a tombstone stays for the lineage; drafts lose their files)",
)
def record_delete(request: HttpRequest, record_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    services.record_delete(actor=user, record=record)
    return Status(204, None)


@router.post(
    "/records/{record_id}/cover",
    response={202: RecordOut, **ERRORS},
    summary="Give a music record a cover image (shown once processed; replaces the old one)",
)
def record_cover_set(
    request: HttpRequest, record_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    upload = content.Upload.of(file)
    assert upload is not None  # File[...] is required
    services.record_cover_set(actor=user, record=record, upload=upload)
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    return Status(202, record_out(request, record))


@router.delete(
    "/records/{record_id}/cover",
    response={204: None, **ERRORS},
    summary="Remove a music record's cover image (it shows its source's art or its own again)",
)
def record_cover_remove(request: HttpRequest, record_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    record = selectors.record_get_visible(viewer=user, record_id=record_id)
    services.record_cover_remove(actor=user, record=record)
    return Status(204, None)
