# ruff: noqa: F811 - the scenes' fixtures are imported, then named as arguments
"""The comment section and its forms: with htmx in place, without JavaScript by post and
redirect; the permalink; permissions; bounded queries; comments by a member you blocked,
collapsed (decision 0032)."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.community.comments import services
from riffhouse.community.models import Comment
from riffhouse.community.tests.comments_scenes import (  # noqa: F401 - fixtures
    bea,
    blocked_thread,
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


# A member you blocked ------------------------------------------------------------------------
COLLAPSED = "Comment from a member you blocked"


def test_comments_by_a_member_you_blocked_are_collapsed_in_their_place(
    client: Client, source: Any, user: User, ana: User, bea: User
) -> None:
    scene = blocked_thread(record=source, user=user, ana=ana, bea=bea)
    client.force_login(bea)
    html = client.get(section_url(source), headers=HTMX).content.decode()
    assert html.count(COLLAPSED) == 2
    assert "Words by Ana" not in html and "Ana again" not in html
    assert "Ana Reyes" not in html  # not even her name
    # Their places and the thread under them are kept: Orion's replies read as before.
    for made in (scene.top, scene.answer):
        assert f'id="comment-{made.pk}"' in html
        assert f'href="/comments/{made.pk}/?show=1"' in html
        assert f'id="reply-form-{made.pk}"' not in html  # the block would refuse a reply
    assert f'id="replies-{scene.top.pk}"' in html
    assert "Reply by Orion" in html and "Orion again" in html
    assert "replying to a member you blocked" in html
    assert f'id="reply-form-{scene.reply.pk}"' in html


@pytest.mark.parametrize("who", ["the blocked author", "the record author", "another", "a visitor"])
def test_everyone_else_sees_the_thread_as_before(
    client: Client,
    source: Any,
    user: User,
    ana: User,
    bea: User,
    make_user: Callable[..., User],
    who: str,
) -> None:
    blocked_thread(record=source, user=user, ana=ana, bea=bea)
    viewer = {
        "the blocked author": ana,
        "the record author": user,
        "another": make_user("cyra"),
        "a visitor": None,
    }[who]
    if viewer is not None:
        client.force_login(viewer)
    html = client.get(section_url(source), headers=HTMX).content.decode()
    assert COLLAPSED not in html and "you blocked" not in html.lower()
    assert "Words by Ana" in html and "Ana again" in html and "replying to Ana Reyes" in html


def test_the_blocker_pays_no_query_more_for_the_collapsing(
    client: Client,
    source: Any,
    user: User,
    ana: User,
    bea: User,
    settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    settings.RATE_LIMITS = settings.RATE_LIMITS_NEW = {"comment": (1000, 60)}
    for i in range(10):
        top = services.comment_create(author=ana, body=f"Ana {i}", record=source)
        for j in range(4):
            services.comment_create(author=user, body=f"Orion {j}", parent=top)
    client.force_login(user)
    with django_assert_max_num_queries(20) as unblocked:
        client.get(section_url(source), headers=HTMX)
    blocked_thread(record=source, user=user, ana=ana, bea=bea)
    client.force_login(bea)
    # Whom Bea blocked is read with the comments (EXISTS per row): no query of its own.
    with django_assert_max_num_queries(len(unblocked.captured_queries)) as queries:
        html = client.get(section_url(source), headers=HTMX).content.decode()
    assert html.count(COLLAPSED) == 12  # ten, and the scene's two
    own = re.compile(r'SELECT [^()]* FROM "accounts_block"')  # not inside a comment query
    assert not [q for q in queries.captured_queries if own.match(q["sql"])]
    assert any('"accounts_block"' in q["sql"] for q in queries.captured_queries)
    first = Comment.objects.filter(author=ana, root__isnull=True).order_by("pk").first()
    assert first is not None
    with django_assert_max_num_queries(len(unblocked.captured_queries)):
        more = client.get(
            reverse("community:comment_replies", args=[first.pk]), headers=HTMX
        ).content.decode()
    assert "Orion 3" in more


def test_show_and_hide_a_collapsed_comment_with_htmx(
    client: Client, source: Any, user: User, ana: User, bea: User
) -> None:
    scene = blocked_thread(record=source, user=user, ana=ana, bea=bea)
    client.force_login(bea)
    url = reverse("community:comment", args=[scene.top.pk])
    shown = client.get(url, {"show": "1"}, headers=HTMX).content.decode()
    assert "Words by Ana" in shown and "Ana Reyes" in shown
    assert "You blocked this member." in shown and f'href="{url}?show=0"' in shown
    assert "Post reply" not in shown  # still no reply to her
    hidden = client.get(url, {"show": "0"}, headers=HTMX).content.decode()
    assert COLLAPSED in hidden and "Words by Ana" not in hidden
    assert COLLAPSED in client.get(url, headers=HTMX).content.decode()  # an edit cancelled


def test_show_and_hide_a_collapsed_comment_without_javascript(
    client: Client, source: Any, user: User, ana: User, bea: User
) -> None:
    scene = blocked_thread(record=source, user=user, ana=ana, bea=bea)
    client.force_login(bea)
    url = reverse("community:comment", args=[scene.answer.pk])
    response = client.get(url, {"show": "1"})
    section = section_url(source)
    pk = scene.answer.pk
    assert response["Location"] == f"{section}?comment={pk}&show=1#comment-{pk}"
    page = client.get(response["Location"]).content.decode()
    assert "Ana again" in page and f'href="{url}?show=0"' in page
    assert "Words by Ana" not in page  # only the one asked for
    response = client.get(url, {"show": "0"})
    assert response["Location"] == f"{section}?comment={pk}#comment-{pk}"
    assert "Ana again" not in client.get(response["Location"]).content.decode()
    # The plain permalink still leads to the record's page.
    assert client.get(url)["Location"].startswith(source.get_absolute_url())


def test_a_comment_pinned_before_the_block_can_still_be_unpinned(
    client: Client, source: Any, user: User, ana: User
) -> None:
    made = services.comment_create(author=ana, body="Pinned", record=source)
    other = services.comment_create(author=ana, body="Not pinned", record=source)
    services.comment_pin(actor=user, comment=made)
    from riffhouse.accounts.services import block_add

    block_add(blocker=user, blocked=ana)
    client.force_login(user)
    url = reverse("community:comment", args=[made.pk])
    shown = client.get(url, {"show": "1"}, headers=HTMX).content.decode()
    assert ">Unpin</button>" in shown
    shown = client.get(
        reverse("community:comment", args=[other.pk]), {"show": "1"}, headers=HTMX
    ).content.decode()
    assert ">Pin</button>" not in shown
