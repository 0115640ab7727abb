"""One access check per rule: `record_get_editable` ("its author, or 404") for the edit
pages, `record_get_remixable` (deleted: 410, closed: 403) for the remix page, and the same
refusals, in the same words, from the services that check again inside their write."""

import pytest

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.lineage import services as lineage
from riffhouse.lineage.services import SourceSpec
from riffhouse.records import selectors, services

pytestmark = pytest.mark.django_db


def refusal(call, **kwargs) -> tuple[int, str, str]:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value.status, caught.value.code, caught.value.detail


class TestEditable:
    def test_its_author_gets_it(self, user: User, make_record) -> None:
        record = make_record("text")
        assert selectors.record_get_editable(viewer=user, record_id=record.pk) == record

    def test_anyone_else_or_a_deleted_record_is_not_found(
        self, user: User, make_user, make_record
    ) -> None:
        record, gone = make_record("text"), make_record("text")
        services.record_delete(actor=user, record=gone)
        for viewer, record_id in [(make_user("sable"), record.pk), (user, gone.pk)]:
            with pytest.raises(NotFound):
                selectors.record_get_editable(viewer=viewer, record_id=record_id)

    def test_the_services_refuse_in_the_same_words(
        self, user: User, make_user, make_record
    ) -> None:
        record, gone = make_record("text"), make_record("text")
        services.record_delete(actor=user, record=gone)
        stranger = make_user("sable")
        assert refusal(services.record_update, actor=stranger, record=record, title="X") == (
            403,
            "permission_denied",
            "Only its author can change this record.",
        )
        denied_sources = refusal(
            lineage.record_sources_set, actor=stranger, record=record, sources=[]
        )
        assert denied_sources == (
            403,
            "permission_denied",
            "Only its author can change this record.",
        )
        assert refusal(services.record_delete, actor=user, record=gone) == (
            410,
            "deleted",
            "This record was deleted.",
        )


class TestRemixable:
    def test_open_records_and_your_own_closed_ones(self, user: User, make_record) -> None:
        record = make_record("text", remix_policy="closed")
        assert selectors.record_get_remixable(viewer=user, record_id=record.pk) == record

    def test_deleted_and_closed_are_refused_as_the_remix_service_refuses(
        self, user: User, make_user, make_record
    ) -> None:
        sable = make_user("sable")
        closed = make_record("text", remix_policy="closed")
        gone = make_record("text")
        services.record_delete(actor=user, record=gone)
        for record, status, code in [(closed, 403, "remix_closed"), (gone, 410, "source_deleted")]:
            page = refusal(selectors.record_get_remixable, viewer=sable, record_id=record.pk)
            service = refusal(
                lineage.remix_create,
                author=sable,
                sources=[SourceSpec(record.pk)],
                kind="text",
                title="Mine",
                body="Words.",
            )
            assert page == service and page[:2] == (status, code)


class TestCard:
    def test_a_card_for_whoever_may_see_the_record_and_none_otherwise(
        self, user: User, make_user, make_record, django_assert_max_num_queries
    ) -> None:
        shown, draft, gone = (
            make_record("text"),
            make_record("text", visibility="draft"),
            make_record("text"),
        )
        services.record_delete(actor=user, record=gone)
        sable = make_user("sable")
        with django_assert_max_num_queries(2):  # the record and its renditions
            card = selectors.record_card_get(viewer=sable, record_id=shown.pk)
        assert card == shown
        assert selectors.record_card_get(viewer=user, record_id=draft.pk) == draft
        for record_id in [draft.pk, gone.pk, gone.pk + 100]:
            assert selectors.record_card_get(viewer=sable, record_id=record_id) is None
