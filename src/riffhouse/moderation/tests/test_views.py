"""Moderation pages: the report form, the queue (and its query count), actions, appeals,
and what others see of a hidden record."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from riffhouse.accounts.models import Role, User
from riffhouse.community.models import Comment, CommentRevision
from riffhouse.moderation import selectors, services
from riffhouse.moderation.models import Appeal, ModerationAction, Report
from riffhouse.moderation.services import TargetRef
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


class TestReportPage:
    def test_the_form_and_a_report(
        self, client: Client, reporter: User, their_record: Record
    ) -> None:
        signed_in(client, reporter)
        page = client.get(f"/report/?record={their_record.pk}")
        assert page.status_code == 200
        assert "Report “Rude poem”" in page.content.decode()
        done = client.post(
            "/report/", {"record": their_record.pk, "category": "spam", "text": "Ads"}
        )
        assert done.status_code == 302 and done["Location"] == their_record.get_absolute_url()
        assert Report.objects.filter(reporter=reporter, record=their_record).exists()

    def test_errors_show_on_the_form(
        self, client: Client, reporter: User, their_record: Record
    ) -> None:
        signed_in(client, reporter)
        empty = client.post("/report/", {"record": their_record.pk, "category": "spam", "text": ""})
        assert empty.status_code == 400
        client.post("/report/", {"record": their_record.pk, "category": "spam", "text": "Ads"})
        twice = client.post(
            "/report/", {"record": their_record.pk, "category": "spam", "text": "Ads"}
        )
        assert twice.status_code == 400
        assert "You reported this already" in twice.content.decode()

    def test_nothing_or_an_unknown_target_is_a_400(self, client: Client, reporter: User) -> None:
        signed_in(client, reporter)
        assert client.get("/report/").status_code == 400
        assert client.get("/report/?record=999999").status_code == 400
        assert client.get("/report/?record=abc").status_code == 400

    def test_a_visitor_is_sent_to_log_in(self, client: Client, their_record: Record) -> None:
        response = client.get(f"/report/?record={their_record.pk}")
        assert response.status_code == 302 and "/accounts/" in response["Location"]

    def test_report_links_on_record_and_profile(
        self, client: Client, reporter: User, their_record: Record, offender: User
    ) -> None:
        signed_in(client, reporter)
        assert (
            f"/report/?record={their_record.pk}"
            in client.get(their_record.get_absolute_url()).content.decode()
        )
        assert f"/report/?member={offender.pk}" in client.get("/@otto").content.decode()


class TestQueue:
    def _reports(
        self,
        make_user: Callable[..., User],
        make_record: Callable[..., Record],
        offender: User,
        start: int,
        n: int,
    ) -> None:
        for i in range(start, start + n):
            who = make_user(f"reporter{i}")
            record = make_record("text", author=offender, title=f"Bad {i}")
            services.report_create(
                reporter=who, target=TargetRef("record", record.pk), category="spam", text="x"
            )
            comment = Comment.objects.create(
                author=offender, record=record, body=f"c{i}", body_html="<p>c</p>"
            )
            CommentRevision.objects.create(comment=comment, body="earlier")
            services.report_create(
                reporter=who, target=TargetRef("comment", comment.pk), category="spam", text="x"
            )
            services.report_create(
                reporter=who, target=TargetRef("member", offender.pk), category="spam", text="x"
            )

    def test_the_queue_shows_content_in_context_in_bounded_queries(
        self,
        client: Client,
        moderator: User,
        make_user: Callable[..., User],
        make_record: Callable[..., Record],
        offender: User,
        django_assert_max_num_queries: Any,
    ) -> None:
        self._reports(make_user, make_record, offender, 0, 2)
        signed_in(client, moderator)
        with django_assert_max_num_queries(20) as few:
            page = client.get("/moderation/")
        self._reports(make_user, make_record, offender, 2, 3)
        with django_assert_max_num_queries(len(few.captured_queries)):
            page = client.get("/moderation/")
        text = page.content.decode()
        assert page.status_code == 200
        assert "Bad 4" in text and "earlier" in text and "Otto Offender" in text
        assert "15 open reports about 11 things" in text

    def test_the_queue_pages_with_show_more_and_htmx_in_bounded_queries(
        self,
        client: Client,
        moderator: User,
        make_user: Callable[..., User],
        make_record: Callable[..., Record],
        offender: User,
        monkeypatch: Any,
        django_assert_max_num_queries: Any,
    ) -> None:
        # 9 targets, oldest first: Bad 0, its comment, Otto, Bad 1, its comment, Bad 2, ...
        self._reports(make_user, make_record, offender, 0, 4)
        records = {r.title: r.pk for r in Record.objects.all()}
        comments = {c.body: c.pk for c in Comment.objects.all()}
        monkeypatch.setattr(selectors, "QUEUE_PAGE", 4)
        signed_in(client, moderator)
        with django_assert_max_num_queries(20) as first_page:
            first = client.get("/moderation/").content.decode()
        assert f'id="case-record-{records["Bad 1"]}"' in first
        assert f'id="case-member-{offender.pk}"' in first
        assert f'id="case-comment-{comments["c1"]}"' not in first
        assert "12 open reports about 9 things" in first
        more = first.split('class="more">')[1].split('href="')[1].split('"')[0]
        assert more.startswith("/moderation/?cursor=")
        # Without JavaScript the link opens the next page; each page in the same few queries.
        with django_assert_max_num_queries(len(first_page.captured_queries)):
            second = client.get(more).content.decode()
        assert f'id="case-comment-{comments["c1"]}"' in second
        assert f'id="case-record-{records["Bad 3"]}"' in second
        assert f'id="case-record-{records["Bad 1"]}"' not in second
        assert "Back to the first page" in second
        # Each case's fields are named by the case, so pages shown together never clash.
        assert f'id="reason-record-{records["Bad 3"]}"' in second
        last = second.split('class="more">')[1].split('href="')[1].split('"')[0]
        with django_assert_max_num_queries(len(first_page.captured_queries)):
            fragment = client.get(last, headers={"HX-Request": "true"}).content.decode()
        # htmx gets the last page's cases only, to put in place of the link.
        assert f'id="case-comment-{comments["c3"]}"' in fragment
        assert "moderation-case" in fragment and fragment.count('class="moderation-case"') == 1
        assert "<h1>" not in fragment and 'class="more"' not in fragment

    def test_a_bad_cursor_is_a_400(self, client: Client, moderator: User) -> None:
        signed_in(client, moderator)
        assert client.get("/moderation/?cursor=nope").status_code == 400

    def test_members_are_refused(self, client: Client, reporter: User) -> None:
        signed_in(client, reporter)
        for path in ["/moderation/", "/moderation/appeals/", "/moderation/actions/"]:
            assert client.get(path).status_code == 403
        assert client.post("/moderation/act/", {"member": reporter.pk}).status_code == 403

    def test_acting_from_the_page(
        self, client: Client, moderator: User, their_record: Record
    ) -> None:
        signed_in(client, moderator)
        done = client.post(
            "/moderation/act/",
            {"record": their_record.pk, "kind": "hide", "reason": "Rude"},
            follow=True,
        )
        assert "Done: hide" in done.content.decode()
        their_record.refresh_from_db()
        assert their_record.hidden_at is not None
        refused = client.post(
            "/moderation/act/",
            {"record": their_record.pk, "kind": "hide", "reason": ""},
            follow=True,
        )
        assert "This field is required" in refused.content.decode()
        action = ModerationAction.objects.get()
        client.post(f"/moderation/actions/{action.pk}/undo/", {"reason": "Oops"})
        their_record.refresh_from_db()
        assert their_record.hidden_at is None

    def test_actions_and_appeals_pages(
        self,
        client: Client,
        moderator: User,
        offender: User,
        their_record: Record,
        django_assert_max_num_queries: Any,
    ) -> None:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )
        services.appeal_create(member=offender, action_id=action.pk, text="Satire, honestly")
        signed_in(client, moderator)
        with django_assert_max_num_queries(12):
            assert "Rude" in client.get("/moderation/actions/").content.decode()
        with django_assert_max_num_queries(12):
            assert "Satire, honestly" in client.get("/moderation/appeals/").content.decode()


class TestAppealsPage:
    @pytest.fixture
    def appeal(self, moderator: User, offender: User, their_record: Record) -> Appeal:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )
        return services.appeal_create(member=offender, action_id=action.pk, text="Satire")

    def test_the_moderator_who_acted_sees_it_without_the_decision(
        self,
        client: Client,
        moderator: User,
        make_user: Callable[..., User],
        appeal: Appeal,
        django_assert_max_num_queries: Any,
    ) -> None:
        other = make_user("max", role=Role.MODERATOR)
        signed_in(client, moderator)
        with django_assert_max_num_queries(12):
            mine = client.get("/moderation/appeals/").content.decode()
        assert "Satire" in mine and "by you" in mine
        assert "You took this action, so another moderator decides its appeal." in mine
        assert f"/moderation/appeals/{appeal.pk}/decide/" not in mine
        # A decision posted all the same is refused, with the reason.
        refused = client.post(
            f"/moderation/appeals/{appeal.pk}/decide/",
            {"decision": "grant", "note": "Fair"},
            follow=True,
        )
        assert "another moderator decides its appeal" in refused.content.decode()
        appeal.refresh_from_db()
        assert appeal.status == Appeal.Status.OPEN
        signed_in(client, other)
        theirs = client.get("/moderation/appeals/").content.decode()
        assert f"/moderation/appeals/{appeal.pk}/decide/" in theirs
        assert "Mona Mod" in theirs and "another moderator decides" not in theirs

    def test_appeals_page_with_show_more_and_htmx(
        self,
        client: Client,
        moderator: User,
        make_user: Callable[..., User],
        appeal: Appeal,
        monkeypatch: Any,
        django_assert_max_num_queries: Any,
    ) -> None:
        for i in range(2):
            member = make_user(f"warned{i}")
            action = services.action_take(
                moderator=moderator, target=TargetRef("member", member.pk), kind="warn", reason="x"
            )
            services.appeal_create(member=member, action_id=action.pk, text=f"Appeal {i}")
        monkeypatch.setattr(selectors, "QUEUE_PAGE", 2)
        signed_in(client, moderator)
        with django_assert_max_num_queries(12) as first_page:
            first = client.get("/moderation/appeals/").content.decode()
        assert "Satire" in first and "Appeal 0" in first and "Appeal 1" not in first
        more = first.split('class="more">')[1].split('href="')[1].split('"')[0]
        with django_assert_max_num_queries(len(first_page.captured_queries)):
            second = client.get(more).content.decode()
        assert "Appeal 1" in second and "Satire" not in second and "<h1>Appeals</h1>" in second
        fragment = client.get(more, headers={"HX-Request": "true"}).content.decode()
        assert "Appeal 1" in fragment and "<h1>" not in fragment and 'class="more"' not in fragment

    def test_alone_the_moderator_who_acted_decides_and_is_told_why(
        self, client: Client, moderator: User, appeal: Appeal
    ) -> None:
        signed_in(client, moderator)
        page = client.get("/moderation/appeals/").content.decode()
        assert f"/moderation/appeals/{appeal.pk}/decide/" in page
        assert "no other moderator could decide its appeal" in page


class TestMemberSide:
    def test_hidden_record_page_for_others_and_its_author(
        self,
        client: Client,
        moderator: User,
        reporter: User,
        offender: User,
        their_record: Record,
    ) -> None:
        services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )
        other = client.get(their_record.get_absolute_url())
        assert other.status_code == 403
        assert "hidden by moderators" in other.content.decode()
        assert "Moon over the harbour" not in other.content.decode()
        signed_in(client, offender)
        own = client.get(their_record.get_absolute_url())
        assert own.status_code == 200 and "Hidden by moderators" in own.content.decode()

    def test_the_appeal_page(
        self,
        client: Client,
        moderator: User,
        offender: User,
        reporter: User,
        their_record: Record,
    ) -> None:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Insults the reader",
        )
        signed_in(client, reporter)
        assert client.get(f"/moderation/actions/{action.pk}/").status_code == 404
        signed_in(client, offender)
        page = client.get(f"/moderation/actions/{action.pk}/")
        assert page.status_code == 200 and "Insults the reader" in page.content.decode()
        assert client.post(f"/moderation/actions/{action.pk}/", {"text": ""}).status_code == 400
        sent = client.post(f"/moderation/actions/{action.pk}/", {"text": "Satire"}, follow=True)
        assert "Waiting for a decision" in sent.content.decode()
        assert "Send the appeal" not in sent.content.decode()
