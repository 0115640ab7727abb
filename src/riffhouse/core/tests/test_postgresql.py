"""The PostgreSQL backend's health check (core/postgresql, decision 0044): a kept connection
is checked by its socket, not by a `SELECT 1` on every request, and a connection the server
ended is still replaced before it fails a request."""

import select
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

pytestmark = [
    pytest.mark.django_db(transaction=True),  # outside a test transaction, as in a request
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's backend"),
]


def _checked(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The `SELECT 1` health checks Django's backend makes from now on."""
    asked: list[bool] = []
    usable = connection.is_usable

    def counted() -> bool:
        asked.append(True)
        return usable()

    monkeypatch.setattr(connection, "is_usable", counted)
    return asked


def _get(client: Client, path: str) -> int:
    """A request as a server makes it: Django's test client leaves out the connection upkeep
    done at each request's start (`close_old_connections`), which readies the health check."""
    connection.close_if_unusable_or_obsolete()
    return client.get(path).status_code


def test_a_live_kept_connection_is_checked_without_a_round_trip(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert connection.health_check_enabled  # type: ignore[attr-defined]
    _get(client, "/records/")  # the connection is made and kept
    asked = _checked(monkeypatch)
    for _ in range(3):
        assert _get(client, "/records/") == 200
    assert asked == []


def test_a_connection_the_server_ended_is_replaced_before_the_request_uses_it(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _get(client, "/records/")
    kept: Any = connection.connection
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [kept.info.backend_pid])
    # The server's notice reaches the kept connection's socket (waits at most 10 s).
    assert select.select([kept.fileno()], [], [], 10)[0]
    asked = _checked(monkeypatch)

    assert _get(client, "/records/") == 200

    assert asked == [True]  # the socket had something to say: Django's check ran, and failed
    assert connection.connection is not kept
