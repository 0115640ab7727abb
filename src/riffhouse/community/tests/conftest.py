"""Remixes and remix requests made directly in the database (lineage's services are not
needed to test how community reacts to its hooks)."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.lineage.models import RemixRequest, SourceLink


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    """The remixer. `user` (Orion Vale) is the source's author."""
    return make_user("ana", display_name="Ana Reyes")


@pytest.fixture
def source(make_record: Callable[..., Any], user: User) -> Any:
    return make_record("text", title="Moon song", author=user)


@pytest.fixture
def remix(make_record: Callable[..., Any], ana: User) -> Any:
    return make_record("text", title="Moon animation", author=ana)


@pytest.fixture
def make_link() -> Callable[..., SourceLink]:
    def make(remix: Any, source: Any, usage: str = "melody") -> SourceLink:
        return SourceLink.objects.create(
            record=remix, source=source, source_version=source.current_version, usage=usage
        )

    return make


@pytest.fixture
def make_request() -> Callable[..., RemixRequest]:
    def make(remix: Any, source: Any, **fields: Any) -> RemixRequest:
        fields.setdefault("requester", remix.author)
        fields.setdefault("owner", source.author)
        return RemixRequest.objects.create(remix=remix, source=source, **fields)

    return make
