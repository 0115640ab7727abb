"""Every verb reads properly on the notifications page and in the API, in a bounded number
of queries; one notification is marked read by opening it or by its button; the header's
badge refreshes from a one-COUNT endpoint."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from riffhouse.accounts.models import User
from riffhouse.community import selectors
from riffhouse.community.models import Comment, Notification, NotificationVerb
from riffhouse.community.notify import notify
from riffhouse.community.targets import Target, target_register, target_unregister
from riffhouse.productions import services as production_services

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"
HTMX = {"HX-Request": "true"}


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", strip_tags(response.content.decode())).replace(" .", ".")


@pytest.fixture
def member(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def payouts() -> Any:
    """A generic target type registered the way the ledger will register its rows."""
    calls: list[list[int]] = []

    def load(ids: Any) -> dict[int, Target]:
        calls.append(sorted(ids))
        return {pk: Target(title=f"Payout #{pk}", url=f"/ledger/payouts/{pk}/") for pk in ids}

    target_register("test.payout", loader=load)
    yield calls
    target_unregister("test.payout")


@pytest.fixture
def every_verb(
    user: User, ana: User, source: Any, remix: Any, make_user: Callable[..., User], payouts: Any
) -> dict[str, Any]:
    """One notification of each new verb for `user` (through `notify`, delivered inline by
    the test settings' immediate job backend), on a record, a comment and a production."""
    production = production_services.production_create(
        actor=ana, kind="episode", title="Tides", brief="Sea songs."
    )
    comment = Comment.objects.create(
        author=ana, record=source, body="Lovely, @orion", body_html="<p>Lovely, @orion</p>"
    )

    def tell(verb: str, **targets: Any) -> None:
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb=verb, **targets)

    tell(NotificationVerb.FOLLOWED)
    tell(NotificationVerb.COMMENTED, comment_id=comment.pk, record_id=source.pk)
    tell(NotificationVerb.REPLIED, comment_id=comment.pk, record_id=source.pk)
    tell(NotificationVerb.MENTIONED, comment_id=comment.pk, record_id=source.pk)
    tell(
        NotificationVerb.PRODUCTION_UPDATE,
        production_id=production.pk,
        text="Open for submissions.",
    )
    tell(NotificationVerb.MONEY_ALLOCATED, target_type="test.payout", target_id=7)
    tell(NotificationVerb.MONEY_PAID, target_type="test.payout", target_id=8)
    tell(NotificationVerb.MODERATED, record_id=remix.pk, text="Spam links in the description.")
    tell(NotificationVerb.APPEAL_DECIDED, text="We restored it: the links were credits.")
    tell(NotificationVerb.REMIXED, record_id=remix.pk, source_id=source.pk, text="melody")
    return {"production": production, "comment": comment}


def test_every_verb_reads_as_a_sentence_on_the_page(member: Client, every_verb: Any) -> None:
    page = text(member.get(PAGE))
    for sentence in [
        "Ana Reyes followed you.",
        "Ana Reyes commented on “Moon song”.",
        "Ana Reyes replied to your comment on “Moon song”.",
        "Ana Reyes mentioned you in a comment on “Moon song”.",
        "Ana Reyes posted an update to Tides, which you follow.",
        "Open for submissions.",
        "Ana Reyes allocated money to you — Payout #7.",
        "Ana Reyes paid you — Payout #8.",
        "Ana Reyes moderated your “Moon animation”.",
        "Spam links in the description.",
        "Ana Reyes decided your appeal.",
        "We restored it: the links were credits.",
    ]:
        assert sentence in page


def test_a_page_of_mixed_verbs_costs_a_bounded_number_of_queries(
    member: Client, every_verb: Any, payouts: list[list[int]], django_assert_max_num_queries: Any
) -> None:
    member.get(PAGE)  # warm the session
    payouts.clear()
    with django_assert_max_num_queries(10):
        response = member.get(PAGE)
    assert response.status_code == 200
    assert payouts == [[7, 8]]  # one loader call for the page, both ids at once


def test_the_api_names_every_verb_its_category_link_and_target(
    user: User, every_verb: Any, django_assert_max_num_queries: Any
) -> None:
    from conftest import ApiClient

    from riffhouse.accounts import services as account_services

    api = ApiClient(token=account_services.api_token_create(user=user, name="t").raw)
    with django_assert_max_num_queries(10):
        body = api.call("get", "/notifications").json()
    by_verb = {item["verb"]: item for item in body["items"]}
    assert set(by_verb) >= {
        "followed",
        "commented",
        "replied",
        "mentioned",
        "production_update",
        "money_allocated",
        "money_paid",
        "moderated",
        "appeal_decided",
    }
    assert by_verb["followed"]["url"] == "http://testserver/@ana"
    assert by_verb["money_paid"]["category"] == "money"
    assert by_verb["money_paid"]["target"] == {
        "id": 8,
        "title": "Payout #8",
        "url": "http://testserver/ledger/payouts/8/",
    }
    assert by_verb["production_update"]["production"]["title"] == "Tides"
    assert by_verb["mentioned"]["comment"] == every_verb["comment"].pk
    assert by_verb["moderated"]["text"] == "Spam links in the description."


def test_a_comment_notification_leads_to_the_comment_or_falls_back_to_its_record(
    user: User, every_verb: Any, source: Any
) -> None:
    page = selectors.notification_list(user=user)
    mentioned = next(n for n in page.items if n.verb == "mentioned")
    try:
        expected = reverse("community:comment", args=[every_verb["comment"].pk])
    except Exception:  # the comments' pages are not installed yet
        expected = source.get_absolute_url()
    assert page.urls[mentioned.pk] == expected


def test_an_unregistered_target_type_reads_without_its_target(
    user: User, ana: User, member: Client
) -> None:
    notify(
        recipient_ids=[user.pk],
        actor_id=ana.pk,
        verb="money_paid",
        target_type="nobody.registered",
        target_id=3,
    )
    assert "Ana Reyes paid you." in text(member.get(PAGE))


# Marking one read ---------------------------------------------------------------------------
def _one(user: User, ana: User, source: Any, remix: Any) -> Notification:
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    return Notification.objects.get(recipient=user)


def test_opening_a_notification_marks_it_read_and_leads_to_it(
    member: Client, user: User, ana: User, source: Any, remix: Any
) -> None:
    n = _one(user, ana, source, remix)
    response = member.get(reverse("community:notification_open", args=[n.pk]))
    assert response.status_code == 302 and response["Location"] == "/@ana"
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_mark_read_button_marks_one_and_htmx_gets_a_fragment(
    member: Client, user: User, ana: User, source: Any, remix: Any
) -> None:
    n = _one(user, ana, source, remix)
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="remixed", record_id=remix.pk)
    url = reverse("community:notification_read", args=[n.pk])
    assert f'action="{url}"' in member.get(PAGE).content.decode()
    response = member.post(url, headers={"HX-Request": "true"})
    assert response.status_code == 200 and "Read" in response.content.decode()
    assert list(
        Notification.objects.filter(read_at__isnull=True).values_list("verb", flat=True)
    ) == ["remixed"]
    # Without JavaScript: back to the page.
    other = Notification.objects.get(verb="remixed")
    response = member.post(reverse("community:notification_read", args=[other.pk]))
    assert response.status_code == 302


def test_mark_read_with_htmx_sends_the_badge_and_summary_out_of_band(
    member: Client, user: User, ana: User, django_assert_max_num_queries: Any
) -> None:
    for verb in ("followed", "followed", "followed"):
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb=verb)
    first, second, third = Notification.objects.order_by("pk")
    page = member.get(PAGE).content.decode()
    assert '<p class="notifications-summary" id="notifications-summary">3 unread</p>' in page
    url = reverse("community:notification_read", args=[first.pk])
    # The session with its member, the notification and its UPDATE (in a savepoint), and one
    # COUNT for both numbers: after the write, not the one the session's statement read
    # before it (decision 0044).
    with django_assert_max_num_queries(7) as queries:
        response = member.post(url, headers={"HX-Request": "true"})
    html = response.content.decode()
    after = [q["sql"] for q in queries.captured_queries if "core_member_session" not in q["sql"]]
    assert sum("COUNT(" in sql.upper() for sql in after) == 1
    badge = re.search(
        r'<span id="notification-badge" hx-swap-oob="innerHTML">(.*?)</span>\s*<p', html, re.S
    )
    assert badge is not None and strip_tags(badge.group(1)).strip() == "2 unread"
    assert 'id="notifications-summary" hx-swap-oob="true">2 unread</p>' in html
    assert 'role="status">Read</span>' in html
    # The last one: the badge empties and the summary says so.
    member.post(reverse("community:notification_read", args=[second.pk]), headers=HTMX)
    html = member.post(
        reverse("community:notification_read", args=[third.pk]), headers=HTMX
    ).content.decode()
    assert re.search(r'<span id="notification-badge" hx-swap-oob="innerHTML">\s*</span>', html)
    assert 'hx-swap-oob="true">You’re all caught up.</p>' in html


def test_mark_read_without_javascript_comes_back_to_a_page_counted_anew(
    member: Client, user: User, ana: User
) -> None:
    for _ in range(2):
        notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    first = Notification.objects.order_by("pk").first()
    assert first is not None
    url = reverse("community:notification_read", args=[first.pk])
    page = member.post(url, {"next": PAGE}, follow=True).content.decode()
    assert re.search(r'id="notification-badge"[^>]*><strong class="badge">1</strong>', page)
    assert "hx-swap-oob" not in page
    page = member.post(reverse("community:mark_read"), follow=True).content.decode()
    assert re.search(r'id="notification-badge"[^>]*>\s*</span>', page)


def test_nobody_opens_or_marks_someone_elses_notification(
    client: Client, user: User, ana: User, source: Any, remix: Any, make_user: Callable[..., User]
) -> None:
    n = _one(user, ana, source, remix)
    client.force_login(make_user("mallory"))
    assert client.get(reverse("community:notification_open", args=[n.pk])).status_code == 404
    assert client.post(reverse("community:notification_read", args=[n.pk])).status_code == 404
    client.logout()
    response = client.post(reverse("community:notification_read", args=[n.pk]))
    assert response.status_code == 302 and "/accounts/" in response["Location"]
    n.refresh_from_db()
    assert n.read_at is None


def test_the_api_marks_one_read(
    user: User, user_api: Any, ana: User, source: Any, remix: Any, make_user: Callable[..., User]
) -> None:
    n = _one(user, ana, source, remix)
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="remixed", record_id=remix.pk)
    response = user_api.call("post", f"/notifications/{n.pk}/read")
    assert response.status_code == 200, response.content
    assert response.json() == {"unread_count": 1}
    n.refresh_from_db()
    assert n.read_at is not None


def test_the_api_admits_no_one_elses_notification(
    user: User, ana: User, source: Any, remix: Any, api: Any
) -> None:
    from riffhouse.accounts import services as account_services

    n = _one(user, ana, source, remix)
    api.token = account_services.api_token_create(user=ana, name="t").raw
    response = api.call("post", f"/notifications/{n.pk}/read")
    assert response.status_code == 404
    assert response.json()["code"] == "notification_not_found"
    api.token = None
    assert api.call("post", f"/notifications/{n.pk}/read").status_code == 401


# The header's badge -------------------------------------------------------------------------
def test_the_badge_is_polled_politely_and_costs_one_count(
    member: Client, user: User, ana: User, django_assert_max_num_queries: Any
) -> None:
    notify(recipient_ids=[user.pk], actor_id=ana.pk, verb="followed")
    home = member.get(PAGE).content.decode()
    badge_url = reverse("community:notification_badge")
    assert f'hx-get="{badge_url}"' in home
    assert 'aria-live="polite"' in home and "every 30s" in home
    # Session, member, and the COUNT: nothing else.
    with django_assert_max_num_queries(3) as queries:
        response = member.get(badge_url)
    assert ">1<" in response.content.decode()
    assert sum("COUNT(" in q["sql"].upper() for q in queries.captured_queries) == 1


def test_the_badge_is_empty_when_logged_out(client: Client, django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = client.get(reverse("community:notification_badge"))
    assert response.status_code == 200 and response.content.strip() == b""
