"""Everyone but its author sees a record as its live version: a new version's title and
description stay the author's until that version is processed and goes live."""

import pytest
from conftest import ApiClient
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from riffhouse.records import processing, services
from riffhouse.records.models import ProcessingStatus, Record
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(db_task_backend, make_record, user_api: ApiClient) -> Record:
    """A published image whose second version (a new title and description) waits for its
    job: processing runs from the queue here, not inline."""
    record = make_record("image", title="Harbour at dusk", description="Boats, old light.")
    processing.version_process(version_id=record.current_version_id)
    response = user_api.post(
        f"/api/v1/records/{record.pk}/versions",
        {
            "file": SimpleUploadedFile("b.png", samples.png((80, 80), (0, 0, 255))),
            "title": "Secret new name",
            "description": "Not out yet.",
        },
        headers={"Authorization": f"Bearer {user_api.token}"},
    )
    assert response.status_code == 201, response.content
    record.refresh_from_db()
    assert record.current_version.status == ProcessingStatus.PENDING
    assert record.live_version.number == 1
    return record


def test_the_api_shows_others_the_live_version(pending, api, user_api) -> None:
    detail = api.call("get", f"/records/{pending.pk}").json()
    assert (detail["title"], detail["description"]) == ("Harbour at dusk", "Boats, old light.")
    assert detail["version"]["number"] == 1
    listed = api.call("get", "/records").json()["items"]
    assert [(r["id"], r["title"]) for r in listed] == [(pending.pk, "Harbour at dusk")]
    versions = api.call("get", f"/records/{pending.pk}/versions").json()
    assert [(v["number"], v["title"]) for v in versions] == [(1, "Harbour at dusk")]
    assert "Secret" not in api.call("get", f"/records/{pending.pk}").content.decode()


def test_the_api_shows_its_author_the_newest_version(pending, user_api) -> None:
    mine = user_api.call("get", f"/records/{pending.pk}").json()
    assert (mine["title"], mine["description"]) == ("Secret new name", "Not out yet.")
    assert mine["version"]["number"] == 2


def test_pages_show_others_the_live_version(pending, user) -> None:
    anonymous = Client()
    page = anonymous.get(pending.get_absolute_url()).content.decode()
    assert "<title>Harbour at dusk · Riffhouse</title>" in page
    assert "<h1>Harbour at dusk</h1>" in page
    assert "Boats, old light." in page
    assert "Secret" not in page and "Not out yet" not in page
    listing = anonymous.get(reverse("records:list")).content.decode()
    assert "Harbour at dusk" in listing and "Secret" not in listing
    author = Client()
    author.force_login(user)
    own = author.get(pending.get_absolute_url()).content.decode()
    assert "<h1>Secret new name</h1>" in own and "Not out yet." in own
    edit = author.get(reverse("records:edit", args=[pending.pk])).content.decode()
    assert 'value="Secret new name"' in edit


def test_once_processed_the_new_version_is_what_everyone_sees(pending, api) -> None:
    processing.version_process(version_id=pending.current_version_id)
    detail = api.call("get", f"/records/{pending.pk}").json()
    assert (detail["title"], detail["version"]["number"]) == ("Secret new name", 2)
    pending.refresh_from_db()
    assert pending.title == "Secret new name"


def test_the_records_own_title_is_the_live_versions(user, make_record, db_task_backend) -> None:
    """Lists, cards, lineage nodes, the JSON-LD export and notifications read the record's
    title and description: they stay the live version's while a new one is pending, after
    a restore of an unprocessed version, and when the new version fails."""
    record = make_record("image", title="First")
    processing.version_process(version_id=record.current_version_id)
    services.record_update(
        actor=user,
        record=record,
        title="Second",
        description="Changed",
        upload=upload(samples.png((70, 70)), "b.png"),
    )
    record.refresh_from_db()
    assert (record.title, record.description) == ("First", "")
    processing._fail(record.current_version_id, "broken")
    services.record_version_restore(actor=user, record=record, number=2)
    record.refresh_from_db()
    assert (record.title, record.current_version.number) == ("First", 3)
