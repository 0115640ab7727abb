"""Accounts endpoints: tokens, sign-up, the current member (and deleting it), public
profiles."""

from typing import Any

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest
from ninja import File, Query, Router, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from riffhouse.accounts import selectors, services
from riffhouse.accounts.auth import bearer_or_session
from riffhouse.accounts.models import AuditEvent, User
from riffhouse.accounts.schemas import (
    AccountDeleteIn,
    AvatarOut,
    BlockOut,
    BlockPageOut,
    BlockQuery,
    MeOut,
    MessageOut,
    ProfilePatchIn,
    SignUpIn,
    TokenIssuedOut,
    TokenOut,
    TokenRequestIn,
    UserOut,
)
from riffhouse.core.api import ErrorOut, error_responses
from riffhouse.core.http import client_ip
from riffhouse.core.page_cache import public_page


def author_out(request: HttpRequest, user: User | None) -> dict[str, Any]:
    """A member as work credits them; a former member has no name or address left."""
    if user is None or user.is_former:
        return {"username": None, "display_name": "a former member", "url": None}
    return {
        "username": user.username,
        "display_name": user.name,
        "url": request.build_absolute_uri(user.get_absolute_url()),
    }


router = Router(tags=["accounts"], auth=bearer_or_session)
ERRORS = error_responses(400, 401, 404, 409, 422, 429)


def _media_url(request: HttpRequest, name: str) -> str | None:
    return request.build_absolute_uri(settings.MEDIA_URL + name) if name else None


def _user_out(request: HttpRequest, user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "links": user.links,
        "role": user.role,
        "avatar": AvatarOut(
            original=_media_url(request, user.avatar),
            small=_media_url(request, user.avatar_small),
            medium=_media_url(request, user.avatar_medium),
        ),
        "date_joined": user.date_joined,
        "url": request.build_absolute_uri(user.get_absolute_url()),
    }


def _me_out(request: HttpRequest, user: User) -> dict[str, Any]:
    # The email address is private: only the member's own view carries it.
    return {
        **_user_out(request, user),
        "email": user.email,
        "default_remix_policy": user.default_remix_policy,
    }


@router.post(
    "/auth/token",
    auth=None,
    response={201: TokenIssuedOut, **ERRORS},
    summary="Exchange a username (or email) and password for a bearer token",
)
def token_create(request: HttpRequest, payload: TokenRequestIn) -> Status[dict[str, Any]]:
    user = services.user_authenticate(
        login=payload.username, password=payload.password, ip=client_ip(request)
    )
    services.audit(action=AuditEvent.Action.LOGGED_IN, subject=user, actor=user, via="api")
    issued = services.api_token_create(user=user, name=payload.name)
    return Status(
        201,
        {
            "id": issued.token.pk,
            "name": issued.token.name,
            "prefix": issued.token.prefix,
            "token": issued.raw,
            "created_at": issued.token.created_at,
        },
    )


@router.post(
    "/accounts",
    auth=None,
    response={202: MessageOut, **ERRORS},
    summary="Sign up; a confirmation link is emailed",
)
def account_create(request: HttpRequest, payload: SignUpIn) -> Status[dict[str, str]]:
    services.user_sign_up(
        username=payload.username,
        email=payload.email,
        password=payload.password,
        base_url=f"{request.scheme}://{request.get_host()}",
        ip=client_ip(request),
    )
    return Status(
        202,
        {
            "detail": "Check your inbox: we sent a link to confirm the address "
            "and activate the account.",
            "code": "confirmation_sent",
        },
    )


@router.get("/me", response={200: MeOut, 401: ErrorOut}, summary="The member you are")
def me(request: HttpRequest) -> dict[str, Any]:
    return _me_out(request, request.auth)  # type: ignore[attr-defined]


@router.patch("/me", response={200: MeOut, **ERRORS}, summary="Edit your profile")
def me_update(request: HttpRequest, payload: ProfilePatchIn) -> dict[str, Any]:
    user = services.user_update_profile(
        user=request.auth,  # type: ignore[attr-defined]
        display_name=payload.display_name,
        bio=payload.bio,
        links=payload.links,
        default_remix_policy=payload.default_remix_policy,
    )
    return _me_out(request, user)


@router.delete(
    "/me",
    response={204: None, 400: ErrorOut, 401: ErrorOut, 422: ErrorOut},
    summary="Delete your account (confirm with your password); cannot be undone",
    description=(
        "Anonymises the account: your records become tombstones, remixes of them credit "
        "“a former member”, every token stops working."
    ),
)
def me_delete(request: HttpRequest, payload: AccountDeleteIn) -> Status[None]:
    services.account_delete(
        user=request.auth,  # type: ignore[attr-defined]
        password=payload.password,
    )
    logout(request)  # a browser session that made the call ends with the account
    return Status(204, None)


@router.post(
    "/me/avatar",
    response={200: MeOut, **ERRORS},
    summary="Upload an avatar (JPEG, PNG, WebP or GIF, up to 5 MB)",
)
def me_avatar_set(request: HttpRequest, file: File[UploadedFile]) -> dict[str, Any]:
    user = services.user_set_avatar(
        user=request.auth,  # type: ignore[attr-defined]
        upload=file,
        size=file.size,
    )
    return _me_out(request, user)


@router.delete("/me/avatar", response={200: MeOut, 401: ErrorOut}, summary="Remove your avatar")
def me_avatar_remove(request: HttpRequest) -> dict[str, Any]:
    user = services.user_remove_avatar(user=request.auth)  # type: ignore[attr-defined]
    return _me_out(request, user)


@router.get(
    "/me/tokens",
    response={200: list[TokenOut], 401: ErrorOut},
    summary="Your API tokens, live first",
)
def me_tokens(request: HttpRequest) -> Any:
    return selectors.api_token_list(user=request.auth)  # type: ignore[attr-defined]


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None, 401: ErrorOut, 404: ErrorOut},
    summary="Revoke one of your tokens",
)
def me_token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    services.api_token_revoke(user=request.auth, token_id=token_id)  # type: ignore[attr-defined]
    return Status(204, None)


@router.get(
    "/users/{username}",
    auth=None,
    response={200: UserOut, 404: ErrorOut, 410: ErrorOut},
    summary="A member's public profile (410 `deleted` once they deleted their account)",
)
@decorate_view(public_page())
def user_detail(request: HttpRequest, username: str) -> dict[str, Any]:
    return _user_out(request, selectors.user_get_public(username=username))


# Blocks ------------------------------------------------------------------------------------
def _block_out(request: HttpRequest, block: Any) -> dict[str, Any]:
    member = block.blocked
    return {
        "username": member.username,
        "display_name": member.name,
        "url": request.build_absolute_uri(member.get_absolute_url()),
        "blocked_at": block.created_at,
    }


@router.post(
    "/users/{username}/block",
    response={200: BlockOut, **error_responses(400, 401, 404, 410)},
    summary="Block a member: they can no longer follow you, comment on or mention you, "
    "ask to remix or submit your work",
)
def user_block(request: HttpRequest, username: str) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    block = services.block_add(blocker=user, blocked=selectors.user_get_public(username=username))
    return _block_out(request, block)


@router.delete(
    "/users/{username}/block",
    response={204: None, **error_responses(401, 404, 410)},
    summary="Unblock a member",
)
def user_unblock(request: HttpRequest, username: str) -> Status[None]:
    user: User = request.auth  # type: ignore[attr-defined]
    services.block_remove(blocker=user, blocked=selectors.user_get_public(username=username))
    return Status(204, None)


@router.get(
    "/me/blocks",
    response={200: BlockPageOut, **error_responses(400, 401, 422)},
    summary="The members you blocked, the latest block first, a page at a time "
    "(400 `invalid_cursor` for a malformed cursor)",
)
def me_blocks(request: HttpRequest, filters: Query[BlockQuery]) -> dict[str, Any]:
    user: User = request.auth  # type: ignore[attr-defined]
    page = selectors.block_list(user=user, cursor=filters.cursor, limit=filters.limit)
    return {
        "items": [_block_out(request, block) for block in page.items],
        "next_cursor": page.next_cursor,
    }
