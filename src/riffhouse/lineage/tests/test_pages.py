"""Lineage in the browser's pages: the record page's panel, the remix form, sources, the
requests page, the tree, credits, the JSON-LD export and discovery filters."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestRecordPage:
    def test_shows_built_on_built_upon_by_and_credits(self, client, ana, bo, cy, work, remix):
        song = work(ana, title="Moon song")
        video = remix(bo, (song, "melody"), title="Moon video")
        remix(cy, video, title="Moon poster")
        page = client.get(video.get_absolute_url()).content.decode()
        assert "Built on" in page and "Moon song" in page and "melody" in page
        assert "Built upon by" in page and "Moon poster" in page
        credits = page[page.index("credit-list") :]
        assert credits.index("bodhi") < credits.index("ana")  # the author first

    def test_remix_button_follows_the_policy(self, client, ana, bo, work):
        client.force_login(bo)
        assert (
            "data-remix-button>Remix<" in client.get(work(ana).get_absolute_url()).content.decode()
        )
        asks = client.get(work(ana, "Asks", remix_policy="ask").get_absolute_url()).content.decode()
        assert "Ask to remix" in asks
        closed = client.get(
            work(ana, "Closed", remix_policy="closed").get_absolute_url()
        ).content.decode()
        assert "data-remix-button" not in closed and "closed to remixes" in closed

    def test_the_remix_form_says_who_will_see_the_draft(self, client, ana, bo, work):
        client.force_login(bo)
        asks = work(ana, "Asks", remix_policy="ask")
        page = client.get(f"/records/{asks.pk}/remix/").content.decode()
        assert "While they decide, they see your draft" in page
        assert (
            "they see your draft"
            not in client.get(f"/records/{work(ana).pk}/remix/").content.decode()
        )

    def test_a_removed_source_keeps_its_credit(self, client, ana, bo, work, remix):
        song = work(ana)
        video = remix(bo, song)
        records.record_delete(actor=ana, record=song)
        page = client.get(video.get_absolute_url()).content.decode()
        assert "Source removed by its author" in page
        assert "Moon song" not in page
        assert ">ana<" in page  # still credited

    def test_a_bounded_number_of_queries(self, client, ana, bo, cy, work, remix):
        def queries(record: Record) -> int:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(record.get_absolute_url()).status_code == 200
            return len(captured)

        small_source, big_source = work(ana, "Small"), work(ana, "Big")
        small = remix(bo, small_source, title="Small remix")
        remix(cy, small, title="one")
        chain = big_source
        for i in range(6):
            chain = remix(bo if i % 2 else cy, (chain, f"part {i}"), title=f"Link {i}")
        for i in range(8):
            remix(cy, chain, title=f"Leaf {i}")
        assert queries(small) == queries(chain)


class TestRemixForm:
    def test_opens_with_the_source_filled_in_and_creates_the_remix(self, ana, bo, work):
        song = work(ana, licence="cc-by-sa")
        client = logged_in(bo)
        page = client.get(f"/records/{song.pk}/remix/").content.decode()
        assert f'value="{song.pk}"' in page
        assert '<option value="cc-by-sa" selected>' in page
        response = client.post(
            f"/records/{song.pk}/remix/",
            {
                "sources-TOTAL_FORMS": "2",
                "sources-INITIAL_FORMS": "0",
                "sources-0-record": str(song.pk),
                "sources-0-usage": "lyrics",
                "sources-1-record": "",
                "title": "Moon video",
                "body": "Frames of the moon.",
                "licence": "cc-by-sa",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        remix = Record.objects.get(title="Moon video")
        assert response.status_code == 302 and response["Location"] == remix.get_absolute_url()
        assert SourceLink.objects.get(record=remix).usage == "lyrics"

    def test_a_second_source_given_by_its_address(self, ana, bo, cy, work):
        song, poem = work(ana), work(cy, "Poem")
        response = logged_in(bo).post(
            f"/records/{song.pk}/remix/",
            {
                "sources-TOTAL_FORMS": "2",
                "sources-INITIAL_FORMS": "0",
                "sources-0-record": str(song.pk),
                "sources-1-record": f"http://testserver/records/{poem.pk}/",
                "sources-1-usage": "words",
                "title": "Both",
                "body": "Both.",
                "licence": "riffhouse",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert response.status_code == 302
        assert SourceLink.objects.filter(record__title="Both").count() == 2

    def test_a_refusal_is_shown_on_the_form(self, ana, bo, work):
        song = work(ana, licence="cc-by-nc")
        response = logged_in(bo).post(
            f"/records/{song.pk}/remix/",
            {
                "sources-TOTAL_FORMS": "1",
                "sources-INITIAL_FORMS": "0",
                "sources-0-record": str(song.pk),
                "title": "Mine",
                "body": "Words.",
                "licence": "cc0",
                "remix_policy": "open",
                "visibility": "published",
            },
        )
        assert response.status_code == 400
        assert "cannot be released under CC0" in response.content.decode()
        assert not Record.objects.filter(title="Mine").exists()

    def test_closed_work_has_no_remix_form(self, ana, bo, work):
        response = logged_in(bo).get(f"/records/{work(ana, remix_policy='closed').pk}/remix/")
        assert response.status_code == 403
        assert "closed to remixes" in response.content.decode()

    def test_the_form_needs_a_member(self, client, ana, work):
        response = client.get(f"/records/{work(ana).pk}/remix/")
        assert response.status_code == 302 and "/accounts/log-in/" in response["Location"]


class TestSourcesPage:
    def test_the_author_edits_sources(self, ana, bo, work, remix):
        song, poem = work(ana), work(ana, "Poem")
        video = remix(bo, song)
        client = logged_in(bo)
        page = client.get(f"/records/{video.pk}/sources/").content.decode()
        assert f'value="{song.pk}"' in page
        response = client.post(
            f"/records/{video.pk}/sources/",
            {
                "sources-TOTAL_FORMS": "2",
                "sources-INITIAL_FORMS": "1",
                "sources-0-record": str(song.pk),
                "sources-0-version": "1",
                "sources-0-DELETE": "on",
                "sources-1-record": str(poem.pk),
                "sources-1-usage": "words",
            },
        )
        assert response.status_code == 302
        assert list(SourceLink.objects.filter(record=video).values_list("source", flat=True)) == [
            poem.pk
        ]

    def test_a_cycle_is_explained(self, ana, bo, work, remix):
        song = work(ana)
        video = remix(bo, song)
        response = logged_in(ana).post(
            f"/records/{song.pk}/sources/",
            {
                "sources-TOTAL_FORMS": "1",
                "sources-INITIAL_FORMS": "0",
                "sources-0-record": str(video.pk),
            },
        )
        assert response.status_code == 400
        assert "would make a loop" in response.content.decode()

    def test_only_the_author(self, ana, bo, work):
        assert logged_in(bo).get(f"/records/{work(ana).pk}/sources/").status_code == 404


class TestRequestsPage:
    def test_approve_from_the_page(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"), message="Can I animate it?")
        request = RemixRequest.objects.get(remix=video)
        client = logged_in(ana)
        page = client.get("/remix-requests/").content.decode()
        assert "Can I animate it?" in page and f"/remix-requests/{request.pk}/approve/" in page
        response = client.post(f"/remix-requests/{request.pk}/approve/", {"note": "Yes!"})
        assert response.status_code == 302
        video.refresh_from_db()
        assert video.is_public
        waiting = logged_in(bo).get(video.get_absolute_url()).content.decode()
        assert "Approved." in waiting and "Yes!" in waiting

    def test_someone_else_cannot_decide(self, ana, bo, cy, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        assert logged_in(cy).post(f"/remix-requests/{request.pk}/approve/").status_code == 404
        assert logged_in(bo).post(f"/remix-requests/{request.pk}/approve/").status_code == 403
        request.refresh_from_db()
        assert request.status == "pending"

    def test_the_remixer_sees_why_it_waits(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        page = logged_in(bo).get(video.get_absolute_url()).content.decode()
        assert "Waiting for approval." in page


class TestTreeCreditsExport:
    def test_tree_page_lists_both_directions(self, client, ana, bo, cy, work, remix):
        root = work(ana, title="Root")
        middle = remix(bo, root, title="Middle")
        remix(cy, middle, title="Leaf")
        page = client.get(f"/records/{middle.pk}/lineage/").content.decode()
        assert "Root" in page and "Leaf" in page

    def test_credits_page(self, client, ana, bo, work, remix):
        video = remix(bo, (work(ana), "melody"))
        page = client.get(f"/records/{video.pk}/credits/").content.decode()
        assert "melody" in page and "direct source" in page

    def test_jsonld_uses_schema_org_and_prov(self, client, ana, bo, work, remix):
        song = work(ana)
        video = remix(bo, (song, "melody"))
        response = client.get(f"/records/{video.pk}/lineage.jsonld")
        assert response["Content-Type"] == "application/ld+json"
        doc = json.loads(response.content)
        assert doc["@context"]["prov"] == "http://www.w3.org/ns/prov#"
        nodes = {node["@id"]: node for node in doc["@graph"]}
        this = nodes[f"http://testserver/records/{video.pk}/"]
        assert this["isBasedOn"] == [{"@id": f"http://testserver/records/{song.pk}/"}]
        [derived] = this["prov:wasDerivedFrom"]
        assert (derived["version"], derived["description"]) == (1, "melody")
        assert nodes[f"http://testserver/records/{song.pk}/"]["author"]["name"] == "ana"


class TestDiscovery:
    def test_filters(self, client, ana, bo, work, remix):
        popular = work(ana, "Popular")
        lonely = work(ana, "Lonely", remix_policy="closed")
        remix(bo, popular, title="Remix one")
        remix(bo, popular, title="Remix two")

        def titles(query: str) -> list[str]:
            page = client.get(f"/records/?{query}").content.decode()
            return [t for t in ("Popular", "Lonely", "Remix one") if f">{t}<" in page]

        assert titles("show=never_remixed") == ["Lonely", "Remix one"]
        assert "Lonely" not in titles("show=remixable")
        body = client.get("/records/?show=most_remixed").content.decode()
        assert body.index(">Popular<") < body.index(">Lonely<")
        api = client.get("/api/v1/records?sort=most_remixed&limit=1").json()
        assert api["items"][0]["id"] == popular.pk and api["items"][0]["remix_count"] == 2
        more = client.get(f"/api/v1/records?sort=most_remixed&limit=1&cursor={api['next_cursor']}")
        assert more.json()["items"][0]["id"] != popular.pk
        assert lonely.pk in [
            r["id"] for r in client.get("/api/v1/records?never_remixed=true").json()["items"]
        ]
        bad = client.get("/api/v1/records?sort=loudest")
        assert bad.status_code == 400 and bad.json()["code"] == "invalid_sort"
