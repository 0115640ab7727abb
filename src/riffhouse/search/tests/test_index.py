"""The index stays current through every write path, and ranks title above description above
body, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import PASSWORD
from django.core.management import call_command
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.accounts.tokens import email_confirmation_token
from riffhouse.productions import services as productions
from riffhouse.records import services as records
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import Record
from riffhouse.search import backends
from riffhouse.search.models import SearchEntry
from riffhouse.search.services import search_reindex_all

pytestmark = pytest.mark.django_db
Titles = Callable[..., list[str]]


# Ranking -------------------------------------------------------------------------------------
def test_title_beats_description_beats_body(
    make_record: Callable[..., Any], titles: Titles
) -> None:
    make_record(title="Harbour song", body="A lighthouse keeps watch over the bay.")
    make_record(title="Night walk", description="Past the lighthouse at dawn.", body="Steps.")
    make_record(title="Lighthouse", body="Plain words.")
    assert titles("lighthouse") == ["Lighthouse", "Night walk", "Harbour song"]


def test_every_term_must_match_and_last_is_a_prefix(
    make_record: Callable[..., Any], titles: Titles
) -> None:
    make_record(title="Moonlight sonata", body="Soft keys.")
    make_record(title="Moonrise", body="Soft strings.")
    assert sorted(titles("moon")) == ["Moonlight sonata", "Moonrise"]  # a prefix as you type
    assert titles("soft moonl") == ["Moonlight sonata"]
    assert titles("soft zebra") == []


def test_non_latin_text_and_diacritics(make_record: Callable[..., Any], titles: Titles) -> None:
    make_record(title="Песня моря", body="Волны и ветер.")
    make_record(title="Café del mar", body="Olas.")
    assert titles("ВОЛНЫ") == ["Песня моря"]
    assert titles("песня") == ["Песня моря"]
    assert titles("café") == ["Café del mar"]


def test_a_word_in_most_documents_ranks_the_newest_matches(
    monkeypatch: pytest.MonkeyPatch, make_record: Callable[..., Any], titles: Titles
) -> None:
    """Scoring stops at `CANDIDATES` matches, the newest first; the filters choose them, so a
    filtered search still finds older matches behind many newer ones (decision 0039)."""
    monkeypatch.setattr(backends, "CANDIDATES", 2)
    make_record(title="Tide one", kind="image")
    make_record(title="Tide two", kind="image")
    make_record(title="Tide", body="Three.")  # the best title, but older than the cut
    make_record(title="Waves", body="A tide, four.")
    make_record(title="Foam", body="A tide, five.")
    assert titles("tide") == ["Foam", "Waves"]
    assert titles("tide", kind="image") == ["Tide two", "Tide one"]
    assert titles("three") == ["Tide"]  # a rare word is ranked over all its matches


# Filters -------------------------------------------------------------------------------------
def test_filters_by_kind_tag_licence_and_remix_policy(
    make_record: Callable[..., Any], titles: Titles
) -> None:
    make_record(title="Tide poem", tags="sea, field recording", licence="cc-by")
    make_record(title="Tide picture", kind="image", tags="sea", remix_policy="ask")
    make_record(title="Tide notes", tags="river", licence="cc-by-nc", remix_policy="closed")
    assert sorted(titles("tide")) == ["Tide notes", "Tide picture", "Tide poem"]
    assert titles("tide", kind="image") == ["Tide picture"]
    assert sorted(titles("tide", tag="sea")) == ["Tide picture", "Tide poem"]
    assert titles("tide", tag="Field  Recording") == ["Tide poem"]
    assert titles("tide", tag="field") == []  # a tag is matched whole
    assert titles("tide", licence="cc-by") == ["Tide poem"]
    assert titles("tide", remix_policy="closed") == ["Tide notes"]
    assert titles("tide", remix_policy="ask", kind="text") == []


def test_filters_with_spaces_and_hyphens(make_record: Callable[..., Any], titles: Titles) -> None:
    """The filters are words in the index (decision 0039): a tag with spaces or hyphens
    still matches whole, and never as a word of the text."""
    make_record(title="Song one", tags="Lo-Fi, tape")
    make_record(title="Song two", tags="lo fi")
    assert titles("song", tag="LO-FI") == ["Song one"]
    assert titles("song", tag="lo fi") == ["Song two"]
    assert titles("song", tag="lo") == []
    assert titles("t7265636f7264") == []  # a facet word typed as text finds nothing


def test_types_search_their_own_documents(
    make_record: Callable[..., Any], user: User, find: Callable[..., list[Any]]
) -> None:
    make_record(title="Orion's belt")
    accounts.user_update_profile(user=user, display_name="Orion Stargazer", bio="I sing.")
    production = productions.production_create(
        actor=user, kind="album", title="Orion nights", brief="Songs about stars."
    )
    productions.production_status_set(actor=user, production=production, status="open")
    assert [r.title for r in find("orion")] == ["Orion's belt"]
    assert [m.username for m in find("orion", type="members")] == ["orion"]
    assert [p.title for p in find("orion", type="productions")] == ["Orion nights"]
    assert [p.title for p in find("orion", type="productions", kind="album")] == ["Orion nights"]
    assert find("orion", type="productions", kind="film") == []


# Freshness: each write path ------------------------------------------------------------------
def test_record_create_edit_and_new_text(
    make_record: Callable[..., Any], user: User, titles: Titles
) -> None:
    record = make_record(title="First light", body="Gulls over the pier.", tags="dawn")
    assert titles("gulls") == ["First light"]
    records.record_update(actor=user, record=record, title="Last light")
    assert titles("first") == []
    assert titles("last light") == ["Last light"]
    records.record_update(actor=user, record=record, body="Herons in the reeds.")
    assert titles("gulls") == []
    assert titles("herons") == ["Last light"]
    records.record_update(actor=user, record=record, tags="dusk", licence="cc-by")
    assert titles("light", tag="dawn") == []
    assert titles("light", tag="dusk", licence="cc-by") == ["Last light"]


def test_publish_unpublish_and_delete(
    make_record: Callable[..., Any], user: User, titles: Titles
) -> None:
    draft = make_record(title="Secret sketch", visibility="draft")
    assert titles("secret") == []  # a draft is never found, by anyone
    records.record_update(actor=user, record=draft, visibility="published")
    assert titles("secret") == ["Secret sketch"]
    records.record_update(actor=user, record=draft, visibility="draft")
    assert titles("secret") == []
    records.record_update(actor=user, record=draft, visibility="published")
    records.record_delete(actor=user, record=draft)
    assert titles("secret") == []
    assert not SearchEntry.objects.filter(type="record", object_id=draft.pk).exists()


def test_usage_notes_of_a_remix(
    make_record: Callable[..., Any], make_user: Callable[..., User], titles: Titles
) -> None:
    source = make_record(title="Rain loop")
    remixer = make_user("remixer")
    make_record(
        title="Storm",
        author=remixer,
        sources=[SourceSpec(record_id=source.pk, usage="the thunder sample")],
    )
    assert titles("thunder") == ["Storm"]


def test_profile_rename_and_account_deletion(
    make_record: Callable[..., Any], user: User, find: Callable[..., list[Any]]
) -> None:
    make_record(title="Starlight")
    accounts.user_update_profile(user=user, display_name="Nova Quill")
    assert [m.username for m in find("quill", type="members")] == ["orion"]
    accounts.user_update_profile(user=user, display_name="Nova Reed")
    assert find("quill", type="members") == []
    assert [m.username for m in find("reed", type="members")] == ["orion"]
    accounts.account_delete(user=user, password=PASSWORD)
    assert find("reed", type="members") == []
    assert find("starlight") == []  # their records left with them


def test_a_new_member_and_a_new_bio_are_found_at_once(find: Callable[..., list[Any]]) -> None:
    member = accounts.user_create(
        username="wren", email="wren@example.com", password=PASSWORD, display_name="Wren Alder"
    )
    assert [m.username for m in find("alder", type="members")] == ["wren"]
    accounts.user_update_profile(user=member, bio="I paint tidepools.")
    assert [m.username for m in find("tidepools", type="members")] == ["wren"]


def test_a_member_who_confirms_their_email_is_found(find: Callable[..., list[Any]]) -> None:
    member = accounts.user_sign_up(
        username="heron",
        email="heron@example.com",
        password=PASSWORD,
        base_url="http://testserver",
        ip="127.0.0.1",
    )
    assert member is not None
    assert find("heron", type="members") == []  # not yet confirmed: not a member anyone meets
    accounts.user_confirm_email(
        uidb64=urlsafe_base64_encode(force_bytes(member.pk)),
        token=email_confirmation_token.make_token(member),
    )
    assert [m.username for m in find("heron", type="members")] == ["heron"]


def test_production_changes(user: User, find: Callable[..., list[Any]]) -> None:
    production = productions.production_create(
        actor=user, kind="episode", title="Harvest moon", brief="Songs for the harvest."
    )
    assert find("harvest", type="productions") == []  # a draft is its producers' only
    productions.production_status_set(actor=user, production=production, status="open")
    assert [p.title for p in find("harvest", type="productions")] == ["Harvest moon"]
    productions.production_update(actor=user, production=production, title="Winter moon")
    assert [p.title for p in find("winter", type="productions")] == ["Winter moon"]
    assert [p.title for p in find("harvest", type="productions")] == ["Winter moon"]  # brief
    productions.need_create(actor=user, production=production, title="A fiddle tune", kinds="audio")
    assert [p.title for p in find("fiddle", type="productions")] == ["Winter moon"]
    productions.production_status_set(actor=user, production=production, status="draft")
    assert find("winter", type="productions") == []


def test_reindex_all_rebuilds_from_the_database(
    make_record: Callable[..., Any], user: User, titles: Titles
) -> None:
    make_record(title="Kept")
    make_record(title="Hidden draft", visibility="draft")
    SearchEntry.objects.all().delete()
    assert titles("kept") == []
    # The record, and the member (members join the index when it is rebuilt or they change).
    assert search_reindex_all() == 2
    assert titles("kept") == ["Kept"]
    assert titles("hidden") == []
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert titles("kept") == ["Kept"]


def test_reindex_all_makes_the_same_text_table_again(make_record: Callable[..., Any]) -> None:
    """A rebuild drops and creates SQLite's FTS5 table: it must be the migration's."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's rebuild truncates its table")
    make_record(title="Kept")
    schema = "SELECT sql FROM sqlite_master WHERE name = 'search_fts'"
    with connection.cursor() as cursor:
        before = cursor.execute(schema).fetchone()
        search_reindex_all()
        assert cursor.execute(schema).fetchone() == before
    assert SearchEntry.objects.count() == 2


def test_reindex_all_numbers_entries_in_the_order_of_their_dates(
    make_record: Callable[..., Any], user: User
) -> None:
    """Entry ids grow with the dates across records, members and productions, as writes
    make them, so a search's newest candidates are the newest work (decision 0039)."""
    first = make_record(title="First")
    second = make_record(title="Second")
    production = productions.production_create(
        actor=user, kind="album", title="Third", brief="Songs."
    )
    productions.production_status_set(actor=user, production=production, status="open")
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - timedelta(days=3))
    Record.objects.filter(pk=first.pk).update_after_hooks(
        published_at=timezone.now() + timedelta(days=1)
    )
    search_reindex_all()
    found = list(SearchEntry.objects.order_by("pk").values_list("type", "object_id"))
    assert found == [
        ("member", user.pk),
        ("record", second.pk),
        ("production", production.pk),
        ("record", first.pk),
    ]


def test_the_migration_writes_the_facets_as_the_backend_does() -> None:
    """Migration 0002 fills the facets of an existing index with its own copy of the rule;
    an index it filled must answer the backend's filtered searches."""
    import importlib

    from riffhouse.search.backends import facet_tokens

    migration = importlib.import_module("riffhouse.search.migrations.0002_search_facets")
    entry = {
        "type": "record",
        "kind": "audio",
        "licence": "cc-by-nc",
        "remix_policy": "",
        "tags": "|field recording|песня|",
    }
    expected = facet_tokens(
        type="record", kind="audio", licence="cc-by-nc", tags=("field recording", "песня")
    )
    assert migration._facets(entry) == " ".join(expected)
