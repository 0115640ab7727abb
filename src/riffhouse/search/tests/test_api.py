"""`GET /api/v1/search`: public, never a 500 whatever the text, never a draft or private data
(to anyone, their author included), bounded queries, cursor paging."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User

pytestmark = pytest.mark.django_db

BAD_INPUT = [
    '"',
    '""',
    "*",
    "moon*",
    "NEAR(",
    "NEAR(moon light)",
    "' OR 1=1 --",
    "'; DROP TABLE search_fts; --",
    "AND OR NOT",
    "-",
    "-moon",
    "^",
    "^moon",
    ":",
    "title:moon",
    "(",
    ")",
    "(moon) OR (light",
    "{moon}",
    "moon & light | !sun",
    "moon:*",
    "\\",
    "%",
    "_",
    "moon" * 250,  # 1,000 characters
    "moon " * 200,
    "\t moon \u200b\u2028",
    "月の光",
    "ضوء القمر",
    "🌙✨",
    "moon 🌙",
]


@pytest.mark.parametrize("q", BAD_INPUT)
def test_odd_text_is_searched_as_text(
    q: str, api: ApiClient, make_record: Callable[..., Any]
) -> None:
    make_record(title="Moon light", body="月の光 ضوء القمر")
    response = api.call("get", "/search", data=None, QUERY_STRING=f"q={_quote(q)}")
    assert response.status_code == 200, response.content
    assert isinstance(response.json()["items"], list)


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def test_syntax_does_not_change_the_meaning(
    api: ApiClient, make_record: Callable[..., Any]
) -> None:
    make_record(title="Moon light", body="Quiet.")
    make_record(title="Sun rise", body="Warm.")
    expected = {
        "moon OR sun": [],  # no operator: "or" is a word, and every word must match
        "NEAR(moon sun)": [],
        "' OR 1=1 --": [],
        "-sun": ["Sun rise"],  # not a negation
        "sun*": ["Sun rise"],
        '"moon"': ["Moon light"],
        "light)": ["Moon light"],
        "title:moon": [],  # not a column filter: "title" is a word
    }
    for q, titles in expected.items():
        items = api.get("/api/v1/search", {"q": q}).json()["items"]
        assert [item["title"] for item in items] == titles, q


@pytest.mark.parametrize("q", ["", "   ", "\n\t"])
def test_empty_query_is_a_clear_400(q: str, api: ApiClient) -> None:
    response = api.get("/api/v1/search", {"q": q})
    assert response.status_code == 400
    assert response.json()["code"] == "empty_query"
    assert response.json()["detail"]


@pytest.mark.parametrize("q", ["moon\x00", "\x00", "moon\x07light"])
def test_nul_and_control_characters_are_refused_clearly(q: str, api: ApiClient) -> None:
    response = api.get("/api/v1/search", {"q": q})
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"type": "posts"}, "invalid_type"),
        ({"kind": "poem"}, "invalid_kind"),
        ({"licence": "gpl"}, "invalid_licence"),
        ({"remix_policy": "maybe"}, "invalid_remix_policy"),
        ({"type": "members", "tag": "sea"}, "filter_not_applicable"),
        ({"type": "members", "kind": "text"}, "filter_not_applicable"),
        ({"type": "productions", "licence": "cc-by"}, "filter_not_applicable"),
        ({"type": "productions", "kind": "text"}, "invalid_kind"),
        ({"cursor": "nonsense!"}, "invalid_cursor"),
        ({"cursor": "bzk5OTk5OTk"}, "invalid_cursor"),  # an offset past the last page
    ],
)
def test_bad_filters_are_clear_400s(params: dict[str, str], code: str, api: ApiClient) -> None:
    response = api.get("/api/v1/search", {"q": "moon", **params})
    assert response.status_code == 400
    assert response.json()["code"] == code


def test_public_and_never_drafts_or_private_data(
    api: ApiClient, user_api: ApiClient, user: User, make_record: Callable[..., Any]
) -> None:
    make_record(title="Open harbour")
    make_record(title="Draft harbour", visibility="draft")
    accounts.user_update_profile(user=user, display_name="Harbour Keeper")
    for client in (api, user_api):  # anonymous, and the drafts' own author
        response = client.get("/api/v1/search", {"q": "harbour"})
        assert response.status_code == 200
        assert [item["title"] for item in response.json()["items"]] == ["Open harbour"]
    # An email address is private: not searchable, not returned.
    members = api.get("/api/v1/search", {"q": "orion@ex.org", "type": "members"}).json()
    assert members["items"] == []
    member = api.get("/api/v1/search", {"q": "keeper", "type": "members"}).json()["items"]
    assert member == [
        {
            "type": "member",
            "id": user.pk,
            "title": "Harbour Keeper",
            "url": f"http://testserver{user.get_absolute_url()}",
            "summary": "",
            "kind": None,
            "author": None,
            "username": "orion",
            "licence": None,
            "remix_policy": None,
            "status": None,
            "published_at": None,
        }
    ]
    assert "email" not in str(member)


def test_record_results_carry_their_card(api: ApiClient, make_record: Callable[..., Any]) -> None:
    record = make_record(title="Harbour", description="Boats at rest.", licence="cc-by")
    item = api.get("/api/v1/search", {"q": "harbour"}).json()["items"][0]
    assert item["id"] == record.pk
    assert item["type"] == "record"
    assert item["kind"] == "text"
    assert item["summary"] == "Boats at rest."
    assert item["author"]["username"] == "orion"
    assert item["licence"] == "cc-by"
    assert item["url"].endswith(record.get_absolute_url())


def test_pages_follow_the_cursor_with_bounded_queries(
    api: ApiClient,
    make_record: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(7):
        make_record(title=f"Wave {n}")
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params = {"q": "wave", "limit": "3", **({"cursor": cursor} if cursor else {})}
        # The match, the records with their authors and versions, their renditions,
        # their sources' art; a session-less client adds nothing.
        with django_assert_max_num_queries(5):
            body = api.get("/api/v1/search", params).json()
        seen += [item["title"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert sorted(seen) == sorted(f"Wave {n}" for n in range(7))


def test_query_count_does_not_grow_with_the_page(
    api: ApiClient, make_record: Callable[..., Any], django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        make_record(title=f"Echo {n}", kind="image" if n % 3 == 0 else "text")
    with django_assert_max_num_queries(5):
        body = api.get("/api/v1/search", {"q": "echo", "limit": "25"}).json()
    assert len(body["items"]) == 25
