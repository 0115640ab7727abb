"""Blocks in productions (decision 0036): nobody submits the work of a member they blocked
or who blocked them, and a member a producer blocked cannot submit to that production."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts import services as accounts
from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.productions.models import Production, Submission
from riffhouse.productions.submissions.services import submission_create
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def refused(**kwargs: Any) -> ApplicationError:
    with pytest.raises(ApplicationError) as caught:
        submission_create(**kwargs)
    return caught.value


def test_submitting_the_work_of_a_member_who_blocked_you(
    production: Production, contributor: User, author: User, make_record: Callable[..., Record]
) -> None:
    theirs = make_record("image", author=author, title="Open art")
    accounts.block_add(blocker=author, blocked=contributor)
    error = refused(actor=contributor, production=production, record=theirs)
    assert (error.status, error.code) == (403, "blocked")
    assert not Submission.objects.exists()


def test_a_member_a_producer_blocked_cannot_submit(
    production: Production, producer: User, contributor: User, make_record: Callable[..., Record]
) -> None:
    mine = make_record("image", author=contributor, title="My art")
    accounts.block_add(blocker=producer, blocked=contributor)
    error = refused(actor=contributor, production=production, record=mine)
    assert (error.status, error.code) == (403, "blocked")


def test_without_a_block_the_submission_goes_through(
    production: Production, contributor: User, make_record: Callable[..., Record]
) -> None:
    mine = make_record("image", author=contributor, title="My art")
    assert submission_create(actor=contributor, production=production, record=mine).pk
