"""Concurrent writes to one record, on a real database (each thread has its own connection and
transaction): they serialise on the record's row and each one sees what the last one wrote.

On SQLite the IMMEDIATE transactions serialise writers anyway; the race these tests guard
against (a lock that waited re-reading only the locked row, so the version another
transaction just made came back as NULL) is PostgreSQL's, where they matter most.
"""

from typing import Any

import pytest

from riffhouse.core.errors import ApplicationError
from riffhouse.core.testing import at_once
from riffhouse.records import services
from riffhouse.records.models import Record, RecordVersion

pytestmark = pytest.mark.django_db(transaction=True)


def _refused_clearly(result: Any) -> bool:
    return isinstance(result, ApplicationError) and result.status == 409


def test_parallel_edits_of_one_record_each_make_a_version(user, make_record):
    record = make_record("text", title="Harbour")
    results = at_once(
        *(
            lambda n=n: services.record_update(
                actor=user, record=record, title=f"Harbour, take {n}", body=f"Take {n}."
            )
            for n in range(12)
        )
    )
    assert all(isinstance(r, Record) or _refused_clearly(r) for r in results), results
    saved = sum(isinstance(r, Record) for r in results)
    assert saved >= 1
    record.refresh_from_db()
    numbers = sorted(record.versions.values_list("number", flat=True))
    assert numbers == list(range(1, saved + 2))  # no gap, no duplicate
    assert record.current_version.number == saved + 1
    assert record.live_version.number == saved + 1  # text is processed inline in tests


def test_parallel_restores_and_edits_serialise(user, make_record):
    record = make_record("text", title="Harbour")
    services.record_update(actor=user, record=record, title="Harbour at dawn", body="Dawn.")
    results = at_once(
        *(
            lambda n=n: (
                services.record_version_restore(actor=user, record=record, number=1)
                if n % 2
                else services.record_update(actor=user, record=record, title=f"Take {n}")
            )
            for n in range(8)
        )
    )
    assert all(isinstance(r, Record | RecordVersion) for r in results), results
    assert RecordVersion.objects.filter(record=record).count() == 2 + 8


def test_a_delete_racing_edits_leaves_a_tombstone_and_clear_refusals(user, make_record):
    record = make_record("text", title="Harbour")
    results = at_once(
        lambda: services.record_delete(actor=user, record=record),
        *(
            lambda n=n: services.record_update(actor=user, record=record, title=f"Take {n}")
            for n in range(5)
        ),
    )
    for result in results:
        assert isinstance(result, Record) or (
            isinstance(result, ApplicationError) and result.code == "deleted"
        ), results
    record.refresh_from_db()
    assert record.deleted_at is not None


def test_parallel_patches_through_the_api_all_answer(user, user_api, make_record):
    """The probe's finding: parallel `PATCH /records/{id}` on PostgreSQL answered 500."""
    record = make_record("text", title="Harbour")
    results = at_once(
        *(
            lambda n=n: user_api.call(
                "patch", f"/records/{record.pk}", {"title": f"Take {n}", "body": f"Take {n}."}
            )
            for n in range(8)
        )
    )
    codes = sorted(r.status_code for r in results)
    assert set(codes) <= {200, 409}, [r.content[:200] for r in results]
    assert RecordVersion.objects.filter(record=record).count() == 1 + codes.count(200)
