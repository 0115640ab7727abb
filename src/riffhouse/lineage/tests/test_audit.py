"""Lineage's important writes leave audit rows through accounts' `audit` service, in the
write's transaction: a remix created, its sources edited, a remix request decided."""

import pytest

from riffhouse.accounts.models import AuditEvent
from riffhouse.lineage import services
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.services import SourceSpec

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


def audited(action: str) -> list[tuple[str, str, int | None, dict]]:
    return [
        (e.actor.username, e.target_type, e.target_id, e.data)
        for e in AuditEvent.objects.filter(action=action).select_related("actor").order_by("pk")
    ]


def test_a_remix_and_its_source_edits(ana, bo, work, remix) -> None:
    song, poem = work(ana), work(ana, "Poem")
    video = remix(bo, song)
    [(actor, kind, target, data)] = audited(A.REMIX_CREATED)
    assert (actor, kind, target, data["sources"]) == (
        "bodhi",
        "records.record",
        video.pk,
        [song.pk],
    )
    assert ("bodhi", "records.record", video.pk) == audited(A.RECORD_CREATED)[-1][:3]
    services.record_sources_set(actor=bo, record=video, sources=[SourceSpec(poem.pk)])
    [(actor, kind, target, data)] = audited(A.SOURCES_CHANGED)
    assert (actor, kind, target) == ("bodhi", "records.record", video.pk)
    assert (data["added"], data["removed"]) == ([poem.pk], [song.pk])


@pytest.mark.parametrize("approve", [True, False])
def test_a_request_decision(ana, bo, work, remix, approve) -> None:
    video = remix(bo, work(ana, remix_policy="ask"))
    request = RemixRequest.objects.get(remix=video)
    services.remix_request_decide(actor=ana, request_id=request.pk, approve=approve)
    action = A.REMIX_REQUEST_APPROVED if approve else A.REMIX_REQUEST_DECLINED
    [(actor, kind, target, _)] = audited(action)
    assert (actor, kind, target) == ("ana", "lineage.remixrequest", request.pk)
    assert AuditEvent.objects.get(action=action).subject == bo
