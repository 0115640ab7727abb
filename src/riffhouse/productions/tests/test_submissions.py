"""Submissions: who may submit what, where and when; the producers' moves; withdrawals;
the consent of an `ask` record's author; the notifications and audit rows of each change;
a remix of a need's seed submitted when it is published."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.community.models import Notification
from riffhouse.core.errors import ApplicationError
from riffhouse.lineage import services as lineage_services
from riffhouse.lineage.models import RemixRequest
from riffhouse.lineage.services import SourceSpec
from riffhouse.productions import services, submissions
from riffhouse.productions.models import (
    Need,
    PendingSubmission,
    Production,
    Submission,
)
from riffhouse.productions.tests.scenes import release_now
from riffhouse.records import services as record_services
from riffhouse.records.models import Record


def released(production: Production) -> Production:
    """Released by its producer through the real release (their link as the lineup)."""
    producer = production.producers.select_related("user").get().user
    return release_now(producer=producer, production=production)


def time_passes(need: Need | None = None, production: Production | None = None) -> None:
    """A deadline that was in the future when set is now behind us (the services refuse a
    deadline in the past, so the clock is moved by writing it directly)."""
    past = timezone.now() - timedelta(minutes=1)
    if need is not None:
        Need.objects.filter(pk=need.pk).update(deadline=past)
    if production is not None:
        Production.objects.filter(pk=production.pk).update(submission_deadline=past)


@pytest.fixture
def poems(production: Production, producer: User) -> Need:
    return services.need_create(
        actor=producer, production=production, title="Poems about the launch", kinds=["text"]
    )


@pytest.fixture
def poem(make_record: Callable[..., Record], contributor: User) -> Record:
    return make_record("text", author=contributor, title="Countdown")


def notes(user: User, verb: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, verb=verb))


def codes(excinfo: pytest.ExceptionInfo[ApplicationError]) -> tuple[str, int]:
    return excinfo.value.code, excinfo.value.status


# Submitting ------------------------------------------------------------------------------------
def test_a_member_submits_their_record_at_its_live_version(
    production: Production, poems: Need, poem: Record, contributor: User, producer: User
) -> None:
    submission = submissions.submission_create(
        actor=contributor, production=production, record=poem, need=poems, message="For you"
    )
    assert submission.status == "submitted"
    assert submission.consent == "not_needed"
    assert submission.record_version_id == poem.live_version_id
    # a later edit makes a new version; the submission keeps the one offered
    record_services.record_update(actor=contributor, record=poem, body="A new draft of it.")
    poem.refresh_from_db()
    submission.refresh_from_db()
    assert poem.live_version_id != submission.record_version_id
    assert [n.submission_id for n in notes(producer, "submission_received")] == [submission.pk]
    assert AuditEvent.objects.filter(
        action="submission_created", target_id=submission.pk, actor=contributor
    ).exists()


def test_someone_elses_open_record_can_be_submitted(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> None:
    theirs = make_record("text", author=author, remix_policy="open")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems
    )
    assert submission.consent == "not_needed"
    assert submission.submitted_by == contributor


def test_someone_elses_closed_record_is_refused_but_its_author_may(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> None:
    closed = make_record("text", author=author, remix_policy="closed")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=closed, need=poems
        )
    assert codes(excinfo) == ("record_closed", 403)
    assert excinfo.value.field == "record"
    assert not Submission.objects.exists()
    own = submissions.submission_create(
        actor=author, production=production, record=closed, need=poems
    )
    assert own.consent == "not_needed"


def test_a_draft_is_refused_and_someone_elses_draft_does_not_exist(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    contributor: User,
    author: User,
) -> None:
    draft = make_record("text", author=contributor, visibility="draft")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=draft, need=poems
        )
    assert codes(excinfo) == ("record_not_published", 400)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=author, production=production, record=draft)
    assert excinfo.value.status == 404
    assert not Submission.objects.exists()


def test_a_deleted_record_is_refused(
    production: Production, poems: Need, poem: Record, contributor: User
) -> None:
    record_services.record_delete(actor=contributor, record=poem)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, need=poems
        )
    assert codes(excinfo) == ("record_deleted", 410)
    assert not Submission.objects.exists()


def test_the_same_record_twice_is_refused_until_withdrawn(
    production: Production, poems: Need, poem: Record, contributor: User
) -> None:
    first = submissions.submission_create(
        actor=contributor, production=production, record=poem, need=poems
    )
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, need=poems
        )
    assert codes(excinfo) == ("already_submitted", 409)
    # to the production as a whole it is a different place, once
    submissions.submission_create(actor=contributor, production=production, record=poem)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=contributor, production=production, record=poem)
    assert codes(excinfo) == ("already_submitted", 409)
    assert Submission.objects.count() == 2
    submissions.submission_withdraw(actor=contributor, submission=first)
    again = submissions.submission_create(
        actor=contributor, production=production, record=poem, need=poems
    )
    assert again.pk != first.pk


@pytest.mark.parametrize("which", ["need", "production"])
def test_after_the_deadline_is_refused(
    which: str, production: Production, poems: Need, poem: Record, contributor: User
) -> None:
    if which == "need":
        time_passes(need=poems)
    else:
        time_passes(production=production)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, need=poems
        )
    assert codes(excinfo) == ("deadline_passed", 409)
    assert "deadline passed" in excinfo.value.detail
    assert not Submission.objects.exists()


def test_a_production_that_is_not_open_is_refused(
    make_production: Callable[..., Production],
    production: Production,
    poem: Record,
    contributor: User,
    producer: User,
) -> None:
    draft = make_production()
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=contributor, production=draft, record=poem)
    assert excinfo.value.status == 404  # a draft is its producers' only
    mine = make_record_for(producer)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=producer, production=draft, record=mine)
    assert codes(excinfo) == ("production_not_open", 409)
    curating = make_production(status="curating")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=contributor, production=curating, record=poem)
    assert codes(excinfo) == ("production_not_open", 409)
    released(production)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(actor=contributor, production=production, record=poem)
    assert codes(excinfo) == ("production_released", 409)
    assert not Submission.objects.exists()


def make_record_for(user: User) -> Record:
    record = record_services.record_create(
        author=user, kind="text", title="Producer's own", body="Ten, nine, eight."
    )
    record.refresh_from_db()
    return record


def test_a_record_of_the_wrong_kind_or_a_need_elsewhere_is_refused(
    production: Production,
    need: Need,
    poem: Record,
    contributor: User,
    make_production: Callable[..., Production],
    producer: User,
) -> None:
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, need=need
        )
    assert codes(excinfo) == ("kind_mismatch", 400)
    assert "music" in excinfo.value.detail.lower()
    other = make_production(status="open", title="Fantasy")
    elsewhere = services.need_create(
        actor=producer, production=other, title="Dragons", kinds=["text"]
    )
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, need=elsewhere
        )
    assert codes(excinfo) == ("need_invalid", 400)
    assert excinfo.value.field == "need"
    assert not Submission.objects.exists()


def test_a_message_over_the_limit_is_refused(
    production: Production, poem: Record, contributor: User
) -> None:
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_create(
            actor=contributor, production=production, record=poem, message="x" * 2001
        )
    assert excinfo.value.field == "message"
    assert not Submission.objects.exists()


# Consent -------------------------------------------------------------------------------------
@pytest.fixture
def asked(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> Submission:
    """Cleo submits Ines's `ask` poem."""
    theirs = make_record("text", author=author, title="Ask me first", remix_policy="ask")
    return submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems, message="Please?"
    )


def test_an_ask_record_waits_for_its_author_and_producers_do_not_see_it(
    asked: Submission, author: User, producer: User, production: Production
) -> None:
    assert asked.consent == "asked"
    [note] = notes(author, "submission_consent")
    assert note.submission_id == asked.pk and note.text == "Please?"
    assert [m.to for m in mail.outbox] == [[author.email]]
    assert "/submissions/" in mail.outbox[0].body
    assert not notes(producer, "submission_received")
    page = submissions.production_submissions(viewer=producer, production=production)
    assert page.items == []
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_get_visible(viewer=producer, submission_id=asked.pk)
    assert excinfo.value.status == 404
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_decide(actor=producer, submission=asked, status="selected")
    assert excinfo.value.status == 404


def test_approved_the_producers_see_it_and_the_submitter_hears(
    asked: Submission, author: User, producer: User, contributor: User, production: Production
) -> None:
    submissions.submission_consent_decide(
        actor=author, submission=asked, approve=True, note="Go for it"
    )
    [told] = notes(contributor, "submission_consent_ok")
    assert told.text == "Go for it"
    assert notes(producer, "submission_received")
    page = submissions.production_submissions(viewer=producer, production=production)
    assert [s.pk for s in page.items] == [asked.pk]
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_consent_decide(actor=author, submission=asked, approve=False)
    assert codes(excinfo) == ("consent_not_asked", 409)


def test_declined_nobody_else_ever_sees_it(
    asked: Submission, author: User, producer: User, contributor: User, production: Production
) -> None:
    submissions.submission_consent_decide(actor=author, submission=asked, approve=False)
    assert notes(contributor, "submission_consent_no")
    assert not notes(producer, "submission_received")
    assert submissions.production_submissions(viewer=producer, production=production).items == []
    assert not submissions.submissions_selected(production=production).exists()


def test_only_the_records_author_answers(
    asked: Submission, contributor: User, producer: User
) -> None:
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_consent_decide(actor=contributor, submission=asked, approve=True)
    assert excinfo.value.status == 403
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_consent_decide(actor=producer, submission=asked, approve=True)
    assert excinfo.value.status == 404
    asked.refresh_from_db()
    assert asked.consent == "asked"


# The producers' moves ------------------------------------------------------------------------
@pytest.fixture
def submitted(production: Production, poems: Need, poem: Record, contributor: User) -> Submission:
    return submissions.submission_create(
        actor=contributor, production=production, record=poem, need=poems
    )


def test_producers_shortlist_select_decline_and_take_back_and_the_contributor_hears_each(
    submitted: Submission, producer: User, contributor: User
) -> None:
    steps = [
        ("shortlisted", "submission_shortlisted"),
        ("selected", "submission_selected"),
        ("shortlisted", "submission_shortlisted"),
        ("declined", "submission_declined"),
        ("submitted", "submission_returned"),
    ]
    for status, verb in steps:
        note = "Lovely, but not this time" if status == "declined" else ""
        done = submissions.submission_decide(
            actor=producer, submission=submitted, status=status, note=note
        )
        assert done.status == status
        latest = Notification.objects.filter(recipient=contributor).order_by("-pk").first()
        assert latest is not None and latest.verb == verb
        assert latest.text == note
    decided = AuditEvent.objects.filter(action="submission_decided", target_id=submitted.pk)
    assert [e.data["after"] for e in decided.order_by("pk")] == [s for s, _ in steps]
    history = submissions.submission_history(submission=submitted)
    assert [h.action for h in history][:2] == ["submission_created", "submission_decided"]


def test_a_move_that_skips_a_step_is_refused(submitted: Submission, producer: User) -> None:
    submissions.submission_decide(actor=producer, submission=submitted, status="selected")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_decide(actor=producer, submission=submitted, status="declined")
    assert codes(excinfo) == ("status_invalid", 409)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_decide(actor=producer, submission=submitted, status="maybe")
    assert codes(excinfo) == ("status_invalid", 400)
    submitted.refresh_from_db()
    assert submitted.status == "selected"


def test_only_producers_decide(submitted: Submission, contributor: User, author: User) -> None:
    for someone in (contributor, author):
        with pytest.raises(ApplicationError) as excinfo:
            submissions.submission_decide(actor=someone, submission=submitted, status="selected")
        assert codes(excinfo) == ("not_producer", 403)
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_nothing_moves_once_released(
    submitted: Submission, producer: User, contributor: User, production: Production
) -> None:
    released(production)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_decide(actor=producer, submission=submitted, status="selected")
    assert codes(excinfo) == ("production_released", 409)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_withdraw(actor=contributor, submission=submitted)
    assert codes(excinfo) == ("production_released", 409)


def test_selected_is_the_lineups_and_the_releases(
    submitted: Submission,
    producer: User,
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    contributor: User,
) -> None:
    other = submissions.submission_create(
        actor=contributor,
        production=production,
        record=make_record("text", author=contributor, title="Liftoff"),
        need=poems,
    )
    submissions.submission_decide(actor=producer, submission=submitted, status="selected")
    submissions.submission_decide(actor=producer, submission=other, status="shortlisted")
    assert list(submissions.submissions_selected(production=production)) == [submitted]


# Withdrawing -----------------------------------------------------------------------------------
def test_the_contributor_withdraws_before_selection(
    submitted: Submission, contributor: User, producer: User
) -> None:
    done = submissions.submission_withdraw(actor=contributor, submission=submitted)
    assert done.status == "withdrawn"
    assert AuditEvent.objects.filter(action="submission_withdrawn", target_id=submitted.pk)
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_decide(actor=producer, submission=submitted, status="selected")
    assert codes(excinfo) == ("submission_withdrawn", 409)


def test_a_withdrawal_tells_every_producer(
    production: Production,
    poems: Need,
    submitted: Submission,
    contributor: User,
    producer: User,
    make_user: Callable[..., User],
) -> None:
    """Each producer hears that the piece left the board, in the withdrawal's transaction
    (through `hooks.after_submission_withdrawn`, which community registers), and reads it on
    their notifications page."""
    co_producer = make_user("juno")
    services.producer_add(actor=producer, production=production, user=co_producer)
    submissions.submission_withdraw(actor=contributor, submission=submitted)
    for member in (producer, co_producer):
        [told] = notes(member, "submission_withdrawn")
        assert (told.actor, told.submission, told.production) == (
            contributor,
            submitted,
            production,
        )
    assert not notes(contributor, "submission_withdrawn")  # not about their own act
    client = Client()
    client.force_login(producer)
    page = client.get(reverse("community:notifications")).content.decode()
    assert "withdrew" in page and "Countdown" in page and "from your production" in page


def test_a_withdrawal_producers_never_saw_tells_nobody(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
    producer: User,
) -> None:
    """Someone else's `ask` record, withdrawn before its author answered: the producers never
    saw it, so they hear nothing of it."""
    theirs = make_record("text", author=author, remix_policy="ask")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems
    )
    submissions.submission_withdraw(actor=contributor, submission=submission)
    assert not notes(producer, "submission_withdrawn")


def test_a_selected_submission_cannot_be_withdrawn(
    submitted: Submission, contributor: User, producer: User
) -> None:
    submissions.submission_decide(actor=producer, submission=submitted, status="selected")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_withdraw(actor=contributor, submission=submitted)
    assert codes(excinfo) == ("not_withdrawable", 409)


def test_the_records_author_may_withdraw_someone_elses_submission_of_it(
    production: Production,
    poems: Need,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
    producer: User,
    make_user: Callable[..., User],
) -> None:
    theirs = make_record("text", author=author, remix_policy="open")
    submission = submissions.submission_create(
        actor=contributor, production=production, record=theirs, need=poems
    )
    stranger = make_user("zed")
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_withdraw(actor=stranger, submission=submission)
    assert excinfo.value.status == 404
    with pytest.raises(ApplicationError) as excinfo:
        submissions.submission_withdraw(actor=producer, submission=submission)
    assert excinfo.value.status == 403
    assert submissions.submission_withdraw(actor=author, submission=submission).status == (
        "withdrawn"
    )


# Producers -----------------------------------------------------------------------------------
def test_a_new_co_producer_is_told(
    production: Production, producer: User, contributor: User
) -> None:
    services.producer_add(actor=producer, production=production, user=contributor)
    [note] = notes(contributor, "producer_added")
    assert note.production_id == production.pk and note.actor == producer


# Remix the seed, upload for a need: submitted when published --------------------------------
def test_a_remix_of_an_ask_seed_is_submitted_when_its_author_approves(
    production: Production,
    producer: User,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> None:
    seed = make_record("text", author=author, title="Seed poem", remix_policy="ask")
    need = services.need_create(
        actor=producer, production=production, title="Remix the poem", kinds=["text"], seed=seed
    )
    remix = record_services.record_create(
        author=contributor,
        kind="text",
        title="Seed, grown",
        body="It grew.",
        sources=[SourceSpec(record_id=seed.pk)],
        message="May I?",
    )
    remix.refresh_from_db()
    assert remix.visibility == "draft"
    pending = submissions.submission_pending_create(actor=contributor, need=need, record=remix)
    assert isinstance(pending, PendingSubmission)
    assert not Submission.objects.exists()
    request = RemixRequest.objects.get(remix=remix)
    lineage_services.remix_request_decide(actor=author, request_id=request.pk, approve=True)
    [submission] = Submission.objects.all()
    assert (submission.record, submission.need, submission.submitted_by) == (
        remix,
        need,
        contributor,
    )
    assert not PendingSubmission.objects.exists()


def test_a_pending_submission_to_a_need_that_closed_is_dropped_and_publication_stands(
    production: Production,
    producer: User,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> None:
    seed = make_record("text", author=author, remix_policy="ask")
    need = services.need_create(
        actor=producer, production=production, title="Remix it", kinds=["text"], seed=seed
    )
    remix = record_services.record_create(
        author=contributor,
        kind="text",
        title="Late",
        body="Late.",
        sources=[SourceSpec(record_id=seed.pk)],
    )
    remix.refresh_from_db()
    submissions.submission_pending_create(actor=contributor, need=need, record=remix)
    time_passes(need=need)
    request = RemixRequest.objects.get(remix=remix)
    lineage_services.remix_request_decide(actor=author, request_id=request.pk, approve=True)
    remix.refresh_from_db()
    assert remix.is_public
    assert not Submission.objects.exists()
    assert AuditEvent.objects.filter(action="submission_pending_failed").exists()


def test_an_open_seed_remix_is_submitted_at_once(
    production: Production,
    producer: User,
    make_record: Callable[..., Record],
    author: User,
    contributor: User,
) -> None:
    seed = make_record("text", author=author, remix_policy="open")
    need = services.need_create(
        actor=producer, production=production, title="Remix it", kinds=["text"], seed=seed
    )
    remix = record_services.record_create(
        author=contributor,
        kind="text",
        title="Now",
        body="Now.",
        sources=[SourceSpec(record_id=seed.pk)],
    )
    remix.refresh_from_db()
    done: Any = submissions.submission_pending_create(actor=contributor, need=need, record=remix)
    assert isinstance(done, Submission) and done.need == need
