from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from riffhouse.accounts.models import User
from riffhouse.productions import lineup
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import Production, Segment, Submission
from riffhouse.productions.tests.scenes import submit
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


@pytest.fixture
def producer_client(producer: User) -> Client:
    client = Client()
    client.force_login(producer)
    return client


def _url(production: Production) -> str:
    return reverse("productions:lineup", args=[production.pk])


def _lineup_part(page: str) -> str:
    """The ordered lineup of the page (the cards for pieces not added yet come before it)."""
    return page[page.index("data-lineup>") :]


def _post(rows: list[dict[str, str]], *, version: int, action: str = "save") -> dict[str, Any]:
    fields = ("kind", "submission", "record", "in", "out", "duration", "title", "notes")
    data: dict[str, Any] = {name: [row.get(name, "") for row in rows] for name in fields}
    data.update(version=str(version), action=action)
    return data


def test_the_editor_shows_the_lineup_and_the_pieces_left_to_add(
    production: Production,
    producer: User,
    producer_client: Client,
    selected: Any,
    make_record: Callable[..., Record],
) -> None:
    song, art = selected("audio", "Leaving Earth"), selected("image", "Blue planet")
    make_record("text", author=producer, title="Welcome card")
    lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=song.pk, in_ms=100, out_ms=600, title="Lift-off")],
    )
    response = producer_client.get(_url(production))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="0:00.1"' in page and 'value="0:00.6"' in page  # in and out, mm:ss.s
    assert 'value="Lift-off"' in page
    assert "Blue planet" in page and f'value="add-piece:{art.pk}"' in page
    assert f'data-available-item="piece-{song.pk}" hidden' in page  # already in the lineup
    assert "Welcome card" in page  # a link may be made from the producer's own record
    assert "<strong data-runtime>0:00.5</strong>" in page
    assert "vendor/sortablejs/Sortable.min.js" in page


def test_saving_the_form_writes_the_whole_lineup(
    production: Production, producer_client: Client, selected: Any
) -> None:
    song, art = selected("audio", "Leaving Earth"), selected("image", "Blue planet")
    rows = [
        {"kind": "piece", "submission": str(art.pk), "duration": "0:04.5", "title": "Open"},
        {"kind": "piece", "submission": str(song.pk), "in": "0.2", "out": "0:00.7"},
    ]
    response = producer_client.post(_url(production), _post(rows, version=0))
    assert response.status_code == 302
    segments = list(Segment.objects.filter(production=production))
    assert [(s.submission_id, s.duration_ms, s.title) for s in segments] == [
        (art.pk, 4500, "Open"),
        (song.pk, 500, ""),
    ]
    production.refresh_from_db()
    assert production.lineup_version == 1


def test_a_bad_time_is_shown_on_its_card_and_nothing_is_saved(
    production: Production, producer_client: Client, selected: Any
) -> None:
    song = selected("audio", "Leaving Earth")
    rows = [{"kind": "piece", "submission": str(song.pk), "in": "0:00.8", "out": "0:00.2"}]
    response = producer_client.post(_url(production), _post(rows, version=0))
    assert response.status_code == 400
    page = response.content.decode()
    assert "has to come after the in point" in page
    assert 'value="0:00.8"' in page  # what was typed comes back
    garbled = [{"kind": "piece", "submission": str(song.pk), "in": "soon"}]
    response = producer_client.post(_url(production), _post(garbled, version=0))
    assert response.status_code == 400
    assert "Write a time as minutes:seconds" in response.content.decode()
    assert not Segment.objects.exists()


def test_a_stale_save_keeps_the_producers_work_and_says_why(
    production: Production, producer: User, producer_client: Client, selected: Any
) -> None:
    song, art = selected("audio", "Leaving Earth"), selected("image", "Blue planet")
    lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=art.pk)],
    )
    rows = [{"kind": "piece", "submission": str(song.pk), "title": "My careful title"}]
    response = producer_client.post(_url(production), _post(rows, version=0))
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else changed the lineup — reload to see their version" in page
    assert 'value="My careful title"' in page
    assert [s.submission_id for s in Segment.objects.all()] == [art.pk]


def test_without_javascript_the_buttons_rearrange_the_page_unsaved(
    production: Production, producer_client: Client, selected: Any
) -> None:
    song, art = selected("audio", "Leaving Earth"), selected("image", "Blue planet")
    rows = [
        {"kind": "piece", "submission": str(song.pk)},
        {"kind": "piece", "submission": str(art.pk)},
    ]
    response = producer_client.post(_url(production), _post(rows, version=0, action="down:0"))
    assert response.status_code == 200
    assert "not saved yet" in response.content.decode()
    cards = _lineup_part(response.content.decode())
    assert cards.index(f'name="submission" value="{art.pk}"') < cards.index(
        f'name="submission" value="{song.pk}"'
    )
    added = producer_client.post(
        _url(production), _post(rows[:1], version=0, action=f"add-piece:{art.pk}")
    )
    assert _lineup_part(added.content.decode()).count('<li class="segment-card') == 2
    assert not Segment.objects.exists()


def test_only_producers_open_the_editor(
    production: Production,
    make_production: Callable[..., Production],
    contributor: User,
    client: Client,
) -> None:
    url = _url(production)
    assert client.get(url).status_code == 302  # to log in
    client.force_login(contributor)
    assert client.get(url).status_code == 403
    assert client.post(url, _post([], version=0)).status_code == 403
    assert client.get(_url(make_production())).status_code == 404  # a draft
    production.refresh_from_db()
    assert production.lineup_version == 0


def test_the_editor_reads_in_bounded_queries(
    production: Production,
    producer: User,
    producer_client: Client,
    selected: Any,
    django_assert_max_num_queries: Any,
) -> None:
    subs = [selected(kind, f"{kind} {i}") for i in range(5) for kind in ("image", "audio", "text")]
    lineup.lineup_set(
        actor=producer,
        production=production,
        version=0,
        segments=[SegmentSpec(submission_id=s.pk) for s in subs[:10]],
    )
    with django_assert_max_num_queries(25):
        response = producer_client.get(_url(production))
    assert _lineup_part(response.content.decode()).count('<li class="segment-card') == 10
