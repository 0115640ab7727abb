"""Lineage's hooks become notifications (and, for a request, an email), under two rules:
nobody hears about their own action, and a deleted or deactivated member hears nothing."""

import pytest
from conftest import PASSWORD
from django.core import mail
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.community import services
from riffhouse.community.models import Notification
from riffhouse.lineage.hooks import (
    after_remix_created,
    after_remix_request_decided,
    after_remix_requested,
)
from riffhouse.lineage.models import RemixRequest, SourceLink

pytestmark = pytest.mark.django_db


def review_path(request) -> str:
    """The request's own page, where its source's author sees the remix and answers."""
    return reverse("lineage:request", args=[request.pk])


def deactivate(member: User, how: str) -> None:
    if how == "deleted":
        accounts.account_delete(user=member, password=PASSWORD)
    else:
        User.objects.filter(pk=member.pk).update(is_active=False)


class TestRemixCreated:
    def test_tells_the_source_author_how_their_work_was_used(
        self, user, ana, source, remix, make_link
    ) -> None:
        after_remix_created(link=make_link(remix, source, usage="melody"))
        notification = Notification.objects.get()
        assert notification.recipient == user
        assert notification.actor == ana
        assert notification.verb == Notification.Verb.REMIXED
        assert (notification.record, notification.source) == (remix, source)
        assert notification.text == "melody"
        assert notification.read_at is None
        assert mail.outbox == []  # a remix is news on the page, not an email

    def test_remixing_your_own_record_tells_no_one(
        self, user, source, make_record, make_link
    ) -> None:
        own = make_record("text", title="Moon song, reprise", author=user)
        after_remix_created(link=make_link(own, source))
        assert not Notification.objects.exists()

    def test_each_source_of_a_remix_tells_its_own_author(
        self, user, ana, make_user, make_record, remix, source, make_link
    ) -> None:
        sable = make_user("sable")
        other = make_record("image", title="Harbour at dusk", author=sable)
        for src in (source, other):
            after_remix_created(link=make_link(remix, src))
        assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
            "orion",
            "sable",
        }

    @pytest.mark.parametrize("how", ["deleted", "deactivated"])
    def test_an_inactive_author_hears_nothing(self, user, remix, source, make_link, how) -> None:
        deactivate(user, how)
        link = SourceLink.objects.select_related("source__author").get(
            pk=make_link(remix, source).pk
        )
        after_remix_created(link=link)
        assert not Notification.objects.exists()


class TestRemixRequested:
    def test_tells_the_owner_and_emails_them_a_link_to_answer(
        self, user, ana, source, remix, make_request
    ) -> None:
        request = make_request(remix, source, message="May I set your lyrics\nto a melody?")
        after_remix_requested(request=request, base_url="https://riff.example")

        notification = Notification.objects.get()
        assert (notification.recipient, notification.actor) == (user, ana)
        assert notification.verb == Notification.Verb.REMIX_REQUESTED
        assert notification.remix_request == request
        assert (notification.record, notification.source) == (remix, source)
        assert notification.text == "May I set your lyrics\nto a melody?"

        [email] = mail.outbox
        assert email.to == ["orion@ex.org"]
        assert email.subject == "Ana Reyes asks to remix your “Moon song”"
        assert "for “Moon animation”" in email.body
        assert "May I set your lyrics\nto a melody?" in email.body
        assert f"https://riff.example{review_path(request)}" in email.body

    def test_plain_text_email_is_not_html_escaped(
        self, user, ana, make_record, make_request
    ) -> None:
        source = make_record("text", title="Rock & <Roll>", author=user)
        remix = make_record("text", title="Tom's remix", author=ana)
        after_remix_requested(request=make_request(remix, source, message='"Please" & thanks'))
        [email] = mail.outbox
        assert "Rock & <Roll>" in email.subject
        assert "“Tom's remix”" in email.body and '"Please" & thanks' in email.body
        assert "&amp;" not in email.body

    @pytest.mark.parametrize(
        ("site_url", "origin"),
        [(None, "https://riff.example"), ("https://riffhouse.org/", "https://riffhouse.org")],
    )
    def test_without_a_base_url_the_link_is_still_absolute(
        self, settings, user, source, remix, make_request, site_url, origin
    ) -> None:
        settings.ALLOWED_HOSTS = ["*", ".example.org", "riff.example"]
        settings.SECURE_SSL_REDIRECT = True
        if site_url:
            settings.SITE_URL = site_url
        request = make_request(remix, source)
        after_remix_requested(request=request)
        [email] = mail.outbox
        assert f"{origin}{review_path(request)}\n" in email.body

    def test_the_email_is_a_job_on_the_notifications_queue(
        self, db_task_backend, user, source, remix, make_request
    ) -> None:
        DBTaskResult.objects.all().delete()  # the records' processing jobs
        after_remix_requested(request=make_request(remix, source))
        job = DBTaskResult.objects.get(task_path__endswith="email_send_task")
        assert job.queue_name == "notifications"
        assert job.task_path.endswith("email_send_task")
        assert job.args_kwargs["kwargs"]["to"] == ["orion@ex.org"]
        assert mail.outbox == []  # sent by a worker, not by the request

    def test_asking_yourself_tells_no_one(self, user, source, make_record, make_request) -> None:
        own = make_record("text", title="Mine", author=user)
        after_remix_requested(request=make_request(own, source))
        assert not Notification.objects.exists()
        assert mail.outbox == []

    @pytest.mark.parametrize("how", ["deleted", "deactivated"])
    def test_an_inactive_owner_gets_neither_notification_nor_email(
        self, user, source, remix, make_request, how
    ) -> None:
        deactivate(user, how)
        request = RemixRequest.objects.select_related("owner").get(
            pk=make_request(remix, source).pk
        )
        after_remix_requested(request=request)
        assert not Notification.objects.exists()
        assert mail.outbox == []

    def test_a_request_without_an_owner_tells_no_one(self, source, remix, make_request) -> None:
        after_remix_requested(request=make_request(remix, source, owner=None))
        assert not Notification.objects.exists()
        assert mail.outbox == []


class TestRequestDecided:
    @pytest.mark.parametrize(
        ("status", "verb"),
        [
            (RemixRequest.Status.APPROVED, Notification.Verb.REMIX_APPROVED),
            (RemixRequest.Status.DECLINED, Notification.Verb.REMIX_DECLINED),
        ],
    )
    def test_tells_the_requester_with_the_answer(
        self, user, ana, source, remix, make_request, status, verb
    ) -> None:
        request = make_request(remix, source, status=status, response_note="Lovely idea.")
        after_remix_request_decided(request=request)
        notification = Notification.objects.get()
        assert (notification.recipient, notification.actor) == (ana, user)
        assert notification.verb == verb
        assert notification.text == "Lovely idea."
        assert notification.remix_request == request
        assert mail.outbox == []

    def test_a_withdrawn_request_tells_no_one(self, source, remix, make_request) -> None:
        request = make_request(remix, source, status=RemixRequest.Status.WITHDRAWN)
        after_remix_request_decided(request=request)
        assert not Notification.objects.exists()

    def test_an_inactive_requester_hears_nothing(self, ana, source, remix, make_request) -> None:
        deactivate(ana, "deactivated")
        request = RemixRequest.objects.select_related("requester").get(
            pk=make_request(remix, source, status=RemixRequest.Status.APPROVED).pk
        )
        after_remix_request_decided(request=request)
        assert not Notification.objects.exists()


class TestServices:
    def test_long_text_is_cut_to_the_limit(self, user, ana) -> None:
        notification = services.notification_create(
            recipient=user, actor=ana, verb=Notification.Verb.REMIXED, text="x" * 5000
        )
        assert notification is not None and len(notification.text) == 2000

    def test_an_unknown_verb_is_a_bug(self, user, ana) -> None:
        with pytest.raises(ValueError, match="verb"):
            services.notification_create(recipient=user, actor=ana, verb="poked")

    def test_mark_read_touches_only_your_own(self, user, ana) -> None:
        mine = [
            services.notification_create(recipient=user, actor=ana, verb="remixed")
            for _ in range(3)
        ]
        theirs = services.notification_create(recipient=ana, actor=user, verb="remixed")
        assert services.notifications_mark_read(user=user, ids=[mine[0].pk, theirs.pk]) == 1
        assert services.notifications_mark_read(user=user, ids=[mine[0].pk]) == 0  # already
        assert services.notifications_mark_read(user=user) == 2
        theirs.refresh_from_db()
        assert theirs.read_at is None
