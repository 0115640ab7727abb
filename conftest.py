"""Fixtures shared by every test: members built through the real services, API clients."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from riffhouse.accounts import services
from riffhouse.accounts.models import Role, User

PASSWORD = "a-long-and-lovely-passphrase"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Throttling counters live in the cache; each test starts with none. So do public
    # pages, with each process's own copies (core.page_cache).
    from riffhouse.core import page_cache

    cache.clear()
    page_cache.local_entries_forget()


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    counter = {"n": 0}

    def make(username: str | None = None, *, role: str = Role.MEMBER, **kwargs: Any) -> User:
        counter["n"] += 1
        name = username or f"member{counter['n']}"
        return services.user_create(
            username=name,
            email=kwargs.pop("email", f"{name}@ex.org"),
            password=kwargs.pop("password", PASSWORD),
            role=role,
            **kwargs,
        )

    return make


@pytest.fixture
def user(make_user: Callable[..., User]) -> User:
    return make_user("orion", display_name="Orion Vale")


class ApiClient(Client):
    """A test client that speaks JSON to /api/v1/ and can carry a bearer token."""

    def __init__(self, token: str | None = None, **defaults: Any) -> None:
        super().__init__(**defaults)
        self.token = token

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        merged = dict(headers or {})
        if self.token:
            merged.setdefault("Authorization", f"Bearer {self.token}")
        return merged

    def call(
        self,
        method: str,
        path: str,
        data: Any = None,
        *,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> Any:
        body = raw if raw is not None else (json.dumps(data) if data is not None else "")
        return self.generic(
            method.upper(),
            f"/api/v1{path}",
            body,
            content_type="application/json",
            headers=self._headers(headers),
            **extra,
        )


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture
def user_api(user: User) -> ApiClient:
    issued = services.api_token_create(user=user, name="tests")
    return ApiClient(token=issued.raw)


@pytest.fixture(autouse=True)
def _own_media_root(settings: Any, tmp_path: Any) -> None:
    # Each test stores files in a folder of its own, so none sees another's files.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def db_task_backend(settings: Any) -> Any:
    """Use the database job queue (as production does) instead of running tasks inline."""
    from asgiref.local import Local
    from django.tasks import task_backends

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": settings.TASK_QUEUES}
    }
    # The tasks framework caches backends; make it read the new setting.
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)
    yield
    task_backends.__dict__.pop("settings", None)
    task_backends._settings = None
    task_backends._connections = Local(task_backends.thread_critical)


@pytest.fixture
def make_record(user: User) -> Callable[..., Any]:
    """Records made through the real service (processing runs inline in tests)."""
    from riffhouse.records import services as records
    from riffhouse.records.tests import samples
    from riffhouse.records.tests.conftest import upload

    def make(kind: str = "text", *, author: User | None = None, **fields: Any) -> Any:
        fields.setdefault("title", f"A {kind} record")
        if kind == "text":
            fields.setdefault("body", "Moon over the harbour,\nnets full of light.")
        elif "upload" not in fields:
            data = {"image": samples.png, "audio": samples.wav, "video": samples.mp4}[kind]()
            fields["upload"] = upload(data, f"sample.{kind}")
        record = records.record_create(author=author or user, kind=kind, **fields)
        record.refresh_from_db()  # processing (inline in tests) updated it
        return record

    return make
