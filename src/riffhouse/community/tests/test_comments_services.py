# ruff: noqa: F811 - the scenes' fixtures are imported, then named as arguments
"""Comment services: what a member can write where, what it becomes, who is told, and the
counts and audit rows that follow (decision 0032)."""

import re
from typing import Any

import pytest
from django.db.models import F

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.community.comments import selectors, services
from riffhouse.community.models import (
    Comment,
    CommentRevision,
    Mention,
    ProductionStats,
    RecordStats,
)
from riffhouse.community.tests.comments_scenes import (  # noqa: F401 - fixtures
    bea,
    block,
    moderator,
    open_production,
    producer,
    released,
    told,
)
from riffhouse.core.errors import ApplicationError
from riffhouse.core.ratelimit import RateLimited
from riffhouse.productions.models import Production
from riffhouse.records import services as records

pytestmark = pytest.mark.django_db


def comment(author: User, body: str = "Lovely.", **target: Any) -> Comment:
    return services.comment_create(author=author, body=body, **target)


def refused(code: str, status: int, call: Any, **kwargs: Any) -> None:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    assert (caught.value.code, caught.value.status) == (code, status)


# Writing -------------------------------------------------------------------------------------
def test_a_comment_is_rendered_counted_audited_and_its_author_told(
    source: Any, user: User, ana: User
) -> None:
    made = comment(ana, "I *love* the second line.", record=source)
    assert made.body_html == "<p>I <em>love</em> the second line.</p>\n"
    assert RecordStats.objects.get(record=source).comments == 1
    assert AuditEvent.objects.filter(action="comment_created", actor=ana).count() == 1
    assert told(user) == [("commented", made.pk)]
    assert told(ana) == []  # never the author themself


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_an_empty_comment_is_refused(source: Any, ana: User, body: str) -> None:
    refused("empty", 400, services.comment_create, author=ana, body=body, record=source)
    assert not Comment.objects.exists()


def test_a_comment_over_ten_thousand_characters_is_refused(source: Any, ana: User) -> None:
    comment(ana, "a" * 10_000, record=source)  # the limit itself is fine
    refused("too_long", 400, services.comment_create, author=ana, body="a" * 10_001, record=source)
    assert Comment.objects.count() == 1


def test_script_and_html_become_harmless_text(source: Any, ana: User) -> None:
    made = comment(
        ana,
        "<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) "
        '<a href="/x" onclick="y">z</a>',
        record=source,
    )
    html = made.body_html
    tags = re.findall(r"<([a-z]+)([^>]*)>", html)
    assert {name for name, _ in tags} <= {"p", "a"}
    assert all(" on" not in attributes for _, attributes in tags)
    assert 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # shown as the text it was


def test_hidden_draft_and_deleted_records_take_no_comments(
    make_record: Any, user: User, ana: User
) -> None:
    draft = make_record("text", author=user, visibility="draft")
    refused("not_found", 404, services.comment_create, author=ana, body="Hi", record=draft)
    gone = make_record("text", author=user)
    records.record_delete(actor=user, record=gone)
    refused("not_found", 404, services.comment_create, author=ana, body="Hi", record=gone)


def test_a_blocked_member_cannot_comment_either_way(source: Any, user: User, ana: User) -> None:
    block(user, ana)
    refused("blocked", 403, services.comment_create, author=ana, body="Hi", record=source)
    assert not Comment.objects.exists()


def test_blocking_the_author_also_stops_your_comments(source: Any, user: User, ana: User) -> None:
    block(ana, user)
    refused("blocked", 403, services.comment_create, author=ana, body="Hi", record=source)


def test_comments_are_rate_limited_before_anything_is_written(
    source: Any, ana: User, settings: Any
) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "comment": (2, 60)}
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "comment": (2, 60)}
    comment(ana, record=source)
    comment(ana, record=source)
    with pytest.raises(RateLimited) as caught:
        comment(ana, record=source)
    assert caught.value.status == 429 and caught.value.headers["Retry-After"]
    assert Comment.objects.count() == 2


# Threads -------------------------------------------------------------------------------------
def test_a_reply_threads_counts_and_tells_the_parent_author_not_the_record_author(
    source: Any, user: User, ana: User, bea: User
) -> None:
    top = comment(ana, record=source)
    reply = comment(bea, "Agreed.", parent=top)
    deeper = comment(user, "Thanks both.", parent=reply)
    assert (reply.parent_id, reply.root_id, reply.record_id) == (top.pk, top.pk, source.pk)
    assert (deeper.parent_id, deeper.root_id) == (reply.pk, top.pk)
    top.refresh_from_db()
    assert top.reply_count == 1
    assert RecordStats.objects.get(record=source).comments == 3
    assert told(ana) == [("replied", reply.pk)]
    assert told(bea) == [("replied", deeper.pk)]
    assert told(user) == [("commented", top.pk)]  # a reply is not "commented on your work"


def test_a_reply_to_another_targets_comment_is_refused(
    source: Any, make_record: Any, user: User, ana: User
) -> None:
    other = make_record("text", author=user, title="Other")
    top = comment(ana, record=other)
    refused(
        "parent_elsewhere",
        400,
        services.comment_create,
        author=ana,
        body="x",
        record=source,
        parent=top,
    )


def test_a_deleted_comment_may_still_be_replied_to_without_telling_anyone(
    source: Any, user: User, ana: User, bea: User
) -> None:
    top = comment(ana, record=source)
    services.comment_delete(actor=ana, comment=top)
    reply = comment(bea, "Still here.", parent=top)
    assert reply.root_id == top.pk
    assert told(ana) == []


def test_a_comment_hidden_by_moderators_takes_no_replies(source: Any, ana: User, bea: User) -> None:
    top = comment(ana, record=source)
    Comment.objects.filter(pk=top.pk).update(hidden_at=F("created_at"))  # as moderation would
    refused("parent_hidden", 400, services.comment_create, author=bea, body="x", parent=top)


# Mentions ------------------------------------------------------------------------------------
def test_a_mention_links_the_member_records_it_and_tells_them_once(
    source: Any, user: User, ana: User, bea: User
) -> None:
    made = comment(ana, "@bea look, and @BEA again, and @nobody.", record=source)
    assert '<a class="mention" href="/@bea">@bea</a>' in made.body_html
    assert '<a class="mention" href="/@bea">@BEA</a>' in made.body_html
    assert "@nobody" in made.body_html and 'href="/@nobody"' not in made.body_html
    assert list(Mention.objects.values_list("user_id", flat=True)) == [bea.pk]
    assert told(bea) == [("mentioned", made.pk)]


def test_the_most_specific_notification_wins(source: Any, user: User, ana: User) -> None:
    top = comment(ana, "Hey @orion", record=source)
    assert told(user) == [("mentioned", top.pk)]  # not also "commented"
    reply = comment(user, "Hi @ana", parent=top)
    assert told(ana) == [("mentioned", reply.pk)]  # not also "replied"


def test_mentions_in_code_links_and_emails_are_not_mentions(
    source: Any, ana: User, bea: User
) -> None:
    made = comment(ana, "`@bea` and [@bea](https://example.org) and bea@example.org", record=source)
    assert 'class="mention"' not in made.body_html
    assert not Mention.objects.exists()


def test_a_mention_inside_a_link_title_cannot_break_out_of_the_attribute(
    source: Any, ana: User, bea: User
) -> None:
    made = comment(ana, '[x](https://example.org "a>@bea onmouseover=alert(1)")', record=source)
    assert 'class="mention"' not in made.body_html
    assert "<a " in made.body_html and made.body_html.count("<a ") == 1


def test_members_in_a_block_with_the_author_are_neither_linked_nor_told(
    source: Any, ana: User, bea: User, make_user: Any
) -> None:
    cleo = make_user("cleo")
    block(bea, ana)  # bea blocked the author
    block(ana, cleo)  # the author blocked cleo
    made = comment(ana, "@bea and @cleo", record=source)
    assert 'class="mention"' not in made.body_html
    assert "@bea and @cleo" in made.body_html  # plain text: harmless
    assert not Mention.objects.exists()
    assert told(bea) == [] and told(cleo) == []


def test_former_and_deactivated_members_are_not_mentioned(
    source: Any, ana: User, bea: User
) -> None:
    User.objects.filter(pk=bea.pk).update(is_active=False)
    made = comment(ana, "@bea", record=source)
    assert 'class="mention"' not in made.body_html


# Edit, delete, history -----------------------------------------------------------------------
def test_an_edit_keeps_the_earlier_text_and_tells_only_newly_mentioned_members(
    source: Any, user: User, ana: User, bea: User, make_user: Any
) -> None:
    cleo = make_user("cleo")
    made = comment(ana, "Hi @bea", record=source)
    services.comment_edit(actor=ana, comment=made, body="Hi @bea and @cleo")
    made.refresh_from_db()
    assert made.edited_at is not None and "@cleo" in made.body_html
    assert list(CommentRevision.objects.values_list("body", flat=True)) == ["Hi @bea"]
    assert told(bea) == [("mentioned", made.pk)]  # once, from the first text
    assert told(cleo) == [("mentioned", made.pk)]
    assert told(user) == [("commented", made.pk)]  # the edit told the record's author nothing
    assert AuditEvent.objects.filter(action="comment_edited").count() == 1


def test_only_its_author_edits_or_deletes_a_comment(source: Any, user: User, ana: User) -> None:
    made = comment(ana, record=source)
    refused("not_author", 403, services.comment_edit, actor=user, comment=made, body="Mine now")
    refused("not_author", 403, services.comment_delete, actor=user, comment=made)
    made.refresh_from_db()
    assert made.body == "Lovely." and made.deleted_at is None


def test_an_edit_to_an_empty_or_too_long_text_is_refused(source: Any, ana: User) -> None:
    made = comment(ana, record=source)
    refused("empty", 400, services.comment_edit, actor=ana, comment=made, body=" ")
    refused("too_long", 400, services.comment_edit, actor=ana, comment=made, body="x" * 10_001)


def test_delete_leaves_a_tombstone_that_keeps_the_thread(
    source: Any, user: User, ana: User, bea: User
) -> None:
    top = comment(ana, "Secret plans", record=source)
    reply = comment(bea, "Nice", parent=top)
    services.comment_delete(actor=ana, comment=top)
    services.comment_delete(actor=ana, comment=top)  # again: nothing more happens
    top.refresh_from_db()
    assert top.deleted_at is not None and top.body == "" and top.body_html == ""
    assert list(CommentRevision.objects.filter(comment=top).values_list("body", flat=True)) == [
        "Secret plans"
    ]
    assert Comment.objects.filter(pk=reply.pk).exists()
    assert RecordStats.objects.get(record=source).comments == 1
    assert AuditEvent.objects.filter(action="comment_deleted").count() == 1
    page = selectors.comment_threads(viewer=user, record=source)
    assert page.items[0].comment.state == "deleted"
    assert [r.pk for r in page.items[0].replies] == [reply.pk]


def test_history_is_for_moderators_only(
    source: Any, user: User, ana: User, moderator: User
) -> None:
    made = comment(ana, "First", record=source)
    services.comment_edit(actor=ana, comment=made, body="Second")
    assert [r.body for r in selectors.comment_history(viewer=moderator, comment=made)] == ["First"]
    for viewer in (ana, user):
        with pytest.raises(ApplicationError) as caught:
            selectors.comment_history(viewer=viewer, comment=made)
        assert caught.value.status == 403


def test_a_hidden_comment_shows_as_hidden_to_everyone_but_moderators(
    source: Any, user: User, ana: User, bea: User, moderator: User
) -> None:
    top = comment(ana, "Rude words", record=source)
    comment(bea, "A reply", parent=top)
    Comment.objects.filter(pk=top.pk).update(hidden_at=F("created_at"))
    for viewer in (user, ana):
        thread = selectors.comment_threads(viewer=viewer, record=source).items[0]
        assert (thread.comment.state, thread.comment.shown_html) == ("hidden", "")
        assert len(thread.replies) == 1  # replies kept
    seen = selectors.comment_threads(viewer=moderator, record=source).items[0].comment
    assert "Rude words" in seen.shown_html


# Pins ----------------------------------------------------------------------------------------
def test_the_record_author_pins_one_comment_which_comes_first(
    source: Any, user: User, ana: User, bea: User
) -> None:
    first = comment(ana, "First", record=source)
    second = comment(bea, "Second", record=source)
    services.comment_pin(actor=user, comment=first)
    page = selectors.comment_threads(viewer=ana, record=source)
    assert page.pinned is not None and page.pinned.comment.pk == first.pk
    assert [t.comment.pk for t in page.items] == [second.pk]
    services.comment_pin(actor=user, comment=second)  # the first one's pin is lifted
    assert list(Comment.objects.filter(pinned_at__isnull=False).values_list("pk", flat=True)) == [
        second.pk
    ]
    services.comment_unpin(actor=user, comment=second)
    assert not Comment.objects.filter(pinned_at__isnull=False).exists()
    actions = list(
        AuditEvent.objects.filter(action__in=["comment_pinned", "comment_unpinned"])
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["comment_pinned", "comment_unpinned", "comment_pinned", "comment_unpinned"]


def test_only_the_record_author_pins_and_only_top_level_comments(
    source: Any, user: User, ana: User
) -> None:
    top = comment(ana, record=source)
    reply = comment(user, parent=top)
    refused("not_owner", 403, services.comment_pin, actor=ana, comment=top)
    refused("not_top_level", 400, services.comment_pin, actor=user, comment=reply)


def test_producers_pin_one_comment_per_production(
    open_production: Production, producer: User, ana: User, bea: User
) -> None:
    first = comment(ana, production=open_production)
    second = comment(bea, production=open_production)
    services.comment_pin(actor=producer, comment=first)
    services.comment_pin(actor=producer, comment=second)
    pinned = Comment.objects.filter(production=open_production, pinned_at__isnull=False)
    assert list(pinned.values_list("pk", flat=True)) == [second.pk]
    refused("not_owner", 403, services.comment_pin, actor=ana, comment=first)


# Productions and segments --------------------------------------------------------------------
def test_a_production_comment_tells_its_producers_and_counts(
    open_production: Production, producer: User, ana: User
) -> None:
    made = comment(ana, production=open_production)
    assert told(producer) == [("commented", made.pk)]
    assert ProductionStats.objects.get(production=open_production).comments == 1


def test_a_draft_production_takes_no_comments(producer: User, ana: User) -> None:
    from riffhouse.productions import services as productions

    draft = productions.production_create(actor=producer, kind="episode", title="Soon")
    refused("not_found", 404, services.comment_create, author=ana, body="x", production=draft)
    refused("not_found", 404, services.comment_create, author=producer, body="x", production=draft)


def test_segment_comments_need_a_segment_of_the_released_lineup(
    released: Production, open_production: Production, ana: User
) -> None:
    made = comment(ana, production=released, segment_number=2)
    assert made.segment_number == 2
    for number in (0, 3, 99):
        refused(
            "segment_invalid",
            400,
            services.comment_create,
            author=ana,
            body="x",
            production=released,
            segment_number=number,
        )
    refused(
        "segment_invalid",
        400,
        services.comment_create,
        author=ana,
        body="x",
        production=open_production,
        segment_number=1,
    )
    reply = comment(ana, "More", parent=made)
    assert reply.segment_number == 2
    segment_page = selectors.comment_threads(viewer=ana, production=released, segment_number=2)
    whole_page = selectors.comment_threads(viewer=ana, production=released)
    assert [t.comment.pk for t in segment_page.items] == [made.pk]
    assert whole_page.items == []
