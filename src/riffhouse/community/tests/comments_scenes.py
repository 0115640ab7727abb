"""Scenes for the comment tests, through the real services: an open production and a
released one with two segments, a block, and a thread on a record where one member blocked
another."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.accounts.services import block_add
from riffhouse.community.comments import services as comments
from riffhouse.community.models import Comment, Notification
from riffhouse.productions import services as productions
from riffhouse.productions.lineup import SegmentSpec
from riffhouse.productions.models import Production
from riffhouse.productions.tests.scenes import line_up, release_now
from riffhouse.records import services as records


@pytest.fixture
def producer(make_user: Callable[..., User]) -> User:
    return make_user("paz", display_name="Paz Ortega")


@pytest.fixture
def bea(make_user: Callable[..., User]) -> User:
    return make_user("bea", display_name="Bea Lund")


@pytest.fixture
def moderator(make_user: Callable[..., User]) -> User:
    return make_user("mod", role="moderator")


@pytest.fixture
def open_production(producer: User) -> Production:
    production = productions.production_create(
        actor=producer, kind="episode", title="Space", theme="Space", brief="Songs about **space**."
    )
    productions.production_status_set(actor=producer, production=production, status="open")
    production.refresh_from_db()
    return production


@pytest.fixture
def released(producer: User) -> Production:
    """Released, with two segments (the producer's own links)."""
    production = productions.production_create(
        actor=producer, kind="episode", title="Tides", brief="Sea songs."
    )
    productions.production_status_set(actor=producer, production=production, status="open")
    links = [
        records.record_create(author=producer, kind="text", title=title, body="Hello.")
        for title in ("Welcome", "Goodbye")
    ]
    line_up(
        producer=producer,
        production=production,
        segments=[SegmentSpec(kind="link", record_id=r.pk, duration_ms=5000) for r in links],
    )
    return release_now(producer=producer, production=production)


def block(blocker: User, blocked: User) -> None:
    block_add(blocker=blocker, blocked=blocked)


@dataclass
class BlockedThread:
    """On `record` (Orion's): Ana's comment `top`; Reply by Orion `reply`; Ana's answer to
    it, `answer`; Reply by Orion to that, `again` ("replying to Ana"). Then Bea blocked Ana."""

    top: Comment
    reply: Comment
    answer: Comment
    again: Comment


def blocked_thread(*, record: Any, user: User, ana: User, bea: User) -> BlockedThread:
    top = comments.comment_create(author=ana, body="Words by Ana", record=record)
    reply = comments.comment_create(author=user, body="Reply by Orion", parent=top)
    answer = comments.comment_create(author=ana, body="Ana again", parent=reply)
    again = comments.comment_create(author=user, body="Orion again", parent=answer)
    block(bea, ana)
    return BlockedThread(top=top, reply=reply, answer=answer, again=again)


def told(user: User) -> list[tuple[str, Any]]:
    """(verb, comment id) of each notification `user` got, oldest first."""
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("verb", "comment_id")
    )
