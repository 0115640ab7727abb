"""Blocks in lineage (decision 0036): a member blocked by a record's author (or who blocked
them) cannot ask to remix their `ask` work; remix requests are rate-limited."""

import json
from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts import services as accounts
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import services
from riffhouse.lineage.models import RemixRequest
from riffhouse.records.hooks import SourceSpec
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def post_record(user: Any, sources: list[int]) -> Any:
    client = ApiClient(token=accounts.api_token_create(user=user, name="t").raw)
    data = {
        "kind": "text",
        "title": "A remix",
        "body": "New words.",
        "sources": json.dumps(sources),
    }
    return client.post("/api/v1/records", data, headers={"Authorization": f"Bearer {client.token}"})


@pytest.mark.parametrize("direction", ["author_blocked_remixer", "remixer_blocked_author"])
def test_a_block_stops_asking_to_remix(ana: Any, bo: Any, work: Any, direction: str) -> None:
    song = work(ana, remix_policy="ask")
    if direction == "author_blocked_remixer":
        accounts.block_add(blocker=ana, blocked=bo)
    else:
        accounts.block_add(blocker=bo, blocked=ana)
    response = post_record(bo, [song.pk])
    assert response.status_code == 403
    assert response.json()["code"] == "blocked"
    assert not Record.objects.filter(author=bo).exists()
    assert not RemixRequest.objects.exists()


def test_asking_for_an_existing_remix_is_refused(ana: Any, bo: Any, work: Any) -> None:
    song = work(ana, remix_policy="ask")
    mine = work(bo, "My draft")
    accounts.block_add(blocker=ana, blocked=bo)
    with pytest.raises(ApplicationError) as refused:
        services.remix_request_create(actor=bo, source_id=song.pk, remix_id=mine.pk)
    assert (refused.value.status, refused.value.code) == (403, "blocked")


def test_an_open_record_is_still_remixable(ana: Any, bo: Any, work: Any) -> None:
    # A block stops contact; an open record asks for none.
    song = work(ana)
    accounts.block_add(blocker=ana, blocked=bo)
    assert post_record(bo, [song.pk]).status_code == 201


def test_remix_requests_are_rate_limited(settings: Any, ana: Any, bo: Any, work: Any) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "remix_request": (1, 3600)}
    first, second = work(ana, "One", remix_policy="ask"), work(ana, "Two", remix_policy="ask")
    services.remix_create(
        author=bo, sources=[SourceSpec(record_id=first.pk)], kind="text", title="R", body="x"
    )
    response = post_record(bo, [second.pk])
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited" and int(response["Retry-After"]) > 0
    assert RemixRequest.objects.count() == 1
