"""Records that browser tests make through the services, and waiting for the site's worker
to publish them."""

from riffhouse.accounts.models import User
from riffhouse.core.testing import wait_for
from riffhouse.lineage.services import SourceSpec
from riffhouse.records.models import Record
from riffhouse.records.services import record_create


def writing(author: User, title: str, *sources: Record) -> Record:
    """A text record built on `sources` (an original with none)."""
    return record_create(
        author=author,
        sources=[SourceSpec(record_id=s.pk, usage="melody") for s in sources],
        kind="text",
        title=title,
        body=f"{title}: the tide goes out, the tide comes in.",
    )


def published(*records: Record) -> None:
    """Waits for the site's worker to make each record's version live (public)."""
    ids = [r.pk for r in records]
    wait_for(
        lambda: Record.objects.filter(pk__in=ids, live_version__isnull=False).count() == len(ids),
        timeout=90,
        message="the worker to publish the records",
    )
