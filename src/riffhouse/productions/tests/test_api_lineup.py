from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.productions.models import Production, Segment, Submission
from riffhouse.productions.tests.scenes import release_now, submit
from riffhouse.records.models import Record


@pytest.fixture
def selected(
    production: Production, make_record: Callable[..., Record], contributor: User, producer: User
) -> Any:
    """A record of `kind` by cleo, submitted by her and selected by paz (submissions'
    services)."""

    def make(kind: str, title: str) -> Submission:
        record = make_record(kind, author=contributor, title=title)
        return submit(producer=producer, production=production, record=record)

    return make


def _client(user: User) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=user, name="tests").raw)


@pytest.fixture
def producer_api(producer: User) -> ApiClient:
    return _client(producer)


@pytest.fixture
def member_api(contributor: User) -> ApiClient:
    return _client(contributor)


def test_a_producer_writes_and_reads_the_lineup(
    production: Production, producer_api: ApiClient, selected: Any
) -> None:
    song, art = selected("audio", "Leaving Earth"), selected("image", "Blue planet")
    response = producer_api.call(
        "put",
        f"/productions/{production.pk}/lineup",
        {
            "version": 0,
            "segments": [
                {"submission": art.pk, "duration_ms": 4000, "title": "Opening", "notes": "slow"},
                {"submission": song.pk, "in_ms": 100, "out_ms": 600},
            ],
        },
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["version"] == 1 and body["runtime_ms"] == 4500
    first, second = body["segments"]
    assert (first["position"], first["kind"], first["submission"]) == (0, "piece", art.pk)
    assert first["record"]["title"] == "Blue planet" and first["record"]["thumbnail"]
    assert first["record"]["author"]["username"] == "cleo"
    assert (first["title"], first["notes"], first["duration_ms"]) == ("Opening", "slow", 4000)
    assert (second["in_ms"], second["out_ms"], second["duration_ms"]) == (100, 600, 500)
    assert second["media_duration_ms"] == pytest.approx(1000, abs=60)
    assert second["version"] == 1
    read = producer_api.call("get", f"/productions/{production.pk}/lineup").json()
    assert read == body


def test_a_stale_write_is_a_409_and_changes_nothing(
    production: Production, producer_api: ApiClient, selected: Any
) -> None:
    art = selected("image", "Blue planet")
    path = f"/productions/{production.pk}/lineup"
    segments = [{"submission": art.pk}]
    assert producer_api.call("put", path, {"version": 0, "segments": segments}).status_code == 200
    stale = producer_api.call("put", path, {"version": 0, "segments": []})
    assert stale.status_code == 409
    assert stale.json()["code"] == "lineup_stale" and "version 1" in stale.json()["detail"]
    assert Segment.objects.filter(production=production).count() == 1


@pytest.mark.parametrize(
    ("segment", "code", "field"),
    [
        ({"in_ms": -10}, "in_negative", "segments[1].in_ms"),
        ({"in_ms": 700, "out_ms": 200}, "range_reversed", "segments[1].out_ms"),
        ({"out_ms": 99_000}, "out_past_end", "segments[1].out_ms"),
        ({"out_ms": 10**30}, "out_past_end", "segments[1].out_ms"),
        ({"submission": 10**30}, "submission_unknown", "segments[1].submission"),
        ({"kind": "link"}, "record_required", "segments[1].record"),
    ],
)
def test_bad_segments_are_4xx_naming_the_field(
    production: Production,
    producer_api: ApiClient,
    selected: Any,
    segment: dict[str, Any],
    code: str,
    field: str,
) -> None:
    art, song = selected("image", "Blue planet"), selected("audio", "Leaving Earth")
    response = producer_api.call(
        "put",
        f"/productions/{production.pk}/lineup",
        {"version": 0, "segments": [{"submission": art.pk}, {"submission": song.pk, **segment}]},
    )
    assert response.status_code == 400, response.json()
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["detail"].startswith("Segment 2")
    assert not Segment.objects.exists()


def test_a_zero_display_duration_is_refused(
    production: Production, producer_api: ApiClient, selected: Any
) -> None:
    art = selected("image", "Blue planet")
    response = producer_api.call(
        "put",
        f"/productions/{production.pk}/lineup",
        {"version": 0, "segments": [{"submission": art.pk, "duration_ms": 0}]},
    )
    assert response.status_code == 400
    assert response.json()["field"] == "segments[0].duration_ms"


def test_a_malformed_body_is_a_422(production: Production, producer_api: ApiClient) -> None:
    response = producer_api.call(
        "put", f"/productions/{production.pk}/lineup", {"segments": "all of them"}
    )
    assert response.status_code == 422
    assert response.json()["code"] == "invalid"


# Permissions -------------------------------------------------------------------------------
def test_anonymous_visitors_cannot_read_or_write_an_unreleased_lineup(
    production: Production, api: ApiClient
) -> None:
    path = f"/productions/{production.pk}/lineup"
    assert api.call("get", path).status_code == 404
    response = api.call("put", path, {"version": 0, "segments": []})
    assert response.status_code == 401


def test_members_cannot_read_or_write_an_unreleased_lineup(
    production: Production, member_api: ApiClient
) -> None:
    path = f"/productions/{production.pk}/lineup"
    assert member_api.call("get", path).status_code == 404
    response = member_api.call("put", path, {"version": 0, "segments": []})
    assert response.status_code == 403
    assert response.json()["code"] == "not_producer"
    production.refresh_from_db()
    assert production.lineup_version == 0


def test_a_draft_productions_lineup_is_not_found_for_members(
    make_production: Callable[..., Production], member_api: ApiClient
) -> None:
    draft = make_production()
    path = f"/productions/{draft.pk}/lineup"
    assert member_api.call("get", path).status_code == 404
    assert member_api.call("put", path, {"version": 0, "segments": []}).status_code == 404


def test_a_released_lineup_is_public_and_stays(
    production: Production,
    producer: User,
    producer_api: ApiClient,
    api: ApiClient,
    selected: Any,
) -> None:
    art = selected("image", "Blue planet")
    path = f"/productions/{production.pk}/lineup"
    producer_api.call("put", path, {"version": 0, "segments": [{"submission": art.pk}]})
    release_now(producer=producer, production=production)
    public = api.call("get", path)
    assert public.status_code == 200
    assert [s["record"]["title"] for s in public.json()["segments"]] == ["Blue planet"]
    refused = producer_api.call("put", path, {"version": 1, "segments": []})
    assert refused.status_code == 409 and refused.json()["code"] == "production_released"


def test_an_unknown_production_is_404(producer_api: ApiClient, db: None) -> None:
    assert producer_api.call("get", "/productions/999999/lineup").status_code == 404
    response = producer_api.call(
        "put", "/productions/999999/lineup", {"version": 0, "segments": []}
    )
    assert response.status_code == 404


def test_the_lineup_reads_in_bounded_queries(
    production: Production,
    producer_api: ApiClient,
    selected: Any,
    django_assert_max_num_queries: Any,
) -> None:
    subs = [selected(kind, f"{kind} {i}") for i in range(4) for kind in ("image", "audio", "text")]
    path = f"/productions/{production.pk}/lineup"
    segments = [{"submission": s.pk} for s in subs]
    assert producer_api.call("put", path, {"version": 0, "segments": segments}).status_code == 200
    with django_assert_max_num_queries(12):
        response = producer_api.call("get", path)
    assert len(response.json()["segments"]) == 12
