"""`riffhouse demo` builds members, their work, and remix chains across kinds."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.selectors import record_ancestors
from riffhouse.records.models import Record
from riffhouse.records.selectors import record_feed


@pytest.mark.django_db
def test_the_demo_has_remix_chains_a_pending_request_closed_work_and_unique_titles(
    settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    call_command("demo")
    launch = Record.objects.get(title="Launch Window", kind="video")
    chain = [Record.objects.get(pk=r.id) for r in record_ancestors(record_id=launch.pk)]
    assert [(r.title, r.kind) for r in chain] == [
        ("Far Side of the Nebula", "image"),
        ("Night Shift at the Observatory", "text"),
    ]
    kinds = set(SourceLink.objects.values_list("source__kind", "record__kind"))
    assert {("text", "image"), ("image", "video"), ("text", "audio")} <= kinds
    waiting = RemixRequest.objects.get(status="pending")
    assert (waiting.source.remix_policy, waiting.remix.visibility) == ("ask", "draft")
    assert Record.objects.filter(remix_policy="closed").exists()
    poem = Record.objects.get(title="Night Shift at the Observatory")
    assert poem.remix_count == 2

    # Every title its own, and music showing each kind of cover.
    titles = list(Record.objects.values_list("title", flat=True))
    assert sorted(titles) == sorted(set(titles)), "every demo record has its own title"
    music = record_feed(viewer=AnonymousUser(), kind="audio", limit=100).items
    origins = {record.title: record.cover_art.origin for record in music}
    assert origins["Lydian Drift"] == "author"
    assert origins["Orchard at Dusk"] == "source"  # a remix of a picture
    assert list(origins.values()).count("generated") >= 2
