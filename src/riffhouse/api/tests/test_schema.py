"""The OpenAPI schema is a contract with every client: changes to it must be deliberate.
Regenerate the snapshot with `UPDATE_SNAPSHOTS=1 make test` and review the diff."""

import json
import os
from pathlib import Path

from django.test import Client

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")


def test_openapi_schema_matches_the_snapshot(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    # Response descriptions are the standard library's reason phrases, which differ between
    # Python versions (422 "Unprocessable Entity" on 3.12, "... Content" on 3.13).
    for operations in schema["paths"].values():
        for operation in operations.values():
            for response in operation["responses"].values():
                response.pop("description", None)
    rendered = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") or not SNAPSHOT.exists():
        SNAPSHOT.write_text(rendered)
    assert rendered == SNAPSHOT.read_text(), "the API schema changed; see this file's docstring"


def test_every_operation_documents_its_errors(client: Client) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert codes - {"200", "201", "202", "204"}, f"{method.upper()} {path} lists no errors"
