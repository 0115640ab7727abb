# ruff: noqa: F811 - the scenes' fixtures are imported, then named as arguments
"""The comment section and its forms: with htmx in place, without JavaScript by post and
redirect; the permalink; permissions; bounded queries (decision 0032)."""

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.community.comments import services
from riffhouse.community.models import Comment
from riffhouse.community.tests.comments_scenes import (  # noqa: F401 - fixtures
    bea,
    producer,
    released,
)
from riffhouse.productions.models import Production

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def section_url(record: Any) -> str:
    return reverse("community:record_comments", args=[record.pk])


def test_the_record_page_has_a_placeholder_that_loads_the_section(
    client: Client, source: Any
) -> None:
    html = client.get(source.get_absolute_url()).content.decode()
    assert f'hx-get="{section_url(source)}"' in html
    assert f'href="{section_url(source)}#comments"' in html  # without JavaScript


def test_the_section_costs_a_fixed_number_of_queries(
    client: Client,
    source: Any,
    user: User,
    ana: User,
    bea: User,
    settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.RATE_LIMITS = settings.RATE_LIMITS_NEW = {"comment": (1000, 60)}
    for i in range(15):
        top = services.comment_create(author=ana, body=f"Comment {i} @bea", record=source)
        for j in range(4):
            services.comment_create(author=bea, body=f"Reply {j}", parent=top)
    client.force_login(user)
    with django_assert_max_num_queries(9):
        response = client.get(section_url(source), headers=HTMX)
    html = response.content.decode()
    assert html.count('class="comment-thread"') == 15
    assert html.count("More replies") == 15
    assert "Older comments" not in html or html.count('class="comment-thread"') == 15


def test_posting_with_htmx_returns_the_new_comment_in_place(
    client: Client, source: Any, ana: User
) -> None:
    client.force_login(ana)
    response = client.post(section_url(source), {"body": "Hello **there**"}, headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-comment-new" in html and "<strong>there</strong>" in html


def count_oob(html: str) -> str | None:
    """The heading's count a fragment swaps in out of band, if it sends one."""
    match = re.search(r'<span[^>]*id="comments-count"[^>]*hx-swap-oob="true"[^>]*>(\d+)<', html)
    return match.group(1) if match else None


def test_posting_replying_and_deleting_with_htmx_move_the_headings_count(
    client: Client, source: Any, ana: User, django_assert_max_num_queries: Any
) -> None:
    client.force_login(ana)
    section = client.get(section_url(source), headers=HTMX).content.decode()
    assert '<span class="meta comments-count" id="comments-count">0</span>' in section
    assert count_oob(section) is None  # the section's own heading is not out of band
    response = client.post(section_url(source), {"body": "First"}, headers=HTMX)
    assert count_oob(response.content.decode()) == "1"
    top = Comment.objects.get()
    reply_url = reverse("community:comment_reply", args=[top.pk])
    # The count costs one query beyond the write and the comment's fragment (14).
    with django_assert_max_num_queries(15) as queries:
        response = client.post(reply_url, {"body": "Second"}, headers=HTMX)
    assert count_oob(response.content.decode()) == "2"
    reads = [q["sql"] for q in queries.captured_queries]
    assert sum(q.startswith('SELECT "community_recordstats"."comments"') for q in reads) == 1
    reply = Comment.objects.exclude(pk=top.pk).get()
    response = client.post(reverse("community:comment_delete", args=[reply.pk]), headers=HTMX)
    html = response.content.decode()
    assert "Comment deleted" in html and count_oob(html) == "1"
    # An edit leaves the count alone, and sends none.
    response = client.post(
        reverse("community:comment_edit", args=[top.pk]), {"body": "First!"}, headers=HTMX
    )
    assert count_oob(response.content.decode()) is None


def test_without_javascript_the_page_after_the_redirect_counts_anew(
    client: Client, source: Any, ana: User
) -> None:
    client.force_login(ana)
    page = client.post(section_url(source), {"body": "Hello"}, follow=True).content.decode()
    assert '<span class="meta comments-count" id="comments-count">1</span>' in page
    made = Comment.objects.get()
    page = client.post(
        reverse("community:comment_delete", args=[made.pk]), follow=True
    ).content.decode()
    assert "Comment deleted" in page
    assert '<span class="meta comments-count" id="comments-count">0</span>' in page


def test_posting_without_javascript_redirects_to_the_comment(
    client: Client, source: Any, ana: User
) -> None:
    client.force_login(ana)
    response = client.post(section_url(source), {"body": "Hello"})
    made = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{section_url(source)}?comment={made.pk}#comment-{made.pk}"
    page = client.get(response["Location"]).content.decode()
    assert f'id="comment-{made.pk}"' in page


@pytest.mark.parametrize(
    ("body", "message"),
    [("  ", "Write something first."), ("a" * 1_000_000, "at most 10,000 characters")],
)
def test_a_refused_comment_comes_back_with_the_reason(
    client: Client, source: Any, ana: User, body: str, message: str
) -> None:
    client.force_login(ana)
    response = client.post(section_url(source), {"body": body})
    assert response.status_code == 400 and message in response.content.decode()
    response = client.post(section_url(source), {"body": body}, headers=HTMX)
    assert response.status_code == 200 and response["HX-Retarget"] == "#comment-form"
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_three_megabyte_form_is_a_clear_4xx(client: Client, source: Any, ana: User) -> None:
    client.force_login(ana)
    response = client.post(section_url(source), {"body": "a" * 3_000_000})
    assert 400 <= response.status_code < 500
    assert not Comment.objects.exists()


def test_a_visitor_is_sent_to_log_in(client: Client, source: Any) -> None:
    response = client.post(section_url(source), {"body": "Hi"})
    assert response.status_code == 302 and "/accounts/log-in/" in response["Location"]
    assert not Comment.objects.exists()


def test_the_permalink_leads_to_the_comment_in_its_page(
    client: Client, source: Any, ana: User, released: Production
) -> None:
    made = services.comment_create(author=ana, body="Hi", record=source)
    response = client.get(reverse("community:comment", args=[made.pk]))
    assert (
        response["Location"] == f"{source.get_absolute_url()}?comment={made.pk}#comment-{made.pk}"
    )
    on_segment = services.comment_create(
        author=ana, body="Hi", production=released, segment_number=1
    )
    response = client.get(reverse("community:comment", args=[on_segment.pk]))
    assert response["Location"] == (
        f"/productions/{released.pk}/?segment_comments=1&comment={on_segment.pk}"
        f"#comment-{on_segment.pk}"
    )
    # The page's placeholder passes both on to the section, which shows the thread first.
    page = client.get(response["Location"]).content.decode()
    load = f"/productions/{released.pk}/comments/?segment=1&amp;comment={on_segment.pk}"
    assert f'hx-get="{load}"' in page
    assert client.get(reverse("community:comment", args=[999999])).status_code == 404


def test_someone_elses_comment_cannot_be_edited_or_deleted(
    client: Client, source: Any, user: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Mine", record=source)
    client.force_login(user)
    for name in ("comment_edit", "comment_delete"):
        url = reverse(f"community:{name}", args=[made.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"body": "Yours"}).status_code == 403
    made.refresh_from_db()
    assert made.body == "Mine" and made.deleted_at is None


def test_edit_and_delete_in_place(client: Client, source: Any, ana: User) -> None:
    made = services.comment_create(author=ana, body="First", record=source)
    client.force_login(ana)
    form = client.get(reverse("community:comment_edit", args=[made.pk]), headers=HTMX)
    assert "Edit your comment" in form.content.decode()
    edited = client.post(
        reverse("community:comment_edit", args=[made.pk]), {"body": "Second"}, headers=HTMX
    ).content.decode()
    assert "Second" in edited and "edited" in edited
    confirm = client.get(reverse("community:comment_delete", args=[made.pk]), headers=HTMX)
    assert "Delete this comment?" in confirm.content.decode()
    gone = client.post(reverse("community:comment_delete", args=[made.pk]), headers=HTMX)
    assert "Comment deleted" in gone.content.decode() and "Second" not in gone.content.decode()


def test_the_record_author_pins_from_the_page(
    client: Client, source: Any, user: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Pin me", record=source)
    client.force_login(ana)
    url = reverse("community:comment_pin", args=[made.pk])
    assert client.post(url, {"action": "pin"}).status_code == 403
    client.force_login(user)
    response = client.post(url, {"action": "pin"}, headers=HTMX)
    assert response.status_code == 200 and "Pinned" in response.content.decode()
    made.refresh_from_db()
    assert made.pinned_at is not None


def test_segment_comments_on_the_section(client: Client, released: Production, ana: User) -> None:
    services.comment_create(author=ana, body="On two", production=released, segment_number=2)
    url = reverse("community:production_comments", args=[released.pk])
    html = client.get(f"{url}?segment=2", headers=HTMX).content.decode()
    assert "Comments on segment 2" in html and "On two" in html
    assert "On two" not in client.get(url, headers=HTMX).content.decode()
    assert client.get(f"{url}?segment=7").status_code == 400
