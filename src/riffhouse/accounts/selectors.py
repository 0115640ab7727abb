"""Reads about members that carry a rule: who may be seen, which token is valid."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from riffhouse.accounts.models import ApiToken, User
from riffhouse.accounts.services import token_digest
from riffhouse.core.errors import ApplicationError, NotFound


def user_get_public(*, username: str) -> User:
    """A confirmed, active member by username (any casing). NotFound for nobody (or an
    unconfirmed account); 410 `deleted` for an account its member deleted."""
    user = (
        User.objects.filter(username__iexact=username)
        .filter(Q(is_active=True) | Q(deleted_at__isnull=False))
        .first()
    )
    if user is None:
        raise NotFound("No member by that name.")
    if user.deleted_at is not None:
        raise ApplicationError("This member left Riffhouse.", code="deleted", status=410)
    return user


def user_get_by_token(*, raw: str) -> tuple[User, ApiToken] | None:
    """The active member holding a live token, with the token; None otherwise."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=token_digest(raw=raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    return token.user, token


def api_token_list(*, user: User | AnonymousUser) -> QuerySet[ApiToken]:
    if user.pk is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user_id=user.pk).order_by("revoked_at", "-created_at")
