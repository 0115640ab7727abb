# ruff: noqa: F811 - the scenes' fixtures are imported, then named as arguments
"""The comment endpoints: each one's permissions, its bad input, and the shape a client
reads (decision 0032)."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient
from django.db.models import F

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.community.comments import services
from riffhouse.community.models import Comment
from riffhouse.community.tests.comments_scenes import (  # noqa: F401 - fixtures
    bea,
    block,
    blocked_thread,
    moderator,
    open_production,
    producer,
    released,
)
from riffhouse.productions.models import Production

pytestmark = pytest.mark.django_db


def client_for(user: User) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=user, name="tests").raw)


@pytest.fixture
def ana_api(ana: User) -> ApiClient:
    return client_for(ana)


def post(client: ApiClient, path: str, body: str, **extra: Any) -> Any:
    return client.call("post", path, {"body": body, **extra})


# Reading ---------------------------------------------------------------------------------------
def test_anyone_reads_a_records_threads_with_what_a_client_needs(
    api: ApiClient, source: Any, user: User, ana: User, bea: User
) -> None:
    top = services.comment_create(author=ana, body="Hi **all** @bea", record=source)
    services.comment_create(author=bea, body="Hello", parent=top)
    services.comment_edit(actor=ana, comment=top, body="Hi **everyone** @bea")
    services.comment_pin(actor=user, comment=top)
    response = api.call("get", f"/records/{source.pk}/comments")
    assert response.status_code == 200
    page = response.json()
    assert page["items"] == [] and page["next_cursor"] is None
    pinned = page["pinned"]
    out = pinned["comment"]
    assert out["body_html"].startswith("<p>Hi <strong>everyone</strong>")
    assert 'class="mention"' in out["body_html"]
    assert out["author"]["username"] == "ana"
    assert (out["edited"], out["deleted"], out["pinned"], out["reply_count"]) == (
        True,
        False,
        True,
        1,
    )
    assert out["url"].endswith(f"/comments/{top.pk}/")
    assert [r["body"] for r in pinned["replies"]] == ["Hello"]


def test_threads_page_with_a_cursor_and_replies_page_too(
    api: ApiClient, source: Any, ana: User, bea: User
) -> None:
    made = [services.comment_create(author=ana, body=f"c{i}", record=source) for i in range(5)]
    replies = [services.comment_create(author=bea, body=f"r{i}", parent=made[0]) for i in range(5)]
    first = api.call("get", f"/records/{source.pk}/comments?limit=2").json()
    assert [t["comment"]["body"] for t in first["items"]] == ["c4", "c3"]
    second = api.call(
        "get", f"/records/{source.pk}/comments?limit=2&cursor={first['next_cursor']}"
    ).json()
    third = api.call(
        "get", f"/records/{source.pk}/comments?limit=2&cursor={second['next_cursor']}"
    ).json()
    assert [t["comment"]["body"] for t in second["items"] + third["items"]] == ["c2", "c1", "c0"]
    assert third["next_cursor"] is None
    oldest = third["items"][-1]
    assert len(oldest["replies"]) == 3 and oldest["more_replies"] is True
    rest = api.call("get", f"/comments/{made[0].pk}/replies?limit=3").json()
    assert [c["body"] for c in rest["items"]] == ["r0", "r1", "r2"]
    more = api.call(
        "get", f"/comments/{made[0].pk}/replies?limit=3&cursor={rest['next_cursor']}"
    ).json()
    assert [c["id"] for c in more["items"]] == [r.pk for r in replies[3:]]


@pytest.mark.parametrize("cursor", ["nonsense", "MjAyNi0wMS0wMXwx", "%00", "x" * 500])
def test_a_bad_cursor_or_limit_is_a_400(api: ApiClient, source: Any, cursor: str) -> None:
    response = api.call("get", f"/records/{source.pk}/comments?cursor={cursor}")
    assert response.status_code == 400
    assert api.call("get", f"/records/{source.pk}/comments?limit=0").status_code == 400
    assert api.call("get", f"/records/{source.pk}/comments?limit=101").status_code == 400


def test_the_threads_page_costs_a_fixed_number_of_queries(
    api: ApiClient,
    source: Any,
    ana: User,
    bea: User,
    django_assert_max_num_queries: Any,
    settings: Any,
) -> None:
    settings.RATE_LIMITS = settings.RATE_LIMITS_NEW = {"comment": (1000, 60)}
    for i in range(12):
        top = services.comment_create(author=ana, body=f"c{i} @bea", record=source)
        for j in range(4):
            services.comment_create(author=bea, body=f"r{j}", parent=top)
    with django_assert_max_num_queries(6):
        response = api.call("get", f"/records/{source.pk}/comments")
    assert len(response.json()["items"]) == 12


def test_a_draft_or_deleted_records_comments_are_not_found(
    api: ApiClient, make_record: Any, user: User
) -> None:
    draft = make_record("text", author=user, visibility="draft")
    assert api.call("get", f"/records/{draft.pk}/comments").status_code == 404
    assert api.call("get", "/records/999999/comments").status_code == 404


def test_a_deleted_comment_reads_as_a_tombstone(api: ApiClient, source: Any, ana: User) -> None:
    made = services.comment_create(author=ana, body="Gone soon", record=source)
    services.comment_delete(actor=ana, comment=made)
    out = api.call("get", f"/comments/{made.pk}").json()
    assert (out["deleted"], out["body"], out["body_html"], out["author"]) == (True, "", "", None)


def test_a_hidden_comment_is_empty_except_to_moderators(
    api: ApiClient, source: Any, ana: User, moderator: User
) -> None:
    made = services.comment_create(author=ana, body="Rude", record=source)
    Comment.objects.filter(pk=made.pk).update(hidden_at=F("created_at"))
    out = api.call("get", f"/comments/{made.pk}").json()
    assert (out["hidden"], out["body"], out["body_html"]) == (True, "", "")
    assert client_for(ana).call("get", f"/comments/{made.pk}").json()["body"] == ""
    assert client_for(moderator).call("get", f"/comments/{made.pk}").json()["body"] == "Rude"


# Writing ---------------------------------------------------------------------------------------
def test_writing_needs_a_member(api: ApiClient, source: Any, ana: User) -> None:
    made = services.comment_create(author=ana, body="Hi", record=source)
    for method, path in [
        ("post", f"/records/{source.pk}/comments"),
        ("post", f"/productions/{source.pk}/comments"),
        ("patch", f"/comments/{made.pk}"),
        ("delete", f"/comments/{made.pk}"),
        ("post", f"/comments/{made.pk}/pin"),
        ("delete", f"/comments/{made.pk}/pin"),
        ("get", f"/comments/{made.pk}/history"),
    ]:
        response = api.call(method, path, {"body": "x"})
        assert response.status_code == 401, (method, path)


def test_a_member_comments_and_replies(ana_api: ApiClient, source: Any, user: User) -> None:
    response = post(ana_api, f"/records/{source.pk}/comments", "First! <script>x</script>")
    assert response.status_code == 201
    top = response.json()
    assert "<script" not in top["body_html"]
    reply = post(client_for(user), f"/records/{source.pk}/comments", "Thanks", parent=top["id"])
    assert reply.status_code == 201
    assert (reply.json()["parent"], reply.json()["root"]) == (top["id"], top["id"])


@pytest.mark.parametrize(
    ("body", "code"), [("", "empty"), ("  \n ", "empty"), ("x" * 10_001, "too_long")]
)
def test_bad_bodies_are_400s(ana_api: ApiClient, source: Any, body: str, code: str) -> None:
    response = post(ana_api, f"/records/{source.pk}/comments", body)
    assert (response.status_code, response.json()["code"]) == (400, code)


def test_a_one_megabyte_comment_is_a_clear_400_and_three_megabytes_a_413(
    ana_api: ApiClient, source: Any
) -> None:
    response = post(ana_api, f"/records/{source.pk}/comments", "a" * 1_000_000)
    assert (response.status_code, response.json()["code"]) == (400, "too_long")
    response = post(ana_api, f"/records/{source.pk}/comments", "a" * 3_000_000)
    assert response.status_code == 413
    assert not Comment.objects.exists()


def test_a_reply_to_another_records_comment_is_a_400(
    ana_api: ApiClient, source: Any, make_record: Any, user: User, ana: User
) -> None:
    other = make_record("text", author=user, title="Other")
    theirs = services.comment_create(author=ana, body="Hi", record=other)
    response = post(ana_api, f"/records/{source.pk}/comments", "x", parent=theirs.pk)
    assert (response.status_code, response.json()["code"]) == (400, "parent_elsewhere")
    response = post(ana_api, f"/records/{source.pk}/comments", "x", parent=999999)
    assert response.status_code == 404


def test_a_blocked_member_gets_a_403_blocked(
    ana_api: ApiClient, source: Any, user: User, ana: User
) -> None:
    block(user, ana)
    response = post(ana_api, f"/records/{source.pk}/comments", "Hi")
    assert (response.status_code, response.json()["code"]) == (403, "blocked")


def test_too_many_comments_is_a_429_with_retry_after(
    ana_api: ApiClient, source: Any, settings: Any
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "comment": (1, 60)}
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (1, 60)}
    assert post(ana_api, f"/records/{source.pk}/comments", "one").status_code == 201
    response = post(ana_api, f"/records/{source.pk}/comments", "two")
    assert (response.status_code, response.json()["code"]) == (429, "rate_limited")
    assert int(response["Retry-After"]) > 0


def test_only_the_author_edits_and_deletes(
    ana_api: ApiClient, source: Any, user: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Hi", record=source)
    other = client_for(user)
    assert other.call("patch", f"/comments/{made.pk}", {"body": "Mine"}).status_code == 403
    assert other.call("delete", f"/comments/{made.pk}").status_code == 403
    edited = ana_api.call("patch", f"/comments/{made.pk}", {"body": "Hi again"})
    assert edited.status_code == 200 and edited.json()["edited"] is True
    deleted = ana_api.call("delete", f"/comments/{made.pk}")
    assert deleted.status_code == 200 and deleted.json()["deleted"] is True


def test_only_the_record_author_pins(
    ana_api: ApiClient, source: Any, user: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Hi", record=source)
    assert ana_api.call("post", f"/comments/{made.pk}/pin").status_code == 403
    owner = client_for(user)
    assert owner.call("post", f"/comments/{made.pk}/pin").json()["pinned"] is True
    assert ana_api.call("delete", f"/comments/{made.pk}/pin").status_code == 403
    assert owner.call("delete", f"/comments/{made.pk}/pin").json()["pinned"] is False


def test_history_is_for_moderators(
    ana_api: ApiClient, source: Any, ana: User, moderator: User
) -> None:
    made = services.comment_create(author=ana, body="One", record=source)
    services.comment_edit(actor=ana, comment=made, body="Two")
    assert ana_api.call("get", f"/comments/{made.pk}/history").status_code == 403
    response = client_for(moderator).call("get", f"/comments/{made.pk}/history")
    assert [r["body"] for r in response.json()] == ["One"]


# Productions -----------------------------------------------------------------------------------
def test_production_and_segment_comments(
    ana_api: ApiClient, released: Production, api: ApiClient
) -> None:
    path = f"/productions/{released.pk}/comments"
    assert post(ana_api, path, "The show").status_code == 201
    made = ana_api.call("post", f"{path}?segment=2", {"body": "This one"})
    assert made.status_code == 201 and made.json()["segment_number"] == 2
    bad = ana_api.call("post", f"{path}?segment=3", {"body": "Nope"})
    assert (bad.status_code, bad.json()["code"]) == (400, "segment_invalid")
    whole = api.call("get", path).json()
    assert [t["comment"]["body"] for t in whole["items"]] == ["The show"]
    segment = api.call("get", f"{path}?segment=2").json()
    assert [t["comment"]["body"] for t in segment["items"]] == ["This one"]
    assert api.call("get", f"{path}?segment=9").status_code == 400


def test_a_draft_productions_comments_are_not_found(
    ana_api: ApiClient, producer: User, api: ApiClient
) -> None:
    from riffhouse.productions import services as productions

    draft = productions.production_create(actor=producer, kind="episode", title="Soon")
    assert api.call("get", f"/productions/{draft.pk}/comments").status_code == 404
    assert post(ana_api, f"/productions/{draft.pk}/comments", "x").status_code == 404
    assert post(client_for(producer), f"/productions/{draft.pk}/comments", "x").status_code == 404


def test_producers_pin_on_their_production(
    ana_api: ApiClient, open_production: Production, producer: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Hi", production=open_production)
    assert ana_api.call("post", f"/comments/{made.pk}/pin").status_code == 403
    assert client_for(producer).call("post", f"/comments/{made.pk}/pin").status_code == 200


# A member you blocked ------------------------------------------------------------------------
def test_comments_by_a_member_you_blocked_come_collapsed_and_marked(
    source: Any, user: User, ana: User, bea: User, django_assert_max_num_queries: Any
) -> None:
    scene = blocked_thread(record=source, user=user, ana=ana, bea=bea)
    bea_api = client_for(bea)
    with django_assert_max_num_queries(6):  # as for anyone (the page's budget above)
        page = bea_api.call("get", f"/records/{source.pk}/comments").json()
    thread = page["items"][0]
    top, replies = thread["comment"], thread["replies"]
    assert top["id"] == scene.top.pk and top["blocked_author"] is True
    assert (top["author"], top["body"], top["body_html"]) == (None, "", "")
    assert top["deleted"] is False and top["reply_count"] == 1  # its place and thread kept
    assert [(r["id"], r["blocked_author"], r["body"]) for r in replies] == [
        (scene.reply.pk, False, "Reply by Orion"),
        (scene.answer.pk, True, ""),
        (scene.again.pk, False, "Orion again"),
    ]
    assert replies[1]["author"] is None
    rest = bea_api.call("get", f"/comments/{scene.top.pk}/replies").json()
    assert [r["body"] for r in rest["items"]] == ["Reply by Orion", "", "Orion again"]


def test_a_collapsed_comment_is_shown_when_asked_for_by_id(
    source: Any, user: User, ana: User, bea: User
) -> None:
    scene = blocked_thread(record=source, user=user, ana=ana, bea=bea)
    bea_api = client_for(bea)
    collapsed = bea_api.call("get", f"/comments/{scene.top.pk}").json()
    assert (collapsed["blocked_author"], collapsed["body"]) == (True, "")
    shown = bea_api.call("get", f"/comments/{scene.top.pk}?show_blocked=true").json()
    assert (shown["blocked_author"], shown["body"]) == (True, "Words by Ana")
    assert shown["author"]["username"] == "ana"


@pytest.mark.parametrize("who", ["the blocked author", "the record author", "another", "a visitor"])
def test_everyone_else_reads_the_thread_as_before(
    api: ApiClient,
    source: Any,
    user: User,
    ana: User,
    bea: User,
    make_user: Callable[..., User],
    who: str,
) -> None:
    blocked_thread(record=source, user=user, ana=ana, bea=bea)
    viewer = {
        "the blocked author": ana,
        "the record author": user,
        "another": make_user("cyra"),
        "a visitor": None,
    }[who]
    reader = client_for(viewer) if viewer is not None else api
    thread = reader.call("get", f"/records/{source.pk}/comments").json()["items"][0]
    everything = [thread["comment"], *thread["replies"]]
    assert [c["body"] for c in everything] == [
        "Words by Ana",
        "Reply by Orion",
        "Ana again",
        "Orion again",
    ]
    assert not any(c["blocked_author"] for c in everything)
