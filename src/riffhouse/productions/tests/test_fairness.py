"""The fairness report and its rules (productions.fairness), and the fairness page."""

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import pytest
from conftest import PASSWORD
from django.test import Client

from riffhouse.accounts.models import Role, User
from riffhouse.accounts.services import user_set_role
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import services
from riffhouse.productions.fairness import fairness_report, fairness_rules_set, lineup_shares
from riffhouse.productions.models import Production
from riffhouse.productions.tests.scenes import release_now

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
    """Three segments of a minute: cleo's poem; dov's song on cleo's poem; a link by paz.
    Source share 40 %: the song is dov's 3/5 and cleo's 2/5."""
    dov = make_user("dov", display_name="Dov Reyes")
    poem = make_record("text", author=contributor, title="Leaving Earth")
    song = remix_of(dov, poem, title="Orbit song", usage="lyrics")
    link = make_record("text", author=producer, title="Welcome")
    make_lineup(production, [poem, song, (link, 60_000, "link")])
    return {"dov": dov, "poem": poem, "song": song, "link": link}


def test_shares_weigh_runtime_by_the_lineage(
    scene: dict[str, Any], production: Production, producer: User, contributor: User
) -> None:
    shares = lineup_shares(production=production)
    third = Fraction(1, 3)
    assert shares == {
        contributor.pk: third + third * Fraction(2, 5),
        scene["dov"].pk: third * Fraction(3, 5),
        producer.pk: third,
    }
    assert sum(shares.values()) == 1


def test_the_report_counts_producers_links_and_newcomers(
    scene: dict[str, Any], production: Production, producer: User, contributor: User
) -> None:
    report = fairness_report(production=production)
    assert report.runtime_ms == 180_000
    assert report.distinct_contributors == 3
    assert report.first_time_contributors == 3
    assert report.producers_share == Fraction(1, 3)
    assert report.link_share == Fraction(1, 3)
    assert report.community_share == Fraction(2, 3)
    assert report.segments_with_producer == 1
    top = report.contributors[0]
    assert (top.user_id, top.percent, top.runtime_ms) == (contributor.pk, 46.7, 84_000)
    data = report.as_dict()
    assert data["contributors"][0]["exact"] == "7/15"
    assert data["producers"] == {"percent": 33.3, "exact": "1/3"}
    assert data["passes"] is True


def test_staff_count_with_producers_and_credits_elsewhere_are_not_first_time(
    scene: dict[str, Any],
    production: Production,
    make_production: Callable[..., Production],
    make_lineup: Callable[..., Any],
    make_record: Callable[..., Any],
    producer: User,
    contributor: User,
    make_user: Callable[..., User],
) -> None:
    admin = make_user("ines", role=Role.ADMIN)
    user_set_role(actor=admin, user=scene["dov"], role=Role.STAFF)
    other = make_production(status="open", title="Earlier")
    make_lineup(other, [make_record("text", author=contributor, title="Earlier poem")])
    release_now(producer=producer, production=other)  # cleo is credited there
    report = fairness_report(production=production)
    assert report.staff_share == Fraction(1, 5)
    assert report.producers_staff_share == Fraction(1, 3) + Fraction(1, 5)
    by_user = {c.user_id: c for c in report.contributors}
    assert by_user[contributor.pk].first_time is False
    assert by_user[scene["dov"].pk].first_time is True
    assert by_user[scene["dov"].pk].is_staff is True


def test_a_segment_with_a_producer_in_its_lineage_counts(
    production: Production,
    producer: User,
    contributor: User,
    make_record: Callable[..., Any],
    make_lineup: Callable[..., Any],
    remix_of: Callable[..., Any],
) -> None:
    theirs = make_record("text", author=producer, title="Producer's sketch")
    built = remix_of(contributor, theirs)
    plain = make_record("text", author=contributor, title="Plain")
    make_lineup(production, [built, plain])
    report = fairness_report(production=production)
    assert report.segments_with_producer == 1
    assert report.as_dict()["segments_with_producer_percent"] == 50.0


def test_broken_rules_name_the_rule_and_who_is_over(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    fairness_rules_set(
        actor=producer,
        production=production,
        max_contributor_percent=25,
        max_producers_percent=20,
        min_contributors=5,
        source_share_percent=40,
    )
    production.refresh_from_db()
    report = fairness_report(production=production)
    broken = {b["rule"]: b for b in report.broken}
    assert set(broken) == {"max_contributor_percent", "max_producers_percent", "min_contributors"}
    # People are named as the chart names them: by the name the site shows.
    assert broken["max_contributor_percent"]["who"] == ["Cleo Marsh", "Paz Ortega"]
    chart = [c["display_name"] for c in report.as_dict()["contributors"][:2]]
    assert broken["max_contributor_percent"]["who"] == chart
    assert broken["max_contributor_percent"]["message"] == (
        "No contributor may hold more than 25 % of the runtime: Cleo Marsh holds 46.7 %, "
        "Paz Ortega holds 33.3 %."
    )
    assert broken["max_producers_percent"]["actual"] == 33.3
    assert broken["min_contributors"]["actual"] == 3


def test_a_proposed_lineup_is_measured_without_being_stored(
    scene: dict[str, Any], production: Production, contributor: User
) -> None:
    class Proposed:
        def __init__(self, kind: str, record_id: int, duration_ms: int) -> None:
            self.kind, self.record_id, self.duration_ms = kind, record_id, duration_ms

    shares = lineup_shares(
        production=production, segments=[Proposed("piece", scene["poem"].pk, 1000)]
    )
    assert shares == {contributor.pk: Fraction(1)}


def test_rules_are_validated_and_for_producers_only(
    production: Production, producer: User, contributor: User
) -> None:
    base = {
        "max_contributor_percent": None,
        "max_producers_percent": None,
        "min_contributors": None,
        "source_share_percent": 40,
    }
    for change, field in [
        ({"max_contributor_percent": 0}, "max_contributor_percent"),
        ({"max_producers_percent": 101}, "max_producers_percent"),
        ({"min_contributors": 0}, "min_contributors"),
        ({"source_share_percent": 95}, "source_share_percent"),
    ]:
        with pytest.raises(ApplicationError) as error:
            fairness_rules_set(actor=producer, production=production, **{**base, **change})
        assert error.value.field == field
    with pytest.raises(ApplicationError) as error:
        fairness_rules_set(actor=contributor, production=production, **base)
    assert error.value.status == 403
    production.refresh_from_db()
    assert production.rule_max_contributor_percent is None


def test_the_source_share_changes_the_weighting(
    scene: dict[str, Any], production: Production, producer: User, contributor: User
) -> None:
    fairness_rules_set(
        actor=producer,
        production=production,
        max_contributor_percent=None,
        max_producers_percent=None,
        min_contributors=None,
        source_share_percent=0,
    )
    production.refresh_from_db()
    assert lineup_shares(production=production)[contributor.pk] == Fraction(1, 3)


# The page ------------------------------------------------------------------------------------
def _client(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_page_shows_producers_the_report_the_rule_and_the_form(
    scene: dict[str, Any],
    production: Production,
    producer: User,
    django_assert_max_num_queries: Any,
) -> None:
    services.production_status_set(actor=producer, production=production, status="curating")
    client = _client(producer)
    with django_assert_max_num_queries(14):
        response = client.get(f"/productions/{production.pk}/fairness/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Each segment&#x27;s author keeps 60 % of it" in html
    assert "Cleo Marsh" in html and "46.7 %" in html
    assert f'action="/productions/{production.pk}/release/"' in html
    assert "Save the rules" in html


def test_before_release_the_page_is_the_producers_only(
    scene: dict[str, Any], production: Production, contributor: User
) -> None:
    assert Client().get(f"/productions/{production.pk}/fairness/").status_code == 404
    assert _client(contributor).get(f"/productions/{production.pk}/fairness/").status_code == 404
    response = _client(contributor).post(
        f"/productions/{production.pk}/fairness/", {"source_share_percent": 10}
    )
    assert response.status_code == 404


def test_the_form_sets_the_rules_and_shows_errors(
    scene: dict[str, Any], production: Production, producer: User
) -> None:
    client = _client(producer)
    url = f"/productions/{production.pk}/fairness/"
    response = client.post(url, {"max_contributor_percent": "25", "source_share_percent": "50"})
    assert response.status_code == 302
    production.refresh_from_db()
    assert (production.rule_max_contributor_percent, production.source_share_percent) == (25, 50)
    response = client.post(url, {"source_share_percent": "99"})
    assert response.status_code == 400
    production.refresh_from_db()
    assert production.source_share_percent == 50
    html = client.get(url).content.decode()
    assert "Broken" in html and "Cleo Marsh holds" in html
