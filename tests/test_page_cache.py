"""Logged-out pages from the cache, exactly fresh (core.page_cache, decision 0040).

The mechanics (a hit reads nothing but the generations, validators and 304s, a fresh CSP
nonce per answer, what is never stored) and, page by page, freshness: warm the cache, write
through the service a member or moderator would use, and the next logged-out request shows
the write."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import Role, User
from riffhouse.community.feeds import services as feeds
from riffhouse.core import page_cache
from riffhouse.core.errors import ApplicationError
from riffhouse.core.models import CacheGeneration
from riffhouse.lineage import services as lineage
from riffhouse.lineage.services import SourceSpec
from riffhouse.moderation import services as moderation
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **headers: Any) -> Any:
    return client.get(url, headers=headers)


def nonce_of(response: Any) -> str:
    header = response["Content-Security-Policy"]
    match = re.search(r"'nonce-([^']+)'", header)
    assert match, header
    return match.group(1)


@pytest.fixture
def remix(make_user: Callable[..., User], make_record: Callable[..., Record]) -> Record:
    """A published remix of two published records by two other members."""
    first = make_record(title="Harbour at dawn", author=make_user("ana"))
    second = make_record(title="Gulls in the fog", author=make_user("ben"))
    remixer = make_user("cleo")
    remix = make_record(title="Two mornings", author=remixer)
    lineage.record_sources_set(
        actor=remixer,
        record=remix,
        sources=[
            SourceSpec(record_id=first.pk, usage="text"),
            SourceSpec(record_id=second.pk, usage="text"),
        ],
    )
    return remix


# Mechanics ----------------------------------------------------------------------------------
def test_a_second_visit_is_served_from_the_cache_with_one_query(client: Client, remix: Record):
    url = f"/records/{remix.pk}/"
    first = get(client, url)
    assert first.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        second = get(client, url)
    assert second.status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "core_cachegeneration" in queries[0]["sql"]
    assert second.content.replace(nonce_of(second).encode(), b"") == first.content.replace(
        nonce_of(first).encode(), b""
    )


def test_each_answer_has_its_own_nonce_in_header_and_page(client: Client, remix: Record):
    url = f"/records/{remix.pk}/"
    answers = [get(client, url) for _ in range(3)]
    nonces = [nonce_of(answer) for answer in answers]
    assert len(set(nonces)) == 3
    for answer, nonce in zip(answers, nonces, strict=True):
        body = answer.content.decode()
        assert f'nonce="{nonce}"' in body
        assert all(other not in body for other in nonces if other != nonce)


def test_validators_answer_304_until_a_write(client: Client, remix: Record):
    url = f"/records/{remix.pk}/"
    first = get(client, url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('W/"')
    assert "public" in first["Cache-Control"]
    assert "s-maxage=10" in first["Cache-Control"]
    assert "Cookie" in first["Vary"]
    for not_modified in (
        get(client, url, if_none_match=etag),
        get(client, url, if_modified_since=modified),
    ):
        assert not_modified.status_code == 304
        assert not_modified["ETag"] == etag
        # The browser keeps its copy's CSP header, whose nonce its copy's page holds.
        assert "Content-Security-Policy" not in not_modified

    records.record_update(actor=remix.author, record=remix, title="Two mornings, retold")

    again = get(client, url, if_none_match=etag)
    assert again.status_code == 200
    assert "Two mornings, retold" in again.content.decode()
    assert again["ETag"] != etag


def test_a_logged_in_member_is_never_served_the_cached_page(
    client: Client, remix: Record, make_user: Callable[..., User]
):
    url = f"/records/{remix.pk}/"
    get(client, url)  # cached for visitors
    client.force_login(remix.author)
    mine = get(client, url)
    assert "Edit" in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    assert "ETag" not in mine


def test_a_visitor_with_a_message_is_neither_served_nor_stored(client: Client, remix: Record):
    url = f"/records/{remix.pk}/"
    client.cookies["messages"] = "something"
    get(client, url)
    assert not _page_keys(), "nothing stored for a visitor with a message waiting"
    del client.cookies["messages"]
    get(client, url)
    assert len(_page_keys()) == 1


def test_htmx_parts_are_kept_apart_from_whole_pages(client: Client, remix: Record):
    url = f"/records/?author={remix.author.username}"
    part = get(client, url, hx_request="true").content.decode()
    whole = get(client, url).content.decode()
    assert "<html" in whole
    assert "<html" not in part
    assert "<html" not in get(client, url, hx_request="true").content.decode()
    assert "<html" in get(client, url).content.decode()
    assert len(_page_keys()) == 2


def _page_keys() -> list[str]:
    from django.core.cache import cache

    backend: Any = cache
    if hasattr(backend, "_cache") and isinstance(backend._cache, dict):
        return [key for key in backend._cache if ":page:" in key]
    return [key.decode() for key in backend._cache.get_client().keys("*:page:*")]


def test_each_host_has_its_own_entry(client: Client, remix: Record, settings: Any):
    """An API answer names its own absolute addresses: a visitor through another name of the
    site never gets the first one's."""
    settings.ALLOWED_HOSTS = ["testserver", "riffhouse.example"]
    url = f"/api/v1/records/{remix.pk}"
    assert "http://testserver/" in get(client, url).content.decode()
    other = client.get(url, HTTP_HOST="riffhouse.example").content.decode()
    assert "http://riffhouse.example/" in other
    assert "testserver" not in other


def test_a_page_with_a_csrf_token_is_not_stored(client: Client):
    get(client, "/accounts/log-in/")  # a form: its token is the visitor's
    assert not _page_keys()


def test_a_write_that_fails_moves_nothing(remix: Record, make_user: Callable[..., User]):
    eve = make_user("eve")
    before = CacheGeneration.objects.get(name="public").number
    with pytest.raises(ApplicationError):
        records.record_update(actor=eve, record=remix, title="Not yours")
    assert CacheGeneration.objects.get(name="public").number == before


def test_a_write_moves_public_in_its_transaction(remix: Record):
    before = CacheGeneration.objects.get(name="public")
    records.record_update(actor=remix.author, record=remix, title="Moved")
    after = CacheGeneration.objects.get(name="public")
    assert after.number > before.number
    assert after.changed_at >= before.changed_at


# Freshness, page by page ---------------------------------------------------------------------
PAGES: dict[str, Callable[[Record], str]] = {
    "record page": lambda r: f"/records/{r.pk}/",
    "lineage page": lambda r: f"/records/{r.pk}/lineage/",
    "credits page": lambda r: f"/records/{r.pk}/credits/",
    "browse": lambda r: "/records/",
    "home": lambda r: "/",
    "API record": lambda r: f"/api/v1/records/{r.pk}",
    "API records": lambda r: "/api/v1/records",
    "API latest": lambda r: "/api/v1/feed/latest",
}
SOURCE_PAGES: dict[str, Callable[[Record], str]] = {
    "source's remixes": lambda s: f"/records/{s.pk}/remixes/",
    "API sources": lambda r: f"/api/v1/records/{r.pk}/sources",
    "API lineage": lambda r: f"/api/v1/records/{r.pk}/lineage",
}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_retitled_record_shows_at_once(client: Client, remix: Record, page: str):
    url = PAGES[page](remix)
    assert "Two mornings" in get(client, url).content.decode()
    get(client, url)
    records.record_update(actor=remix.author, record=remix, title="Three evenings")
    after = get(client, url).content.decode()
    assert "Three evenings" in after
    assert "Two mornings" not in after


@pytest.mark.parametrize("page", sorted(SOURCE_PAGES))
def test_a_retitled_source_shows_at_once_in_its_remix(client: Client, remix: Record, page: str):
    source = Record.objects.get(title="Harbour at dawn")
    url = SOURCE_PAGES[page](source if page == "source's remixes" else remix)
    before = get(client, url).content.decode()
    assert ("Two mornings" if page == "source's remixes" else "Harbour at dawn") in before
    if page == "source's remixes":
        records.record_update(actor=remix.author, record=remix, title="Three evenings")
        assert "Three evenings" in get(client, url).content.decode()
    else:
        records.record_update(actor=source.author, record=source, title="Harbour at dusk")
        assert "Harbour at dusk" in get(client, url).content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/@cleo",
        "/api/v1/users/cleo",
        "RECORD/records/{pk}/",
        "RECORD/records/{pk}/credits/",
        "RECORD/api/v1/records/{pk}",
    ],
)
def test_a_renamed_member_shows_at_once(client: Client, remix: Record, url: str):
    url = url.removeprefix("RECORD").format(pk=remix.pk)
    get(client, url)
    accounts.user_update_profile(user=remix.author, display_name="Cleo Marsh")
    assert "Cleo Marsh" in get(client, url).content.decode()


def test_a_new_record_shows_at_once_in_the_lists(
    client: Client, remix: Record, make_record: Callable[..., Record]
):
    # The profile's records are the list for its member, asked by htmx.
    urls = ("/records/", "/", "/records/?author=cleo", "/api/v1/records")
    for url in urls:
        get(client, url, hx_request="true")
        get(client, url)
    make_record(title="A brand new piece", author=remix.author)
    for url in urls:
        assert "A brand new piece" in get(client, url).content.decode(), url
        assert "A brand new piece" in get(client, url, hx_request="true").content.decode(), url


def test_a_deleted_record_is_gone_at_once(client: Client, remix: Record):
    for url in ("/records/", f"/records/{remix.pk}/"):
        get(client, url)
    records.record_delete(actor=remix.author, record=remix)
    assert "Two mornings" not in get(client, "/records/").content.decode()
    assert get(client, f"/records/{remix.pk}/").status_code == 410


def test_a_draft_is_gone_at_once(client: Client, remix: Record):
    get(client, f"/records/{remix.pk}/")
    records.record_update(actor=remix.author, record=remix, visibility="draft")
    assert get(client, f"/records/{remix.pk}/").status_code == 404


def test_a_hidden_record_is_gone_at_once(
    client: Client, remix: Record, make_user: Callable[..., User]
):
    moderator = make_user("mod", role=Role.MODERATOR)
    get(client, "/records/")
    get(client, f"/records/{remix.pk}/")
    moderation.action_take(
        moderator=moderator,
        target=moderation.target_ref(record=remix.pk),
        kind="hide",
        reason="Spam",
    )
    assert "Two mornings" not in get(client, "/records/").content.decode()
    assert "Two mornings" not in get(client, f"/records/{remix.pk}/").content.decode()


def test_trending_shows_the_job_s_new_results_at_once(client: Client, remix: Record):
    url = "/api/v1/feed/trending"
    assert "Two mornings" not in get(client, url).content.decode()
    feeds.record_play_count(record=remix, listener="a")
    feeds.trending_compute()
    assert "Two mornings" in get(client, url).content.decode()


def test_every_marked_view_keeps_an_answer_for_visitors(client: Client, remix: Record):
    """The pages this file checks are stored (a test that cannot see the cache would pass
    vacuously otherwise)."""
    for url in [*(build(remix) for build in PAGES.values()), "/@cleo", "/api/v1/users/cleo"]:
        get(client, url)
        with CaptureQueriesContext(connection) as queries:
            assert get(client, url).status_code == 200
        assert len(queries) == 1, url


def test_generations_are_read_once_per_request_and_forgotten_after_a_write(remix: Record):
    page_cache.generations_forget()
    first = page_cache.public_generation()
    with CaptureQueriesContext(connection) as queries:
        assert page_cache.public_generation() == first
    assert not queries
    page_cache.public_pages_changed()
    assert page_cache.public_generation() == first + 1
    page_cache.generations_forget()
