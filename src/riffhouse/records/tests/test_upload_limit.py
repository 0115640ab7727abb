"""Uploads are rate-limited per member, more strictly for new accounts (core.ratelimit)."""

from datetime import timedelta
from typing import Any

import pytest
from conftest import ApiClient
from django.utils import timezone

from riffhouse.accounts.models import User
from riffhouse.core.ratelimit import limit_for
from riffhouse.records.models import Record

pytestmark = pytest.mark.django_db


def test_new_accounts_get_the_stricter_limit(settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "upload": (30, 3600)}
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "upload": (10, 3600)}
    settings.RATE_LIMIT_NEW_ACCOUNT_DAYS = 3
    now = timezone.now()
    assert limit_for(action="upload", joined_at=now - timedelta(days=1)) == (10, 3600)
    assert limit_for(action="upload", joined_at=now - timedelta(days=30)) == (30, 3600)


def test_the_api_answers_429_with_retry_after(
    settings: Any, user: User, user_api: ApiClient
) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "upload": (1, 3600)}
    headers = {"Authorization": f"Bearer {user_api.token}"}
    data = {"kind": "text", "title": "One", "body": "Words."}
    assert user_api.post("/api/v1/records", data, headers=headers).status_code == 201
    refused = user_api.post("/api/v1/records", {**data, "title": "Two"}, headers=headers)
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 3500 < int(refused["Retry-After"]) <= 3600
    assert Record.objects.filter(author=user).count() == 1


def test_the_upload_page_shows_the_refusal(settings: Any, client: Any, user: User) -> None:
    settings.RATE_LIMITS_NEW = {**settings.RATE_LIMITS_NEW, "upload": (1, 3600)}
    client.force_login(user)
    data = {
        "kind": "text",
        "title": "One",
        "body": "Words.",
        "licence": "riffhouse",
        "remix_policy": "open",
        "visibility": "published",
    }
    assert client.post("/records/new/", data).status_code == 302
    refused = client.post("/records/new/", {**data, "title": "Two"})
    assert "Too many uploads" in refused.content.decode()
    assert Record.objects.filter(author=user).count() == 1
