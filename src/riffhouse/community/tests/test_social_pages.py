"""The follow and heart buttons on profiles, records and productions, and the follower
lists: what a member sees and clicks, with and without JavaScript, at a fixed query cost."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import Block, User
from riffhouse.community import social
from riffhouse.community.models import Follow, Heart, MemberStats, RecordStats
from riffhouse.community.tests.social_scene import (  # noqa: F401 (fixtures)
    make_production_fixture,
    production_fixture,
    record_fixture,
)
from riffhouse.productions import show as show_views
from riffhouse.productions.tests.show_scene import Piece, release_scene

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ana_client(client: Client, ana: User) -> Client:
    client.force_login(ana)
    return client


# A member's profile -------------------------------------------------------------------------------
def test_profile_loads_the_follow_button_from_community(
    client: Client, user: User, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        html = client.get(user.get_absolute_url()).content.decode()
    slot = reverse("community:follow_member", args=["orion"])
    assert f'hx-get="{slot}"' in html
    # Without JavaScript, the slot's links lead to the lists (which hold the button).
    assert reverse("community:followers", args=["orion"]) in html


def test_follow_button_shows_the_state_and_the_counts(
    ana_client: Client, user: User, ana: User, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    for n in range(3):
        social.follow_add(follower=make_user(f"fan{n}"), user=user)
    url = reverse("community:follow_member", args=["orion"])
    with django_assert_max_num_queries(6):
        html = ana_client.get(url, headers=HTMX).content.decode()
    assert 'aria-pressed="false"' in html
    assert "<strong>3</strong> followers" in html
    response = ana_client.post(url, {"action": "add", "next": "/@orion"}, headers=HTMX)
    html = response.content.decode()
    assert 'aria-pressed="true"' in html
    assert "<strong>4</strong> followers" in html
    assert "You follow Orion Vale." in html
    assert Follow.objects.filter(follower=ana, user=user).exists()


def test_follow_without_javascript_posts_and_comes_back(
    ana_client: Client, user: User, ana: User
) -> None:
    url = reverse("community:follow_member", args=["orion"])
    response = ana_client.post(url, {"action": "add", "next": "/@orion"})
    assert response.status_code == 302 and response["Location"] == "/@orion"
    assert MemberStats.objects.get(user=user).followers == 1
    response = ana_client.post(url, {"action": "remove", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == user.get_absolute_url()
    assert not Follow.objects.exists()
    # The page the slot links to without JavaScript holds the button.
    page = ana_client.get(url).content.decode()
    assert 'name="action" value="add"' in page and "<h1>Follow Orion Vale</h1>" in page


def test_your_own_profile_shows_counts_but_no_button(client: Client, user: User) -> None:
    client.force_login(user)
    html = client.get(reverse("community:follow_member", args=["orion"]), headers=HTMX)
    assert 'name="action"' not in html.content.decode()
    assert "followers" in html.content.decode()


def test_a_visitor_is_asked_to_log_in(client: Client, user: User) -> None:
    url = reverse("community:follow_member", args=["orion"])
    assert "Log in to follow" in client.get(url, headers=HTMX).content.decode()
    response = client.post(url, {"action": "add"})
    assert response.status_code == 302 and "/accounts/log-in/" in response["Location"]
    assert not Follow.objects.exists()


def test_a_refusal_shows_in_the_button(ana_client: Client, user: User, ana: User) -> None:
    Block.objects.create(blocker=user, blocked=ana)
    url = reverse("community:follow_member", args=["orion"])
    html = ana_client.post(url, {"action": "add"}, headers=HTMX).content.decode()
    assert 'role="alert"' in html and "cannot follow" in html
    response = ana_client.post(url, {"action": "add"}, follow=True)
    assert "You cannot follow this member." in response.content.decode()
    assert not Follow.objects.exists()


def test_too_many_follows_answer_with_retry_after(
    ana_client: Client, make_user: Any, settings: Any
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "follow": (1, 600)}
    make_user("bea")
    make_user("cyd")
    ana_client.post(reverse("community:follow_member", args=["bea"]), {"action": "add"})
    response = ana_client.post(
        reverse("community:follow_member", args=["cyd"]), {"action": "add"}, headers=HTMX
    )
    assert "Too many follows" in response.content.decode()
    assert int(response["Retry-After"]) > 0


def test_a_member_who_left_has_no_button(ana_client: Client, make_user: Any) -> None:
    from riffhouse.accounts.services import account_delete

    gone = make_user("gone")
    account_delete(user=gone, password="a-long-and-lovely-passphrase")
    url = reverse("community:follow_member", args=["gone"])
    assert ana_client.get(url, headers=HTMX).status_code == 404
    assert ana_client.post(url, {"action": "add"}).status_code == 404


# Follower lists -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fans", [2, 12])
def test_follower_list_costs_the_same_however_long(
    client: Client, user: User, make_user: Any, fans: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(fans):
        social.follow_add(follower=make_user(f"fan{n}", display_name=f"Fan {n}"), user=user)
    with django_assert_max_num_queries(5):
        html = client.get(reverse("community:followers", args=["orion"])).content.decode()
    assert f"Fan {fans - 1}" in html and "Followers of Orion Vale" in html
    assert html.index(f"Fan {fans - 1}") < html.index("Fan 0")  # newest first


def test_following_list_and_its_next_page(
    client: Client, user: User, make_user: Any, settings: Any
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "follow": (100, 600)}
    for n in range(32):
        social.follow_add(follower=user, user=make_user(f"star{n}", display_name=f"Star {n}"))
    html = client.get(reverse("community:following", args=["orion"])).content.decode()
    assert "Whom Orion Vale follows" in html and "Star 31" in html and "Star 1<" not in html
    assert "Show more" in html
    cursor = html.split("?cursor=")[1].split('"')[0]
    rest = client.get(
        reverse("community:following", args=["orion"]) + f"?cursor={cursor}", headers=HTMX
    ).content.decode()
    assert "Star 1<" in rest and "Star 0<" in rest and "Star 31" not in rest


def test_an_empty_list_says_so(client: Client, user: User) -> None:
    html = client.get(reverse("community:followers", args=["orion"])).content.decode()
    assert "Nobody follows Orion Vale yet." in html


# Hearts on records --------------------------------------------------------------------------------
def test_record_page_holds_the_heart_slot(
    ana_client: Client, record: Any, django_assert_max_num_queries: Any
) -> None:
    slot = reverse("community:heart_record", args=[record.pk])
    with django_assert_max_num_queries(16):
        html = ana_client.get(record.get_absolute_url()).content.decode()
    assert f'hx-get="{slot}"' in html


def test_heart_a_record_with_htmx_and_without(
    ana_client: Client, ana: User, record: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("community:heart_record", args=[record.pk])
    with django_assert_max_num_queries(10):
        html = ana_client.get(url, headers=HTMX).content.decode()
    assert 'aria-pressed="false"' in html and '<span class="social-count">0</span>' in html
    html = ana_client.post(url, {"action": "add"}, headers=HTMX).content.decode()
    assert 'aria-pressed="true"' in html and '<span class="social-count">1</span>' in html
    # A double click sends "add" twice: still one heart.
    ana_client.post(url, {"action": "add"}, headers=HTMX)
    assert RecordStats.objects.get(record=record).hearts == 1
    response = ana_client.post(url, {"action": "remove", "next": record.get_absolute_url()})
    assert response.status_code == 302 and response["Location"] == record.get_absolute_url()
    assert not Heart.objects.exists()


def test_a_draft_record_has_no_heart(
    ana_client: Client, client: Client, user: User, make_record: Any
) -> None:
    draft = make_record("text", title="Unfinished", visibility="draft")
    url = reverse("community:heart_record", args=[draft.pk])
    assert ana_client.post(url, {"action": "add"}).status_code == 404
    client.force_login(user)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert url not in page  # the author sees their draft without a heart button


def test_an_unknown_action_is_refused(ana_client: Client, record: Any) -> None:
    url = reverse("community:heart_record", args=[record.pk])
    html = ana_client.post(url, {"action": "toggle"}, headers=HTMX).content.decode()
    assert "Choose to add or to remove." in html
    assert not Heart.objects.exists()


# Productions --------------------------------------------------------------------------------------
def test_production_page_holds_the_follow_slot(
    ana_client: Client, ana: User, production: Any, django_assert_max_num_queries: Any
) -> None:
    slot = reverse("community:follow_production", args=[production.pk])
    html = ana_client.get(production.get_absolute_url()).content.decode()
    assert f'hx-get="{slot}"' in html
    with django_assert_max_num_queries(10):
        button = ana_client.get(slot, headers=HTMX).content.decode()
    assert 'aria-pressed="false"' in button
    ana_client.post(slot, {"action": "add"})
    assert 'aria-pressed="true"' in ana_client.get(slot, headers=HTMX).content.decode()


def test_released_page_keeps_each_viewer_s_heart_out_of_its_cache(
    ana_client: Client,
    client: Client,
    ana: User,
    user: User,
    make_user: Any,
    make_record: Any,
    make_production: Any,
    django_assert_max_num_queries: Any,
) -> None:
    poet = make_user("wren", display_name="Wren Adeyemi")
    poem = make_record("text", author=poet, title="Leaving Earth", body="We packed the blue.")
    released = release_scene(
        production=make_production(),
        producer=user,
        pieces=[Piece(poem, 6000)],
        max_contributor_percent=None,
    )
    heart = reverse("community:heart_production", args=[released.pk])
    ana_client.post(heart, {"action": "add"})
    page = ana_client.get(show_views.show_url(released)).content.decode()
    assert f'hx-get="{heart}"' in page
    assert 'aria-pressed="true"' not in page  # the state comes with the slot, not the page
    assert 'aria-pressed="true"' in ana_client.get(heart, headers=HTMX).content.decode()
    other = Client()
    other.force_login(poet)
    with django_assert_max_num_queries(10):
        theirs = other.get(heart, headers=HTMX).content.decode()
    assert 'aria-pressed="false"' in theirs and '<span class="social-count">1</span>' in theirs
