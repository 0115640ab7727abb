from collections.abc import Callable
from typing import Any

import pytest

from riffhouse.accounts.models import User
from riffhouse.lineage import services
from riffhouse.lineage.services import SourceSpec
from riffhouse.records.models import Record


@pytest.fixture
def ana(make_user: Callable[..., User]) -> User:
    return make_user("ana")


@pytest.fixture
def bo(make_user: Callable[..., User]) -> User:
    return make_user("bodhi")


@pytest.fixture
def cy(make_user: Callable[..., User]) -> User:
    return make_user("cyra")


@pytest.fixture
def work(make_record: Callable[..., Record]) -> Callable[..., Record]:
    """An original text record by `author`."""

    def make(author: User, title: str = "Moon song", **fields: Any) -> Record:
        return make_record("text", author=author, title=title, **fields)

    return make


@pytest.fixture
def remix() -> Callable[..., Record]:
    """A text remix of `sources` (records, or (record, usage) pairs) by `author`."""

    def make(author: User, *sources: Any, title: str = "A remix", **fields: Any) -> Record:
        specs = [
            SourceSpec(record_id=s[0].pk, usage=s[1])
            if isinstance(s, tuple)
            else SourceSpec(record_id=s.pk)
            for s in sources
        ]
        fields.setdefault("body", "Built on what came before.")
        record = services.remix_create(
            author=author, sources=specs, kind="text", title=title, **fields
        )
        record.refresh_from_db()
        return record

    return make
