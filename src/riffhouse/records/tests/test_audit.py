"""Every important write to a record leaves an audit row (accounts' `AuditEvent`), written
by the service in the write's transaction: who, what, to which record."""

import pytest

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.core.errors import ApplicationError
from riffhouse.records import services

pytestmark = pytest.mark.django_db

A = AuditEvent.Action


def rows(*actions: str) -> list[tuple[str | None, str, str, int | None]]:
    return [
        (e.actor.username if e.actor else None, e.action, e.target_type, e.target_id)
        for e in AuditEvent.objects.filter(action__in=actions)
        .select_related("actor")
        .order_by("pk")
    ]


def test_create_new_version_restore_and_delete_are_audited(user: User, make_record) -> None:
    record = make_record("text")
    services.record_update(actor=user, record=record, body="New words.")
    services.record_update(actor=user, record=record, tags="sea")  # settings: no new version
    services.record_version_restore(actor=user, record=record, number=1)
    services.record_delete(actor=user, record=record)
    target = ("records.record", record.pk)
    assert rows(
        A.RECORD_CREATED, A.RECORD_VERSION_CREATED, A.RECORD_RESTORED, A.RECORD_DELETED
    ) == [
        ("orion", A.RECORD_CREATED, *target),
        ("orion", A.RECORD_VERSION_CREATED, *target),
        ("orion", A.RECORD_RESTORED, *target),
        ("orion", A.RECORD_DELETED, *target),
    ]
    versions = AuditEvent.objects.filter(action__in=[A.RECORD_VERSION_CREATED, A.RECORD_RESTORED])
    assert [e.data.get("version") for e in versions.order_by("pk")] == [2, 3]
    assert set(
        AuditEvent.objects.filter(target_id=record.pk).values_list("subject", flat=True)
    ) == {user.pk}


def test_a_refused_write_leaves_no_audit_row(user: User, make_user, make_record) -> None:
    record = make_record("text")
    with pytest.raises(ApplicationError):
        services.record_update(actor=make_user("sable"), record=record, body="Mine now.")
    with pytest.raises(ApplicationError):
        services.record_create(author=user, kind="text", title="", body="Words.")
    assert rows(A.RECORD_VERSION_CREATED) == []
    assert AuditEvent.objects.filter(action=A.RECORD_CREATED).count() == 1
