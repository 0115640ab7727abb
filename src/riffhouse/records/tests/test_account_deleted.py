"""When a member deletes their account, their records stay as tombstones (credits survive)
and everything that showed them reads "a former member"."""

from pathlib import Path

import pytest
from conftest import PASSWORD, ApiClient
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.records import services
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def files_of(record: Record) -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / "records" / str(record.pk)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class TestRecordsOfAFormerMember:
    def test_become_tombstones_and_drafts_lose_their_files(
        self, user: User, make_record, make_user, django_capture_on_commit_callbacks
    ) -> None:
        published = make_record("image", title="Harbour at dusk")
        draft = make_record("image", title="Unfinished", visibility="draft")
        poem = make_record("text", title="Tide")
        earlier = make_record("text", title="Withdrawn")
        services.record_delete(actor=user, record=earlier)
        earlier.refresh_from_db()
        someone_elses = make_record("text", title="Not theirs", author=make_user("sable"))
        assert files_of(published) and files_of(draft)

        with django_capture_on_commit_callbacks(execute=True):
            accounts.account_delete(user=user, password=PASSWORD)

        for record in (published, draft, poem):
            record.refresh_from_db()
            assert record.deleted_at is not None, record.title
            assert record.author_id == user.pk  # still credited to the (anonymised) row
        assert files_of(draft) == []
        assert files_of(published)  # published work stays as a tombstone, like record_delete
        assert Record.objects.get(pk=earlier.pk).deleted_at == earlier.deleted_at
        assert Record.objects.get(pk=someone_elses.pk).deleted_at is None

    def test_the_same_queries_however_many_records(
        self, user: User, make_record, make_user
    ) -> None:
        # A draft and a published record, as among the six: drafts lose their files, and the
        # apps on `after_delete` (search's index) do the same bounded work for one findable
        # record as for three.
        make_record("text", title="Poem", visibility="draft")
        make_record("text", title="Song")
        with CaptureQueriesContext(connection) as one:
            assert services.records_delete_for_author(author=user) == 2
        prolific = make_user("prolific")
        for i in range(6):
            make_record(
                "text",
                author=prolific,
                title=f"Poem {i}",
                visibility="draft" if i % 2 else "published",
            )
        with CaptureQueriesContext(connection) as six:
            assert services.records_delete_for_author(author=prolific) == 6
        assert len(six.captured_queries) == len(one.captured_queries)
        assert sum('UPDATE "records_record"' in q["sql"] for q in six.captured_queries) == 1
        assert not Record.objects.filter(author=prolific, deleted_at__isnull=True).exists()

    def test_if_records_cannot_be_removed_the_account_is_not_deleted(
        self, user: User, make_record, monkeypatch
    ) -> None:
        record = make_record("text")

        def broken(*, author: User) -> int:
            raise RuntimeError("storage down")

        monkeypatch.setattr(services, "records_delete_for_author", broken)
        with pytest.raises(RuntimeError):
            accounts.account_delete(user=user, password=PASSWORD)
        user.refresh_from_db()
        record.refresh_from_db()
        assert user.deleted_at is None and user.username == "orion"
        assert record.deleted_at is None

    def test_the_record_page_credits_a_former_member(
        self, client: Client, user: User, make_record
    ) -> None:
        record = make_record("text", title="Tide")
        accounts.account_delete(user=user, password=PASSWORD)
        response = client.get(record.get_absolute_url())
        assert response.status_code == 410
        body = response.content.decode()
        assert "by a former member" in body
        assert "Orion Vale" not in body and "orion" not in body.lower().replace("riffhouse", "")

    def test_the_api_answers_410_for_their_records(
        self, api: ApiClient, user: User, make_record
    ) -> None:
        record = make_record("text", title="Tide")
        accounts.account_delete(user=user, password=PASSWORD)
        response = api.call("get", f"/records/{record.pk}")
        assert response.status_code == 410 and response.json()["code"] == "deleted"
        assert api.call("get", "/records?author=orion").json()["items"] == []


class TestAVisibleRecordOfAFormerMember:
    """Credits that stay on show (a remix's sources, later a production's lineup) read "a
    former member" with no link to the old profile and no avatar."""

    @pytest.fixture
    def record(self, user: User, make_record) -> Record:
        record = make_record("text", title="Tide")
        accounts.account_delete(user=user, password=PASSWORD)
        # Kept on show, as a record whose tombstone was lifted by moderation would be (a
        # scene no service makes yet, so set directly: records' hooks are not involved).
        Record.objects.filter(pk=record.pk).update_after_hooks(deleted_at=None)
        return record

    def test_the_byline_is_plain_text(self, client: Client, user: User, record: Record) -> None:
        response = client.get(record.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        byline = body[body.index('class="record-byline"') :]
        byline = byline[: byline.index("</p>")]
        assert "a former member" in byline
        assert '<a href="/@' not in byline and "<img" not in byline
        assert "Orion Vale" not in body

    def test_the_api_names_a_former_member(self, api: ApiClient, record: Record) -> None:
        author = api.call("get", f"/records/{record.pk}").json()["author"]
        assert author["display_name"] == "a former member"
