import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from riffhouse.community import services
from riffhouse.community.models import Notification
from riffhouse.lineage.models import RemixRequest

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def text(response) -> str:
    """The page as a person reads it: tags gone, whitespace collapsed."""
    return re.sub(r"\s+", " ", strip_tags(response.content.decode())).replace(" .", ".")


@pytest.fixture
def member(client: Client, user) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def make_notifications(user, ana, make_user, source, remix, make_request):
    """`make(n)`: n notifications for `user`, of every kind, from several members."""
    request = make_request(remix, source, message="May I?")
    actors = [ana, make_user(display_name="Sable"), make_user()]
    kinds = [
        ("remixed", "melody"),
        ("remix_requested", "May I?"),
        ("remix_approved", "Go ahead."),
        ("remix_declined", ""),
    ]

    def make(n: int) -> list[Notification]:
        made = []
        for i in range(n):
            verb, note = kinds[i % len(kinds)]
            made.append(
                services.notification_create(
                    recipient=user,
                    actor=actors[i % len(actors)],
                    verb=verb,
                    record=remix,
                    source=source,
                    remix_request=request if verb != "remixed" else None,
                    text=note,
                )
            )
        return made

    return make


def test_login_required(client: Client) -> None:
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("community:mark_read")).status_code == 302
    assert Notification.objects.count() == 0


def test_says_what_happened_newest_first(
    member: Client, user, ana, source, remix, make_request
) -> None:
    request = make_request(remix, source, message="May I set it\nto music?")
    services.notification_create(
        recipient=user, actor=ana, verb="remixed", record=remix, source=source, text="melody"
    )
    services.notification_create(
        recipient=user,
        actor=ana,
        verb="remix_requested",
        record=remix,
        source=source,
        remix_request=request,
        text=request.message,
    )
    response = member.get(PAGE)
    assert response.status_code == 200
    page = text(response)
    asked = "Ana Reyes asks to remix your “Moon song” for “Moon animation”."
    remixed = "Ana Reyes remixed your “Moon song” in “Moon animation”."
    assert asked in page and remixed in page
    assert page.index(asked) < page.index(remixed)
    html = response.content.decode()
    assert "<blockquote" in html and "May I set it<br>to music?" in html  # the note, quoted
    assert "Used melody" in page  # a remix's note is how the source was used
    assert "just now" in page
    assert f'href="{remix.get_absolute_url()}"' in html
    assert f'href="{ana.get_absolute_url()}"' in html


def test_a_pending_request_links_to_its_page(
    member: Client, user, ana, source, remix, make_request
) -> None:
    request = make_request(remix, source)
    services.notification_create(
        recipient=user,
        actor=ana,
        verb="remix_requested",
        record=remix,
        source=source,
        remix_request=request,
    )
    review = reverse("lineage:request", args=[request.pk])
    html = member.get(PAGE).content.decode()
    assert re.search(rf'href="{re.escape(review)}">Open the request</a>', html)
    assert f'formaction="{review}decline/"' in html  # answered here, in one click

    RemixRequest.objects.filter(pk=request.pk).update(status=RemixRequest.Status.APPROVED)
    html = member.get(PAGE).content.decode()
    assert "Open the request" not in html and "formaction" not in html
    assert "Approved" in text(member.get(PAGE))


def test_a_draft_remix_is_linked_for_the_source_author_only_while_asked(
    member: Client, user, ana, source, make_record, make_request
) -> None:
    draft = make_record("text", title="Work in progress", author=ana, visibility="draft")
    request = make_request(draft, source)
    services.notification_create(
        recipient=user,
        actor=ana,
        verb="remix_requested",
        record=draft,
        source=source,
        remix_request=request,
    )
    html = member.get(PAGE).content.decode()
    assert f'<a href="{draft.get_absolute_url()}">“Work in progress”</a>' in html
    assert "Open the request" in html
    RemixRequest.objects.filter(pk=request.pk).update(status=RemixRequest.Status.DECLINED)
    html = member.get(PAGE).content.decode()
    assert "<strong>“Work in progress”</strong>" in html
    assert f'href="{draft.get_absolute_url()}"' not in html  # its author's again


def test_decisions_read_from_the_requesters_side(member: Client, user, ana, source, remix):
    for verb, note in [("remix_approved", "Lovely."), ("remix_declined", "")]:
        services.notification_create(
            recipient=user, actor=ana, verb=verb, record=remix, source=source, text=note
        )
    page = text(member.get(PAGE))
    assert "Ana Reyes approved your request to remix “Moon song”." in page
    assert "Ana Reyes declined your request to remix “Moon song”." in page
    assert "Open your remix" in page


def test_unread_ones_are_marked_and_counted_in_the_navigation(
    member: Client, make_notifications
) -> None:
    made = make_notifications(3)
    services.notifications_mark_read(user=made[0].recipient, ids=[made[0].pk])
    response = member.get(PAGE)
    html = response.content.decode()
    assert html.count('class="notification notification-unread"') == 2
    assert html.count('class="badge notification-new">New<') == 2
    assert re.search(r'<strong class="badge">2</strong><span class="visually-hidden"> unread', html)
    assert "2 unread" in text(response)
    # Other pages show the badge too; visiting this one marked nothing.
    assert (
        '<strong class="badge">2</strong>' in member.get(reverse("records:list")).content.decode()
    )


def test_the_badge_caps_at_99(member: Client, user, ana) -> None:
    Notification.objects.bulk_create(
        [Notification(recipient=user, actor=ana, verb="remixed") for _ in range(100)]
    )
    assert '<strong class="badge">99+</strong>' in member.get(PAGE).content.decode()


def test_bounded_queries_however_many(
    member: Client, make_notifications, django_assert_num_queries
) -> None:
    make_notifications(3)
    with CaptureQueriesContext(connection) as few:
        assert member.get(PAGE).status_code == 200
    make_notifications(27)
    with django_assert_num_queries(len(few.captured_queries)):
        response = member.get(PAGE)
    assert len(response.context["page"].items) == 20
    counts = [q["sql"] for q in few.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1  # the badge and the header share one count


def test_the_count_costs_no_query_of_its_own_where_it_is_not_shown(
    member: Client, make_notifications
) -> None:
    make_notifications(3)
    with CaptureQueriesContext(connection) as queries:
        response = member.get(reverse("records:list"), headers={"HX-Request": "true"})
    assert response.status_code == 200
    # It rides in the session's statement (decision 0044); nothing else counts.
    own = [q["sql"] for q in queries.captured_queries if "core_member_session" not in q["sql"]]
    assert not [sql for sql in own if "community_notification" in sql]


def test_load_more_follows_the_cursor(member: Client, make_notifications) -> None:
    made = make_notifications(30)
    first = member.get(PAGE)
    cursor = first.context["page"].next_cursor
    assert cursor and f'href="?cursor={cursor}"' in first.content.decode()  # works without JS
    more = member.get(PAGE, {"cursor": cursor}, headers={"HX-Request": "true"})
    assert "<html" not in more.content.decode()  # htmx gets the items only
    seen = [n.pk for n in first.context["page"].items] + [n.pk for n in more.context["page"].items]
    assert seen == sorted((n.pk for n in made), reverse=True)
    assert more.context["page"].next_cursor is None


def test_a_bad_cursor_is_a_400(member: Client) -> None:
    assert member.get(PAGE, {"cursor": "not-a-cursor"}).status_code == 400


def test_unread_filter(member: Client, make_notifications) -> None:
    made = make_notifications(4)
    services.notifications_mark_read(user=made[0].recipient, ids=[made[1].pk])
    page = member.get(PAGE, {"unread": "1"}).context["page"]
    assert [n.pk for n in page.items] == [made[3].pk, made[2].pk, made[0].pk]


def test_mark_all_as_read(member: Client, user, make_notifications) -> None:
    make_notifications(5)
    response = member.post(reverse("community:mark_read"), follow=True)
    assert response.redirect_chain == [(PAGE, 302)]
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    page = text(response)
    assert "every notification is marked as read" in page and "You’re all caught up." in page
    assert "Mark all as read" not in page
    assert member.get(reverse("community:mark_read")).status_code == 405


def test_mark_all_as_read_needs_the_csrf_token(user, make_notifications) -> None:
    make_notifications(2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("community:mark_read")).status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 2


def test_other_members_see_and_mark_only_their_own(
    client: Client, user, ana, make_notifications
) -> None:
    make_notifications(3)
    client.force_login(ana)
    response = client.get(PAGE)
    assert response.context["page"].items == []
    assert "Nothing here yet" in text(response)
    client.post(reverse("community:mark_read"))
    assert Notification.objects.filter(recipient=user, read_at__isnull=True).count() == 3


def test_empty_states_say_what_will_appear(member: Client, make_notifications) -> None:
    page = text(member.get(PAGE))
    assert "Nothing here yet" in page
    assert "when someone remixes one of your records" in page
    assert "Mark all as read" not in page
    made = make_notifications(1)
    services.notifications_mark_read(user=made[0].recipient)
    assert "No unread notifications" in text(member.get(PAGE, {"unread": "1"}))
