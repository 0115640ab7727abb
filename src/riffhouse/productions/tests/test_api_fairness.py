"""The fairness, rules, release and credits endpoints, with a permission test for each."""

from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.productions import services
from riffhouse.productions.models import Production, ProductionStatus

pytestmark = pytest.mark.django_db
RULES = {
    "max_contributor_percent": 50,
    "max_producers_percent": 40,
    "min_contributors": 2,
    "source_share_percent": 40,
}


def _api(user: User) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=user, name="tests").raw)


@pytest.fixture
def scene(
    producer: User,
    contributor: User,
    make_user: Callable[..., User],
    make_record: Callable[..., Any],
    production: Production,
    make_lineup: Callable[..., Any],
    remix_of: Callable[..., Any],
) -> dict[str, Any]:
    dov = make_user("dov")
    poem = make_record("text", author=contributor, title="Leaving Earth")
    song = remix_of(dov, poem, title="Orbit song")
    link = make_record("text", author=producer, title="Welcome")
    make_lineup(production, [poem, song, (link, 60_000, "link")])
    # Submissions closed: a release is made from curating.
    services.production_status_set(actor=producer, production=production, status="curating")
    production.refresh_from_db()
    return {"dov": dov}


def test_producers_read_the_live_report(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    response = _api(producer).call("get", f"/productions/{production.pk}/fairness")
    assert response.status_code == 200
    data = response.json()
    assert data["released"] is False
    assert data["contributors"][0]["exact"] == "7/15"
    assert data["contributors"][0]["percent"] == 46.7
    assert data["producers_and_staff"] == {"percent": 33.3, "exact": "1/3"}
    assert data["distinct_contributors"] == 3


def test_others_do_not_see_an_unreleased_report(
    scene: dict[str, Any], production: Production, contributor: User, api: ApiClient
) -> None:
    assert api.call("get", f"/productions/{production.pk}/fairness").status_code == 404
    response = _api(contributor).call("get", f"/productions/{production.pk}/fairness")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_rules_put_is_for_producers(
    scene: dict[str, Any], production: Production, producer: User, contributor: User, api: ApiClient
) -> None:
    url = f"/productions/{production.pk}/fairness/rules"
    assert api.call("put", url, RULES).status_code == 401
    assert _api(contributor).call("put", url, RULES).status_code == 403
    response = _api(producer).call("put", url, RULES)
    assert response.status_code == 200
    assert response.json() == RULES
    production.refresh_from_db()
    assert production.rule_min_contributors == 2


def test_bad_rules_are_refused_with_the_field(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    url = f"/productions/{production.pk}/fairness/rules"
    response = _api(producer).call("put", url, {**RULES, "max_contributor_percent": 0})
    assert response.status_code == 400
    assert response.json()["field"] == "max_contributor_percent"
    response = _api(producer).call("put", url, {"max_contributor_percent": "lots"})
    assert response.status_code == 422
    production.refresh_from_db()
    assert production.rule_max_contributor_percent is None


def test_release_is_for_producers_and_refused_with_the_broken_rule(
    scene: dict[str, Any], production: Production, producer: User, contributor: User, api: ApiClient
) -> None:
    url = f"/productions/{production.pk}/release"
    assert api.call("post", url).status_code == 401
    assert _api(contributor).call("post", url).status_code == 403
    _api(producer).call(
        "put",
        f"/productions/{production.pk}/fairness/rules",
        {**RULES, "max_producers_percent": 20},
    )
    response = _api(producer).call("post", url)
    assert response.status_code == 409
    assert response.json()["code"] == "fairness_rule_broken"
    assert "at most 20 %" in response.json()["detail"]
    assert "(Paz Ortega 33.3 %)" in response.json()["detail"]  # the name the chart shows
    production.refresh_from_db()
    assert production.status == ProductionStatus.CURATING


def test_release_is_refused_while_open_for_submissions(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    services.production_status_set(actor=producer, production=production, status="open")
    response = _api(producer).call("post", f"/productions/{production.pk}/release")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "not_curating"
    assert body["detail"] == (
        "It is still open for submissions: close submissions and curate it before you release."
    )
    production.refresh_from_db()
    assert production.status == ProductionStatus.OPEN
    assert production.release_requested_at is None


def test_release_then_credits_paged(
    scene: dict[str, Any], production: Production, producer: User, api: ApiClient
) -> None:
    credits_url = f"/productions/{production.pk}/credits"
    assert api.call("get", credits_url).status_code == 409
    response = _api(producer).call("post", f"/productions/{production.pk}/release")
    assert response.status_code == 202
    assert response.json()["status"] == "released"
    first = api.call("get", credits_url + "?limit=2").json()
    assert first["total"] == 3
    assert [c["member"]["username"] for c in first["items"]] == ["cleo", "paz"]
    assert first["items"][0]["share"] == "7/15"
    rest = api.call("get", f"{credits_url}?limit=2&cursor={first['next_cursor']}").json()
    assert [c["member"]["username"] for c in rest["items"]] == ["dov"]
    assert rest["next_cursor"] is None
    assert api.call("get", credits_url + "?cursor=nonsense").status_code == 400
    report = api.call("get", f"/productions/{production.pk}/fairness").json()
    assert report["released"] is True and report["contributors"][0]["exact"] == "7/15"
    again = _api(producer).call("post", f"/productions/{production.pk}/release")
    assert again.status_code == 409 and again.json()["code"] == "already_released"


def test_a_draft_is_not_found_everywhere(
    make_production: Callable[..., Production], contributor: User, api: ApiClient
) -> None:
    draft = make_production(title="Secret")
    for method, path in [
        ("get", f"/productions/{draft.pk}/fairness"),
        ("get", f"/productions/{draft.pk}/credits"),
    ]:
        assert api.call(method, path).status_code == 404
    client = _api(contributor)
    assert client.call("post", f"/productions/{draft.pk}/release").status_code == 404
    assert client.call("put", f"/productions/{draft.pk}/fairness/rules", RULES).status_code == 404
