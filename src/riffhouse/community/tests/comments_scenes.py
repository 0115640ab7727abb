"""Scenes for the comment tests, through the real services: an open production and a
released one with two segments, and a block (accounts has no block service on this branch
yet, so the row is written directly)."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import Block, User
from riffhouse.community.models import Notification
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
    Block.objects.create(blocker=blocker, blocked=blocked)


def told(user: User) -> list[tuple[str, Any]]:
    """(verb, comment id) of each notification `user` got, oldest first."""
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("verb", "comment_id")
    )
