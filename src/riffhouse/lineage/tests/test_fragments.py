"""The lineage panel's and the credits page's fragments from the cache (decision 0041): the
same for every viewer but the record's author and members with a record in its lineage, fresh
after every write that changes them, and fewer queries once kept."""

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
from riffhouse.core.fragments import fragment_key
from riffhouse.lineage.templatetags.lineage import COLUMNS_TEMPLATES, CREDITS_TEMPLATES
from riffhouse.lineage.views import CREDIT_TABLE_TEMPLATES
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def reader(make_user: Callable[..., User]) -> Client:
    """A logged-in member with no record anywhere: they see what everyone sees."""
    return client_of(make_user("reader"))


@pytest.fixture
def two_sources(ana: User, bo: User, cy: User, work: Any, remix: Any) -> Record:
    """A remix by Cyra of Ana's and Bodhi's work."""
    return remix(cy, (work(ana, "Moon song"), "melody"), (work(bo, "Tide"), "words"), title="Mix")


def test_the_fragments_are_kept_without_anything_of_the_viewers(
    reader: Client, two_sources: Record
) -> None:
    response = reader.get(two_sources.get_absolute_url())
    body = response.content.decode()
    token = str(response.context["csrf_token"])
    nonce = str(response.wsgi_request._csp_nonce)  # type: ignore[attr-defined]
    kept = [
        cache.get(fragment_key("lineage-credits", two_sources.pk, templates=CREDITS_TEMPLATES)),
        cache.get(fragment_key("lineage-columns", two_sources.pk, 1, templates=COLUMNS_TEMPLATES)),
    ]
    for html in kept:
        assert html and html in body
        assert token not in html and nonce not in html and "reader" not in html
    assert "ana" in kept[0] and "Moon song" in kept[1]


def test_kept_fragments_spare_the_panels_queries(
    reader: Client, two_sources: Record, django_assert_max_num_queries: Any
) -> None:
    with CaptureQueriesContext(connection) as cold:
        reader.get(two_sources.get_absolute_url())
    # The session and its member, the record with its tags and files, the unread badge, the
    # generations, and the one query that tells this reader has no record among its sources
    # and remixes: the credits' walk and members, the sources, the remixes and their
    # thumbnails are read only when not kept.
    with django_assert_max_num_queries(8) as warm:
        reader.get(two_sources.get_absolute_url())
    assert len(warm.captured_queries) <= len(cold.captured_queries) - 5


def test_a_draft_remix_is_shown_to_its_author_alone(
    reader: Client, ana: User, bo: User, work: Any, remix: Any
) -> None:
    source = work(ana, "Moon song")
    reader.get(source.get_absolute_url())  # the columns as everyone sees them are kept
    remix(bo, source, title="Bodhi's unfinished mix", visibility="draft")
    assert "unfinished mix" in client_of(bo).get(source.get_absolute_url()).content.decode()
    assert "unfinished mix" not in reader.get(source.get_absolute_url()).content.decode()
    assert "unfinished mix" not in Client().get(source.get_absolute_url()).content.decode()


def test_the_authors_tools_stay_theirs(reader: Client, cy: User, two_sources: Record) -> None:
    reader.get(two_sources.get_absolute_url())
    assert "Edit sources" in client_of(cy).get(two_sources.get_absolute_url()).content.decode()
    assert "Edit sources" not in reader.get(two_sources.get_absolute_url()).content.decode()


# needs the lead's @changes_public_pages
def test_a_renamed_source_author_is_fresh_in_the_credits(
    reader: Client, ana: User, two_sources: Record
) -> None:
    credits_url = reverse("lineage:credits", args=[two_sources.pk])
    assert "ana" in reader.get(two_sources.get_absolute_url()).content.decode()
    assert "ana" in reader.get(credits_url).content.decode()
    assert cache.get(fragment_key("credits", two_sources.pk, templates=CREDIT_TABLE_TEMPLATES))
    accounts.user_update_profile(user=ana, display_name="Ana Lune")
    for path in (two_sources.get_absolute_url(), credits_url):
        assert "Ana Lune" in reader.get(path).content.decode()


# needs the lead's @changes_public_pages
def test_a_retitled_source_is_fresh_in_built_on(
    reader: Client, ana: User, two_sources: Record
) -> None:
    assert "Moon song" in reader.get(two_sources.get_absolute_url()).content.decode()
    source = Record.objects.get(title="Moon song")
    records.record_update(actor=ana, record=source, title="Sun song")
    body = reader.get(two_sources.get_absolute_url()).content.decode()
    assert "Sun song" in body and "Moon song" not in body


# needs the lead's @changes_public_pages
def test_a_new_remix_is_fresh_in_built_upon_by(
    reader: Client, ana: User, cy: User, work: Any, remix: Any
) -> None:
    source = work(ana, "Moon song")
    assert "No remixes yet" in reader.get(source.get_absolute_url()).content.decode()
    remix(cy, source, title="Cyra's mix")
    body = reader.get(source.get_absolute_url()).content.decode()
    assert "Cyra&#x27;s mix" in body and "No remixes yet" not in body
