"""Productions' public pages from the cache, exactly fresh (decision 0040): warm each page as
a logged-out visitor, write through the producers' services, and the next visit shows it."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.productions import services
from riffhouse.productions.models import Need, Production
from riffhouse.productions.tests.test_show import (  # noqa: F401 (fixtures)
    release_episode,
    released_production,
)

pytestmark = pytest.mark.django_db


def open_call_pages(production: Production, need: Need) -> list[str]:
    return [
        "/calls/",
        f"/productions/{production.pk}/",
        f"/productions/needs/{need.pk}/",
        f"/api/v1/productions/{production.pk}",
        f"/api/v1/productions/{production.pk}/needs",
        f"/api/v1/needs/{need.pk}",
    ]


def text(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_open_call_s_pages_are_cached(client: Client, production: Production, need: Need):
    for url in open_call_pages(production, need):
        text(client, url)
        with CaptureQueriesContext(connection) as queries:
            text(client, url)
        assert len(queries) == 1, url


def test_a_renamed_call_shows_at_once(
    client: Client, production: Production, need: Need, producer: User
):
    # A need's API answer names its production by id only.
    pages = [url for url in open_call_pages(production, need) if "needs" not in url]
    pages.append(f"/productions/needs/{need.pk}/")
    for url in pages:
        assert "Space" in text(client, url)
    services.production_update(actor=producer, production=production, title="Deep Field")
    for url in pages:
        assert "Deep Field" in text(client, url), url


def test_a_changed_need_shows_at_once(
    client: Client, production: Production, need: Need, producer: User
):
    pages = [f"/productions/{production.pk}/", f"/productions/needs/{need.pk}/"]
    pages += [f"/api/v1/productions/{production.pk}/needs", f"/api/v1/needs/{need.pk}"]
    for url in pages:
        assert "A song about leaving Earth" in text(client, url)
    services.need_update(actor=producer, need=need, title="A lullaby for the long dark")
    for url in pages:
        assert "A lullaby for the long dark" in text(client, url), url


def test_a_closed_call_leaves_the_calls_at_once(
    client: Client, production: Production, producer: User
):
    assert "Space" in text(client, "/calls/")
    services.production_status_set(actor=producer, production=production, status="curating")
    assert "Space" not in text(client, "/calls/")


def test_a_release_and_a_credited_member_s_new_name_show_at_once(
    client: Client,
    release_episode: Callable[..., Production],  # noqa: F811
):
    text(client, "/productions/")
    text(client, "/api/v1/productions")
    production = release_episode()
    assert production.title in text(client, "/productions/")
    assert production.title in text(client, "/api/v1/productions")

    pages = [
        f"/productions/{production.pk}/",
        f"/productions/{production.pk}/credits/",
        f"/api/v1/productions/{production.pk}",
    ]
    for url in pages[:2]:
        assert "Cleo Marsh" in text(client, url)
    text(client, pages[2])
    cleo = User.objects.get(username="cleo")
    accounts.user_update_profile(user=cleo, display_name="Cleo Marsh-Ortega")
    for url in pages[:2]:
        assert "Cleo Marsh-Ortega" in text(client, url), url


def test_a_released_show_s_pages_are_cached(
    client: Client,
    released_production: Production,  # noqa: F811 (fixture)
):
    for url in [
        f"/productions/{released_production.pk}/",
        f"/productions/{released_production.pk}/credits/",
        f"/productions/{released_production.pk}/chapters.vtt",
        "/productions/",
    ]:
        text(client, url)
        with CaptureQueriesContext(connection) as queries:
            text(client, url)
        assert len(queries) == 1, url
