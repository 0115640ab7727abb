"""API authentication: a bearer token, or the browser session (with CSRF on writes)."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import user_get_by_token
from riffhouse.accounts.services import api_token_touch
from riffhouse.core.middleware import suspension_refusal


def token_user(*, raw: str) -> User | None:
    """The active member a bearer token names (noting that the token was used), or None.
    The API's authentication and the file URLs it lists both ask here."""
    found = user_get_by_token(raw=raw)
    if found is None:
        return None
    user, api_token = found
    api_token_touch(token=api_token)
    return user


class BearerTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = token_user(raw=token)
        if user is not None:
            request.user = user
            refusal = suspension_refusal(request, user)
            if refusal is not None:  # sessions are refused by SuspensionMiddleware
                raise refusal
        return user


class ActiveSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return user if user is not None and user.is_active else None


bearer_or_session = [BearerTokenAuth(), ActiveSessionAuth()]


def anonymous(request: HttpRequest) -> Any:
    """Lets public reads through without credentials; `request.user` stays anonymous."""
    return request.user


# For public reads: a token or session still identifies the viewer (an author sees their
# drafts), but neither is required.
bearer_session_or_anonymous = [BearerTokenAuth(), ActiveSessionAuth(), anonymous]
