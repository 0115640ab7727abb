"""The productions API: productions, producers, needs, the cover and the history, with a
permission test for every endpoint (anonymous, a member, a producer; a draft is a 404 to
anyone but its producers) and bad input refused with a reason, nothing saved."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from conftest import ApiClient
from django.utils import timezone

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.productions import services
from riffhouse.productions.models import Need, Producer, Production, ProductionCover
from riffhouse.productions.tests.scenes import release_now
from riffhouse.records.tests import samples


def client_for(user: User) -> ApiClient:
    return ApiClient(token=accounts.api_token_create(user=user, name="tests").raw)


@pytest.fixture
def paz(producer: User) -> ApiClient:
    return client_for(producer)


@pytest.fixture
def cleo(contributor: User) -> ApiClient:
    return client_for(contributor)


def soon(days: float = 10) -> str:
    return (timezone.now() + timedelta(days=days)).isoformat()


# Productions --------------------------------------------------------------------------------
def test_a_member_starts_a_production_and_is_its_producer(cleo: ApiClient, api: ApiClient) -> None:
    payload = {"kind": "album", "title": "Night Songs", "theme": "Night", "brief": "**Dark**"}
    assert api.call("post", "/productions", payload).status_code == 401
    response = cleo.call("post", "/productions", {**payload, "submission_deadline": soon()})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["kind"] == "album"
    assert body["brief_html"].strip() == "<p><strong>Dark</strong></p>"
    assert [p["username"] for p in body["producers"]] == ["cleo"]
    assert body["needs_count"] == 0 and body["cover"] is None


@pytest.mark.parametrize(
    ("payload", "code", "field"),
    [
        ({"kind": "podcast"}, "kind_invalid", "kind"),
        ({"title": "  "}, "title_required", "title"),
        ({"submission_deadline": "2001-01-01T00:00:00Z"}, "deadline_past", "submission_deadline"),
        ({"theme": "t" * 61}, "theme_too_long", "theme"),
    ],
)
def test_starting_a_production_with_bad_input(
    cleo: ApiClient, payload: dict[str, Any], code: str, field: str
) -> None:
    response = cleo.call("post", "/productions", {"kind": "episode", "title": "S", **payload})
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["field"] == field
    assert response.json()["detail"]
    assert not Production.objects.exists()


def test_a_draft_is_a_404_to_anyone_but_its_producers(
    make_production: Callable[..., Production], paz: ApiClient, cleo: ApiClient, api: ApiClient
) -> None:
    draft = make_production()
    need = services.need_create(
        actor=draft.producers.get().user, production=draft, title="Art", kinds=["image"]
    )
    paths = [
        f"/productions/{draft.pk}",
        f"/productions/{draft.pk}/producers",
        f"/productions/{draft.pk}/needs",
        f"/productions/{draft.pk}/history",
        f"/needs/{need.pk}",
    ]
    for path in paths:
        assert api.call("get", path).status_code == 404, path
        assert cleo.call("get", path).status_code == 404, path
        assert paz.call("get", path).status_code == 200, path
    for method, path, payload in [
        ("patch", f"/productions/{draft.pk}", {"title": "Mine"}),
        ("post", f"/productions/{draft.pk}/producers", {"username": "cleo"}),
        ("delete", f"/productions/{draft.pk}/producers/paz", None),
        ("post", f"/productions/{draft.pk}/needs", {"title": "x", "kinds": ["text"]}),
        ("patch", f"/needs/{need.pk}", {"title": "x"}),
        ("delete", f"/needs/{need.pk}", None),
        ("delete", f"/productions/{draft.pk}/cover", None),
    ]:
        assert cleo.call(method, path, payload).status_code == 404, path
        assert api.call(method, path, payload).status_code == 401, path
    draft.refresh_from_db()
    assert draft.title == "Space" and Need.objects.get().title == "Art"


def test_reading_an_open_production(
    production: Production, need: Need, api: ApiClient, django_assert_max_num_queries: Any
) -> None:
    # 3, and the generations a visitor's answer is then cached under (decision 0040).
    with django_assert_max_num_queries(4):
        response = api.call("get", f"/productions/{production.pk}")
    with django_assert_max_num_queries(1):
        assert api.call("get", f"/productions/{production.pk}").json() == response.json()
    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "open" and body["needs_count"] == 1
    assert body["url"].endswith(f"/productions/{production.pk}/")
    assert api.call("get", "/productions/999999").status_code == 404


def test_only_producers_edit_and_move_a_production(
    production: Production, paz: ApiClient, cleo: ApiClient, api: ApiClient
) -> None:
    assert api.call("patch", f"/productions/{production.pk}", {"title": "X"}).status_code == 401
    refused = cleo.call("patch", f"/productions/{production.pk}", {"title": "X"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_producer"
    response = paz.call(
        "patch", f"/productions/{production.pk}", {"title": "Space, again", "status": "curating"}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "Space, again" and response.json()["status"] == "curating"


def test_a_refused_move_saves_nothing_of_the_same_request(
    production: Production, paz: ApiClient
) -> None:
    response = paz.call(
        "patch", f"/productions/{production.pk}", {"title": "Renamed", "status": "released"}
    )
    assert response.status_code == 409 and response.json()["code"] == "release_through_lineup"
    production.refresh_from_db()
    assert production.title == "Space" and production.status == "open"
    bad = paz.call("patch", f"/productions/{production.pk}", {"status": "sideways"})
    assert bad.status_code == 409 and bad.json()["field"] == "status"
    past = paz.call(
        "patch", f"/productions/{production.pk}", {"submission_deadline": "2001-01-01T00:00:00Z"}
    )
    assert past.status_code == 400 and past.json()["code"] == "deadline_past"


def test_listing_open_calls_and_released_productions(
    make_production: Callable[..., Production],
    producer: User,
    api: ApiClient,
    django_assert_max_num_queries: Any,
) -> None:
    later = make_production(
        status="open", title="Later", submission_deadline=timezone.now() + timedelta(days=20)
    )
    sooner = make_production(
        status="open", title="Sooner", submission_deadline=timezone.now() + timedelta(days=1)
    )
    make_production(title="Draft")
    released = make_production(status="curating", title="Out", theme="Money", kind="film")
    release_now(producer=producer, production=released)
    with django_assert_max_num_queries(3):
        calls = api.call("get", "/productions?status=open&limit=1")
    assert [p["title"] for p in calls.json()["items"]] == ["Sooner"]
    assert calls.json()["items"][0]["closing_soon"] is True
    cursor = calls.json()["next_cursor"]
    rest = api.call("get", f"/productions?status=open&cursor={cursor}").json()
    assert [p["title"] for p in rest["items"]] == ["Later"] and rest["next_cursor"] is None
    out = api.call("get", "/productions?kind=film&theme=money").json()
    assert [p["id"] for p in out["items"]] == [released.pk]
    assert api.call("get", "/productions?kind=album").json()["items"] == []
    assert {sooner.pk, later.pk}.isdisjoint({p["id"] for p in out["items"]})
    for query, code in [
        ("status=draft", "invalid_status"),
        ("kind=podcast", "invalid_kind"),
        ("cursor=!!", "invalid_cursor"),
    ]:
        response = api.call("get", f"/productions?{query}")
        assert response.status_code == 400 and response.json()["code"] == code


def test_the_history_says_who_changed_what(
    production: Production, producer: User, api: ApiClient
) -> None:
    services.production_update(actor=producer, production=production, theme="Outer space")
    history = api.call("get", f"/productions/{production.pk}/history").json()
    assert [r["changed"] for r in history] == [["theme"], ["title", "theme", "brief"]]
    assert history[0]["editor"]["username"] == "paz" and history[0]["theme"] == "Outer space"


# Producers ----------------------------------------------------------------------------------
def test_producers_add_and_remove_co_producers(
    production: Production, paz: ApiClient, cleo: ApiClient, api: ApiClient, make_user: Any
) -> None:
    make_user("dev")
    assert [
        p["username"] for p in api.call("get", f"/productions/{production.pk}/producers").json()
    ] == ["paz"]
    path = f"/productions/{production.pk}/producers"
    assert api.call("post", path, {"username": "cleo"}).status_code == 401
    assert cleo.call("post", path, {"username": "cleo"}).status_code == 403
    added = paz.call("post", path, {"username": "@cleo"})
    assert added.status_code == 201 and [p["username"] for p in added.json()] == ["paz", "cleo"]
    twice = paz.call("post", path, {"username": "cleo"})
    assert twice.status_code == 409 and twice.json()["code"] == "already_producer"
    nobody = paz.call("post", path, {"username": "ghost"})
    assert nobody.status_code == 404 and nobody.json()["field"] == "username"
    # A co-producer may remove another; a member may not.
    assert api.call("delete", f"{path}/paz").status_code == 401
    assert (
        client_for(User.objects.get(username="dev")).call("delete", f"{path}/paz").status_code
        == 403
    )
    assert cleo.call("delete", f"{path}/paz").status_code == 204
    assert paz.call("get", f"/productions/{production.pk}").status_code == 200  # still public
    assert list(Producer.objects.values_list("user__username", flat=True)) == ["cleo"]
    assert cleo.call("delete", f"{path}/nobody").status_code == 404


def test_the_last_producer_cannot_step_down(production: Production, paz: ApiClient) -> None:
    response = paz.call("delete", f"/productions/{production.pk}/producers/paz")
    assert response.status_code == 409 and response.json()["code"] == "last_producer"
    assert "at least one producer" in response.json()["detail"]
    assert Producer.objects.filter(production=production).count() == 1


# Needs --------------------------------------------------------------------------------------
def test_needs_are_added_read_changed_and_removed_by_producers(
    production: Production,
    paz: ApiClient,
    cleo: ApiClient,
    api: ApiClient,
    make_record: Callable[..., Any],
    producer: User,
) -> None:
    seed = make_record("text", author=producer, title="A poem")
    path = f"/productions/{production.pk}/needs"
    payload = {"title": "Art for the poem", "kinds": ["image"], "wanted": 3, "seed": seed.pk}
    assert api.call("post", path, payload).status_code == 401
    assert cleo.call("post", path, payload).status_code == 403
    created = paz.call("post", path, {**payload, "deadline": soon(5)})
    assert created.status_code == 201, created.json()
    need = created.json()
    assert need["kinds"] == ["image"] and need["wanted"] == 3
    assert need["seed"]["id"] == seed.pk and need["seed"]["version"] == 1
    assert [n["id"] for n in api.call("get", path).json()] == [need["id"]]
    assert api.call("get", f"/needs/{need['id']}").json()["title"] == "Art for the poem"

    assert api.call("patch", f"/needs/{need['id']}", {"wanted": 2}).status_code == 401
    assert cleo.call("patch", f"/needs/{need['id']}", {"wanted": 2}).status_code == 403
    changed = paz.call("patch", f"/needs/{need['id']}", {"wanted": 2, "seed": None})
    assert changed.status_code == 200
    assert changed.json()["wanted"] == 2 and changed.json()["seed"] is None

    assert api.call("delete", f"/needs/{need['id']}").status_code == 401
    assert cleo.call("delete", f"/needs/{need['id']}").status_code == 403
    assert paz.call("delete", f"/needs/{need['id']}").status_code == 204
    assert api.call("get", f"/needs/{need['id']}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "code", "field", "status"),
    [
        ({"kinds": []}, "kinds_required", "kinds", 400),
        ({"kinds": ["sculpture"]}, "kind_invalid", "kinds", 400),
        ({"wanted": 0}, "wanted_invalid", "wanted", 400),
        ({"deadline": "2001-01-01T00:00:00Z"}, "deadline_past", "deadline", 400),
        ({"seed": 999999}, "not_found", None, 404),
    ],
)
def test_a_need_with_bad_input(
    production: Production,
    paz: ApiClient,
    payload: dict[str, Any],
    code: str,
    field: str | None,
    status: int,
) -> None:
    response = paz.call(
        "post",
        f"/productions/{production.pk}/needs",
        {"title": "Art", "kinds": ["image"], **payload},
    )
    assert response.status_code == status, response.json()
    assert response.json()["code"] == code and response.json().get("field") == field
    assert not Need.objects.exists()


# Cover --------------------------------------------------------------------------------------
def test_producers_set_and_remove_the_cover(
    production: Production, paz: ApiClient, cleo: ApiClient, api: ApiClient
) -> None:
    path = f"/productions/{production.pk}/cover"

    def send(client: ApiClient, data: bytes) -> Any:
        return client.post(
            f"/api/v1{path}",
            {"file": _file(data)},
            headers=client._headers(None),
        )

    assert send(api, samples.png()).status_code == 401
    assert send(cleo, samples.png()).status_code == 403
    response = send(paz, samples.png((320, 240)))
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["cover"]["url"].endswith(".webp") and body["cover"]["width"] == 320
    bad = send(paz, b"not a picture")
    assert bad.status_code == 400 and json.loads(bad.content)["field"] == "cover"
    assert ProductionCover.objects.count() == 1
    assert cleo.call("delete", path).status_code == 403
    assert api.call("delete", path).status_code == 401
    assert paz.call("delete", path).status_code == 204
    assert api.call("get", f"/productions/{production.pk}").json()["cover"] is None


def _file(data: bytes) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cover.png", data, content_type="image/png")
