"""Releasing (productions.release): what blocks it, what the job stores, and that a released
production never changes afterwards."""

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from conftest import PASSWORD
from django.test import Client

from riffhouse.accounts.models import User
from riffhouse.community.models import Notification, NotificationVerb
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage.services import SourceSpec, record_sources_set
from riffhouse.productions import hooks, services
from riffhouse.productions.fairness import fairness_rules_set
from riffhouse.productions.models import (
    Production,
    ProductionCredit,
    ProductionStatus,
    SegmentCredit,
)
from riffhouse.productions.release import production_release, release_run
from riffhouse.records.models import Record
from riffhouse.records.services import record_delete, record_update

pytestmark = pytest.mark.django_db


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
    """cleo's poem (1 min), dov's song on it (1 min), paz's link (1 min)."""
    dov = make_user("dov", display_name="Dov Reyes")
    poem = make_record("text", author=contributor, title="Leaving Earth")
    song = remix_of(dov, poem, title="Orbit song", usage="lyrics")
    link = make_record("text", author=producer, title="Welcome")
    make_lineup(production, [poem, song, (link, 60_000, "link")])
    # Submissions closed: a release is made from curating.
    services.production_status_set(actor=producer, production=production, status="curating")
    production.refresh_from_db()
    return {"dov": dov, "poem": poem, "song": song, "link": link}


def _rules(production: Production, producer: User, **rules: Any) -> Production:
    fields = {
        "max_contributor_percent": None,
        "max_producers_percent": None,
        "min_contributors": None,
        "source_share_percent": 40,
        **rules,
    }
    fairness_rules_set(actor=producer, production=production, **fields)
    production.refresh_from_db()
    return production


def test_a_broken_rule_blocks_release_naming_it_and_who_is_over(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    production = _rules(production, producer, max_contributor_percent=40)
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert error.value.status == 409
    assert error.value.code == "fairness_rule_broken"
    assert error.value.detail == (
        "No contributor may hold more than 40 % of the runtime: Cleo Marsh holds 46.7 %."
    )
    production.refresh_from_db()
    assert production.status == ProductionStatus.CURATING
    assert production.release_requested_at is None
    assert not ProductionCredit.objects.exists()


def test_producers_and_staff_over_their_limit_block_release(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    production = _rules(production, producer, max_producers_percent=20)
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert "Producers and staff together may hold at most 20 %" in error.value.detail
    assert "(Paz Ortega 33.3 %)" in error.value.detail


def test_an_empty_lineup_or_a_deleted_record_is_refused(
    production: Production,
    producer: User,
    scene: dict[str, Any],
    make_production: Callable[..., Production],
) -> None:
    empty = make_production(status="curating", title="Nothing yet")
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=empty)
    assert error.value.code == "lineup_empty"
    record_delete(actor=scene["dov"], record=scene["song"])
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert error.value.code == "segment_unavailable"
    assert "Segment 2" in error.value.detail


def test_a_release_waits_for_submissions_to_close(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    services.production_status_set(actor=producer, production=production, status="open")
    production.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert (error.value.status, error.value.code) == (409, "not_curating")
    assert error.value.detail == (
        "It is still open for submissions: close submissions and curate it before you release."
    )
    services.production_status_set(actor=producer, production=production, status="draft")
    production.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert error.value.code == "not_curating"
    assert error.value.detail == "It is a draft: start curating it before you release."
    production.refresh_from_db()
    assert production.status == ProductionStatus.DRAFT
    assert production.release_requested_at is None
    assert not ProductionCredit.objects.exists()


def test_only_producers_release(
    scene: dict[str, Any], production: Production, contributor: User
) -> None:
    with pytest.raises(ApplicationError) as error:
        production_release(actor=contributor, production=production)
    assert error.value.status == 403
    production.refresh_from_db()
    assert production.release_requested_at is None


def test_the_job_stores_credits_the_report_and_notifies_everyone_credited(
    scene: dict[str, Any], production: Production, producer: User, contributor: User
) -> None:
    production_release(actor=producer, production=production)  # the job runs inline in tests
    production.refresh_from_db()
    assert production.status == ProductionStatus.RELEASED
    assert production.released_at is not None
    assert production.release_requested_at is None
    credits = list(ProductionCredit.objects.filter(production=production))
    assert [(c.user_id, c.share_numerator, c.share_denominator) for c in credits] == [
        (contributor.pk, "7", "15"),
        (producer.pk, "1", "3"),
        (scene["dov"].pk, "1", "5"),
    ]
    assert sum(Fraction(int(c.share_numerator), int(c.share_denominator)) for c in credits) == 1
    cleo = credits[0]
    assert (cleo.share_ppm, cleo.runtime_ms, cleo.segment_positions) == (466_667, 84_000, [0, 1])
    assert cleo.roles == ["writing", "lyrics"]
    assert cleo.first_time and not cleo.is_producer and credits[1].is_producer
    song_credits = list(
        SegmentCredit.objects.filter(segment__position=1, segment__production=production)
    )
    assert [(c.user_id, c.closeness, c.roles, c.share_ppm) for c in song_credits] == [
        (scene["dov"].pk, 0, ["writing"], 600_000),
        (contributor.pk, 1, ["lyrics"], 400_000),
    ]
    assert production.released_report["contributors"][0]["exact"] == "7/15"
    told = set(
        Notification.objects.filter(
            verb=NotificationVerb.PRODUCTION_RELEASED, production=production
        ).values_list("recipient_id", flat=True)
    )
    assert told == {contributor.pk, scene["dov"].pk}  # the producer released it themself


def test_the_job_is_idempotent_and_a_second_request_is_refused(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    production_release(actor=producer, production=production)
    assert release_run(production_id=production.pk) == "already released"
    assert ProductionCredit.objects.filter(production=production).count() == 3
    assert Notification.objects.filter(verb=NotificationVerb.PRODUCTION_RELEASED).count() == 2
    production.refresh_from_db()
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert error.value.code == "already_released"


def test_a_request_in_progress_is_refused_and_the_job_runs_once(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    db_task_backend: Any,
) -> None:
    production_release(actor=producer, production=production)  # queued, not run
    production.refresh_from_db()
    assert production.release_requested_at is not None
    assert production.status == ProductionStatus.CURATING
    with pytest.raises(ApplicationError) as error:
        production_release(actor=producer, production=production)
    assert error.value.code == "release_in_progress"
    with pytest.raises(ApplicationError):
        fairness_rules_set(
            actor=producer,
            production=production,
            max_contributor_percent=None,
            max_producers_percent=None,
            min_contributors=None,
            source_share_percent=10,
        )
    assert release_run(production_id=production.pk).startswith("released")
    assert release_run(production_id=production.pk) == "already released"


def test_the_job_tells_the_apps_above_once(
    scene: dict[str, Any], production: Production, producer: User, contributor: User
) -> None:
    calls: list[list[int]] = []

    def heard(*, production: Production, credited_user_ids: Any) -> None:
        calls.append(sorted(credited_user_ids))

    with hooks.after_release.registered(heard):
        production_release(actor=producer, production=production)
        release_run(production_id=production.pk)
    assert calls == [sorted([contributor.pk, producer.pk, scene["dov"].pk])]


def test_editing_or_deleting_a_record_after_release_changes_nothing(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    contributor: User,
    make_record: Callable[..., Any],
) -> None:
    production_release(actor=producer, production=production)
    before = list(
        ProductionCredit.objects.filter(production=production).values_list(
            "user_id", "share_numerator", "share_denominator", "roles"
        )
    )
    report = Production.objects.get(pk=production.pk).released_report
    other = make_record("text", author=producer, title="Late addition")
    record_sources_set(
        actor=scene["dov"], record=scene["song"], sources=[SourceSpec(record_id=other.pk)]
    )
    record_update(actor=contributor, record=scene["poem"], title="Renamed", body="New words.")
    record_delete(actor=contributor, record=scene["poem"])
    after = list(
        ProductionCredit.objects.filter(production=production).values_list(
            "user_id", "share_numerator", "share_denominator", "roles"
        )
    )
    assert after == before
    assert Production.objects.get(pk=production.pk).released_report == report
    assert Record.objects.get(pk=scene["poem"].pk).deleted_at is not None
    response = Client().get(f"/productions/{production.pk}/fairness/")
    assert response.status_code == 200
    assert "46.7 %" in response.content.decode()


def test_the_release_button_shows_the_broken_rule(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    production = _rules(production, producer, max_contributor_percent=25)
    client = Client()
    client.login(username=producer.username, password=PASSWORD)
    fairness_url = f"/productions/{production.pk}/fairness/"
    response = client.post(f"/productions/{production.pk}/release/")
    # Post-redirect-get: the refusal is shown on the fairness page, which a reload re-reads
    # without asking to release again.
    assert (response.status_code, response["Location"]) == (302, fairness_url)
    with django_assert_max_num_queries(14):
        response = client.get(response["Location"])
    assert (response.request["REQUEST_METHOD"], response.request["PATH_INFO"]) == (
        "GET",
        fairness_url,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="alert"' in html and "Not released" in html
    assert "No contributor may hold more than 25 % of the runtime: Cleo Marsh holds 46.7 %" in html
    again = client.get(fairness_url).content.decode()  # a reload: the report, no alert
    assert 'role="alert"' not in again and "Broken" in again
    production.refresh_from_db()
    assert production.release_requested_at is None
    production = _rules(production, producer, max_contributor_percent=50)
    response = client.post(f"/productions/{production.pk}/release/")
    assert response.status_code == 302
    production.refresh_from_db()
    assert production.status == ProductionStatus.RELEASED


def test_an_open_production_offers_closing_submissions_not_release(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    services.production_status_set(actor=producer, production=production, status="open")
    client = Client()
    client.login(username=producer.username, password=PASSWORD)
    with django_assert_max_num_queries(12):
        response = client.get(f"/productions/{production.pk}/fairness/")
    html = response.content.decode()
    assert ">Release</button>" not in html
    assert "Close submissions and start curating</button>" in html
    assert f'action="/productions/{production.pk}/status/"' in html
    response = client.post(f"/productions/{production.pk}/release/", follow=True)
    html = response.content.decode()
    assert "close submissions and curate it before you release" in html
    assert "takes it to curating" in html and "Change the rules below" not in html
    production.refresh_from_db()
    assert production.status == ProductionStatus.OPEN
    assert production.release_requested_at is None
    services.production_status_set(actor=producer, production=production, status="curating")
    html = client.get(f"/productions/{production.pk}/fairness/").content.decode()
    assert ">Release</button>" in html and "Close submissions" not in html


def test_the_released_page_is_public_and_reads_what_was_stored(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    production_release(actor=producer, production=production)
    with django_assert_max_num_queries(4):
        response = Client().get(f"/productions/{production.pk}/fairness/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "As released on" in html and "Save the rules" not in html


def test_the_credited_read_of_the_release_in_their_notifications(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    contributor: User,
    django_assert_max_num_queries: Any,
) -> None:
    production_release(actor=producer, production=production)
    client = Client()
    client.login(username=contributor.username, password=PASSWORD)
    with django_assert_max_num_queries(12):
        response = client.get("/notifications/")
    html = response.content.decode()
    assert "released" in html and "Space</a>, and you are credited in it." in html
