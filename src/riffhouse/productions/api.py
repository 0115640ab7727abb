"""The productions API: productions, producers and needs. Submissions, the lineup, the
fairness report, the release and the credits have their own modules' routers, added to
this one.

Who may do what: anyone reads an opened production (a draft is its producers' only: a 404
for everyone else, as for a draft record); members start productions; only producers edit
one, move its status, add or remove producers, manage its needs and its cover.
"""

from typing import Any

from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Query, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_or_session, bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import user_get_public
from riffhouse.core.api import ErrorOut, error_responses
from riffhouse.core.errors import NotFound
from riffhouse.core.page_cache import public_page
from riffhouse.productions import browse, covers, selectors, services
from riffhouse.productions.api_fairness import router as fairness_router
from riffhouse.productions.api_lineup import router as lineup_router
from riffhouse.productions.api_submissions import submissions_router
from riffhouse.productions.models import Need, Producer, Production, ProductionCover
from riffhouse.productions.schemas import (
    NeedIn,
    NeedOut,
    NeedPatchIn,
    ProducerIn,
    ProducerOut,
    ProductionIn,
    ProductionOut,
    ProductionPageOut,
    ProductionPatchIn,
    RevisionOut,
)
from riffhouse.records import content
from riffhouse.records.models import ProcessingStatus

router = Router(tags=["productions"])

# H1 (pages): productions, producers, needs, the cover, the history. ------------------------
productions_router = Router(tags=["productions"], auth=bearer_or_session)
ERRORS = error_responses(400, 401, 403, 404, 409, 413, 422)
READ_ERRORS = error_responses(400, 404)


class ProductionQuery(Schema):
    status: str = "released"
    kind: str | None = None
    theme: str | None = None
    cursor: str | None = None
    limit: int = 24


def _cover_out(request: HttpRequest, cover: ProductionCover | None) -> dict[str, Any] | None:
    if cover is None or cover.status != ProcessingStatus.READY or not cover.path:
        return None
    return {
        "url": request.build_absolute_uri(
            reverse("productions:cover", args=[cover.production_id, cover.key])
        ),
        "width": cover.width,
        "height": cover.height,
        "dominant_color": cover.dominant_color,
    }


def _producers_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "producers",
        queryset=Producer.objects.select_related("user").order_by("created_at", "pk"),
        to_attr="producer_rows",
    )


def production_out(request: HttpRequest, production: Production) -> dict[str, Any]:
    """A production as the API shows it. Expects `producer_rows` and `needs_count` (lists
    set them for the whole page; one production loads them here)."""
    if not hasattr(production, "producer_rows"):
        prefetch_related_objects([production], _producers_prefetch())
    if not hasattr(production, "needs_count"):
        production.needs_count = production.needs.count()  # type: ignore[attr-defined]
    pending = False
    if hasattr(production, "cover_pending"):
        pending = production.cover_pending
    return {
        "id": production.pk,
        "url": request.build_absolute_uri(production.get_absolute_url()),
        "kind": production.kind,
        "title": production.title,
        "theme": production.theme,
        "brief": production.brief,
        "brief_html": production.brief_html,
        "status": production.status,
        "official": production.official,
        "submission_deadline": production.submission_deadline,
        "closing_soon": browse.closing_soon(deadline=production.submission_deadline),
        "opened_at": production.opened_at,
        "released_at": production.released_at,
        "created_at": production.created_at,
        "updated_at": production.updated_at,
        "cover": _cover_out(request, production.cover),
        "cover_pending": pending,
        "producers": [author_out(request, row.user) for row in production.producer_rows],  # type: ignore[attr-defined]
        "needs_count": production.needs_count,  # type: ignore[attr-defined]
    }


def _production(request: HttpRequest, production_id: int) -> dict[str, Any]:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    return production_out(request, production)


def need_out(request: HttpRequest, need: Need) -> dict[str, Any]:
    seed = need.seed
    return {
        "id": need.pk,
        "production": need.production_id,
        "url": request.build_absolute_uri(reverse("productions:need", args=[need.pk])),
        "title": need.title,
        "description": need.description,
        "kinds": need.kind_list,
        "wanted": need.wanted,
        "deadline": need.deadline,
        "seed": {
            "id": seed.pk,
            "title": seed.title,
            "kind": seed.kind,
            "url": request.build_absolute_uri(seed.get_absolute_url()),
            "version": need.seed_version.number if need.seed_version else None,
        }
        if seed is not None
        else None,
        "position": need.position,
    }


@productions_router.get(
    "/productions",
    auth=bearer_session_or_anonymous,
    response={200: ProductionPageOut, 400: ErrorOut},
    summary="Open calls (closing soonest first) or released productions (newest first)",
)
@decorate_view(public_page())
def production_list(request: HttpRequest, filters: Query[ProductionQuery]) -> dict[str, Any]:
    page = browse.production_feed(
        status=filters.status,
        kind=filters.kind,
        theme=filters.theme,
        cursor=filters.cursor,
        limit=filters.limit,
    )
    prefetch_related_objects(page.items, _producers_prefetch())
    return {
        "items": [production_out(request, p) for p in page.items],
        "next_cursor": page.next_cursor,
    }


@productions_router.post(
    "/productions",
    response={201: ProductionOut, **ERRORS},
    summary="Start a production (a draft; you are its first producer)",
)
def production_create(request: HttpRequest, payload: ProductionIn) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = services.production_create(actor=user, **payload.dict())
    return Status(201, _production(request, production.pk))


@productions_router.get(
    "/productions/{production_id}",
    auth=bearer_session_or_anonymous,
    response={200: ProductionOut, **READ_ERRORS},
    summary="A production (a draft: its producers only)",
)
@decorate_view(public_page())
def production_detail(request: HttpRequest, production_id: int) -> dict[str, Any]:
    return _production(request, production_id)


@productions_router.patch(
    "/productions/{production_id}",
    response={200: ProductionOut, **ERRORS},
    summary="Edit a production and move its status (producers); all of it or nothing",
)
def production_update(
    request: HttpRequest, production_id: int, payload: ProductionPatchIn
) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    changes = payload.dict(exclude_unset=True)
    status = changes.pop("status", None)
    with transaction.atomic():
        if changes:
            production = services.production_update(actor=user, production=production, **changes)
        if status is not None:
            services.production_status_set(actor=user, production=production, status=status)
    return _production(request, production_id)


@productions_router.get(
    "/productions/{production_id}/history",
    auth=bearer_session_or_anonymous,
    response={200: list[RevisionOut], **READ_ERRORS},
    summary="Edits of the title, theme, brief and cover, newest first",
)
def production_history(request: HttpRequest, production_id: int) -> list[dict[str, Any]]:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    return [
        {
            "id": r.pk,
            "editor": author_out(request, r.editor),
            "created_at": r.created_at,
            "changed": ["cover" if name == "cover_id" else name for name in r.changed],
            "title": r.title,
            "theme": r.theme,
            "brief": r.brief,
            "cover": _cover_out(request, r.cover),
        }
        for r in browse.production_revisions(production=production)[:200]
    ]


# Producers
def _producers(request: HttpRequest, production: Production) -> list[dict[str, Any]]:
    rows = Producer.objects.filter(production=production).select_related("user")
    return [
        {**author_out(request, row.user), "added_at": row.created_at}
        for row in rows.order_by("created_at", "pk")
    ]


@productions_router.get(
    "/productions/{production_id}/producers",
    auth=bearer_session_or_anonymous,
    response={200: list[ProducerOut], **READ_ERRORS},
    summary="Its producers, first producer first",
)
def producer_list(request: HttpRequest, production_id: int) -> list[dict[str, Any]]:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    return _producers(request, production)


@productions_router.post(
    "/productions/{production_id}/producers",
    response={201: list[ProducerOut], **ERRORS},
    summary="Add a co-producer by username (producers)",
)
def producer_add(
    request: HttpRequest, production_id: int, payload: ProducerIn
) -> Status[list[dict[str, Any]]]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    try:
        member = user_get_public(username=payload.username.strip().lstrip("@"))
    except NotFound as error:
        error.field = "username"
        raise
    services.producer_add(actor=user, production=production, user=member)
    return Status(201, _producers(request, production))


@productions_router.delete(
    "/productions/{production_id}/producers/{username}",
    response={204: None, **ERRORS},
    summary="Remove a producer, or step down yourself (never the last one)",
)
def producer_remove(request: HttpRequest, production_id: int, username: str) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    row = (
        Producer.objects.filter(production=production, user__username__iexact=username)
        .select_related("user")
        .first()
    )
    if row is None:
        raise NotFound(f"{username[:30]} does not produce it.", code="not_producer")
    services.producer_remove(actor=user, production=production, user=row.user)
    return Status(204, None)


# Needs
@productions_router.get(
    "/productions/{production_id}/needs",
    auth=bearer_session_or_anonymous,
    response={200: list[NeedOut], **READ_ERRORS},
    summary="Its needs, in the producers' order",
)
@decorate_view(public_page())
def need_list(request: HttpRequest, production_id: int) -> list[dict[str, Any]]:
    production = selectors.production_get_visible(viewer=request.user, production_id=production_id)
    return [need_out(request, n) for n in selectors.production_needs(production=production)]


@productions_router.post(
    "/productions/{production_id}/needs",
    response={201: NeedOut, **ERRORS},
    summary="Add a need (producers, before release)",
)
def need_create(
    request: HttpRequest, production_id: int, payload: NeedIn
) -> Status[dict[str, Any]]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    need = services.need_create(actor=user, production=production, **payload.dict())
    return Status(201, need_out(request, _need(user, need.pk)))


def _need(viewer: Any, need_id: int) -> Need:
    need = selectors.need_get_visible(viewer=viewer, need_id=need_id)
    if need.seed_version_id is not None:
        need.seed_version  # noqa: B018 - loaded for need_out (one query)
    return need


@productions_router.get(
    "/needs/{need_id}",
    auth=bearer_session_or_anonymous,
    response={200: NeedOut, **READ_ERRORS},
    summary="A need (of a draft: its producers only)",
)
@decorate_view(public_page())
def need_detail(request: HttpRequest, need_id: int) -> dict[str, Any]:
    return need_out(request, _need(request.user, need_id))


@productions_router.patch(
    "/needs/{need_id}",
    response={200: NeedOut, **ERRORS},
    summary="Edit a need (producers, before release)",
)
def need_update(request: HttpRequest, need_id: int, payload: NeedPatchIn) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    need = selectors.need_get_visible(viewer=user, need_id=need_id)
    services.need_update(actor=user, need=need, **payload.dict(exclude_unset=True))
    return need_out(request, _need(user, need_id))


@productions_router.delete(
    "/needs/{need_id}",
    response={204: None, **ERRORS},
    summary="Remove a need nobody has answered yet (producers)",
)
def need_delete(request: HttpRequest, need_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    need = selectors.need_get_visible(viewer=user, need_id=need_id)
    services.need_delete(actor=user, need=need)
    return Status(204, None)


# Cover
@productions_router.post(
    "/productions/{production_id}/cover",
    response={202: ProductionOut, **ERRORS},
    summary="Give it a cover image (shown once processed; replaces the old one)",
)
def cover_set(
    request: HttpRequest, production_id: int, file: File[UploadedFile]
) -> Status[dict[str, Any]]:
    content.upload_request_check(content_length=request.META.get("CONTENT_LENGTH"))
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    upload = content.Upload.of(file)
    assert upload is not None  # File[...] is required
    cover = covers.production_cover_set(actor=user, production=production, upload=upload)
    production = selectors.production_get_visible(viewer=user, production_id=production_id)
    cover.refresh_from_db()
    production.cover_pending = cover.status in {  # type: ignore[attr-defined]
        ProcessingStatus.PENDING,
        ProcessingStatus.PROCESSING,
    }
    return Status(202, production_out(request, production))


@productions_router.delete(
    "/productions/{production_id}/cover",
    response={204: None, **ERRORS},
    summary="Remove its cover image",
)
def cover_remove(request: HttpRequest, production_id: int) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    production = selectors.production_get_for_producer(viewer=user, production_id=production_id)
    covers.production_cover_remove(actor=user, production=production)
    return Status(204, None)


router.add_router("", productions_router)
router.add_router("", lineup_router)
router.add_router("", submissions_router)
router.add_router("", fairness_router)
