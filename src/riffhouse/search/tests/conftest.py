"""Search tests build their data through the real services: the index follows them."""

from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.search import selectors


@pytest.fixture
def find(user: User) -> Callable[..., list[Any]]:
    """The items `search` returns for `q` (as anyone would see them)."""
    from django.contrib.auth.models import AnonymousUser

    def run(q: str, **kwargs: Any) -> list[Any]:
        return selectors.search(viewer=AnonymousUser(), q=q, **kwargs).items

    return run


@pytest.fixture
def titles(find: Callable[..., list[Any]]) -> Callable[..., list[str]]:
    def run(q: str, **kwargs: Any) -> list[str]:
        return [item.title for item in find(q, **kwargs)]

    return run
