"""The source picker: the search selector, its results fragment, and the licence field that
follows the chosen sources."""

import pytest
from django.test import Client

from riffhouse.lineage import rules, selectors
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def titles(found: list[selectors.SourceCandidate]) -> list[str]:
    return [c.record.title for c in found]


class TestSourceCandidates:
    def test_by_title_by_author_and_by_number(self, ana, bo, cy, work) -> None:
        ana.display_name = "Ana Lumen"
        ana.save()
        tide = work(ana, "Tide song")
        work(cy, "Harbour lights")
        assert titles(selectors.source_candidates(viewer=bo, query="tide")) == ["Tide song"]
        assert titles(selectors.source_candidates(viewer=bo, query="LUMEN")) == ["Tide song"]
        assert titles(selectors.source_candidates(viewer=bo, query="cyra")) == ["Harbour lights"]
        by_address = selectors.source_candidates(
            viewer=bo, query=f"https://riff.example/records/{tide.pk}/"
        )
        assert titles(by_address) == ["Tide song"]
        assert selectors.source_candidates(viewer=bo, query="   ") == []

    def test_only_what_the_viewer_may_build_on(self, ana, bo, work) -> None:
        work(ana, "Moon public")
        work(ana, "Moon draft", visibility="draft")
        gone = work(ana, "Moon gone")
        records.record_delete(actor=ana, record=gone)
        mine = work(bo, "Moon mine, a draft", visibility="draft")
        assert titles(selectors.source_candidates(viewer=bo, query="moon")) == [
            "Moon mine, a draft",
            "Moon public",
        ]
        assert titles(
            selectors.source_candidates(viewer=bo, query="moon", exclude_ids=[mine.pk])
        ) == ["Moon public"]

    def test_closed_records_are_marked_with_the_reason_and_ask_first_ones_flagged(
        self, ana, bo, work
    ) -> None:
        work(ana, "Song closed", remix_policy="closed")
        work(ana, "Song asks", remix_policy="ask")
        work(ana, "Song reserved", licence="arr")
        work(bo, "Song mine, closed", remix_policy="closed")
        found = {c.record.title: c for c in selectors.source_candidates(viewer=bo, query="song")}
        closed = found["Song closed"]
        assert not closed.available and "Closed to remixes" in closed.reason
        assert found["Song asks"].available and found["Song asks"].asks
        assert found["Song reserved"].asks  # its licence needs permission
        assert found["Song mine, closed"].available  # an author may build on their own

    def test_a_bounded_number_of_queries(
        self, ana, bo, work, make_record, django_assert_max_num_queries
    ) -> None:
        for i in range(12):
            work(ana, f"Wave {i}")
        make_record("image", author=ana, title="Wave picture")
        with django_assert_max_num_queries(2):
            found = selectors.source_candidates(viewer=bo, query="wave")
        assert len(found) == selectors.SOURCE_SEARCH_LIMIT
        assert found[0].record.title == "Wave picture" and found[0].thumbnail is not None
        with django_assert_max_num_queries(2):
            assert len(
                selectors.source_candidates_get(viewer=bo, record_ids=[c.record.pk for c in found])
            )


class TestSearchFragment:
    def test_results_with_their_terms_and_the_unavailable_ones(self, ana, bo, work) -> None:
        open_song = work(ana, "Tide song", licence="cc-by-sa")
        closed = work(ana, "Tide closed", remix_policy="closed")
        body = logged_in(bo).get("/sources/search/", {"q": "tide"}).content.decode()
        assert "2 records found" in body
        assert f'data-choose-source="{open_song.pk}"' in body and "CC BY-SA 4.0" in body
        assert f'name="sources-__prefix__-record" value="{open_song.pk}"' in body  # its card
        assert f'data-choose-source="{closed.pk}"' not in body
        assert "Closed to remixes: its author keeps it as it is." in body

    def test_chosen_and_excluded_records(self, ana, bo, work) -> None:
        chosen, edited = work(ana, "Tide one"), work(bo, "Tide two")
        body = (
            logged_in(bo)
            .get("/sources/search/", {"q": "tide", "chosen": chosen.pk, "exclude": edited.pk})
            .content.decode()
        )
        assert "Already one of your sources." in body and "Tide two" not in body

    def test_nothing_found_is_said(self, bo) -> None:
        body = logged_in(bo).get("/sources/search/", {"q": "zzz"}).content.decode()
        assert "No record you can build on matches “zzz”." in body

    @pytest.mark.parametrize("bad", [{"chosen": "x"}, {"exclude": "-1"}, {"chosen": "9" * 40}])
    def test_bad_ids_are_a_400(self, bo, bad) -> None:
        assert logged_in(bo).get("/sources/search/", {"q": "a", **bad}).status_code == 400

    def test_needs_a_member(self, client) -> None:
        assert client.get("/sources/search/", {"q": "a"}).status_code == 302


class TestLicenceFragment:
    def test_a_share_alike_source_narrows_the_choice_and_says_why(self, ana, bo, work) -> None:
        song = work(ana, "Harbour poem", licence="cc-by-sa")
        body = logged_in(bo).get("/sources/licences/", {"source": song.pk}).content.decode()
        assert '<option value="cc-by-sa" selected>' in body
        assert 'value="cc0"' not in body and 'value="cc-by"' not in body
        assert "Because “Harbour poem” is CC BY-SA 4.0, your remix must be shared alike" in body

    def test_no_source_offers_every_licence_and_keeps_the_choice(self, bo) -> None:
        body = logged_in(bo).get("/sources/licences/", {"licence": "cc-by-nc"}).content.decode()
        assert '<option value="cc-by-nc" selected>' in body and 'value="cc0"' in body

    def test_incompatible_sources_are_explained(self, ana, bo, work) -> None:
        a, b = work(ana, "A", licence="cc-by-sa"), work(ana, "B", licence="cc-by-nc")
        body = logged_in(bo).get("/sources/licences/", {"source": [a.pk, b.pk]}).content.decode()
        assert "These sources cannot be combined" in body

    def test_records_the_member_cannot_see_do_not_count(self, ana, bo, work) -> None:
        draft = work(ana, "Hidden", licence="cc-by-sa", visibility="draft")
        body = logged_in(bo).get("/sources/licences/", {"source": draft.pk}).content.decode()
        assert 'value="cc0"' in body and "Hidden" not in body

    @pytest.mark.parametrize(
        "bad", ["x", "1.5", "", "-3", "1" * 30, [str(i) for i in range(1, rules.MAX_SOURCES + 2)]]
    )
    def test_bad_ids_are_a_400_not_a_500(self, bo, bad) -> None:
        assert logged_in(bo).get("/sources/licences/", {"source": bad}).status_code == 400


class TestRemixFormWithThePicker:
    def test_the_source_is_a_card_and_the_licences_follow_it(self, ana, bo, work) -> None:
        song = work(ana, "Harbour poem", licence="cc-by-sa")
        page = logged_in(bo).get(f"/records/{song.pk}/remix/").content.decode()
        assert "data-source-card" in page and "Harbour poem" in page
        assert f'name="sources-0-record" value="{song.pk}"' in page
        assert 'value="cc0"' not in page and "your remix must be shared alike" in page
        assert "Record — its number or its address" in page  # the row without JavaScript

    def test_a_refused_source_keeps_the_form_whole(self, ana, bo, work) -> None:
        song, closed = work(ana), work(ana, "Closed", remix_policy="closed")
        response = logged_in(bo).post(
            f"/records/{song.pk}/remix/",
            {
                "sources-TOTAL_FORMS": "3",
                "sources-INITIAL_FORMS": "0",
                "sources-0-record": str(song.pk),
                # Row 1 was removed in the browser: it is simply not posted.
                "sources-2-record": str(closed.pk),
                "title": "Mine",
                "body": "Words.",
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert response.status_code == 403 or response.status_code == 400
        assert "closed to remixes" in response.content.decode()
        assert not Record.objects.filter(title="Mine").exists()


def test_licence_options_name_what_each_term_asks() -> None:
    def options(*licences: str) -> rules.LicenceOptions:
        return rules.licence_options(
            sources=[Record(title=f"S{i}", licence=code) for i, code in enumerate(licences)]
        )

    assert options().reason == "" and options().proposed == "cc0"
    assert options("cc0").reason == ""
    by = options("cc-by")
    assert by.proposed == "cc-by" and "cannot be given to the public domain" in by.reason
    nc_sa = options("cc-by-nc-sa", "cc-by-nc-sa")
    assert nc_sa.codes == ["cc-by-nc-sa"]
    assert nc_sa.reason == (
        "Because “S0” and “S1” are CC BY-NC-SA 4.0, your remix must be shared alike, "
        "under the same licence and stay non-commercial."
    )
    assert "needs its author’s permission" in options("arr").reason


def test_a_number_is_a_record_or_part_of_a_title(ana, bo, work) -> None:
    year = work(ana, "Summer of 1999")
    by_id = work(ana, "Plain")
    found = titles(selectors.source_candidates(viewer=bo, query="1999"))
    assert found == ["Summer of 1999"]
    # The record with that number first (the newest), then titles containing its digits.
    assert titles(selectors.source_candidates(viewer=bo, query=str(by_id.pk)))[0] == "Plain"
    assert titles(selectors.source_candidates(viewer=bo, query=f"/records/{year.pk}/")) == [
        "Summer of 1999"
    ]
