"""The public lists: latest, never remixed, open to remix, needs collaborators — on Discover
and in the API — and a record's author asking for collaborators."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from conftest import ApiClient
from django.test import Client

from riffhouse.accounts import services as accounts
from riffhouse.community.feeds import selectors
from riffhouse.community.tests.feeds_scene import open_call, opened_at, published_at
from riffhouse.lineage.models import SourceLink
from riffhouse.productions.models import Need
from riffhouse.records import services as records
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def paz(make_user):
    return make_user("paz", display_name="Paz Ortega")


@pytest.fixture
def scene(user, ana, make_record):
    """Records of every list: remixed, closed to remixing, asking for collaborators."""
    remixed = published_at(make_record("text", author=user, title="Remixed"), T0)
    closed = published_at(
        make_record("text", author=user, title="Closed", remix_policy="closed"),
        T0 + timedelta(hours=1),
    )
    helping = published_at(
        make_record("text", author=ana, title="Help wanted", wants_collaborators=True),
        T0 + timedelta(hours=2),
    )
    remix = published_at(make_record("text", author=ana, title="A remix"), T0 + timedelta(hours=3))
    SourceLink.objects.create(record=remix, source=remixed, source_version=remixed.current_version)
    Record.objects.filter(pk=remixed.pk).update_after_hooks(remix_count=1)
    make_record("text", author=ana, title="A draft", visibility="draft", wants_collaborators=True)
    return {"remixed": remixed, "closed": closed, "helping": helping, "remix": remix}


def titles(page: selectors.FeedPage) -> list[str]:
    return [item.record.title if item.record else item.need.title for item in page.items]


def test_latest_never_remixed_and_open_to_remix(scene) -> None:
    latest = selectors.record_list(name="latest")
    assert titles(latest) == ["A remix", "Help wanted", "Closed", "Remixed"]
    never_remixed = selectors.record_list(name="never-remixed")
    assert titles(never_remixed) == ["A remix", "Help wanted", "Closed"]
    open_to_remix = selectors.record_list(name="open-to-remix")
    assert titles(open_to_remix) == ["A remix", "Help wanted", "Remixed"]
    assert [page.items[0].reason for page in (latest, never_remixed, open_to_remix)] == [
        "Just published",
        "Nobody has remixed it yet",
        "Open to remix",
    ]
    page = selectors.record_list(name="latest", limit=2)
    rest = selectors.record_list(name="latest", limit=2, cursor=page.next_cursor)
    assert titles(rest) == ["Closed", "Remixed"]


def test_needs_collaborators_merges_asking_records_and_open_needs(scene, paz) -> None:
    call = open_call(paz, kinds=["audio"], need="A song about leaving Earth")
    opened_at(call.production, T0 + timedelta(hours=1))
    closed = open_call(paz, title="Closed call", kinds=["audio"], need="Too late")
    Need.objects.filter(pk=closed.pk).update(deadline=T0)  # its deadline has passed

    page = selectors.needs_collaborators()

    assert titles(page) == ["Help wanted", "A song about leaving Earth"]
    assert [i.reason for i in page.items] == [
        "Ana Reyes would like collaborators",
        "A call for music",
    ]
    first = selectors.needs_collaborators(limit=1)
    rest = selectors.needs_collaborators(limit=1, cursor=first.next_cursor)
    assert titles(first) + titles(rest) == titles(page) and rest.next_cursor is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/feed/latest", ["A remix", "Help wanted", "Closed", "Remixed"]),
        ("/feed/never-remixed", ["A remix", "Help wanted", "Closed"]),
        ("/feed/open-to-remix", ["A remix", "Help wanted", "Remixed"]),
        ("/feed/needs-collaborators", ["Help wanted"]),
    ],
)
def test_public_endpoints_anyone_may_read(
    scene, api, user, path, expected, django_assert_max_num_queries
) -> None:
    with django_assert_max_num_queries(8):
        response = api.call("get", path)
    assert response.status_code == 200
    assert [i["record"]["title"] for i in response.json()["items"]] == expected
    # The same for a member with a token, and a refusal for nonsense.
    member = ApiClient(token=accounts.api_token_create(user=user, name="t").raw)
    assert member.call("get", path).status_code == 200
    assert api.call("get", f"{path}?cursor=%%%").status_code == 400
    assert api.call("get", f"{path}?limit=0").status_code == 422


def test_an_unknown_kind_is_refused(api) -> None:
    response = api.call("get", "/feed/latest?kind=sculpture")
    assert response.status_code == 400 and response.json()["code"] == "invalid_kind"


@pytest.mark.parametrize(
    "url",
    [
        "/discover/",
        "/discover/latest/",
        "/discover/never-remixed/",
        "/discover/open-to-remix/",
        "/discover/needs-collaborators/",
    ],
)
def test_discover_pages(client: Client, scene, paz, url, django_assert_max_num_queries) -> None:
    open_call(paz, kinds=["image"], need="A poster")
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'aria-current="page"' in page and "Discover" in page
    if url.endswith("needs-collaborators/"):
        assert "Help wanted" in page and "A poster" in page and "A call for art" in page
        assert "Closed" not in page
    if url.endswith("/latest/"):
        assert "A remix" in page and "Remixed" in page and "A draft" not in page


def test_discover_pages_more_by_htmx(client: Client, user, make_record) -> None:
    for n in range(26):
        published_at(make_record("text", author=user, title=f"Verse {n}"), T0 + timedelta(hours=n))
    page = client.get("/discover/latest/").content.decode()
    assert "Verse 25" in page and "Verse 1<" not in page
    more = page.split('hx-get="/discover/latest/?')[1].split('"')[0].replace("&amp;", "&")
    more = "/discover/latest/?" + more
    fragment = client.get(more, headers={"HX-Request": "true"}).content.decode()
    assert "Verse 1<" in fragment and "Verse 0<" in fragment and "<html" not in fragment


def test_an_unknown_list_is_not_found(client: Client) -> None:
    assert client.get("/discover/everything/").status_code == 404


# Asking for collaborators ---------------------------------------------------------------------
def test_the_upload_and_edit_forms_ask_for_collaborators(client: Client, user, make_record) -> None:
    client.force_login(user)
    assert "I’d like collaborators on this" in client.get("/records/new/").content.decode()
    response = client.post(
        "/records/new/",
        {
            "kind": "text",
            "title": "Looking for a tune",
            "body": "Words that want music.",
            "licence": "riffhouse",
            "remix_policy": "open",
            "visibility": "published",
            "wants_collaborators": "on",
        },
    )
    assert response.status_code == 302
    record = Record.objects.get(title="Looking for a tune")
    assert record.wants_collaborators
    assert "Looking for collaborators" in client.get(record.get_absolute_url()).content.decode()

    edit = client.get(f"/records/{record.pk}/edit/").content.decode()
    checkbox = re.search(r'<input[^>]*name="wants_collaborators"[^>]*>', edit)
    assert checkbox is not None and "checked" in checkbox.group(0)
    client.post(
        f"/records/{record.pk}/edit/",
        {
            "title": "Looking for a tune",
            "body": "Words that want music.",
            "licence": "riffhouse",
            "remix_policy": "open",
            "visibility": "published",
        },
    )
    record.refresh_from_db()
    assert not record.wants_collaborators
    assert "Looking for collaborators" not in client.get(record.get_absolute_url()).content.decode()


def test_the_api_takes_and_shows_wants_collaborators(user, user_api) -> None:
    created = user_api.post(
        "/api/v1/records",
        {"kind": "text", "title": "Duet", "body": "Half a duet.", "wants_collaborators": "true"},
        headers={"Authorization": f"Bearer {user_api.token}"},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["wants_collaborators"] is True
    patched = user_api.call("patch", f"/records/{body['id']}", {"wants_collaborators": False})
    assert patched.status_code == 200 and patched.json()["wants_collaborators"] is False
    assert user_api.call("get", f"/records/{body['id']}").json()["wants_collaborators"] is False


def test_the_service_keeps_the_choice_unless_told(user, make_record) -> None:
    record = make_record("text", author=user, wants_collaborators=True)
    records.record_update(actor=user, record=record, title="Renamed")
    record.refresh_from_db()
    assert record.wants_collaborators


def test_browse_leads_to_trending_and_needs_collaborators(client: Client) -> None:
    page = client.get("/records/").content.decode()
    assert 'href="/discover/">Trending</a>' in page
    assert 'href="/discover/needs-collaborators/">Needs collaborators</a>' in page
