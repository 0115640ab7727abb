"""Plays: counted per record and day without storing who played; one browser's repeats count
once."""

from datetime import timedelta

import pytest
from conftest import ApiClient
from django.db import connection
from django.test import Client
from django.utils import timezone

from riffhouse.community.feeds import services
from riffhouse.community.feeds.models import RecordPlayDay
from riffhouse.community.models import RecordStats
from riffhouse.core.models import MemberSession as Session
from riffhouse.records import services as records

pytestmark = pytest.mark.django_db


def plays(record) -> tuple[int, list[tuple[object, int]]]:
    stats = RecordStats.objects.filter(record=record).first()
    days = list(RecordPlayDay.objects.filter(record=record).values_list("day", "plays"))
    return (stats.plays if stats else 0), days


def test_a_play_is_counted_once_per_browser(user, make_record) -> None:
    record = make_record("text", author=user)
    today = timezone.now().date()

    browser = ApiClient(REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Firefox")
    first = browser.call("post", f"/records/{record.pk}/play")
    again = browser.call("post", f"/records/{record.pk}/play")

    assert first.status_code == 200 and first.json() == {"counted": True}
    assert again.json() == {"counted": False}
    assert plays(record) == (1, [(today, 1)])

    other = ApiClient(REMOTE_ADDR="198.51.100.2", HTTP_USER_AGENT="Firefox")
    assert other.call("post", f"/records/{record.pk}/play").json() == {"counted": True}
    assert plays(record) == (2, [(today, 2)])


def test_a_logged_in_browser_is_told_apart_by_its_session(
    client: Client, user, ana, make_record
) -> None:
    record = make_record("text", author=ana)
    client.force_login(user)
    url = f"/api/v1/records/{record.pk}/play"
    assert client.post(url).json() == {"counted": True}
    assert client.post(url).json() == {"counted": False}
    second = Client()
    second.force_login(user)  # another device: another session
    assert second.post(url).json() == {"counted": True}
    assert plays(record)[0] == 2


def test_nobody_s_identity_is_stored(make_record, user) -> None:
    record = make_record("text", author=user)
    sessions = Session.objects.count()
    ApiClient(REMOTE_ADDR="203.0.113.99", HTTP_USER_AGENT="Secret-Agent/1").call(
        "post", f"/records/{record.pk}/play"
    )

    # The only rows: the counts. No session was made for the listener, and neither the
    # address nor the user agent is anywhere in the play tables.
    assert {f.column for f in RecordPlayDay._meta.concrete_fields} == {
        "id",
        "record_id",
        "day",
        "plays",
    }
    assert Session.objects.count() == sessions
    for table in (RecordPlayDay._meta.db_table, RecordStats._meta.db_table):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (a model's table name)
            dump = repr(cursor.fetchall())
        assert "203.0.113.99" not in dump and "Secret-Agent" not in dump


def test_days_are_counted_apart(user, make_record) -> None:
    record = make_record("text", author=user)
    now = timezone.now()
    assert services.record_play_count(record=record, listener="a", now=now - timedelta(days=1))
    assert services.record_play_count(record=record, listener="b", now=now)
    assert sorted(plays(record)[1]) == [((now - timedelta(days=1)).date(), 1), (now.date(), 1)]


def test_only_listed_records_count(user, ana, make_record, api) -> None:
    draft = make_record("text", author=user, title="Draft", visibility="draft")
    assert api.call("post", f"/records/{draft.pk}/play").status_code == 404
    assert api.call("post", "/records/999999/play").status_code == 404
    gone = make_record("text", author=user, title="Gone")
    records.record_delete(actor=user, record=gone)
    assert api.call("post", f"/records/{gone.pk}/play").json() == {"counted": False}
    assert plays(draft)[0] == 0 and plays(gone)[0] == 0


def test_play_takes_few_queries(user, make_record, api, django_assert_max_num_queries) -> None:
    record = make_record("text", author=user)
    # The record; then its counts: an update, or (first play, first play today) an insert.
    with django_assert_max_num_queries(11):  # savepoints included
        assert api.call("post", f"/records/{record.pk}/play").json() == {"counted": True}
    with django_assert_max_num_queries(5):  # the record, two updates, a savepoint
        browser = ApiClient(REMOTE_ADDR="198.51.100.3")
        assert browser.call("post", f"/records/{record.pk}/play").json() == {"counted": True}


def test_the_record_page_sends_plays_for_audio_only_when_public(
    client: Client, user, make_record
) -> None:
    song = make_record("audio", author=user, title="Song")
    page = client.get(song.get_absolute_url()).content.decode()
    assert f'data-play-url="/api/v1/records/{song.pk}/play"' in page
    assert "js/plays.js" in page
    text = make_record("text", author=user, title="Poem")
    assert "js/plays.js" not in client.get(text.get_absolute_url()).content.decode()
