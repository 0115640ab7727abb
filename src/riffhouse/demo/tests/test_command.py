"""`riffhouse demo` builds members, their work, remix chains across kinds, productions in
each state (a released episode, an open call and an anthology being curated) and a living
community: follows, hearts, comment threads and the notifications they make."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.community.feeds import selectors as feeds
from riffhouse.community.models import (
    Comment,
    CommentRevision,
    Follow,
    MemberStats,
    Mention,
    Notification,
    ProductionStats,
    RecordStats,
)
from riffhouse.community.selectors import notification_unread_count
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.selectors import record_ancestors
from riffhouse.productions.models import (
    Production,
    ProductionCredit,
    Segment,
    SegmentCredit,
    Submission,
)
from riffhouse.records.models import Record
from riffhouse.records.selectors import record_feed
from riffhouse.search.selectors import search


@pytest.mark.django_db
def test_the_demo_has_remix_chains_a_pending_request_closed_work_and_unique_titles(
    settings, tmp_path
):
    # One run of the demo (it takes a while) checks its records here and its productions
    # in `_check_productions`.
    settings.DATA_DIR = tmp_path
    call_command("demo")
    _check_productions()
    _check_community()
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


def _producers(production: Production) -> list[str]:
    return [p.user.username for p in production.producers.select_related("user")]


def _check_productions() -> None:
    # Space: an official episode, released from a lineup of video, music, art and a poem
    # around its producer's title card, within its fairness rules.
    space = Production.objects.get(theme="Space")
    assert (space.kind, space.status, space.official) == ("episode", "released", True)
    assert space.is_released and _producers(space) == ["juno"]
    assert space.cover is not None and space.cover.path
    assert space.needs.count() == 4
    segments = list(Segment.objects.filter(production=space).select_related("record__author"))
    pieces = {s.record.kind for s in segments if s.kind == "piece"}
    assert pieces == {"video", "audio", "image", "text"}
    (link,) = [s for s in segments if s.kind == "link"]
    assert link.record.author.username == "juno"
    assert 45_000 <= sum(s.duration_ms for s in segments) <= 120_000
    report = space.released_report
    assert report["passes"] and len(report["rules"]) == 3
    # Credits reach up the remix chain: Launch Window stands on Far Side of the Nebula, which
    # stands on Night Shift at the Observatory, so its segment credits all three authors.
    launch = next(s for s in segments if s.record.title == "Launch Window")
    chain = set(
        SegmentCredit.objects.filter(segment=launch).values_list("user__username", flat=True)
    )
    assert chain == {"orion", "ada", "mira"}
    credited = set(
        ProductionCredit.objects.filter(production=space).values_list("user__username", flat=True)
    )
    assert {"mira", "orion", "ada", "juno"} <= credited
    decided = Submission.objects.filter(production=space, status="declined")
    assert decided.exists() and all(s.note for s in decided)
    client = Client()
    page = client.get(space.get_absolute_url())
    assert page.status_code == 200 and "Night Shift at the Observatory" in page.text
    assert client.get(f"/productions/{space.pk}/credits/").status_code == 200

    # Fantasy: open for submissions until a future deadline, a need seeded with a story,
    # fresh submissions from several members, one waiting for its author's consent.
    fantasy = Production.objects.get(theme="Fantasy")
    assert (fantasy.kind, fantasy.status, _producers(fantasy)) == ("anthology", "open", ["sable"])
    assert fantasy.submission_deadline is not None
    assert fantasy.submission_deadline > timezone.now()
    assert fantasy.needs.filter(seed__title="The Cartographer's Last Map").exists()
    fresh = Submission.objects.filter(production=fantasy)
    assert fresh.count() >= 4 and set(fresh.values_list("status", flat=True)) == {"submitted"}
    assert (
        fresh.exclude(submitted_by__username="sable").values("submitted_by").distinct().count() >= 3
    )
    assert fresh.filter(consent="asked").count() == 1

    # Games: being curated, its submissions decided every way, a lineup started.
    games = Production.objects.get(theme="Games")
    assert (games.kind, games.status, _producers(games)) == ("anthology", "curating", ["tomas"])
    states = set(Submission.objects.filter(production=games).values_list("status", flat=True))
    assert {"selected", "shortlisted", "declined"} <= states
    assert Submission.objects.get(production=games, status="declined").note
    assert games.lineup_version >= 1 and Segment.objects.filter(production=games).count() >= 2
    assert not games.is_released


def _check_community() -> None:
    members = {u.username: u for u in User.objects.all()}
    mira, orion, sable = members["mira"], members["orion"], members["sable"]
    space = Production.objects.get(theme="Space")

    # Follows among the six, and of the productions, with their counts.
    assert Follow.objects.filter(user__isnull=False).count() == 21
    assert Follow.objects.filter(follower=mira, user=sable).exists()
    assert MemberStats.objects.get(user=sable).followers == 5
    assert Follow.objects.filter(production=space).count() == 3
    assert ProductionStats.objects.get(production=space).followers == 3

    # Hearts, varied, counted exactly.
    poem = Record.objects.get(title="Night Shift at the Observatory")
    hearts = dict(RecordStats.objects.values_list("record__title", "hearts"))
    assert hearts["Night Shift at the Observatory"] == 5
    assert hearts["Lydian Drift"] == 4
    assert hearts["Level 1-1"] == 1
    assert ProductionStats.objects.get(production=space).hearts == 5

    # A thread on the poem: Orion's comment, pinned by Mira, with her reply mentioning him.
    pinned = Comment.objects.get(pinned_at__isnull=False)
    assert (pinned.record, pinned.author, pinned.root_id) == (poem, orion, None)
    reply = Comment.objects.get(parent=pinned, author=mira)
    assert Mention.objects.filter(comment=reply, user=orion).exists()
    assert f'href="{orion.get_absolute_url()}"' in reply.body_html  # linked to his profile
    assert RecordStats.objects.get(record=poem).comments == 4
    # Comments on the released episode and on one of its segments; one comment edited.
    assert Comment.objects.filter(production=space, segment_number__isnull=True).count() == 2
    assert Comment.objects.filter(production=space, segment_number__isnull=False).exists()
    edited = Comment.objects.get(edited_at__isnull=False)
    assert "The Cartographer's Waltz" in edited.body
    assert CommentRevision.objects.filter(comment=edited).exists()

    # The notifications those make, delivered and unread.
    told = Notification.objects.filter(recipient=orion, comment=reply, verb="mentioned")
    assert told.count() == 1
    verbs = set(Notification.objects.filter(recipient=mira).values_list("verb", flat=True))
    assert {"followed", "commented", "mentioned"} <= verbs
    assert Notification.objects.filter(recipient=orion, verb="replied").exists()
    assert notification_unread_count(user=mira) >= 10

    # Trending, search and a member's home feed are not empty.
    trending = [item.record.title for item in feeds.trending().items if item.record]
    assert trending[0] == "Night Shift at the Observatory"
    found = search(viewer=AnonymousUser(), q="observatory").items
    assert poem in found
    assert sable in search(viewer=AnonymousUser(), q="Sable", type="members").items
    feed = feeds.home_feed(viewer=mira).items
    assert any(i.record is not None and i.record.author == sable for i in feed)

    # What a newcomer logging in as Mira sees: the badge's count, her notifications.
    client = Client()
    client.force_login(mira)
    badge = client.get("/notifications/badge/")
    assert str(notification_unread_count(user=mira)) in badge.text
    page = client.get("/notifications/")
    assert page.status_code == 200 and "Orion Vale" in page.text
    thread = client.get(f"/records/{poem.pk}/comments/")  # the record page loads it
    assert "Pinned" in thread.text and "Lydian chord" in thread.text
