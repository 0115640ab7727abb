"""The lineage API: create and edit with sources, the graph, credits, requests."""

import json

import pytest
from conftest import ApiClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riffhouse.accounts import services as accounts
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def client_for(user) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=user, name="t").raw)


def post_record(client: ApiClient, sources=None, **data):
    data = {"kind": "text", "title": "A remix", "body": "New words.", **data}
    if sources is not None:
        data["sources"] = sources if isinstance(sources, str) else json.dumps(sources)
    return client.post("/api/v1/records", data, headers={"Authorization": f"Bearer {client.token}"})


class TestCreateWithSources:
    def test_links_and_answers_with_the_sources(self, ana, bo, work):
        song = work(ana, licence="cc-by-sa")
        response = post_record(client_for(bo), [{"record": song.pk, "usage": "melody"}])
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["licence"] == "cc-by-sa"  # proposed from the source
        [source] = body["sources"]
        assert (source["record"]["id"], source["version"], source["usage"]) == (
            song.pk,
            1,
            "melody",
        )
        assert source["record"]["author"]["username"] == "ana"

    def test_bare_ids_are_sources_too(self, ana, bo, work):
        song = work(ana)
        response = post_record(client_for(bo), [song.pk])
        assert response.status_code == 201
        assert SourceLink.objects.filter(source=song).count() == 1

    @pytest.mark.parametrize(
        ("sources", "code"),
        [
            ("not json", "invalid_sources"),
            ('{"record": 1}', "invalid_sources"),
            ('[{"usage": "x"}]', "invalid_sources"),
            ('[{"record": "abc"}]', "invalid_sources"),
            ('[{"record": 99999}]', "source_not_found"),
        ],
    )
    def test_malformed_sources_are_a_clear_4xx(self, bo, sources, code):
        response = post_record(client_for(bo), sources)
        assert 400 <= response.status_code < 500
        assert response.json()["code"] == code
        assert response.json()["field"] == "sources"
        assert not Record.objects.exists()

    def test_a_closed_source_is_refused_with_the_reason(self, ana, bo, work):
        song = work(ana, remix_policy="closed")
        response = post_record(client_for(bo), [song.pk])
        assert response.status_code == 403
        assert response.json()["code"] == "remix_closed"
        assert "closed to remixes" in response.json()["detail"]
        assert Record.objects.count() == 1

    def test_an_incompatible_licence(self, ana, bo, work):
        song = work(ana, licence="cc-by-nc")
        response = post_record(client_for(bo), [song.pk], licence="cc0")
        assert response.status_code == 400
        assert response.json()["code"] == "incompatible_licence"

    def test_an_ask_first_source_makes_a_draft_and_a_request(self, ana, bo, work):
        song = work(ana, remix_policy="ask")
        response = post_record(client_for(bo), [song.pk], message="May I?")
        assert response.status_code == 201
        body = response.json()
        assert body["visibility"] == "draft"
        [request] = body["remix_requests"]
        assert (request["status"], request["message"]) == ("pending", "May I?")


class TestEditSources:
    def test_patch_replaces_the_sources(self, ana, bo, work, remix):
        song, poem = work(ana), work(ana, "Poem")
        video = remix(bo, song)
        response = client_for(bo).call(
            "patch", f"/records/{video.pk}", {"sources": [{"record": poem.pk, "usage": "words"}]}
        )
        assert response.status_code == 200, response.content
        assert [s["record"]["id"] for s in response.json()["sources"]] == [poem.pk]

    def test_patch_refuses_a_cycle(self, ana, bo, work, remix):
        song = work(ana)
        video = remix(bo, song)
        response = client_for(ana).call(
            "patch", f"/records/{song.pk}", {"sources": [{"record": video.pk}], "title": "New"}
        )
        assert response.status_code == 409
        assert response.json()["code"] == "cycle"
        song.refresh_from_db()
        assert song.title == "Moon song"  # the whole edit is refused

    def test_patch_without_sources_keeps_them(self, ana, bo, work, remix):
        video = remix(bo, work(ana))
        response = client_for(bo).call("patch", f"/records/{video.pk}", {"title": "Renamed"})
        assert response.status_code == 200
        assert len(response.json()["sources"]) == 1

    def test_cannot_publish_while_waiting(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        response = client_for(bo).call("patch", f"/records/{video.pk}", {"visibility": "published"})
        assert response.status_code == 409
        assert response.json()["code"] == "awaiting_approval"


class TestGraph:
    def test_lineage_pages_up_and_down(self, api, ana, bo, cy, work, remix):
        root = work(ana)
        middle = remix(bo, (root, "melody"))
        leaves = [remix(cy, middle, title=f"Leaf {i}") for i in range(3)]
        up = api.call("get", f"/records/{leaves[0].pk}/lineage?direction=ancestors").json()
        assert [(n["id"], n["depth"], n["via"]) for n in up["items"]] == [
            (middle.pk, 1, [leaves[0].pk]),
            (root.pk, 2, [middle.pk]),
        ]
        assert up["items"][1]["usages"] == ["melody"]
        down = api.call("get", f"/records/{middle.pk}/lineage?direction=descendants&limit=2")
        page = down.json()
        assert [n["id"] for n in page["items"]] == [leaves[2].pk, leaves[1].pk]
        assert page["total"] == 3
        rest = api.call(
            "get",
            f"/records/{middle.pk}/lineage?direction=descendants&limit=2&cursor="
            + page["next_cursor"],
        ).json()
        assert [n["id"] for n in rest["items"]] == [leaves[0].pk]
        assert rest["next_cursor"] is None

    def test_deeper_descendants(self, api, ana, bo, cy, work, remix):
        root = work(ana)
        child = remix(bo, root)
        grandchild = remix(cy, child)
        body = api.call("get", f"/records/{root.pk}/lineage?direction=descendants&depth=5").json()
        assert [(n["id"], n["depth"]) for n in body["items"]] == [(child.pk, 1), (grandchild.pk, 2)]

    @pytest.mark.parametrize("query", ["direction=sideways", "cursor=%%%", "cursor=bm90OmFuaW50"])
    def test_bad_queries(self, api, ana, work, query):
        response = api.call("get", f"/records/{work(ana).pk}/lineage?{query}")
        assert response.status_code == 400
        assert {"detail", "code"} <= set(response.json())

    def test_someone_elses_draft_has_no_lineage(self, api, ana, work):
        response = api.call("get", f"/records/{work(ana, visibility='draft').pk}/lineage")
        assert response.status_code == 404

    def test_sources_show_a_removed_source_and_a_newer_version(self, api, ana, bo, cy, work, remix):
        from riffhouse.records import services as records

        song, poem = work(ana), work(cy, "Poem")
        video = remix(bo, song, poem)
        records.record_update(actor=ana, record=song, body="Second verse.")
        records.record_delete(actor=cy, record=poem)
        sources = api.call("get", f"/records/{video.pk}/sources").json()
        assert sources[0]["newer_version"] == 2
        assert (sources[1]["record"]["deleted"], sources[1]["record"]["title"]) == (
            True,
            "Removed by its author",
        )
        assert sources[1]["record"]["author"]["username"] == "cyra"  # still credited

    def test_credits(self, api, ana, bo, cy, work, remix):
        root = work(ana)
        middle = remix(bo, (root, "lyrics"))
        leaf = remix(cy, (middle, "melody"), (root, "title"))
        body = api.call("get", f"/records/{leaf.pk}/credits").json()
        assert [(c["member"]["username"], c["closeness"], c["roles"]) for c in body["credits"]] == [
            ("cyra", 0, ["writing"]),
            ("ana", 1, ["title", "lyrics"]),
            ("bodhi", 1, ["melody"]),
        ]
        assert body["jsonld"].endswith(f"/records/{leaf.pk}/lineage.jsonld")


class TestRequests:
    def test_approve_through_the_api(self, ana, bo, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        incoming = client_for(ana).call("get", "/remix-requests?box=incoming").json()
        assert [r["id"] for r in incoming] == [request.pk]
        assert client_for(bo).call("get", "/remix-requests").json() == []
        response = client_for(ana).call(
            "post", f"/remix-requests/{request.pk}/approve", {"note": "Lovely"}
        )
        assert response.status_code == 200
        assert response.json()["status"] == "approved"
        video.refresh_from_db()
        assert video.is_public

    def test_approving_someone_elses_request(self, ana, bo, cy, work, remix):
        video = remix(bo, work(ana, remix_policy="ask"))
        request = RemixRequest.objects.get(remix=video)
        by_requester = client_for(bo).call("post", f"/remix-requests/{request.pk}/approve", {})
        assert by_requester.status_code == 403
        by_stranger = client_for(cy).call("post", f"/remix-requests/{request.pk}/decline", {})
        assert by_stranger.status_code == 404
        assert by_stranger.json()["code"] == "request_not_found"
        request.refresh_from_db()
        assert request.status == "pending"

    def test_ask_for_an_existing_draft(self, ana, bo, work):
        song, mine = work(ana, remix_policy="ask"), work(bo, "Mine", visibility="draft")
        response = client_for(bo).call(
            "post",
            f"/records/{song.pk}/remix-requests",
            {"remix": mine.pk, "usage": "chorus", "message": "Please"},
        )
        assert response.status_code == 201, response.content
        assert response.json()["status"] == "pending"
        assert SourceLink.objects.get(record=mine).usage == "chorus"

    def test_a_bad_box(self, ana):
        response = client_for(ana).call("get", "/remix-requests?box=spam")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_box"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
source_items = st.fixed_dictionaries(
    {},
    optional={
        "record": st.integers(min_value=-(2**40), max_value=2**40) | st.text(max_size=6),
        "version": json_values,
        "usage": json_values,
        "start_ms": json_values,
        "end_ms": json_values,
    },
)


@given(sources=json_values | st.lists(source_items, max_size=4))
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_sources_json_is_answered_without_a_500(bo, sources) -> None:
    response = post_record(client_for(bo), json.dumps(sources))
    assert response.status_code < 500, (sources, response.content)
    assert response.status_code == 201 or {"detail", "code"} <= set(response.json())
