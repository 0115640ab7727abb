"""A suspended member reads, logs out and appeals; every other change is refused with 403
`suspended`, on pages and in the API (core.middleware.SuspensionMiddleware and the API's
bearer authentication)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.moderation import services
from riffhouse.moderation.models import Appeal, ModerationAction
from riffhouse.moderation.services import TargetRef
from riffhouse.moderation.tests.conftest import client_for
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


@pytest.fixture
def suspension(moderator: User, offender: User) -> ModerationAction:
    return services.action_take(
        moderator=moderator,
        target=TargetRef("member", offender.pk),
        kind="suspend",
        reason="Spamming links",
        until=timezone.now() + timedelta(days=2),
    )


def test_pages_refuse_changes_but_not_reads(
    client: Client, offender: User, suspension: ModerationAction
) -> None:
    client.force_login(offender)
    home = client.get("/")
    assert home.status_code == 200 and "Your account is suspended" in home.content.decode()
    refused = client.post("/records/new/", {"kind": "text", "title": "x", "body": "y"})
    assert refused.status_code == 403
    assert "Spamming links" in refused.content.decode()
    assert not Record.objects.filter(author=offender).exists()
    refused = client.post("/settings/profile/", {"display_name": "New"})
    assert refused.status_code == 403


def test_the_appeal_and_logging_out_stay_open(
    client: Client, offender: User, suspension: ModerationAction
) -> None:
    client.force_login(offender)
    sent = client.post(f"/moderation/actions/{suspension.pk}/", {"text": "I was hacked"})
    assert sent.status_code == 302
    assert Appeal.objects.filter(action=suspension).exists()
    assert client.post("/accounts/log-out/").status_code == 302


def test_the_api_refuses_changes_with_json(
    offender: User, suspension: ModerationAction, their_record: Record
) -> None:
    api = client_for(offender)
    assert api.call("get", "/me").status_code == 200
    refused = api.call("patch", "/me", {"display_name": "Spammer"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "suspended"
    assert "Spamming links" in refused.json()["detail"]
    appealed = api.call("post", "/appeals", {"action": suspension.pk, "text": "Hacked"})
    assert appealed.status_code == 201


def test_the_api_over_a_session_is_refused_too(
    client: Client, offender: User, suspension: ModerationAction
) -> None:
    client.force_login(offender)
    refused = client.patch("/api/v1/me", '{"display_name": "x"}', content_type="application/json")
    assert refused.status_code == 403 and refused.json()["code"] == "suspended"


def test_a_lapsed_or_lifted_suspension_refuses_nothing(
    client: Client, moderator: User, offender: User, suspension: ModerationAction
) -> None:
    services.action_undo(moderator=moderator, action_id=suspension.pk, reason="Lifted")
    api = client_for(offender)
    assert api.call("patch", "/me", {"display_name": "Otto"}).status_code == 200
