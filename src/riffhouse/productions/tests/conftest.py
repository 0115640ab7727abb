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


# Lineups and releases ------------------------------------------------------------------------
@pytest.fixture
def make_lineup(producer: User) -> Callable[..., list[Any]]:
    """Each record submitted by its author to `production`, selected by `producer` and
    placed in the lineup, in order, for `ms` each (`link=True`: a producer's link, no
    submission), through submissions' and lineup's services. Items are records or
    (record, ms) or (record, ms, "link") tuples."""
    from riffhouse.productions.lineup import SegmentSpec
    from riffhouse.productions.models import Segment, Submission, SubmissionStatus
    from riffhouse.productions.tests.scenes import line_up, submit

    def make(production: Production, items: list[Any], *, ms: int = 60_000) -> list[Segment]:
        specs = []
        for item in items:
            record, duration, kind = (
                (item, ms, "piece") if not isinstance(item, tuple) else (*item, "piece")[:3]
            )
            timing: dict[str, int] = (
                {"in_ms": 0, "out_ms": duration}
                if record.kind in ("audio", "video")
                else {"duration_ms": duration}
            )
            if kind == "link":
                specs.append(SegmentSpec(kind="link", record_id=record.pk, **timing))
                continue
            submission = Submission.objects.filter(
                production=production,
                record=record,
                need__isnull=True,
                status=SubmissionStatus.SELECTED,
            ).first() or submit(producer=producer, production=production, record=record)
            specs.append(SegmentSpec(submission_id=submission.pk, **timing))
        return line_up(producer=producer, production=production, segments=specs).segments

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
