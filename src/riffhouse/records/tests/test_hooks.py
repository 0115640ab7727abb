"""Records' hooks (records/hooks.py): its services call them by name at every publication,
licence change and deletion, a guard that refuses leaves nothing saved, and a write that
would skip them (a bulk update of a field they guard) is refused loudly."""

from typing import Any

import pytest
from conftest import PASSWORD

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.core.hooks import Hook
from riffhouse.records import hooks, services
from riffhouse.records.hooks import HOOKED_FIELDS, HooksBypassed, SourceSpec
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def refuse(**kwargs: Any) -> None:
    raise ApplicationError("Not now.", code="refused", status=409)


class Calls:
    """A step that notes what it was called with."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)

    def record_ids(self) -> list[list[int]]:
        return [
            [r.pk for r in call["records"]] if "records" in call else [call["record"].pk]
            for call in self.calls
        ]


class TestGuards:
    def test_may_publish_keeps_a_draft_a_draft(self, user: User, make_record) -> None:
        record = make_record("text", visibility="draft")
        with hooks.may_publish.registered(refuse), pytest.raises(ApplicationError) as caught:
            services.record_update(actor=user, record=record, visibility="published")
        assert caught.value.code == "refused"
        record.refresh_from_db()
        assert (record.visibility, record.published_at) == ("draft", None)

    def test_may_publish_is_not_asked_when_unpublishing(self, user: User, make_record) -> None:
        record = make_record("text")
        with hooks.may_publish.registered(refuse):
            services.record_update(actor=user, record=record, visibility="draft")
        record.refresh_from_db()
        assert record.visibility == "draft"

    def test_may_change_licence_sees_the_new_licence_and_can_refuse(
        self, user: User, make_record
    ) -> None:
        record = make_record("text", licence="cc-by")
        seen: list[str] = []

        def no_cc0(*, record: Record, licence: str) -> None:
            seen.append(licence)
            if licence == "cc0":
                refuse()

        with hooks.may_change_licence.registered(no_cc0):
            services.record_update(actor=user, record=record, licence="cc-by-sa")
            with pytest.raises(ApplicationError):
                services.record_update(actor=user, record=record, licence="cc0", title="New")
        record.refresh_from_db()
        assert seen == ["cc-by-sa", "cc0"]
        assert (record.licence, record.title, record.versions.count()) == (
            "cc-by-sa",
            "A text record",
            1,
        )

    def test_may_delete_keeps_a_record(self, user: User, make_record) -> None:
        record = make_record("text")
        with hooks.may_delete.registered(refuse), pytest.raises(ApplicationError):
            services.record_delete(actor=user, record=record)
        record.refresh_from_db()
        assert record.deleted_at is None

    def test_may_delete_is_asked_for_a_departing_members_records_too(
        self, user: User, make_record
    ) -> None:
        """A guard (a frozen split, later) that refuses holds the whole account deletion."""
        records = [make_record("text"), make_record("text", visibility="draft")]
        asked: list[list[int]] = []

        def frozen(*, records: list[Record]) -> None:
            asked.append([r.pk for r in records])
            refuse()

        with hooks.may_delete.registered(frozen), pytest.raises(ApplicationError):
            accounts.account_delete(user=user, password=PASSWORD)
        assert asked == [sorted(r.pk for r in records)]
        user.refresh_from_db()
        assert user.deleted_at is None
        assert not Record.objects.filter(deleted_at__isnull=False).exists()


class TestSteps:
    def test_after_publish_follows_a_first_publication_only(self, user: User, make_record) -> None:
        published, changed = Calls(), Calls()
        with (
            hooks.after_publish.registered(published),
            hooks.after_visibility_change.registered(changed),
        ):
            record = make_record("text")  # processed inline: public at once
            services.record_update(actor=user, record=record, visibility="draft")
            services.record_update(actor=user, record=record, visibility="published")
            draft = make_record("text", visibility="draft")
            services.record_update(actor=user, record=draft, visibility="published")
        assert published.record_ids() == [[record.pk], [draft.pk]]
        assert changed.record_ids() == [[record.pk], [record.pk]]  # unpublished, republished

    def test_after_delete_follows_each_deletion(self, user: User, make_record, make_user) -> None:
        deleted = Calls()
        one = make_record("text")
        departing = make_user("sable")
        theirs = [make_record("text", author=departing) for _ in range(2)]
        with hooks.after_delete.registered(deleted):
            services.record_delete(actor=user, record=one)
            accounts.account_delete(user=departing, password=PASSWORD)
        assert deleted.record_ids() == [[one.pk], sorted(r.pk for r in theirs)]
        assert all(r.deleted_at is not None for r in deleted.calls[1]["records"])

    def test_a_failing_step_rolls_the_write_back(self, user: User, make_record) -> None:
        record = make_record("text")
        with hooks.after_delete.registered(refuse), pytest.raises(ApplicationError):
            services.record_delete(actor=user, record=record)
        record.refresh_from_db()
        assert record.deleted_at is None


class TestNoWriteSkipsTheHooks:
    @pytest.mark.parametrize("field", sorted(HOOKED_FIELDS))
    def test_a_bulk_update_of_a_hooked_field_is_refused(self, make_record, field: str) -> None:
        record = make_record("text", visibility="draft")
        value = {"visibility": "published", "licence": "cc0"}.get(field, record.created_at)
        with pytest.raises(HooksBypassed, match=field):
            Record.objects.filter(pk=record.pk).update(**{field: value})
        record.refresh_from_db()
        assert getattr(record, field) != value

    def test_other_fields_update_in_bulk(self, make_record) -> None:
        record = make_record("text")
        assert Record.objects.filter(pk=record.pk).update(title="Renamed") == 1

    def test_sources_without_a_handler_are_refused_not_dropped(
        self, user: User, make_record, monkeypatch
    ) -> None:
        source = make_record("text")
        monkeypatch.setattr(hooks, "_sources", [])
        before = Record.objects.count()
        with pytest.raises(ApplicationError) as caught:
            services.record_create(
                author=user,
                kind="text",
                title="A remix",
                body="Words.",
                sources=[SourceSpec(record_id=source.pk)],
            )
        assert (caught.value.code, caught.value.field) == ("sources_unsupported", "sources")
        assert Record.objects.count() == before


class TestTheHookType:
    def test_calls_each_registered_function_once_in_order(self) -> None:
        def spec(*, n: int) -> None:
            """A hook for the test."""

        hook = Hook(spec)
        calls: list[tuple[str, int]] = []

        def first(*, n: int) -> None:
            calls.append(("first", n))

        def second(*, n: int) -> None:
            calls.append(("second", n))

        hook.register(first)
        hook.register(second)
        hook.register(first)  # again: still once
        hook(n=7)
        hook.unregister(first)
        hook(n=8)
        assert calls == [("first", 7), ("second", 7), ("second", 8)]
        assert hook.name == "spec" and hook.__doc__ == "A hook for the test."
