"""Productions' test scene, built through the real services: a producer and their
production with a need, and contributors."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.productions import services
from riffhouse.productions.models import Need, Production


@pytest.fixture
def producer(make_user: Callable[..., User]) -> User:
    return make_user("paz", display_name="Paz Ortega")


@pytest.fixture
def contributor(make_user: Callable[..., User]) -> User:
    return make_user("cleo", display_name="Cleo Marsh")


@pytest.fixture
def make_production(producer: User) -> Callable[..., Production]:
    """A production started by `actor` (default: `producer`), opened when `status` says so."""

    def make(*, actor: User | None = None, status: str = "draft", **fields: Any) -> Production:
        actor = actor or producer
        fields.setdefault("kind", "episode")
        fields.setdefault("title", "Space")
        fields.setdefault("theme", "Space")
        fields.setdefault("brief", "Songs, pictures and poems about **leaving Earth**.")
        production = services.production_create(actor=actor, **fields)
        if status != "draft":
            services.production_status_set(actor=actor, production=production, status="open")
        if status == "curating":
            services.production_status_set(actor=actor, production=production, status="curating")
        production.refresh_from_db()
        return production

    return make


@pytest.fixture
def production(make_production: Callable[..., Production]) -> Production:
    """An open episode about Space."""
    return make_production(status="open")


@pytest.fixture
def need(production: Production, producer: User) -> Need:
    return services.need_create(
        actor=producer,
        production=production,
        title="A song about leaving Earth",
        kinds=["audio"],
        wanted=2,
    )


# Submissions ---------------------------------------------------------------------------------
@pytest.fixture
def author(make_user: Callable[..., User]) -> User:
    """A member whose records others submit."""
    return make_user("ines", display_name="Ines Roa")
