"""Productions' test scenes through the real services, for the tests that need a production
further along than a call: submissions decided (`submit`), a lineup saved (`line_up`) and a
release run (`release`). Plain functions, so the browser tests use them too; the fixtures in
conftest.py wrap them."""

from collections.abc import Sequence
from datetime import datetime

from riffhouse.accounts.models import User
from riffhouse.productions import lineup, release, services, submissions
from riffhouse.productions.lineup import Lineup, SegmentSpec
from riffhouse.productions.models import Need, Production, ProductionStatus, Segment, Submission
from riffhouse.records import services as records
from riffhouse.records.models import Record


def submit(
    *,
    producer: User,
    production: Production,
    record: Record,
    status: str = "selected",
    by: User | None = None,
    need: Need | None = None,
) -> Submission:
    """`record` submitted to `production` (by its author, or `by`), then taken to `status`
    as the producers (or, for "withdrawn", its contributor) would: submitted, shortlisted,
    selected, declined or withdrawn. A submission of someone else's `ask` record stays
    waiting for its author's consent ("submitted", consent "asked")."""
    submission = submissions.submission_create(
        actor=by or record.author, production=production, record=record, need=need
    )
    if status == "withdrawn":
        return submissions.submission_withdraw(actor=submission.submitted_by, submission=submission)
    if status != "submitted":
        submission = submissions.submission_decide(
            actor=producer, submission=submission, status=status
        )
    return submission


def line_up(*, producer: User, production: Production, segments: Sequence[SegmentSpec]) -> Lineup:
    """Save `segments` as the lineup, at the version it stands at."""
    version = Production.objects.values_list("lineup_version", flat=True).get(pk=production.pk)
    return lineup.lineup_set(
        actor=producer, production=production, segments=segments, version=version
    )


def release_now(
    *, producer: User, production: Production, released_at: datetime | None = None
) -> Production:
    """Release `production` through the release request and the release job, closing its
    submissions first as its producer would (a release is made from curating). An empty
    lineup first gets the producer's one link (a release needs a lineup). The job runs
    inline in tests; it is run again in case the test queues jobs in the database (it is
    idempotent). `released_at`: the release is dated back to that moment afterwards, as if
    it had run then (there is no clock library here; only the date is moved)."""
    if not Segment.objects.filter(production=production).exists():
        link = records.record_create(
            author=producer, kind="text", title="Welcome", body="Welcome to the show."
        )
        line_up(
            producer=producer,
            production=production,
            segments=[SegmentSpec(kind="link", record_id=link.pk)],
        )
    if production.status != ProductionStatus.CURATING:
        services.production_status_set(
            actor=producer, production=production, status=ProductionStatus.CURATING
        )
    release.production_release(actor=producer, production=production)
    release.release_run(production_id=production.pk)
    if released_at is not None:
        Production.objects.filter(pk=production.pk).update(released_at=released_at)
    production.refresh_from_db()
    return production
