"""Audit rows name their target: a token's creation points at the token."""

import pytest

from riffhouse.accounts import services
from riffhouse.accounts.models import ApiToken, AuditEvent, User

pytestmark = pytest.mark.django_db


def test_token_creation_is_audited_with_its_target(user: User) -> None:
    services.api_token_create(user=user, name="script")
    token = ApiToken.objects.get()
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN_CREATED)
    assert (event.actor, event.subject) == (user, user)
    assert (event.target_type, event.target_id) == ("accounts.apitoken", token.pk)
