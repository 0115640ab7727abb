"""Consent with the remix in view, and a decline that holds (decision 0017).

The author of a source asked for a remix sees the draft remix (its page, its files, its
request page, a preview in the notification) while the request is open, and answers in
one click; after a decline the remix keeps that source: it can be asked about once more,
with a new message, or deleted."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from conftest import ApiClient
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from riffhouse.accounts.models import User
from riffhouse.accounts.services import api_token_create
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import selectors, services
from riffhouse.lineage.models import RemixRequest, SourceLink
from riffhouse.lineage.services import SourceSpec
from riffhouse.records import hooks as records_hooks
from riffhouse.records import selectors as record_selectors
from riffhouse.records import services as records
from riffhouse.records.models import Record
from riffhouse.records.tests import samples
from riffhouse.records.tests.conftest import upload

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def text(response: Any) -> str:
    """The page as a person reads it: tags gone, whitespace collapsed."""
    return re.sub(r"\s+", " ", strip_tags(response.content.decode())).strip()


@pytest.fixture
def image_remix() -> Callable[..., Record]:
    """An image remix of `source` by `author`, with a usage note."""

    def make(
        author: User, source: Record, title: str = "Harbour at night", **fields: Any
    ) -> Record:
        record = services.remix_create(
            author=author,
            sources=[SourceSpec(record_id=source.pk, usage="the colours")],
            kind="image",
            title=title,
            upload=upload(samples.png(), "harbour.png"),
            message="I painted your poem.",
            **fields,
        )
        record.refresh_from_db()
        return record

    return make


@pytest.fixture
def api_client() -> Callable[[User], ApiClient]:
    def make(user: User) -> ApiClient:
        return ApiClient(token=api_token_create(user=user, name="tests").raw)

    return make


def _request(remix: Record) -> RemixRequest:
    return RemixRequest.objects.select_related("source").get(remix=remix)


def _file_url(record: Record) -> str:
    version = record.live_version
    assert version is not None
    label = version.renditions.filter(label__endswith=".webp").values_list("label", flat=True)[0]
    return f"/records/{record.pk}/files/{version.key}/{label}"


class TestTheDraftInView:
    def test_the_source_author_sees_the_draft_and_its_files_while_asked(
        self, ana, bo, cy, work, image_remix
    ):
        poem = work(ana, remix_policy="ask")
        painting = image_remix(bo, poem)
        assert painting.visibility == "draft"
        url, file_url = painting.get_absolute_url(), _file_url(painting)
        for_ana = logged_in(ana)
        assert for_ana.get(url).status_code == 200
        assert for_ana.get(file_url).status_code == 200
        assert "private" in for_ana.get(file_url)["Cache-Control"]
        # the original stays its author's alone
        original = f"/records/{painting.pk}/files/{painting.live_version.key}/original"
        assert for_ana.get(original).status_code == 404
        # a third member, and anyone logged out, never
        for other in (logged_in(cy), Client()):
            assert other.get(url).status_code == 404
            assert other.get(file_url).status_code == 404

    def test_seen_is_not_remixable(self, ana, bo, work, image_remix):
        painting = image_remix(bo, work(ana, remix_policy="ask"))
        assert logged_in(ana).get(f"/records/{painting.pk}/remix/").status_code == 404

    def test_the_api_detail_too(self, ana, bo, cy, work, image_remix, api_client):
        painting = image_remix(bo, work(ana, remix_policy="ask"))
        assert api_client(ana).call("get", f"/records/{painting.pk}").status_code == 200
        assert api_client(cy).call("get", f"/records/{painting.pk}").status_code == 404

    def test_not_once_declined(self, ana, bo, work, image_remix):
        painting = image_remix(bo, work(ana, remix_policy="ask"))
        file_url = _file_url(painting)
        services.remix_request_decide(actor=ana, request_id=_request(painting).pk, approve=False)
        for_ana = logged_in(ana)
        assert for_ana.get(painting.get_absolute_url()).status_code == 404
        assert for_ana.get(file_url).status_code == 404
        assert logged_in(bo).get(painting.get_absolute_url()).status_code == 200

    def test_approved_it_is_public(self, ana, bo, cy, work, image_remix):
        painting = image_remix(bo, work(ana, remix_policy="ask"))
        services.remix_request_decide(actor=ana, request_id=_request(painting).pk, approve=True)
        assert logged_in(cy).get(painting.get_absolute_url()).status_code == 200

    def test_lists_never_show_it(self, ana, bo, work, remix, api_client):
        song = work(ana, remix_policy="ask")
        draft = remix(bo, song, title="Secret remix")
        assert "Secret remix" not in logged_in(ana).get("/records/").content.decode()
        feed = record_selectors.record_feed(viewer=ana)
        assert draft.pk not in [r.pk for r in feed.items]
        listed = api_client(ana).call("get", "/records").json()
        assert draft.pk not in [r["id"] for r in listed["items"]]
        assert "Secret remix" not in logged_in(ana).get(bo.get_absolute_url()).content.decode()

    def test_the_grant_is_asked_only_for_someone_elses_draft(self, ana, bo, work, remix):
        asked: list[int] = []

        real = selectors.remix_draft_visible_to

        def spy(*, viewer: User, record: Record) -> bool:
            asked.append(record.pk)
            return real(viewer=viewer, record=record)

        song = work(ana, remix_policy="ask")
        draft = remix(bo, song)
        records_hooks.may_view.unregister(real)
        records_hooks.may_view.register(spy)
        try:
            logged_in(bo).get(draft.get_absolute_url())  # its author
            logged_in(bo).get(song.get_absolute_url())  # public
            Client().get(draft.get_absolute_url())  # logged out
            assert asked == []
            assert logged_in(ana).get(draft.get_absolute_url()).status_code == 200
            assert asked == [draft.pk]
        finally:
            records_hooks.may_view.unregister(spy)
            records_hooks.may_view.register(real)


class TestTheRequestPage:
    def test_the_source_author_decides_with_the_remix_in_view(self, ana, bo, work, remix):
        song = work(ana, title="Moon song", remix_policy="ask")
        draft = services.remix_create(
            author=bo,
            sources=[SourceSpec(record_id=song.pk, usage="the chorus")],
            kind="text",
            title="Moon, again",
            body="The harbour sings back.",
            description="A reply in verse.",
            message="Your chorus started this.",
        )
        request = _request(draft)
        page = logged_in(ana).get(f"/remix-requests/{request.pk}/")
        assert page.status_code == 200
        seen = text(page)
        for part in (
            "bodhi asks to remix your “Moon song”",
            "Moon, again",
            "The harbour sings back.",  # the remix itself
            "A reply in verse.",
            "the chorus",  # what they used
            "Your chorus started this.",
            "Approve",
            "Decline",
        ):
            assert part in seen, part
        html = page.content.decode()
        assert f'formaction="/remix-requests/{request.pk}/approve/"' in html
        assert f'formaction="/remix-requests/{request.pk}/decline/"' in html

    def test_an_image_remix_shows_its_picture(self, ana, bo, work, image_remix):
        painting = image_remix(bo, work(ana, remix_policy="ask"))
        html = logged_in(ana).get(f"/remix-requests/{_request(painting).pk}/").content.decode()
        assert f"/records/{painting.pk}/files/{painting.live_version.key}/" in html
        assert "the colours" in html

    def test_only_the_two_of_them(self, ana, bo, cy, work, remix):
        request = _request(remix(bo, work(ana, remix_policy="ask")))
        assert logged_in(bo).get(f"/remix-requests/{request.pk}/").status_code == 200
        assert logged_in(cy).get(f"/remix-requests/{request.pk}/").status_code == 404
        assert Client().get(f"/remix-requests/{request.pk}/").status_code == 302  # log in

    def test_one_click_decline_with_a_note(self, ana, bo, work, remix):
        request = _request(remix(bo, work(ana, remix_policy="ask"), title="Why?"))
        client = logged_in(ana)
        response = client.post(
            f"/remix-requests/{request.pk}/decline/", {"note": "Not this one."}, follow=True
        )
        assert response.redirect_chain[-1][0] == f"/remix-requests/{request.pk}/"
        seen = text(response)
        # one full stop, not two, after a title that ends a sentence itself
        assert "You declined “Why?” It stays a draft; its author is told." in seen
        assert "You declined this remix on" in seen and "‘Not this one.’" in seen
        assert "‘Not this one.’." not in seen
        assert "The harbour" not in seen
        request.refresh_from_db()
        assert (request.status, request.response_note) == ("declined", "Not this one.")

    def test_answering_twice_says_so(self, ana, bo, work, remix):
        request = _request(remix(bo, work(ana, remix_policy="ask")))
        client = logged_in(ana)
        client.post(f"/remix-requests/{request.pk}/approve/")
        again = client.post(f"/remix-requests/{request.pk}/decline/", follow=True)
        assert "This request is already approved." in text(again)

    def test_back_where_the_answer_was_given(self, ana, bo, work, remix):
        request = _request(remix(bo, work(ana, remix_policy="ask")))
        response = logged_in(ana).post(
            f"/remix-requests/{request.pk}/approve/", {"next": "/notifications/#notification-1"}
        )
        assert response["Location"] == "/notifications/#notification-1"
        elsewhere = _request(remix(bo, work(ana, "Other", remix_policy="ask")))
        response = logged_in(ana).post(
            f"/remix-requests/{elsewhere.pk}/approve/", {"next": "https://evil.example/"}
        )
        assert response["Location"] == f"/remix-requests/{elsewhere.pk}/"

    def test_bounded_queries(self, ana, bo, work, image_remix, django_assert_max_num_queries):
        request = _request(image_remix(bo, work(ana, remix_policy="ask")))
        client = logged_in(ana)
        with django_assert_max_num_queries(14):
            assert client.get(f"/remix-requests/{request.pk}/").status_code == 200


class TestTheNotification:
    def test_shows_the_remix_and_answers_in_one_click(self, ana, bo, work, image_remix):
        poem = work(ana, title="Harbour poem", remix_policy="ask")
        painting = image_remix(bo, poem)
        request = _request(painting)
        client = logged_in(ana)
        page = client.get("/notifications/")
        html, seen = page.content.decode(), text(page)
        assert "bodhi asks to remix your “Harbour poem” for “Harbour at night”." in seen
        assert f"/records/{painting.pk}/files/{painting.live_version.key}/w320" in html
        assert "used the colours" in seen
        assert "I painted your poem." in seen
        assert f'formaction="/remix-requests/{request.pk}/decline/"' in html
        response = client.post(
            f"/remix-requests/{request.pk}/decline/",
            {"note": "Too dark", "next": "/notifications/"},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == "/notifications/"
        after = response.content.decode()
        assert f"/records/{painting.pk}/files/" not in after  # no longer theirs to see
        assert "Declined" in text(response)

    def test_a_text_remix_shows_an_excerpt(self, ana, bo, work, remix):
        remix(bo, work(ana, remix_policy="ask"), body="Salt on the window, light on the nets.")
        assert "Salt on the window" in text(logged_in(ana).get("/notifications/"))

    def test_the_email_links_to_the_request(self, ana, bo, work, remix, mailoutbox):
        request = _request(remix(bo, work(ana, remix_policy="ask"), title="Why?"))
        body = mailoutbox[-1].body
        assert f"/remix-requests/{request.pk}/" in body
        assert "for “Why?”\n" in body or "for “Why?”\r\n" in body


class TestADeclineHolds:
    def _declined(self, ana, bo, work, remix, note: str = "Not this one.") -> Record:
        song = work(ana, title="Moon song", remix_policy="ask")
        draft = remix(bo, song, work(bo, "Mine"), title="Moon remix", message="May I?")
        services.remix_request_decide(
            actor=ana, request_id=_request(draft).pk, approve=False, note=note
        )
        return draft

    def test_the_declined_source_cannot_be_removed(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        mine = Record.objects.get(title="Mine")
        with pytest.raises(ApplicationError) as caught:
            services.record_sources_set(actor=bo, record=draft, sources=[SourceSpec(mine.pk)])
        assert (caught.value.status, caught.value.code) == (409, "declined_source_kept")
        assert "“Moon song” stays among the sources" in caught.value.detail
        assert SourceLink.objects.filter(record=draft).count() == 2
        # the other source may go
        song = _request(draft).source
        services.record_sources_set(actor=bo, record=draft, sources=[SourceSpec(song.pk)])
        assert list(SourceLink.objects.filter(record=draft).values_list("source", flat=True)) == [
            song.pk
        ]
        draft.refresh_from_db()
        assert draft.visibility == "draft"

    def test_nor_a_pending_one(self, ana, bo, work, remix):
        draft = remix(bo, work(ana, remix_policy="ask"))
        with pytest.raises(ApplicationError) as caught:
            services.record_sources_set(actor=bo, record=draft, sources=[])
        assert caught.value.code == "requested_source_kept"
        assert _request(draft).status == "pending"

    def test_the_api_says_so(self, ana, bo, work, remix, api_client):
        draft = self._declined(ana, bo, work, remix)
        mine = Record.objects.get(title="Mine")
        response = api_client(bo).call(
            "patch", f"/records/{draft.pk}", {"sources": [{"record": mine.pk}]}
        )
        assert response.status_code == 409
        assert response.json()["code"] == "declined_source_kept"
        assert "stays among the sources" in response.json()["detail"]

    def test_the_sources_form_refuses(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        mine = Record.objects.get(title="Mine")
        response = logged_in(bo).post(
            f"/records/{draft.pk}/sources/",
            {
                "sources-TOTAL_FORMS": "1",
                "sources-INITIAL_FORMS": "0",
                "sources-MIN_NUM_FORMS": "0",
                "sources-MAX_NUM_FORMS": "20",
                "sources-0-record": str(mine.pk),
                "message": "",
            },
        )
        assert response.status_code == 400
        assert "“Moon song” stays among the sources" in text(response)
        assert SourceLink.objects.filter(record=draft).count() == 2

    def test_the_sources_page_offers_no_remove_for_a_declined_source(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        page = logged_in(bo).get(f"/records/{draft.pk}/sources/").content.decode()
        assert "Remove “Mine”" in page
        assert "Remove “Moon song”" not in page
        assert "Declined — it stays" in page
        assert "ask again with a new message, or delete the remix" in page

    def test_the_record_page_says_plainly_what_happened(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        request = _request(draft)
        seen = text(logged_in(bo).get(draft.get_absolute_url()))
        when = f"{request.decided_at:%-d %B %Y}"
        assert (
            f"“Moon song” by ana declined this remix on {when}: ‘Not this one.’ It stays a "
            "draft. You can ask again with a new message, or delete it."
        ) in seen
        assert "Remove that source" not in seen
        assert "Ask again" in seen

    def test_a_note_without_a_full_stop_gets_one(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix, note="Too close to mine")
        seen = text(logged_in(bo).get(draft.get_absolute_url()))
        assert "‘Too close to mine’. It stays a draft." in seen

    def test_publishing_says_what_to_do(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        with pytest.raises(ApplicationError) as caught:
            records.record_update(actor=bo, record=draft, visibility="published")
        assert caught.value.detail == (
            "This remix stays a draft: the author of “Moon song” declined it. You can ask "
            "again with a new message, or delete it."
        )

    def test_ask_again_once_with_a_new_message(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        request = _request(draft)
        ask = services.remix_request_create
        for message, code in [("", "message_required"), ("May I?", "message_unchanged")]:
            with pytest.raises(ApplicationError) as caught:
                ask(actor=bo, source_id=request.source_id, remix_id=draft.pk, message=message)
            assert caught.value.code == code
        again = ask(actor=bo, source_id=request.source_id, remix_id=draft.pk, message="Shorter.")
        assert (again.pk, again.status, again.times_asked) == (request.pk, "pending", 2)
        assert RemixRequest.objects.filter(remix=draft, status="pending").count() == 1
        # the source's author sees it again, and may approve this time
        assert logged_in(ana).get(draft.get_absolute_url()).status_code == 200
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=True)
        draft.refresh_from_db()
        assert draft.is_public

    def test_a_second_decline_is_final(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        request = _request(draft)
        services.remix_request_create(
            actor=bo, source_id=request.source_id, remix_id=draft.pk, message="Shorter now."
        )
        services.remix_request_decide(actor=ana, request_id=request.pk, approve=False)
        with pytest.raises(ApplicationError) as caught:
            services.remix_request_create(
                actor=bo, source_id=request.source_id, remix_id=draft.pk, message="Please?"
            )
        assert (caught.value.status, caught.value.code) == (409, "decline_final")
        seen = text(logged_in(bo).get(draft.get_absolute_url()))
        assert "declined this remix again on" in seen
        assert "That answer is final: it stays a draft. You can delete it." in seen
        assert "Ask again" not in seen

    def test_ask_again_from_the_record_page(self, ana, bo, work, remix):
        draft = self._declined(ana, bo, work, remix)
        request = _request(draft)
        client = logged_in(bo)
        refused = client.post(f"/remix-requests/{request.pk}/ask-again/", {"message": ""})
        assert refused.status_code == 302
        assert _request(draft).status == "declined"
        response = client.post(
            f"/remix-requests/{request.pk}/ask-again/",
            {"message": "I cut your part to four bars.", "next": draft.get_absolute_url()},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == draft.get_absolute_url()
        assert "Waiting for approval." in text(response)
        assert _request(draft).message == "I cut your part to four bars."

    def test_ask_again_through_the_api(self, ana, bo, work, remix, api_client):
        draft = self._declined(ana, bo, work, remix)
        source = _request(draft).source
        api = api_client(bo)
        url = f"/records/{source.pk}/remix-requests"
        listed = api.call("get", "/remix-requests?box=outgoing").json()
        assert [(r["times_asked"], r["may_ask_again"]) for r in listed] == [(1, True)]
        missing = api.call("post", url, {"remix": draft.pk})
        assert (missing.status_code, missing.json()["code"]) == (400, "message_required")
        asked = api.call("post", url, {"remix": draft.pk, "message": "Shorter now."})
        assert (asked.status_code, asked.json()["status"]) == (201, "pending")
        assert (asked.json()["times_asked"], asked.json()["may_ask_again"]) == (2, False)
        twice = api.call("post", url, {"remix": draft.pk, "message": "Shorter still."})
        assert (twice.status_code, twice.json()["code"]) == (409, "already_requested")


def test_the_full_stop_follows_the_title(ana, bo, work, remix) -> None:
    """Decision messages end a sentence once, whatever the title or note ends with."""
    from riffhouse.lineage.templatetags.lineage import period

    assert [period(t) for t in ("Moon", "Why?", "Stop!", "Wait…", "“Quoted.”", "", None)] == [
        ".",
        "",
        "",
        "",
        "",
        ".",
        ".",
    ]
    request = _request(remix(bo, work(ana, remix_policy="ask"), title="Is it?"))
    response = logged_in(ana).post(f"/remix-requests/{request.pk}/approve/", follow=True)
    assert "You approved “Is it?” Its author is told." in text(response)
    seen = text(logged_in(bo).get("/notifications/"))
    assert "ana approved your request to remix “Moon song”." in seen


def test_request_page_selector_hides_a_declined_remix(ana, bo, work, remix) -> None:
    draft = remix(bo, work(ana, remix_policy="ask"), body="Secret words.")
    request = _request(draft)
    assert selectors.remix_request_get(viewer=ana, request_id=request.pk).version is not None
    services.remix_request_decide(actor=ana, request_id=request.pk, approve=False)
    page = selectors.remix_request_get(viewer=ana, request_id=request.pk)
    assert page.version is None and not page.may_decide
    mine = selectors.remix_request_get(viewer=bo, request_id=request.pk)
    assert mine.version is not None and mine.may_ask_again


def test_queries_on_the_record_page_unchanged_for_its_author(
    ana, bo, work, remix, django_assert_max_num_queries
) -> None:
    """The record page's query budget: the notices cost what the panel's did."""
    draft = remix(bo, work(ana, remix_policy="ask"))
    client = logged_in(bo)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(draft.get_absolute_url()).status_code == 200
    reviewer = logged_in(ana)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert reviewer.get(draft.get_absolute_url()).status_code == 200
