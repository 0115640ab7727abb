"""The scene the follow and heart tests share, built through the real services: a published
record and an open production of Orion's (`ana` comes from the package's conftest). Each
fixture is named with `name=`, so a test module imports `record_fixture` and its tests ask
for `record` without shadowing the import."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.productions import services as productions
from riffhouse.productions.models import Production


@pytest.fixture(name="record")
def record_fixture(make_record: Callable[..., Any], user: User) -> Any:
    """Orion's published poem."""
    return make_record("text", title="Moon song", author=user)


@pytest.fixture(name="make_production")
def make_production_fixture(user: User) -> Callable[..., Production]:
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


@pytest.fixture(name="production")
def production_fixture(make_production: Callable[..., Production]) -> Production:
    """Orion's open episode."""
    return make_production()
