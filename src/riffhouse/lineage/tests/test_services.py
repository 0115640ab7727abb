"""Remixing: the consent, licence, visibility and graph rules, each refused with a clear
reason and nothing saved."""

import pytest

from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import selectors, services
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.services import SourceSpec
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def refused(call, *args, **kwargs) -> ApplicationError:
    """The refusal `call` raises; asserts that no record, link or request was saved."""
    before = (Record.objects.count(), SourceLink.objects.count(), RemixRequest.objects.count())
    with pytest.raises(ApplicationError) as caught:
        call(*args, **kwargs)
    after = (Record.objects.count(), SourceLink.objects.count(), RemixRequest.objects.count())
    assert after == before
    return caught.value


def create(author, *specs, **fields):
    fields.setdefault("kind", "text")
    fields.setdefault("title", "A remix")
    fields.setdefault("body", "New words.")
    return services.remix_create(author=author, sources=list(specs), **fields)


class TestRemixOpenWork:
    def test_links_the_exact_version_with_its_usage_and_counts_it(self, ana, bo, work, remix):
        song = work(ana)
        video = remix(bo, (song, "melody"))
        link = SourceLink.objects.get(record=video)
        assert (link.source_id, link.source_version_id, link.usage) == (
            song.pk,
            song.live_version_id,
            "melody",
        )
        song.refresh_from_db()
        assert song.remix_count == 1
        assert video.is_public

    def test_keeps_pointing_at_the_version_used_after_the_source_changes(
        self, ana, bo, work, remix
    ):
        song = work(ana)
        video = remix(bo, song)
        records.record_update(actor=ana, record=song, body="A second verse.")
        song.refresh_from_db()
        [row] = selectors.record_sources(viewer=bo, record=video)
        assert row.link.source_version.number == 1
        assert row.newer is not None and row.newer.number == 2

    def test_sources_of_any_kind_and_several_at_once(self, ana, bo, cy, work, make_record, remix):
        poem = work(ana, "Harbour poem")
        picture = make_record("image", author=cy, title="Harbour at night")
        story = remix(bo, (poem, "words"), (picture, "setting"))
        assert list(SourceLink.objects.filter(record=story).values_list("source_id", "usage")) == [
            (poem.pk, "words"),
            (picture.pk, "setting"),
        ]

    def test_proposes_the_most_open_licence_the_sources_allow(self, ana, bo, work, remix):
        song = work(ana, licence="cc-by-sa")
        assert remix(bo, song).licence == "cc-by-sa"
        assert remix(bo, work(ana, "Free", licence="cc0"), title="B").licence == "cc0"

    def test_an_author_may_build_on_their_own_closed_work(self, ana, work, remix):
        song = work(ana, remix_policy="closed")
        assert remix(ana, song).is_public


class TestRefusals:
    def test_closed_work(self, ana, bo, work):
        song = work(ana, remix_policy="closed")
        error = refused(create, bo, SourceSpec(song.pk))
        assert (error.status, error.code) == (403, "remix_closed")
        assert "closed to remixes" in error.detail

    def test_someone_elses_draft_is_as_if_it_did_not_exist(self, ana, bo, work):
        draft = work(ana, visibility="draft")
        error = refused(create, bo, SourceSpec(draft.pk))
        assert (error.status, error.code) == (404, "source_not_found")
        missing = refused(create, bo, SourceSpec(draft.pk + 1000))
        assert (missing.code, missing.detail.replace(str(draft.pk + 1000), "N")) == (
            error.code,
            error.detail.replace(str(draft.pk), "N"),
        )

    def test_deleted_work(self, ana, bo, work):
        song = work(ana)
        records.record_delete(actor=ana, record=song)
        error = refused(create, bo, SourceSpec(song.pk))
        assert (error.status, error.code) == (410, "source_deleted")

    def test_the_same_source_twice(self, ana, bo, work):
        song = work(ana)
        error = refused(create, bo, SourceSpec(song.pk), SourceSpec(song.pk, usage="again"))
        assert error.code == "duplicate_source"

    def test_a_record_as_its_own_source(self, ana, work, remix):
        song = work(ana)
        error = refused(
            services.record_sources_set, actor=ana, record=song, sources=[SourceSpec(song.pk)]
        )
        assert error.code == "self_source"

    def test_a_licence_a_source_does_not_allow(self, ana, bo, work):
        song = work(ana, licence="cc-by-nc")
        error = refused(create, bo, SourceSpec(song.pk), licence="cc-by")
        assert error.code == "incompatible_licence"
        assert "CC BY-NC 4.0" in error.detail

    def test_sources_whose_licences_cannot_combine(self, ana, bo, cy, work):
        a, b = work(ana, licence="cc-by-sa"), work(cy, "Other", licence="cc-by-nc")
        error = refused(create, bo, SourceSpec(a.pk), SourceSpec(b.pk))
        assert error.code == "incompatible_licences"

    def test_a_version_that_does_not_exist(self, ana, bo, work):
        song = work(ana)
        error = refused(create, bo, SourceSpec(song.pk, version=7))
        assert error.code == "source_version_not_found"

    def test_a_time_range_on_writing(self, ana, bo, work):
        song = work(ana)
        error = refused(create, bo, SourceSpec(song.pk, start_ms=0, end_ms=2000))
        assert error.code == "invalid_range"

    def test_too_long_a_usage_note(self, ana, bo, work):
        error = refused(create, bo, SourceSpec(work(ana).pk, usage="x" * 81))
        assert error.code == "usage_too_long"

    def test_a_cycle(self, ana, bo, cy, work, remix):
        first = work(ana)
        second = remix(bo, first)
        third = remix(cy, second)
        error = refused(
            services.record_sources_set, actor=ana, record=first, sources=[SourceSpec(third.pk)]
        )
        assert (error.status, error.code) == (409, "cycle")
        assert not SourceLink.objects.filter(record=first).exists()

    def test_someone_elses_record_sources(self, ana, bo, work, remix):
        song = work(ana)
        other = work(bo, "Other")
        with pytest.raises(ApplicationError) as caught:
            services.record_sources_set(actor=bo, record=song, sources=[SourceSpec(other.pk)])
        assert caught.value.status == 403


class TestAskFirst:
    def test_the_remix_waits_as_a_draft_with_a_request(self, ana, bo, work, remix):
        song = work(ana, remix_policy="ask")
        video = remix(bo, song, message="I'd love to animate it.")
        request = RemixRequest.objects.get(remix=video)
        assert (request.status, request.owner, request.requester, request.message) == (
            "pending",
            ana,
            bo,
            "I'd love to animate it.",
        )
        assert video.visibility == "draft"
        song.refresh_from_db()
        assert song.remix_count == 0

    def test_cannot_be_published_before_approval(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        with pytest.raises(ApplicationError) as caught:
            records.record_update(actor=bo, record=video, visibility="published")
        assert (caught.value.status, caught.value.code) == (409, "awaiting_approval")
        video.refresh_from_db()
        assert video.visibility == "draft"

    def test_approval_publishes_and_counts_it(self, ana, bo, work, remix):
        song = work(ana, remix_policy="ask")
        video = remix(bo, song)
        request = RemixRequest.objects.get(remix=video)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=True, note="Go!")
        video.refresh_from_db()
        song.refresh_from_db()
        assert video.is_public and song.remix_count == 1
        request.refresh_from_db()
        assert (request.status, request.response_note) == ("approved", "Go!")

    def test_a_remix_saved_as_a_draft_stays_one_on_approval(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"), visibility="draft")
        request = RemixRequest.objects.get(remix=video)
        assert not request.publish_on_approval
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=True)
        video.refresh_from_db()
        assert video.visibility == "draft"
        records.record_update(actor=bo, record=video, visibility="published")  # now allowed

    def test_decline_keeps_it_a_draft(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=False, note="No")
        video.refresh_from_db()
        assert video.visibility == "draft"
        with pytest.raises(ApplicationError):
            records.record_update(actor=bo, record=video, visibility="published")

    def test_only_the_source_author_answers(self, ana, bo, cy, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        with pytest.raises(ApplicationError) as requester:
            services.remix_request_decide(actor=bo, request_id=request.pk, approve=True)
        assert requester.value.status == 403
        with pytest.raises(ApplicationError) as stranger:
            services.remix_request_decide(actor=cy, request_id=request.pk, approve=True)
        assert stranger.value.status == 404
        request.refresh_from_db()
        assert request.status == "pending"

    def test_answering_twice(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=False)
        with pytest.raises(ApplicationError) as caught:
            services.remix_request_decide(actor=ana, request_id=request.pk, approve=True)
        assert (caught.value.status, caught.value.code) == (409, "already_decided")

    def test_all_rights_reserved_asks_even_when_open(self, ana, bo, work, remix):
        song = work(ana, licence="arr", remix_policy="open")
        video = remix(bo, song)
        assert video.visibility == "draft"
        assert RemixRequest.objects.filter(remix=video, status="pending").exists()

    def test_removing_the_source_is_refused_while_asked(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        with pytest.raises(ApplicationError) as caught:
            services.record_sources_set(actor=bo, record=video, sources=[])
        assert (caught.value.status, caught.value.code) == (409, "requested_source_kept")
        assert RemixRequest.objects.get(remix=video).status == "pending"
        with pytest.raises(ApplicationError):
            records.record_update(actor=bo, record=video, visibility="published")

    def test_adding_an_ask_source_to_published_work_makes_it_a_draft(self, ana, bo, work):
        mine = work(bo, "Mine")
        song = work(ana, remix_policy="ask")
        services.record_sources_set(actor=bo, record=mine, sources=[SourceSpec(song.pk)])
        mine.refresh_from_db()
        assert mine.visibility == "draft"
        request = RemixRequest.objects.get(remix=mine)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=True)
        mine.refresh_from_db()
        assert mine.visibility == "published"

    def test_asking_again_after_a_decline(self, ana, bo, work, remix):
        song = work(ana, remix_policy="ask")
        video = remix(bo, song)
        request = RemixRequest.objects.get(remix=video)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=False)
        again = services.remix_request_create(
            actor=bo, source_id=song.pk, remix_id=video.pk, message="Shorter now."
        )
        assert (again.pk, again.status, again.message) == (request.pk, "pending", "Shorter now.")

    def test_no_need_to_ask_open_work(self, ana, bo, work):
        song, mine = work(ana), work(bo, "Mine")
        with pytest.raises(ApplicationError) as caught:
            services.remix_request_create(actor=bo, source_id=song.pk, remix_id=mine.pk)
        assert caught.value.code == "no_permission_needed"


class TestCounts:
    def test_count_published_remixes_only_and_keep_tombstones(self, ana, bo, cy, work, remix):
        song = work(ana)
        first = remix(bo, song)
        remix(cy, song, visibility="draft")

        def count() -> int:
            song.refresh_from_db()
            return song.remix_count

        assert count() == 1
        records.record_delete(actor=bo, record=first)
        assert count() == 1  # a tombstone stays in the graph
        second = remix(cy, song, title="Second")
        assert count() == 2
        records.record_update(actor=cy, record=second, visibility="draft")
        assert count() == 1
        with pytest.raises(ApplicationError):  # a deleted record's sources stay as they were
            services.record_sources_set(actor=bo, record=first, sources=[])
        assert count() == 1

    def test_editing_sources_recounts_both_sides(self, ana, bo, cy, work, remix):
        song, poem = work(ana), work(cy, "Poem")
        video = remix(bo, song)
        services.record_sources_set(actor=bo, record=video, sources=[SourceSpec(poem.pk)])
        song.refresh_from_db()
        poem.refresh_from_db()
        assert (song.remix_count, poem.remix_count) == (0, 1)


class TestHooks:
    """What community's notifications rely on: one call of lineage's hooks per event, none
    for your own work."""

    @pytest.fixture
    def sent(self):
        from riffhouse.lineage import hooks

        events: list[tuple[str, object]] = []

        def created(*, link):
            events.append(("created", link.source_id))

        def requested(*, request, base_url=None):
            events.append(("requested", request.source_id))

        def decided(*, request):
            events.append(("decided", request.status))

        with (
            hooks.after_remix_created.registered(created),
            hooks.after_remix_requested.registered(requested),
            hooks.after_remix_request_decided.registered(decided),
        ):
            yield events

    def test_a_published_remix_tells_each_other_author_once(self, sent, ana, bo, work, remix):
        song, mine = work(ana), work(bo, "Mine")
        remix(bo, song, mine)
        assert sent == [("created", song.pk)]

    def test_a_draft_tells_on_publication(self, sent, ana, bo, work, remix):
        song = work(ana)
        draft = remix(bo, song, visibility="draft")
        assert sent == []
        records.record_update(actor=bo, record=draft, visibility="published")
        assert sent == [("created", song.pk)]

    def test_asking_then_approving(self, sent, ana, bo, work, remix):
        song = work(ana, remix_policy="ask")
        video = remix(bo, song)
        request = RemixRequest.objects.get(remix=video)
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=True)
        assert sent == [("requested", song.pk), ("decided", "approved")]
