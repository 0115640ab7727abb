"""The search page: an empty prompt, results with cards, htmx fragments, filters as
controls, "More" paging, the header's box on every page, bounded queries."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.productions import services as productions

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "search-body"}


def test_header_has_a_search_form_on_every_page(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'role="search"' in html
    assert 'action="/search/"' in html
    assert '<label for="site-search-q"' in html


def test_empty_query_shows_a_prompt(client: Client) -> None:
    response = client.get("/search/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Type to search." in html
    assert 'aria-live="polite"' in html
    assert client.get("/search/", {"q": "  "}).status_code == 200


def test_results_show_cards_and_count(
    client: Client,
    make_record: Callable[..., Any],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(12):
        make_record(title=f"Lantern {n}", kind="image" if n % 4 == 0 else "text")
    make_record(title="Elsewhere")
    # The page's own reads (session, header) plus the search's bounded five.
    with django_assert_max_num_queries(8):
        response = client.get("/search/", {"q": "lantern"})
    html = response.content.decode()
    assert html.count('class="record-card ') == 12
    assert "12 records for “lantern”" in html
    assert "Elsewhere" not in html


def test_htmx_gets_the_results_fragment(client: Client, make_record: Callable[..., Any]) -> None:
    record = make_record(title="Lantern")
    response = client.get("/search/", {"q": "lant"}, headers=HTMX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'id="search-body"' in html
    assert record.get_absolute_url() in html
    assert 'hx-swap-oob="innerHTML"' in html  # the live count updates in place


def test_more_pages_through_the_results(client: Client, make_record: Callable[..., Any]) -> None:
    for n in range(23):
        make_record(title=f"Ember {n}")
    html = client.get("/search/", {"q": "ember"}).content.decode()
    assert html.count('class="record-card ') == 20
    assert "More results" in html
    more = html.split('class="search-more"><a class="button button-quiet" href="')[1].split('"')[0]
    more = more.replace("&amp;", "&")
    fragment = client.get(f"/search/{more}", headers={"HX-Request": "true"}).content.decode()
    assert fragment.count('class="record-card ') == 3
    assert "More results" not in fragment
    # Without JavaScript the link is a page.
    page = client.get(f"/search/{more}").content.decode()
    assert page.count('class="record-card ') == 3


def test_filters_are_controls(client: Client, make_record: Callable[..., Any]) -> None:
    make_record(title="Reed song", tags="wind")
    make_record(title="Reed picture", kind="image")
    html = client.get("/search/", {"q": "reed", "kind": "image"}).content.decode()
    assert "Reed picture" in html and "Reed song" not in html
    assert '<option value="image" selected>' in html
    assert '<select name="licence"' in html
    html = client.get("/search/", {"q": "reed", "tag": "wind"}).content.decode()
    assert "Reed song" in html and "Reed picture" not in html
    # A bad value is a message, not an error page.
    response = client.get("/search/", {"q": "reed", "licence": "nope"})
    assert response.status_code == 200
    assert "Unknown licence" in response.content.decode()


def test_members_and_productions(client: Client, user: User) -> None:
    accounts.user_update_profile(user=user, display_name="Wren Hollow", bio="Field recordist.")
    production = productions.production_create(
        actor=user, kind="film", title="Hollow hills", brief="A film of the hills."
    )
    productions.production_status_set(actor=user, production=production, status="open")
    html = client.get("/search/", {"q": "hollow", "type": "members"}).content.decode()
    assert "member-card" in html and "@orion" in html and "Field recordist." in html
    # Filters of records are ignored on other types rather than refused.
    html = client.get(
        "/search/", {"q": "hollow", "type": "productions", "licence": "cc-by"}
    ).content.decode()
    assert "production-card" in html and "Hollow hills" in html
    assert '<select name="licence"' not in html


@pytest.mark.parametrize("q", ['"', "*", "NEAR(", "' OR 1=1 --", "🌙", "x" * 1000])
def test_odd_text_on_the_page(q: str, client: Client) -> None:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
