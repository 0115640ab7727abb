from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, Role, User
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import services
from riffhouse.productions.models import Production, ProductionRevision
from riffhouse.records.models import Record


def test_a_member_starts_a_production_and_is_its_first_producer(producer: User) -> None:
    production = services.production_create(
        actor=producer, kind="anthology", title=" Fantasy ", theme="Fantasy", brief="# Dragons"
    )
    assert production.status == "draft"
    assert production.title == "Fantasy"
    assert "<h1>Dragons</h1>" in production.brief_html
    assert list(production.producers.values_list("user__username", flat=True)) == ["paz"]
    assert not production.official
    assert AuditEvent.objects.filter(action="production_created", target_id=production.pk).exists()


def test_a_production_run_by_staff_is_official(
    make_user: Callable[..., User], production: Production, producer: User
) -> None:
    staff = make_user("stella", role=Role.STAFF)
    services.producer_add(actor=producer, production=production, user=staff)
    production.refresh_from_db()
    assert production.official
    services.producer_remove(actor=producer, production=production, user=staff)
    production.refresh_from_db()
    assert not production.official


def test_the_last_producer_cannot_leave(production: Production, producer: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.producer_remove(actor=producer, production=production, user=producer)
    assert refused.value.code == "last_producer"
    assert production.producers.count() == 1


def test_only_producers_change_a_production(production: Production, contributor: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.production_update(actor=contributor, production=production, title="Mine now")
    assert refused.value.status == 403
    production.refresh_from_db()
    assert production.title == "Space"


def test_edits_keep_a_history(production: Production, producer: User) -> None:
    services.production_update(actor=producer, production=production, brief="New brief")
    services.production_update(actor=producer, production=production, title="Space, again")
    revisions = list(
        ProductionRevision.objects.filter(production=production).order_by("created_at", "pk")
    )
    assert [r.changed for r in revisions] == [["title", "theme", "brief"], ["brief"], ["title"]]
    assert revisions[1].brief == "New brief" and revisions[1].title == "Space"
    assert revisions[2].title == "Space, again"


def test_a_need_pins_its_seed_version(
    production: Production, producer: User, make_record: Callable[..., Record]
) -> None:
    seed = make_record("text", author=producer, title="A poem to illustrate")
    need = services.need_create(
        actor=producer, production=production, title="Illustrations", kinds=["image"], seed=seed
    )
    assert need.seed_version_id == seed.live_version_id
    assert need.kind_list == ["image"]


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kinds": []}, "kinds_required"),
        ({"kinds": ["poster"]}, "kind_invalid"),
        ({"wanted": 0}, "wanted_invalid"),
        ({"title": "   "}, "title_required"),
        ({"deadline": timezone.now() - timedelta(days=1)}, "deadline_past"),
    ],
)
def test_a_bad_need_is_refused_and_nothing_saved(
    production: Production, producer: User, fields: dict[str, object], code: str
) -> None:
    values: dict[str, object] = {"title": "A song", "kinds": ["audio"], **fields}
    with pytest.raises(ApplicationError) as refused:
        services.need_create(actor=producer, production=production, **values)  # type: ignore[arg-type]
    assert refused.value.code == code
    assert not production.needs.exists()


def test_release_is_not_a_status_move(production: Production, producer: User) -> None:
    with pytest.raises(ApplicationError) as refused:
        services.production_status_set(actor=producer, production=production, status="released")
    assert refused.value.code == "release_through_lineup"
