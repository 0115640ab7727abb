"""`GET /api/v1/search`: public, like the pages it finds. Drafts, private data and hidden
records are never returned, to anyone, their authors included (decision 0035)."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from riffhouse.accounts.api import author_out
from riffhouse.accounts.auth import bearer_session_or_anonymous
from riffhouse.accounts.models import User
from riffhouse.core.api import error_responses
from riffhouse.productions.models import Production
from riffhouse.records.models import Record
from riffhouse.search import selectors
from riffhouse.search.schemas import SearchPageOut, SearchQuery

router = Router(tags=["search"])
SUMMARY_CHARS = 240


def _summary(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def result_out(request: HttpRequest, item: Any) -> dict[str, Any]:
    url = request.build_absolute_uri(item.get_absolute_url())
    if isinstance(item, Record):
        return {
            "type": "record",
            "id": item.pk,
            "title": item.title,
            "url": url,
            "summary": _summary(item.description),
            "kind": item.kind,
            "author": author_out(request, item.author),
            "licence": item.licence,
            "remix_policy": item.remix_policy,
            "published_at": item.published_at,
        }
    if isinstance(item, User):
        return {
            "type": "member",
            "id": item.pk,
            "title": item.name,
            "url": url,
            "summary": _summary(item.bio),
            "username": item.username,
        }
    assert isinstance(item, Production)
    return {
        "type": "production",
        "id": item.pk,
        "title": item.title,
        "url": url,
        "summary": _summary(item.theme or item.brief),
        "kind": item.kind,
        "status": item.status,
    }


@router.get(
    "/search",
    auth=bearer_session_or_anonymous,
    response={200: SearchPageOut, **error_responses(400)},
    summary="Search records, members or productions",
    description=(
        "`q` is plain text (operators and quotes are read as text; the last word also "
        "matches as a prefix once it has three letters). `type`: records (default), members "
        "or productions. Filters: `kind` (records, productions), `tag`, `licence`, "
        "`remix_policy` (records). Best matches first; `next_cursor` reads the next page."
    ),
)
def search(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    page = selectors.search(
        viewer=request.user,
        q=params.q,
        type=params.type,
        kind=params.kind,
        tag=params.tag,
        licence=params.licence,
        remix_policy=params.remix_policy,
        cursor=params.cursor,
        limit=params.limit,
    )
    return {
        "items": [result_out(request, item) for item in page.items],
        "next_cursor": page.next_cursor,
    }
