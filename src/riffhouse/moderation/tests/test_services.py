"""Reports, actions, undo and appeals through the services: the rule, each refusal, the
audit rows, what the member is told, and nothing half-saved."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import PASSWORD
from django.utils import timezone

from riffhouse.accounts import services as account_services
from riffhouse.accounts.models import AuditEvent, Role, User
from riffhouse.community.models import Comment, CommentRevision, Notification, NotificationVerb
from riffhouse.core.errors import ApplicationError
from riffhouse.moderation import services
from riffhouse.moderation.models import Appeal, ModerationAction, Report
from riffhouse.moderation.services import TargetRef
from riffhouse.productions import browse
from riffhouse.productions import services as production_services
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def report(reporter: User, kind: str, pk: int, text: str = "It insults people") -> Report:
    return services.report_create(
        reporter=reporter, target=TargetRef(kind, pk), category="harassment", text=text
    )


def refusal(call: Callable[[], Any]) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        call()
    return caught.value


class TestReports:
    def test_a_report_is_open_and_audited(self, reporter: User, their_record: Record) -> None:
        filed = report(reporter, "record", their_record.pk)
        assert filed.status == Report.Status.OPEN and filed.record_id == their_record.pk
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.REPORT_FILED, actor=reporter, target_id=filed.pk
        ).exists()

    def test_nothing_or_two_targets_is_refused(self) -> None:
        assert refusal(lambda: services.target_ref()).code == "target_required"
        assert refusal(lambda: services.target_ref(record=1, comment=2)).code == "target_required"

    @pytest.mark.parametrize("kind", ["record", "comment", "production", "member"])
    def test_an_unknown_target_is_a_400(self, reporter: User, kind: str) -> None:
        error = refusal(lambda: report(reporter, kind, 999_999))
        assert (error.status, error.code) == (400, "target_not_found")

    def test_yourself_and_your_own_work_are_refused(
        self, offender: User, their_record: Record, their_comment: Comment
    ) -> None:
        for kind, pk in [
            ("member", offender.pk),
            ("record", their_record.pk),
            ("comment", their_comment.pk),
        ]:
            error = refusal(lambda kind=kind, pk=pk: report(offender, kind, pk))
            assert (error.status, error.code) == (400, "own_content")
        assert not Report.objects.exists()

    def test_an_empty_reason_or_category_is_refused(
        self, reporter: User, their_record: Record
    ) -> None:
        assert refusal(lambda: report(reporter, "record", their_record.pk, "   ")).code == (
            "text_required"
        )
        error = refusal(
            lambda: services.report_create(
                reporter=reporter,
                target=TargetRef("record", their_record.pk),
                category="x",
                text="y",
            )
        )
        assert error.code == "category_invalid"

    def test_a_second_open_report_is_a_409(self, reporter: User, their_record: Record) -> None:
        report(reporter, "record", their_record.pk)
        error = refusal(lambda: report(reporter, "record", their_record.pk))
        assert (error.status, error.code) == (409, "already_reported")
        assert Report.objects.count() == 1

    def test_reports_are_rate_limited(
        self, settings: Any, reporter: User, make_record: Callable[..., Record], offender: User
    ) -> None:
        settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "report": (2, 3600)}
        records = [make_record("text", author=offender, title=f"R{i}") for i in range(3)]
        report(reporter, "record", records[0].pk)
        report(reporter, "record", records[1].pk)
        error = refusal(lambda: report(reporter, "record", records[2].pk))
        assert error.status == 429 and error.code == "rate_limited"
        assert int(error.headers["Retry-After"]) > 0
        assert Report.objects.count() == 2


class TestActions:
    def test_hiding_a_record_answers_reports_audits_and_tells_the_author(
        self, moderator: User, reporter: User, their_record: Record, offender: User
    ) -> None:
        filed = report(reporter, "record", their_record.pk)
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Insults other members",
        )
        their_record.refresh_from_db()
        filed.refresh_from_db()
        assert their_record.hidden_at is not None
        assert not Record.objects.listed().filter(pk=their_record.pk).exists()
        assert filed.status == Report.Status.ACTIONED
        assert list(action.reports.all()) == [filed]
        assert action.subject == offender
        actions = set(AuditEvent.objects.filter(actor=moderator).values_list("action", flat=True))
        assert {AuditEvent.Action.MODERATION_ACTION, AuditEvent.Action.CONTENT_HIDDEN} <= actions
        told = Notification.objects.get(recipient=offender)
        assert told.verb == NotificationVerb.MODERATED
        assert told.text == "Insults other members"
        assert (told.target_type, told.target_id) == ("moderation.moderationaction", action.pk)

    def test_undoing_a_hide_shows_the_record_again(
        self, moderator: User, their_record: Record
    ) -> None:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )
        services.action_undo(moderator=moderator, action_id=action.pk, reason="Misread it")
        their_record.refresh_from_db()
        action.refresh_from_db()
        assert their_record.hidden_at is None
        assert Record.objects.listed().filter(pk=their_record.pk).exists()
        assert action.undone_by == moderator and action.undo_reason == "Misread it"
        assert AuditEvent.objects.filter(action=AuditEvent.Action.MODERATION_UNDONE).exists()
        error = refusal(
            lambda: services.action_undo(moderator=moderator, action_id=action.pk, reason="x")
        )
        assert error.code == "already_undone"

    def test_removing_a_record_leaves_a_tombstone_that_cannot_be_undone(
        self, moderator: User, their_record: Record
    ) -> None:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="remove",
            reason="Stolen work",
        )
        their_record.refresh_from_db()
        assert their_record.deleted_at is not None
        error = refusal(
            lambda: services.action_undo(moderator=moderator, action_id=action.pk, reason="x")
        )
        assert (error.status, error.code) == (409, "not_undoable")

    def test_hiding_and_removing_a_comment(self, moderator: User, their_comment: Comment) -> None:
        target = TargetRef("comment", their_comment.pk)
        hide = services.action_take(moderator=moderator, target=target, kind="hide", reason="Rude")
        their_comment.refresh_from_db()
        assert their_comment.hidden_at is not None
        services.action_undo(moderator=moderator, action_id=hide.pk, reason="Fine after all")
        their_comment.refresh_from_db()
        assert their_comment.hidden_at is None
        services.action_take(moderator=moderator, target=target, kind="remove", reason="Threat")
        their_comment.refresh_from_db()
        assert their_comment.deleted_at is not None and their_comment.body == ""
        # The text stays for moderators.
        assert CommentRevision.objects.get(comment=their_comment).body == "You are all terrible"

    def test_hiding_a_production_takes_it_out_of_browse_lists(
        self, moderator: User, make_user: Callable[..., User]
    ) -> None:
        producer = make_user("paz")
        production = production_services.production_create(
            actor=producer, kind="episode", title="Space", theme="Space", brief="Go"
        )
        production_services.production_status_set(
            actor=producer, production=production, status="open"
        )
        assert [p.pk for p in browse.production_feed(status="open").items] == [production.pk]
        services.action_take(
            moderator=moderator,
            target=TargetRef("production", production.pk),
            kind="hide",
            reason="Spam",
        )
        assert browse.production_feed(status="open").items == []

    def test_suspending_and_lifting(self, moderator: User, offender: User) -> None:
        until = timezone.now() + timedelta(days=3)
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("member", offender.pk),
            kind="suspend",
            reason="Repeated harassment",
            until=until,
        )
        offender.refresh_from_db()
        assert offender.is_suspended and offender.suspended_until == until
        assert offender.suspension_reason == "Repeated harassment"
        assert AuditEvent.objects.filter(
            action=AuditEvent.Action.MEMBER_SUSPENDED, subject=offender
        ).exists()
        services.action_undo(moderator=moderator, action_id=action.pk, reason="Apologised")
        offender.refresh_from_db()
        assert not offender.is_suspended and offender.suspended_until is None

    def test_a_suspension_without_an_end_lasts_until_lifted(
        self, moderator: User, offender: User
    ) -> None:
        services.action_take(
            moderator=moderator,
            target=TargetRef("member", offender.pk),
            kind="suspend",
            reason="Spam account",
        )
        offender.refresh_from_db()
        assert offender.suspended_until is not None and offender.suspended_until.year == 9999

    def test_a_warning_only_tells_and_audits(
        self, moderator: User, offender: User, their_record: Record
    ) -> None:
        services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="warn",
            reason="Please credit your sources",
        )
        their_record.refresh_from_db()
        assert their_record.hidden_at is None and their_record.deleted_at is None
        assert Notification.objects.get(recipient=offender).text == "Please credit your sources"

    def test_refusals(
        self, moderator: User, reporter: User, their_record: Record, offender: User
    ) -> None:
        target = TargetRef("record", their_record.pk)
        error = refusal(
            lambda: services.action_take(moderator=reporter, target=target, kind="hide", reason="x")
        )
        assert (error.status, error.code) == (403, "not_moderator")
        error = refusal(
            lambda: services.action_take(
                moderator=moderator, target=target, kind="hide", reason=" "
            )
        )
        assert (error.status, error.code) == (400, "reason_required")
        error = refusal(
            lambda: services.action_take(
                moderator=moderator,
                target=TargetRef("member", offender.pk),
                kind="hide",
                reason="x",
            )
        )
        assert error.code == "kind_not_allowed"
        assert not ModerationAction.objects.exists()
        their_record.refresh_from_db()
        assert their_record.hidden_at is None

    def test_dismissing_closes_the_reports(
        self, moderator: User, reporter: User, their_record: Record
    ) -> None:
        filed = report(reporter, "record", their_record.pk)
        assert (
            services.reports_dismiss(
                moderator=moderator, target=TargetRef("record", their_record.pk)
            )
            == 1
        )
        filed.refresh_from_db()
        assert filed.status == Report.Status.DISMISSED and filed.closed_by == moderator


class TestAppeals:
    @pytest.fixture
    def hidden(self, moderator: User, their_record: Record) -> ModerationAction:
        return services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )

    def test_the_member_appeals_once(self, offender: User, hidden: ModerationAction) -> None:
        appeal = services.appeal_create(member=offender, action_id=hidden.pk, text="It is satire")
        assert appeal.status == Appeal.Status.OPEN
        assert AuditEvent.objects.filter(action=AuditEvent.Action.APPEAL_FILED).exists()
        error = refusal(
            lambda: services.appeal_create(member=offender, action_id=hidden.pk, text="Again")
        )
        assert (error.status, error.code) == (409, "already_appealed")

    def test_only_the_member_concerned_may_appeal(
        self, reporter: User, hidden: ModerationAction, offender: User
    ) -> None:
        assert (
            refusal(
                lambda: services.appeal_create(member=reporter, action_id=hidden.pk, text="x")
            ).status
            == 404
        )
        assert (
            refusal(
                lambda: services.appeal_create(member=offender, action_id=hidden.pk, text="")
            ).code
            == "text_required"
        )

    def test_granting_undoes_and_tells_the_member(
        self, moderator: User, offender: User, hidden: ModerationAction, their_record: Record
    ) -> None:
        appeal = services.appeal_create(member=offender, action_id=hidden.pk, text="Satire")
        decided = services.appeal_decide(
            moderator=moderator, appeal_id=appeal.pk, grant=True, note="Fair point"
        )
        assert decided.status == Appeal.Status.GRANTED and decided.decided_by == moderator
        their_record.refresh_from_db()
        assert their_record.hidden_at is None
        told = Notification.objects.filter(
            recipient=offender, verb=NotificationVerb.APPEAL_DECIDED
        ).get()
        assert told.text == "Fair point"
        error = refusal(
            lambda: services.appeal_decide(
                moderator=moderator, appeal_id=appeal.pk, grant=False, note="x"
            )
        )
        assert (error.status, error.code) == (409, "already_decided")

    def test_upholding_keeps_the_action(
        self, moderator: User, offender: User, hidden: ModerationAction, their_record: Record
    ) -> None:
        appeal = services.appeal_create(member=offender, action_id=hidden.pk, text="Satire")
        services.appeal_decide(moderator=moderator, appeal_id=appeal.pk, grant=False, note="No")
        their_record.refresh_from_db()
        assert their_record.hidden_at is not None

    def test_a_member_cannot_decide(
        self, offender: User, reporter: User, hidden: ModerationAction
    ) -> None:
        appeal = services.appeal_create(member=offender, action_id=hidden.pk, text="Satire")
        error = refusal(
            lambda: services.appeal_decide(
                moderator=reporter, appeal_id=appeal.pk, grant=True, note="x"
            )
        )
        assert error.status == 403


class TestWhoDecidesAnAppeal:
    """A second look: not the moderator who acted (unless nobody else could), never the
    member appealing."""

    @pytest.fixture
    def appeal(self, moderator: User, offender: User, their_record: Record) -> Appeal:
        action = services.action_take(
            moderator=moderator,
            target=TargetRef("record", their_record.pk),
            kind="hide",
            reason="Rude",
        )
        return services.appeal_create(member=offender, action_id=action.pk, text="Satire")

    def test_the_moderator_who_acted_leaves_it_to_another(
        self,
        moderator: User,
        make_user: Callable[..., User],
        appeal: Appeal,
        their_record: Record,
    ) -> None:
        other = make_user("max", role=Role.MODERATOR)
        error = refusal(
            lambda: services.appeal_decide(
                moderator=moderator, appeal_id=appeal.pk, grant=True, note="Fair"
            )
        )
        assert (error.status, error.code) == (403, "own_action")
        assert "another moderator" in error.detail
        appeal.refresh_from_db()
        their_record.refresh_from_db()
        assert appeal.status == Appeal.Status.OPEN and their_record.hidden_at is not None
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.APPEAL_DECIDED).exists()
        decided = services.appeal_decide(
            moderator=other, appeal_id=appeal.pk, grant=True, note="Fair"
        )
        assert decided.decided_by == other and decided.status == Appeal.Status.GRANTED

    @pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
    def test_staff_and_admins_are_other_moderators(
        self, moderator: User, make_user: Callable[..., User], appeal: Appeal, role: str
    ) -> None:
        make_user("max", role=role)
        error = refusal(
            lambda: services.appeal_decide(
                moderator=moderator, appeal_id=appeal.pk, grant=False, note="No"
            )
        )
        assert error.code == "own_action"

    def test_alone_the_moderator_who_acted_decides(
        self, moderator: User, make_user: Callable[..., User], appeal: Appeal
    ) -> None:
        # A moderator who left decides nothing.
        gone = make_user("gone", role=Role.MODERATOR)
        account_services.account_delete(user=gone, password=PASSWORD)
        decided = services.appeal_decide(
            moderator=moderator, appeal_id=appeal.pk, grant=False, note="It stands"
        )
        assert decided.status == Appeal.Status.UPHELD and decided.decided_by == moderator

    def test_nobody_decides_their_own_appeal(
        self,
        moderator: User,
        make_user: Callable[..., User],
        make_record: Callable[..., Record],
    ) -> None:
        # Mona hides a record of Max, a moderator too; Max appeals.
        other = make_user("max", role=Role.MODERATOR)
        record = make_record("text", author=other, title="Max's")
        action = services.action_take(
            moderator=moderator, target=TargetRef("record", record.pk), kind="hide", reason="x"
        )
        appeal = services.appeal_create(member=other, action_id=action.pk, text="Mine is fine")
        error = refusal(
            lambda: services.appeal_decide(
                moderator=other, appeal_id=appeal.pk, grant=True, note="Granted by me"
            )
        )
        assert (error.status, error.code) == (403, "own_appeal")
        # Nobody but the two of them moderates, so Mona, who acted, decides.
        decided = services.appeal_decide(
            moderator=moderator, appeal_id=appeal.pk, grant=False, note="It stands"
        )
        assert decided.decided_by == moderator
