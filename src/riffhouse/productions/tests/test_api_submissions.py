"""The submissions API: each endpoint's permissions, its bad input (a 4xx with `detail`,
`code` and, where a field is to blame, `field`; nothing saved) and its shapes."""

from collections.abc import Callable

import pytest
from conftest import ApiClient
from django.utils import timezone

from riffhouse.accounts import services as account_services
from riffhouse.accounts.models import User
from riffhouse.productions import services, submissions
from riffhouse.productions.models import Need, Production, Submission
from riffhouse.productions.tests.scenes import release_now
from riffhouse.records.models import Record


def released(production: Production) -> None:
    """Released by its producer through the real release (their link as the lineup)."""
    producer = production.producers.select_related("user").get().user
    release_now(producer=producer, production=production)


def api_for(user: User) -> ApiClient:
    return ApiClient(token=account_services.api_token_create(user=user, name="tests").raw)


@pytest.fixture
def poems(production: Production, producer: User) -> Need:
    return services.need_create(
        actor=producer, production=production, title="Poems about the launch", kinds=["text"]
    )


@pytest.fixture
def poem(make_record: Callable[..., Record], contributor: User) -> Record:
    return make_record("text", author=contributor, title="Countdown")


@pytest.fixture
def submitted(production: Production, poems: Need, poem: Record, contributor: User) -> Submission:
    return submissions.submission_create(
        actor=contributor, production=production, record=poem, need=poems
    )


# POST /productions/{id}/submissions ---------------------------------------------------------
def test_submit_through_the_api(
    production: Production, poems: Need, poem: Record, contributor: User
) -> None:
    response = api_for(contributor).call(
        "post",
        f"/productions/{production.pk}/submissions",
        {"record": poem.pk, "need": poems.pk, "message": "Hello"},
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "submitted" and body["need"] == poems.pk
    assert body["version"] == 1 and body["submitted_by"]["username"] == contributor.username
    assert body["url"].endswith(f"/submissions/{body['id']}/")


def test_submit_needs_an_account(production: Production, poem: Record, api: ApiClient) -> None:
    response = api.call("post", f"/productions/{production.pk}/submissions", {"record": poem.pk})
    assert response.status_code == 401
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("case", "status", "code", "field"),
    [
        ("closed", 403, "record_closed", "record"),
        ("draft", 400, "record_not_published", "record"),
        ("deleted", 410, "record_deleted", "record"),
        ("twice", 409, "already_submitted", "record"),
        ("late", 409, "deadline_passed", None),
        ("released", 409, "production_released", None),
        ("unknown_record", 404, "not_found", None),
        ("kind", 400, "kind_mismatch", "record"),
    ],
)
def test_bad_submissions_are_refused_with_a_reason(
    case: str,
    status: int,
    code: str,
    field: str | None,
    production: Production,
    poems: Need,
    contributor: User,
    author: User,
    producer: User,
    make_record: Callable[..., Record],
) -> None:
    from riffhouse.records import services as record_services

    record = make_record("text", author=contributor)
    payload: dict[str, object] = {"record": record.pk, "need": poems.pk}
    if case == "closed":
        payload["record"] = make_record("text", author=author, remix_policy="closed").pk
    elif case == "draft":
        payload["record"] = make_record("text", author=contributor, visibility="draft").pk
    elif case == "deleted":
        record_services.record_delete(actor=contributor, record=record)
    elif case == "twice":
        submissions.submission_create(
            actor=contributor, production=production, record=record, need=poems
        )
    elif case == "late":
        Need.objects.filter(pk=poems.pk).update(deadline=timezone.now())
    elif case == "released":
        released(production)
    elif case == "unknown_record":
        payload["record"] = 999999
    elif case == "kind":
        art = services.need_create(
            actor=producer, production=production, title="Art", kinds=["image"]
        )
        payload["need"] = art.pk
    before = Submission.objects.count()
    response = api_for(contributor).call(
        "post", f"/productions/{production.pk}/submissions", payload
    )
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code and body["detail"]
    if field:
        assert body["field"] == field
    assert Submission.objects.count() == before


def test_submit_to_a_draft_production_is_not_found(
    make_production: Callable[..., Production], poem: Record, contributor: User
) -> None:
    draft = make_production()
    response = api_for(contributor).call(
        "post", f"/productions/{draft.pk}/submissions", {"record": poem.pk}
    )
    assert response.status_code == 404


def test_submit_with_a_malformed_body_is_a_422(production: Production, contributor: User) -> None:
    response = api_for(contributor).call(
        "post", f"/productions/{production.pk}/submissions", {"record": "many"}
    )
    assert response.status_code == 422 and response.json()["code"]


# GET /productions/{id}/submissions -----------------------------------------------------------
def test_the_list_shows_what_each_caller_may_see(
    production: Production,
    submitted: Submission,
    producer: User,
    contributor: User,
    make_user: Callable[..., User],
    api: ApiClient,
    django_assert_max_num_queries: Callable[..., object],
) -> None:
    url = f"/productions/{production.pk}/submissions"
    with django_assert_max_num_queries(10):  # type: ignore[operator]
        mine = api_for(producer).call("get", url).json()
    assert [s["id"] for s in mine["items"]] == [submitted.pk]
    assert [s["id"] for s in api_for(contributor).call("get", url).json()["items"]] == [
        submitted.pk
    ]
    assert api_for(make_user("zed")).call("get", url).json()["items"] == []
    assert api.call("get", url).json()["items"] == []
    released(production)
    assert [s["id"] for s in api.call("get", url).json()["items"]] == [submitted.pk]


def test_the_list_filters_and_pages(
    production: Production,
    poems: Need,
    producer: User,
    contributor: User,
    make_record: Callable[..., Record],
) -> None:
    made = [
        submissions.submission_create(
            actor=contributor,
            production=production,
            record=make_record("text", author=contributor, title=f"P{i}"),
            need=poems,
        )
        for i in range(3)
    ]
    submissions.submission_decide(actor=producer, submission=made[0], status="shortlisted")
    client = api_for(producer)
    url = f"/productions/{production.pk}/submissions"
    shortlisted = client.call("get", url + "?status=shortlisted").json()["items"]
    assert [s["id"] for s in shortlisted] == [made[0].pk]
    first = client.call("get", url + "?limit=2").json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    rest = client.call("get", url + f"?limit=2&cursor={first['next_cursor']}").json()
    assert [s["id"] for s in rest["items"]] == [made[0].pk] and rest["next_cursor"] is None
    bad = client.call("get", url + "?cursor=!!!")
    assert bad.status_code == 400 and bad.json()["field"] == "cursor"
    assert client.call("get", url + "?status=maybe").json()["code"] == "status_invalid"


def test_the_list_of_a_draft_production_is_not_found(
    make_production: Callable[..., Production], contributor: User
) -> None:
    draft = make_production()
    response = api_for(contributor).call("get", f"/productions/{draft.pk}/submissions")
    assert response.status_code == 404


# GET /submissions/{id} -----------------------------------------------------------------------
def test_one_submission_is_for_its_people(
    submitted: Submission,
    producer: User,
    contributor: User,
    make_user: Callable[..., User],
    api: ApiClient,
    production: Production,
) -> None:
    url = f"/submissions/{submitted.pk}"
    assert api_for(contributor).call("get", url).status_code == 200
    assert api_for(producer).call("get", url).status_code == 200
    assert api_for(make_user("zed")).call("get", url).status_code == 404
    assert api.call("get", url).status_code == 404
    released(production)
    assert api.call("get", url).status_code == 200


# PATCH /submissions/{id} ---------------------------------------------------------------------
def test_producers_decide_through_the_api(
    submitted: Submission, producer: User, contributor: User
) -> None:
    response = api_for(producer).call(
        "patch", f"/submissions/{submitted.pk}", {"status": "declined", "note": "Sorry"}
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["note"]) == ("declined", "Sorry")


def test_the_contributor_withdraws_but_cannot_decide(
    submitted: Submission, contributor: User
) -> None:
    client = api_for(contributor)
    refused = client.call("patch", f"/submissions/{submitted.pk}", {"status": "selected"})
    assert refused.status_code == 403 and refused.json()["code"] == "not_producer"
    done = client.call("patch", f"/submissions/{submitted.pk}", {"status": "withdrawn"})
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


def test_strangers_and_the_logged_out_cannot_patch(
    submitted: Submission, make_user: Callable[..., User], api: ApiClient
) -> None:
    url = f"/submissions/{submitted.pk}"
    assert api.call("patch", url, {"status": "selected"}).status_code == 401
    assert api_for(make_user("zed")).call("patch", url, {"status": "withdrawn"}).status_code == 404
    assert api_for(make_user("zoe")).call("patch", url, {"status": "selected"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_a_bad_status_is_a_400_naming_the_field(submitted: Submission, producer: User) -> None:
    response = api_for(producer).call("patch", f"/submissions/{submitted.pk}", {"status": "meh"})
    assert response.status_code == 400 and response.json()["field"] == "status"


# POST /submissions/{id}/consent --------------------------------------------------------------
def test_the_records_author_answers_through_the_api(
    production: Production,
    poems: Need,
    author: User,
    contributor: User,
    producer: User,
    make_record: Callable[..., Record],
    api: ApiClient,
) -> None:
    theirs = make_record("text", author=author, remix_policy="ask")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems
    )
    url = f"/submissions/{submission.pk}/consent"
    assert api.call("post", url, {"approve": True}).status_code == 401
    assert api_for(contributor).call("post", url, {"approve": True}).status_code == 403
    assert api_for(producer).call("post", url, {"approve": True}).status_code == 404
    response = api_for(author).call("post", url, {"approve": True, "note": "Yes"})
    assert response.status_code == 200
    assert (response.json()["consent"], response.json()["consent_note"]) == ("approved", "Yes")
    again = api_for(author).call("post", url, {"approve": False})
    assert again.status_code == 409 and again.json()["code"] == "consent_not_asked"
