"""The OpenAPI schema as the snapshot keeps it: the contract with every client, rendered
the same way by the test that compares it and by the command that rewrites it."""

import json
from pathlib import Path
from typing import Any

SNAPSHOT = Path(__file__).parent / "tests" / "openapi.snapshot.json"


def schema_normalise(schema: dict[str, Any]) -> dict[str, Any]:
    """The schema without what varies by Python version, in place."""
    # Response descriptions are the standard library's reason phrases, which differ between
    # Python versions (422 "Unprocessable Entity" on 3.12, "... Content" on 3.13).
    for operations in schema["paths"].values():
        for operation in operations.values():
            for response in operation["responses"].values():
                response.pop("description", None)
    return schema


def schema_render() -> str:
    """The API's OpenAPI schema as stable, reviewable JSON text."""
    from riffhouse.api.api import api

    # Through JSON and back, as `/api/v1/openapi.json` serves it (pydantic values to plain).
    schema: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return json.dumps(schema_normalise(schema), indent=2, sort_keys=True) + "\n"
