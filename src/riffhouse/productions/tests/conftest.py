"""Productions' test scene, built through the real services: a producer and their
production with a need, and contributors."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.productions import services
from riffhouse.productions.models import Need, Production


@pytest.fixture
def producer(make_user: Callable[..., User]) -> User:
    return make_user("paz", display_name="Paz Ortega")


@pytest.fixture
def contributor(make_user: Callable[..., User]) -> User:
    return make_user("cleo", display_name="Cleo Marsh")


@pytest.fixture
def make_production(producer: User) -> Callable[..., Production]:
    """A production started by `actor` (default: `producer`), opened when `status` says so."""

    def make(*, actor: User | None = None, status: str = "draft", **fields: Any) -> Production:
        actor = actor or producer
        fields.setdefault("kind", "episode")
        fields.setdefault("title", "Space")
        fields.setdefault("theme", "Space")
        fields.setdefault("brief", "Songs, pictures and poems about **leaving Earth**.")
        production = services.production_create(actor=actor, **fields)
        if status != "draft":
            services.production_status_set(actor=actor, production=production, status="open")
        if status == "curating":
            services.production_status_set(actor=actor, production=production, status="curating")
        production.refresh_from_db()
        return production

    return make


@pytest.fixture
def production(make_production: Callable[..., Production]) -> Production:
    """An open episode about Space."""
    return make_production(status="open")


@pytest.fixture
def need(production: Production, producer: User) -> Need:
    return services.need_create(
        actor=producer,
        production=production,
        title="A song about leaving Earth",
        kinds=["audio"],
        wanted=2,
    )


# Submissions ---------------------------------------------------------------------------------
@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    """A member whose records others submit."""
    return make_user("ines", display_name="Ines Roa")


# Fairness and release (H4) -------------------------------------------------------------------
@pytest.fixture
def make_lineup() -> Callable[..., list[Any]]:
    """The scene submissions.submission_decide (H2) and lineup.lineup_set (H3) make: each
    record selected for `production` and placed in its lineup, in order, for `ms` each
    (`link=True`: a link, no submission). The lead switches it to the services at merge.
    Items are records or (record, ms) or (record, ms, "link") tuples."""
    from riffhouse.productions.models import Segment, Submission, SubmissionStatus

    def make(production: Production, items: list[Any], *, ms: int = 60_000) -> list[Segment]:
        Segment.objects.filter(production=production).delete()
        segments = []
        for position, item in enumerate(items):
            record, duration, kind = (
                (item, ms, "piece") if not isinstance(item, tuple) else (*item, "piece")[:3]
            )
            submission = None
            if kind == "piece":
                submission = Submission.objects.filter(
                    production=production, record=record, need__isnull=True
                ).first() or Submission.objects.create(
                    production=production,
                    record=record,
                    record_version=record.live_version,
                    submitted_by=record.author,
                    status=SubmissionStatus.SELECTED,
                )
            segments.append(
                Segment.objects.create(
                    production=production,
                    position=position,
                    kind=kind,
                    record=record,
                    record_version=record.live_version,
                    submission=submission,
                    duration_ms=duration,
                )
            )
        Production.objects.filter(pk=production.pk).update(
            lineup_version=production.lineup_version + 1
        )
        return segments

    return make


@pytest.fixture
def remix_of() -> Callable[..., Any]:
    """A published text remix of `sources` by `author` (lineage's real service)."""
    from riffhouse.lineage.services import SourceSpec, remix_create

    def make(author: User, *sources: Any, title: str = "A remix", usage: str = "") -> Any:
        record = remix_create(
            author=author,
            sources=[SourceSpec(record_id=s.pk, usage=usage) for s in sources],
            kind="text",
            title=title,
            body="Built on what came before.",
        )
        record.refresh_from_db()
        return record

    return make
