"""Schemathesis against the whole API (`make test` runs it on SQLite and PostgreSQL).

Every operation of /api/v1/openapi.json gets EXAMPLES generated requests that fit its schema
and EXAMPLES that break it, as a member with records (so authenticated operations are
exercised), through Django's WSGI handler in this process. Two checks on every response:
no 5xx, and a documented status's body matches its documented schema. Generation is
derandomized (the same requests every run), so a failure here is reproducible; the report
lists every failing request, not only the first.
"""

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

from riffhouse.accounts import services as accounts
from riffhouse.lineage import rules as lineage_rules
from riffhouse.lineage import services as lineage
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db

EXAMPLES = 25  # per operation and mode: 27 operations x 2 modes x 25 is ~1,300 requests


def django_wsgi_app() -> Callable[..., Iterable[bytes]]:
    """Django's test handler as a WSGI app: like the test client, it keeps the test's
    database connection (and transaction) open across requests."""
    handler = ClientHandler(enforce_csrf_checks=False)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        response = handler(environ)
        headers = list(response.items())
        headers += [("Set-Cookie", c.output(header="").strip()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        if response.streaming:
            return [b"".join(response.streaming_content)]  # type: ignore[attr-defined]
        return [response.content]

    return app


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter)  # per operation
    statuses: Counter[int] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


def _exercise(operation: Any, mode: GenerationMode, headers: dict[str, str], tally: Tally) -> None:
    """Send EXAMPLES generated requests to one operation; count them, collect failures."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: failures are collected
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(headers=headers)
        tally.requests[operation.label] += 1
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(
                response, checks=[not_a_server_error, response_schema_conformance], headers=headers
            )
        except (Failure, FailureGroup) as failure:
            summary = " | ".join(str(failure).strip().splitlines()[:3])
            tally.failures.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: {summary}"
            )

    run()


@pytest.fixture
def member(user: Any, make_user: Any, make_record: Any) -> Any:
    """A member with a text record, an image, a remix of someone's work and a remix request
    waiting, so ids 1, 2, 3... lead somewhere."""
    other = make_user("sable")
    theirs = make_record("text", author=other, title="Their poem", remix_policy="ask")
    mine = make_record("text", title="My poem")
    make_record("image", title="My picture")
    lineage.remix_create(
        author=user,
        sources=lineage_rules.sources_parse(raw=[{"record": mine.pk, "usage": "words"}]),
        kind="text",
        title="A remix",
        body="Again, differently.",
    )
    lineage.remix_create(
        author=other,
        sources=lineage_rules.sources_parse(raw=[{"record": mine.pk, "usage": "lines"}]),
        kind="text",
        title="Their remix",
        body="Theirs.",
    )
    assert Record.objects.filter(author=user).count() == 3 and theirs.pk
    return user


def test_every_operation_answers_without_5xx_and_as_documented(member: Any) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", django_wsgi_app())
    tally = Tally()
    requests, statuses, failures = tally.requests, tally.statuses, tally.failures
    operations = [result.ok() for result in schema.get_all_operations()]
    started = time.monotonic()

    for operation in operations:
        # A token of its own for each operation: `DELETE /me/tokens/1` may revoke the last one.
        token = accounts.api_token_create(user=member, name="schemathesis").raw
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _exercise(operation, mode, {"Authorization": f"Bearer {token}"}, tally)
            except Unsatisfiable:
                # An operation with nothing to get wrong (no parameters, no body) has no
                # negative cases.
                if mode is GenerationMode.POSITIVE:
                    raise

    elapsed = time.monotonic() - started
    print(
        f"\nschemathesis: {len(operations)} operations, {sum(requests.values())} requests in "
        f"{elapsed:.1f}s; statuses {dict(sorted(statuses.items()))}; "
        f"{sum(n for s, n in statuses.items() if s >= 500)} 5xx"
    )
    assert len(operations) >= 27
    assert all(requests[op.label] for op in operations), "an operation got no request"
    assert not failures, "\n".join(sorted(set(failures)))
