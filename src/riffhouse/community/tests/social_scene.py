"""The scene the follow and heart tests share, built through the real services: members,
a published record, an open production."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.productions import services as productions
from riffhouse.productions.models import Production


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana", display_name="Ana Reyes")


@pytest.fixture
def record(make_record: Callable[..., Any], user: User) -> Any:
    """Orion's published poem."""
    return make_record("text", title="Moon song", author=user)


@pytest.fixture
def make_production(user: User) -> Callable[..., Production]:
    def make(*, status: str = "open", actor: User | None = None) -> Production:
        production = productions.production_create(
            actor=actor or user, kind="episode", title="Space", theme="Space", brief="Leave Earth."
        )
        if status != "draft":
            productions.production_status_set(
                actor=actor or user, production=production, status="open"
            )
        production.refresh_from_db()
        return production

    return make


@pytest.fixture
def production(make_production: Callable[..., Production]) -> Production:
    """Orion's open episode."""
    return make_production()
