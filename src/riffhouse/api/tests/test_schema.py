"""The OpenAPI schema is a contract with every client: changes to it must be deliberate.
After one, regenerate the snapshot with `make api-snapshot` (`riffhouse api_snapshot`) and
review the diff. The test never writes it."""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from riffhouse.api.snapshot import SNAPSHOT, schema_normalise, schema_render


def test_openapi_schema_matches_the_snapshot() -> None:
    assert SNAPSHOT.exists(), "the API schema snapshot is missing: run `make api-snapshot`"
    assert schema_render() == SNAPSHOT.read_text(), (
        "the API schema changed: if that was deliberate, run `make api-snapshot` and review"
    )


def test_the_snapshot_is_what_the_api_serves(client: Client) -> None:
    served = schema_normalise(client.get("/api/v1/openapi.json").json())
    assert served == json.loads(schema_render())


def test_a_missing_snapshot_fails_and_is_not_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = tmp_path / "openapi.snapshot.json"
    monkeypatch.setattr("riffhouse.api.tests.test_schema.SNAPSHOT", missing)
    with pytest.raises(AssertionError, match="snapshot is missing"):
        test_openapi_schema_matches_the_snapshot()
    assert not missing.exists()


def test_the_command_writes_and_checks_the_snapshot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "openapi.snapshot.json"
    monkeypatch.setattr("riffhouse.api.management.commands.api_snapshot.SNAPSHOT", target)
    with pytest.raises(CommandError, match="missing or out of date"):
        call_command("api_snapshot", check=True)
    call_command("api_snapshot")
    assert target.read_text() == schema_render()
    call_command("api_snapshot", check=True)


def test_every_operation_documents_its_errors(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes - {"200", "201", "202", "204"}, f"{method.upper()} {path} lists no errors"
