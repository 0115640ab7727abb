"""The moderation API: each endpoint's success, its permission test (a visitor 401, a
member 403 where moderators alone may), and bad input as a 4xx with detail and code."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts.models import Role, User
from riffhouse.community.models import Comment
from riffhouse.moderation.models import Appeal, ModerationAction, Report
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db
ApiAs = Callable[[User], ApiClient]


def report_body(**target: Any) -> dict[str, Any]:
    return {"category": "spam", "text": "Advertising a shop", **target}


class TestReports:
    def test_a_member_reports_a_record(
        self, api_as: ApiAs, reporter: User, their_record: Record
    ) -> None:
        response = api_as(reporter).call("post", "/reports", report_body(record=their_record.pk))
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["target"]["type"] == "record" and body["target"]["id"] == their_record.pk
        assert body["status"] == "open"

    def test_a_member_by_username_and_a_comment(
        self, api_as: ApiAs, reporter: User, offender: User, their_comment: Comment
    ) -> None:
        client = api_as(reporter)
        assert client.call("post", "/reports", report_body(member="OTTO")).status_code == 201
        assert (
            client.call("post", "/reports", report_body(comment=their_comment.pk)).status_code
            == 201
        )
        assert Report.objects.filter(member=offender).exists()

    def test_a_visitor_is_401(self, api: ApiClient, their_record: Record) -> None:
        response = api.call("post", "/reports", report_body(record=their_record.pk))
        assert response.status_code == 401

    @pytest.mark.parametrize(
        ("body", "status", "code"),
        [
            (report_body(), 400, "target_required"),
            (report_body(record=1, member="otto"), 400, "target_required"),
            (report_body(record=999_999), 400, "target_not_found"),
            (report_body(member="nobody-here"), 400, "target_not_found"),
            ({"category": "spam", "text": "   ", "member": "otto"}, 400, "text_required"),
        ],
    )
    def test_bad_input(
        self, api_as: ApiAs, reporter: User, offender: User, body: Any, status: int, code: str
    ) -> None:
        response = api_as(reporter).call("post", "/reports", body)
        assert (response.status_code, response.json()["code"]) == (status, code)

    def test_yourself_and_twice(
        self, api_as: ApiAs, reporter: User, offender: User, their_record: Record
    ) -> None:
        mine = api_as(offender).call("post", "/reports", report_body(record=their_record.pk))
        assert (mine.status_code, mine.json()["code"]) == (400, "own_content")
        client = api_as(reporter)
        client.call("post", "/reports", report_body(record=their_record.pk))
        again = client.call("post", "/reports", report_body(record=their_record.pk))
        assert (again.status_code, again.json()["code"]) == (409, "already_reported")

    def test_over_the_limit_is_429_with_retry_after(
        self, settings: Any, api_as: ApiAs, reporter: User, offender: User, their_record: Record
    ) -> None:
        # The API's error handler passes the refusal's headers on.
        settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "report": (1, 600)}
        client = api_as(reporter)
        assert client.call("post", "/reports", report_body(member="otto")).status_code == 201
        response = client.call("post", "/reports", report_body(record=their_record.pk))
        assert response.status_code == 429
        assert response.json()["code"] == "rate_limited"
        assert 0 < int(response["Retry-After"]) <= 600


class TestModeratorEndpoints:
    def test_the_queue(
        self, api_as: ApiAs, moderator: User, reporter: User, their_record: Record
    ) -> None:
        api_as(reporter).call("post", "/reports", report_body(record=their_record.pk))
        response = api_as(moderator).call("get", "/moderation/queue")
        assert response.status_code == 200
        body = response.json()
        assert body["open_reports"] == 1
        [item] = body["items"]
        assert item["target"] == {
            "type": "record",
            "id": their_record.pk,
            "title": "Rude poem",
            "url": f"http://testserver/records/{their_record.pk}/",
        }
        assert item["reports"][0]["reporter"] == "rita"

    def test_the_queue_a_page_at_a_time(
        self,
        settings: Any,
        api_as: ApiAs,
        moderator: User,
        reporter: User,
        make_user: Callable[..., User],
        django_assert_max_num_queries: Any,
    ) -> None:
        settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "report": (100, 3600)}
        reporting = api_as(reporter)
        names = [make_user(f"member{i}").username for i in range(5)]
        for name in names:
            reporting.call("post", "/reports", report_body(member=name))
        mod = api_as(moderator)
        seen: list[int] = []
        cursor = None
        for _page in range(3):
            query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
            with django_assert_max_num_queries(12):
                body = mod.call("get", f"/moderation/queue{query}").json()
            assert body["open_targets"] == 5
            seen += [item["target"]["id"] for item in body["items"]]
            cursor = body["next_cursor"]
        assert cursor is None
        assert seen == [User.objects.get(username=name).pk for name in names]

    @pytest.mark.parametrize("cursor", ["nope", "%C3%A9t%C3%A9", "MjAyNi0wMS0wMVQwMDowMDowMHwx"])
    def test_a_bad_queue_cursor_is_a_400(self, api_as: ApiAs, moderator: User, cursor: str) -> None:
        response = api_as(moderator).call("get", f"/moderation/queue?cursor={cursor}")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_cursor"
        assert response.json()["detail"] == "That page cursor is not valid."

    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("get", "/moderation/queue", None),
            ("post", "/moderation/actions", {"member": "otto", "kind": "warn", "reason": "x"}),
            ("post", "/moderation/actions/1/undo", {"reason": "x"}),
            ("get", "/moderation/appeals", None),
            ("post", "/appeals/1/decide", {"decision": "grant", "note": "x"}),
        ],
    )
    def test_permissions(
        self,
        api: ApiClient,
        api_as: ApiAs,
        reporter: User,
        offender: User,
        method: str,
        path: str,
        body: Any,
    ) -> None:
        assert api.call(method, path, body).status_code == 401
        response = api_as(reporter).call(method, path, body)
        assert (response.status_code, response.json()["code"]) == (403, "not_moderator")
        assert not ModerationAction.objects.exists()

    def test_act_undo_appeal_decide(
        self,
        api_as: ApiAs,
        moderator: User,
        offender: User,
        reporter: User,
        their_record: Record,
    ) -> None:
        mod = api_as(moderator)
        acted = mod.call(
            "post",
            "/moderation/actions",
            {"record": their_record.pk, "kind": "hide", "reason": "Insults"},
        )
        assert acted.status_code == 201, acted.json()
        action_id = acted.json()["id"]
        assert acted.json()["subject"] == "otto"
        # Only the member concerned appeals; once.
        assert (
            api_as(reporter)
            .call("post", "/appeals", {"action": action_id, "text": "Mine?"})
            .status_code
            == 404
        )
        member = api_as(offender)
        appealed = member.call("post", "/appeals", {"action": action_id, "text": "Satire"})
        assert appealed.status_code == 201
        again = member.call("post", "/appeals", {"action": action_id, "text": "Satire"})
        assert (again.status_code, again.json()["code"]) == (409, "already_appealed")
        listed = mod.call("get", "/moderation/appeals").json()
        assert [a["id"] for a in listed["items"]] == [appealed.json()["id"]]
        assert listed["next_cursor"] is None
        bad = mod.call("get", "/moderation/appeals?cursor=nope")
        assert (bad.status_code, bad.json()["code"]) == (400, "invalid_cursor")
        decided = mod.call(
            "post",
            f"/appeals/{appealed.json()['id']}/decide",
            {"decision": "uphold", "note": "It insults"},
        )
        assert decided.status_code == 200 and decided.json()["status"] == Appeal.Status.UPHELD
        undone = mod.call("post", f"/moderation/actions/{action_id}/undo", {"reason": "Changed"})
        assert undone.status_code == 200 and undone.json()["undone_at"] is not None
        their_record.refresh_from_db()
        assert their_record.hidden_at is None

    def test_the_moderator_who_acted_is_refused_the_appeal(
        self,
        api_as: ApiAs,
        moderator: User,
        offender: User,
        their_record: Record,
        make_user: Callable[..., User],
    ) -> None:
        other = api_as(make_user("max", role=Role.MODERATOR))
        mod = api_as(moderator)
        action_id = mod.call(
            "post",
            "/moderation/actions",
            {"record": their_record.pk, "kind": "hide", "reason": "Insults"},
        ).json()["id"]
        appeal_id = (
            api_as(offender)
            .call("post", "/appeals", {"action": action_id, "text": "Satire"})
            .json()["id"]
        )
        decision = {"decision": "grant", "note": "Fair"}
        own = mod.call("post", f"/appeals/{appeal_id}/decide", decision)
        assert (own.status_code, own.json()["code"]) == (403, "own_action")
        assert own.json()["detail"] == (
            "You took this action, so another moderator decides its appeal."
        )
        assert Appeal.objects.get().status == Appeal.Status.OPEN
        decided = other.call("post", f"/appeals/{appeal_id}/decide", decision)
        assert decided.status_code == 200 and decided.json()["status"] == "granted"

    def test_bad_action_input(self, api_as: ApiAs, moderator: User, offender: User) -> None:
        mod = api_as(moderator)
        empty = mod.call(
            "post", "/moderation/actions", {"member": "otto", "kind": "warn", "reason": ""}
        )
        assert (empty.status_code, empty.json()["code"]) == (400, "reason_required")
        wrong = mod.call(
            "post", "/moderation/actions", {"member": "otto", "kind": "nuke", "reason": "x"}
        )
        assert wrong.status_code == 422
        missing = mod.call("post", "/moderation/actions/999/undo", {"reason": "x"})
        assert missing.status_code == 404
