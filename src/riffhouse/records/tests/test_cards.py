"""Record cards from the cache (records.cards, decision 0041): the markup a fresh rendering
gives, shown fresh to a logged-in member after every write that changes a card, and fewer
queries once the cards are kept."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.lineage import services as lineage
from riffhouse.records import cards
from riffhouse.records import services as records
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(make_user: Callable[..., User]) -> Client:
    """A logged-in member who authored nothing: their pages show what everyone sees."""
    client = Client()
    client.force_login(make_user("reader"))
    return client


def cards_of(body: bytes) -> list[str]:
    """The cards of a page, as markup (the per-response CSRF token and nonce are outside)."""
    return re.findall(r'<li class="record-card .*?\n</li>', body.decode(), flags=re.S)


def test_a_kept_card_is_the_card_rendered_anew(
    member: Client, make_record: Callable[..., Record]
) -> None:
    made = [make_record(kind, title=f"A {kind}") for kind in ("text", "image", "audio", "video")]
    first = cards_of(member.get(reverse("records:list")).content)
    assert len(first) == 4
    for record in made:
        assert cache.get(cards.card_key(record.pk)) is not None
    assert cards_of(member.get(reverse("records:list")).content) == first
    # The same cards where records are already loaded (the home page's "Just in").
    home = cards_of(member.get(reverse("community:home")).content)
    assert home and set(home) <= set(first)


def test_kept_cards_cost_no_query(
    member: Client, make_record: Callable[..., Record], django_assert_max_num_queries: Any
) -> None:
    make_record("image", title="Harbour at dusk")
    make_record("audio", title="Tide")
    for i in range(22):
        make_record("text", title=f"Poem {i}", tags="sea")
    with CaptureQueriesContext(connection) as cold:
        member.get(reverse("records:list"))  # renders and keeps the 24 cards
    # The session and its member, the page's ids, the generations, the unread badge: none
    # for the cards (before the cache: 8 for this page, whatever was kept).
    with django_assert_max_num_queries(5) as warm:
        response = member.get(reverse("records:list"))
    assert len(cards_of(response.content)) == 24
    assert len(warm.captured_queries) < len(cold.captured_queries) <= 8


def test_only_the_missing_cards_are_loaded(
    member: Client, make_record: Callable[..., Record]
) -> None:
    kept = make_record("text", title="Kept")
    missing = make_record("text", title="Missing")
    member.get(reverse("records:list"))
    cache.delete(cards.card_key(missing.pk))
    # Another address, so that the page kept for members (decision 0042) is not the answer.
    with CaptureQueriesContext(connection) as queries:
        body = member.get(reverse("records:list") + "?kind=text").content.decode()
    assert "Missing" in body and "Kept" in body
    card_loads = [
        q["sql"] for q in queries.captured_queries if '"records_record"."title"' in q["sql"]
    ]
    assert len(card_loads) == 1
    # Only the missing card's record, and not the columns a card does not show.
    ids = re.search(r'"records_record"\."id" IN \(([\d, ]+)\)', card_loads[0])
    assert ids is not None and ids.group(1).split(", ") == [str(missing.pk)]
    assert kept.pk != missing.pk
    assert "body_html" not in card_loads[0]


# needs the lead's @changes_public_pages
def test_a_retitled_record_is_fresh_on_the_next_page(
    member: Client, make_record: Callable[..., Record], user: User
) -> None:
    record = make_record("text", title="Old title")
    assert "Old title" in member.get(reverse("records:list")).content.decode()
    assert "Old title" in member.get(reverse("community:home")).content.decode()
    records.record_update(actor=user, record=record, title="New title")
    for path in (reverse("records:list"), reverse("community:home")):
        body = member.get(path).content.decode()
        assert "New title" in body and "Old title" not in body


# needs the lead's @changes_public_pages
def test_a_renamed_member_is_fresh_on_their_cards(
    member: Client, make_record: Callable[..., Record], user: User
) -> None:
    make_record("text", title="A verse")
    assert "Orion Vale" in member.get(reverse("records:list")).content.decode()
    accounts.user_update_profile(user=user, display_name="Orion Lune")
    body = member.get(reverse("records:list")).content.decode()
    assert "Orion Lune" in body and "Orion Vale" not in body


# needs the lead's @changes_public_pages
def test_a_new_remix_is_counted_on_the_next_page(
    member: Client, make_record: Callable[..., Record], make_user: Callable[..., User]
) -> None:
    source = make_record("text", title="A verse")
    assert "1 remix" not in member.get(reverse("records:list")).content.decode()
    lineage.remix_create(
        author=make_user("remixer"),
        sources=[SourceSpec(record_id=source.pk)],
        kind="text",
        title="Another verse",
        body="Built on it.",
    )
    assert "↻ 1 remix<" in member.get(reverse("records:list")).content.decode()


def test_a_loop_of_cards_reads_the_cache_once(
    member: Client, make_record: Callable[..., Record], monkeypatch: pytest.MonkeyPatch
) -> None:
    for i in range(3):
        make_record("text", title=f"Harbour poem {i}")
    url = reverse("search:page") + "?q=harbour"
    first = member.get(url)
    assert len(cards_of(first.content)) == 3
    reads: list[str] = []
    real_get, real_get_many = cache.get, cache.get_many
    monkeypatch.setattr(
        cards.cache, "get", lambda *a, **k: reads.append("get") or real_get(*a, **k)
    )
    monkeypatch.setattr(
        cards.cache, "get_many", lambda *a, **k: reads.append("many") or real_get_many(*a, **k)
    )
    again = member.get(url)
    assert cards_of(again.content) == cards_of(first.content)
    assert reads.count("many") == 1  # the three cards at once ({% record_cards_ahead %})
