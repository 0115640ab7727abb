"""Every write to accounts: sign-up and confirmation, log-in, profile, avatar, roles, tokens,
account deletion."""

import hashlib
import io
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from PIL import Image, ImageOps

from riffhouse.accounts import hooks, throttling
from riffhouse.accounts.avatar_image import AvatarRefused, avatar_webp_isolated
from riffhouse.accounts.models import ApiToken, AuditEvent, Block, Role, User
from riffhouse.accounts.tokens import LinkCheck, email_confirmation_token
from riffhouse.core.email import email_enqueue
from riffhouse.core.errors import ApplicationError, NotFound, PermissionDenied
from riffhouse.core.models import RemixPolicy
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.core.storage import storage_delete_many
from riffhouse.core.text import name_check

logger = logging.getLogger(__name__)

USERNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_-]{1,28})[A-Za-z0-9]$")
# Names that would read as the site speaking, or collide with top-level paths.
RESERVED_USERNAMES = frozenset(
    {
        "admin",
        "administrator",
        "api",
        "accounts",
        "settings",
        "static",
        "media",
        "healthz",
        "riffhouse",
        "staff",
        "support",
        "moderator",
        "help",
        "about",
        "root",
        "system",
    }
)
# The names deleted accounts are renamed to (`account_delete`); nobody may register one.
FORMER_USERNAME_RE = re.compile(r"^former-\d+$", re.IGNORECASE)
FORMER_EMAIL_DOMAIN = "deleted.invalid"  # RFC 2606: can never be delivered to
MAX_LINKS = 5
AVATAR_MAX_SIDE = 1024
AVATAR_SIZES = {"small": 96, "medium": 320}
TOKEN_PREFIX = "rh_"


def audit(
    *,
    action: str,
    subject: User | None,
    actor: User | None = None,
    target: models.Model | None = None,
    **data: object,
) -> AuditEvent:
    """Write an audit row: `actor` did `action` concerning `subject`'s account, to `target`
    (any app's row: a record, a remix request, a token), with `data`. Every app writes its
    audit rows through here, inside the transaction of the change they describe."""
    return AuditEvent.objects.create(
        action=action,
        subject=subject,
        actor=actor,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        data=data,
    )


# Sign-up -------------------------------------------------------------------------------------
def username_check(*, username: str) -> str:
    """Return the username if it may be registered, else raise ApplicationError."""
    username = username.strip()
    if not USERNAME_RE.match(username):
        raise ApplicationError(
            "Usernames are 3–30 letters, digits, '-' or '_', starting and ending with a "
            "letter or digit.",
            code="invalid_username",
            field="username",
        )
    if username.lower() in RESERVED_USERNAMES or FORMER_USERNAME_RE.match(username):
        raise ApplicationError(
            "That username is reserved.", code="username_taken", field="username", status=409
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(
            "That username is taken.", code="username_taken", field="username", status=409
        )
    return username


def _confirmation_context(user: User, base_url: str) -> dict[str, object]:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return {
        "user": user,
        "confirm_url": f"{base_url}/accounts/confirm/{uid}/{token}/",
        "base_url": base_url,
    }


def account_email_send(*, to: str, template: str, context: dict[str, object], ip: str) -> bool:
    """Queue an email to an address someone typed (sign-up, password reset), within the
    limits per recipient address and per client address (`ACCOUNT_EMAIL_LIMIT_*`). Over
    either, nothing is sent and the caller answers as it always does, so the limit reveals
    no account (decision 0004). Returns whether the message was queued."""
    if not throttling.email_allowed(to=to, ip=ip):
        logger.warning("account email from %s not sent: over a limit", ip)
        return False
    email_enqueue(to=to, template=template, context=context)
    return True


@transaction.atomic
def user_sign_up(
    *, username: str, email: str, password: str, base_url: str, ip: str
) -> User | None:
    """Register a member and email them a confirmation link; the account can log in once
    confirmed.

    A taken username is reported (usernames are public). An email address that already has an
    account is never reported: its owner gets an email instead (a fresh confirmation link if
    the account is unconfirmed), and the caller sees the same outcome as a new sign-up.
    Emails are limited per address and per client (`ip`), silently: see account_email_send.
    Returns the new user, or None when the address was already registered.
    """
    username = username_check(username=username)
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            "Enter a valid email address.", code="invalid_email", field="email"
        ) from exc
    candidate = User(username=username, email=email)
    try:
        password_validation.validate_password(password, candidate)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="weak_password", field="password"
        ) from exc

    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        if existing.email_confirmed_at is None:
            account_email_send(
                to=existing.email,
                template="accounts/email/confirm",
                context=_confirmation_context(existing, base_url),
                ip=ip,
            )
        else:
            account_email_send(
                to=existing.email,
                template="accounts/email/already_registered",
                context={"user": existing, "base_url": base_url},
                ip=ip,
            )
        return None

    candidate.set_password(password)
    candidate.is_active = False
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:
        # Lost a race for the same username or email with a concurrent sign-up.
        if User.objects.filter(username__iexact=username).exists():
            raise ApplicationError(
                "That username is taken.", code="username_taken", field="username", status=409
            ) from exc
        return None
    audit(action=AuditEvent.Action.SIGNED_UP, subject=candidate, actor=candidate)
    account_email_send(
        to=email,
        template="accounts/email/confirm",
        context=_confirmation_context(candidate, base_url),
        ip=ip,
    )
    return candidate


@changes_public_pages
@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str,
    display_name: str = "",
    bio: str = "",
    links: list[str] | None = None,
    role: str = Role.MEMBER,
    actor: User | None = None,
) -> User:
    """Create a confirmed, active member directly (admins, the demo). Members signing
    themselves up go through `user_sign_up` instead."""
    username = username_check(username=username)
    if User.objects.filter(email__iexact=email.strip()).exists():
        raise ApplicationError(
            "That email address already has an account.",
            code="email_taken",
            field="email",
            status=409,
        )
    user = User(
        username=username,
        email=email.strip(),
        display_name=name_check(
            display_name.strip(), field="display_name", what="The display name"
        ),
        bio=bio.strip(),
        links=_clean_links(links or []),
        email_confirmed_at=timezone.now(),
    )
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ApplicationError(
            " ".join(exc.messages), code="weak_password", field="password"
        ) from exc
    user.set_password(password)
    user.save()
    audit(action=AuditEvent.Action.SIGNED_UP, subject=user, actor=actor, via="created")
    if role != Role.MEMBER:
        user_set_role(actor=actor, user=user, role=role)
    hooks.after_member_joined(user=user)
    return user


LINK_INVALID = (
    "This link is incomplete or invalid — copy the whole link from the email, or send a new one."
)
LINK_EXPIRED = "This link has expired: links work for a day. Send a new one."
LINK_USED = "This link was already used: your email address is confirmed. Log in."


@changes_public_pages
@transaction.atomic
def user_confirm_email(*, uidb64: str, token: str) -> User:
    """Activate the account behind a confirmation link. Refuses, each with its own code and
    message, a link cut short or altered (`invalid_link`), an old one (`expired_link`) and
    one for an account already confirmed (`used_link`)."""
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
        user = User.objects.select_for_update().get(pk=pk, deleted_at__isnull=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist) as exc:
        raise ApplicationError(LINK_INVALID, code="invalid_link") from exc
    check = email_confirmation_token.check_link(user, token)
    if check is LinkCheck.USED:
        raise ApplicationError(LINK_USED, code="used_link")
    if check is LinkCheck.EXPIRED:
        raise ApplicationError(LINK_EXPIRED, code="expired_link")
    if check is not LinkCheck.VALID:
        raise ApplicationError(LINK_INVALID, code="invalid_link")
    user.is_active = True
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["is_active", "email_confirmed_at"])
    audit(action=AuditEvent.Action.CONFIRMED_EMAIL, subject=user, actor=user)
    hooks.after_member_joined(user=user)
    return user


def user_confirmation_resend(*, email: str, base_url: str, ip: str) -> None:
    """Email a fresh confirmation link to the unconfirmed account using `email`, if there is
    one. Every address takes the same path through the email limits
    (`account_email_send`) and the caller answers the same whatever happened, so nothing
    here tells whether an address has an account (decision 0004)."""
    email = email.strip()
    account = User.objects.filter(
        email__iexact=email, email_confirmed_at__isnull=True, deleted_at__isnull=True
    ).first()
    if not throttling.email_allowed(to=email, ip=ip):
        logger.warning("confirmation resend from %s not sent: over a limit", ip)
        return
    if account is not None:
        email_enqueue(
            to=account.email,
            template="accounts/email/confirm",
            context=_confirmation_context(account, base_url),
        )


# Log-in ------------------------------------------------------------------------------------
BACKEND_PATH = "riffhouse.accounts.backends.UsernameOrEmailBackend"


def _login_account(login: str) -> User | None:
    """The account a typed name stands for: an email address (it has an "@", which usernames
    cannot) or a username, in any case."""
    field = "email__iexact" if "@" in login else "username__iexact"
    return User.objects.filter(**{field: login.strip()}).first()


def _too_many_attempts(remaining: int) -> ApplicationError:
    return ApplicationError(
        throttling.lockout_message(remaining),
        code="too_many_attempts",
        status=429,
        headers={"Retry-After": str(remaining)},
    )


class EmailUnconfirmed(ApplicationError):
    """The right password for an account whose email address is not confirmed yet."""

    def __init__(self, account: User) -> None:
        super().__init__(
            f"Confirm your email first — we sent a link to {account.email}.",
            code="email_unconfirmed",
            status=403,
        )
        self.email = account.email


def _awaits_confirmation(account: User) -> bool:
    return account.email_confirmed_at is None and account.deleted_at is None


def user_authenticate(*, login: str, password: str, ip: str) -> User:
    """Check credentials under throttling. Raises ApplicationError 429 while locked and 401
    for wrong credentials; neither says whether the account exists. The right password for
    an account not confirmed yet raises EmailUnconfirmed (403), naming its address.

    Failures count against the account the name resolves to, so its username and its email
    address, in any case, share one count and one lock (decision 0005)."""
    account = _login_account(login)
    subject = throttling.login_subject(login=login, account_id=account.pk if account else None)
    remaining = throttling.lockout_remaining(subject=subject, ip=ip)
    if remaining:
        raise _too_many_attempts(remaining)
    if account is None:
        # Spend the same time as a real check so timing does not reveal the account.
        User().set_password(password)
        password_ok = False
    else:
        password_ok = account.check_password(password)
    if password_ok and account is not None and _awaits_confirmation(account):
        # Only someone who knows the password learns the account waits for its link.
        throttling.record_success(subject=subject, ip=ip)
        raise EmailUnconfirmed(account)
    valid = password_ok and account is not None and ModelBackend().user_can_authenticate(account)
    if account is None or not valid:
        if throttling.record_failure(subject=subject, ip=ip):
            logger.warning("log-in locked for %r from %s", login[:60], ip)
            raise _too_many_attempts(throttling.lockout_remaining(subject=subject, ip=ip))
        raise ApplicationError(
            "That username or email and password don't match an active account.",
            code="invalid_credentials",
            status=401,
        )
    throttling.record_success(subject=subject, ip=ip)
    account.backend = BACKEND_PATH
    return account


# Profile -----------------------------------------------------------------------------------
def _clean_links(links: list[str]) -> list[str]:
    cleaned: list[str] = []
    validator = URLValidator(schemes=["http", "https"])
    for raw in links:
        link = raw.strip()
        if not link:
            continue
        if len(link) > 300:
            raise ApplicationError(
                "Links can be at most 300 characters.", code="invalid_link", field="links"
            )
        try:
            validator(link)
        except ValidationError as exc:
            raise ApplicationError(
                f"“{link[:80]}” is not a web address (http:// or https://).",
                code="invalid_link",
                field="links",
            ) from exc
        if link not in cleaned:
            cleaned.append(link)
    if len(cleaned) > MAX_LINKS:
        raise ApplicationError(
            f"Add at most {MAX_LINKS} links.", code="too_many_links", field="links"
        )
    return cleaned


@changes_public_pages
@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str | None = None,
    bio: str | None = None,
    links: list[str] | None = None,
    default_remix_policy: str | None = None,
) -> User:
    """Change the public profile and the member's defaults. Fields left as None are kept."""
    changed: list[str] = []
    renamed = new_bio = False
    if display_name is not None:
        display_name = name_check(
            display_name.strip(), field="display_name", what="The display name"
        )
        if len(display_name) > 80:
            raise ApplicationError(
                "Display names can be at most 80 characters.", code="too_long", field="display_name"
            )
        renamed = display_name != user.display_name
        user.display_name = display_name
        changed.append("display_name")
    if bio is not None:
        if len(bio) > 2000:
            raise ApplicationError(
                "Bios can be at most 2,000 characters.", code="too_long", field="bio"
            )
        new_bio = bio.strip() != user.bio
        user.bio = bio.strip()
        changed.append("bio")
    if links is not None:
        user.links = _clean_links(links)
        changed.append("links")
    if default_remix_policy is not None:
        if default_remix_policy not in RemixPolicy.values:
            raise ApplicationError(
                f"Unknown remix policy “{default_remix_policy[:40]}”: use one of "
                f"{', '.join(RemixPolicy.values)}.",
                code="invalid_remix_policy",
                field="default_remix_policy",
            )
        user.default_remix_policy = default_remix_policy
        changed.append("default_remix_policy")
    if changed:
        user.save(update_fields=changed)
        audit(action=AuditEvent.Action.PROFILE_UPDATED, subject=user, actor=user, fields=changed)
        shown = ["display_name"] * renamed + ["bio"] * new_bio
        if shown:
            hooks.after_profile_change(user=user, fields=shown)
    return user


def _avatar_webp(upload: IO[bytes], size: int | None) -> bytes:
    """The uploaded avatar re-encoded (upright, at most AVATAR_MAX_SIDE, no metadata). The
    pixels are decoded in a child process under a memory cap, never in the web process."""
    if size is not None and size > settings.AVATAR_MAX_BYTES:
        raise ApplicationError(
            "Avatars can be at most 5 MB.", code="file_too_large", field="avatar"
        )
    if size == 0:
        raise ApplicationError("That file is empty.", code="invalid_image", field="avatar")
    upload.seek(0)
    data = upload.read(settings.AVATAR_MAX_BYTES + 1)
    if len(data) > settings.AVATAR_MAX_BYTES:
        raise ApplicationError(
            "Avatars can be at most 5 MB.", code="file_too_large", field="avatar"
        )
    try:
        return avatar_webp_isolated(
            data,
            max_side=AVATAR_MAX_SIDE,
            max_pixels=settings.AVATAR_MAX_PIXELS,
            memory_bytes=settings.AVATAR_DECODE_MEMORY_MB * settings.MB,
            timeout=30,
        )
    except AvatarRefused as refused:
        raise ApplicationError(refused.reason, code=refused.code, field="avatar") from refused


def _encode_webp(image: Image.Image) -> bytes:
    out = io.BytesIO()
    # No exif, no icc: re-encoding drops camera, device and location data.
    image.save(out, format="WEBP", quality=86, method=4)
    return out.getvalue()


def _avatar_files(user: User) -> list[str]:
    return [name for name in (user.avatar, user.avatar_small, user.avatar_medium) if name]


def _delete_files_on_commit(names: list[str]) -> None:
    def delete() -> None:
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete %s", name)

    if names:
        transaction.on_commit(delete)


@changes_public_pages
@transaction.atomic
def user_set_avatar(*, user: User, upload: IO[bytes], size: int | None) -> User:
    """Store a new avatar, decoded and re-encoded so that only pixels are kept, and queue
    the job that makes its renditions. The previous avatar's files go once this commits."""
    from riffhouse.accounts.tasks import avatar_render_task

    webp = _avatar_webp(upload, size)
    name = default_storage.save(f"avatars/{user.pk}/{secrets.token_hex(8)}.webp", ContentFile(webp))
    old = _avatar_files(user)
    try:
        with transaction.atomic():
            user.avatar, user.avatar_small, user.avatar_medium = name, "", ""
            user.save(update_fields=["avatar", "avatar_small", "avatar_medium"])
            audit(
                action=AuditEvent.Action.PROFILE_UPDATED,
                subject=user,
                actor=user,
                fields=["avatar"],
            )
            avatar_render_task.enqueue(user_id=user.pk, avatar=name)
            hooks.after_profile_change(user=user, fields=["avatar"])
    except Exception:
        default_storage.delete(name)  # nothing half-saved: no file without its row
        raise
    _delete_files_on_commit(old)
    return user


@changes_public_pages
@transaction.atomic
def user_remove_avatar(*, user: User) -> User:
    old = _avatar_files(user)
    user.avatar, user.avatar_small, user.avatar_medium = "", "", ""
    user.save(update_fields=["avatar", "avatar_small", "avatar_medium"])
    audit(action=AuditEvent.Action.PROFILE_UPDATED, subject=user, actor=user, fields=["avatar"])
    hooks.after_profile_change(user=user, fields=["avatar"])
    _delete_files_on_commit(old)
    return user


@changes_public_pages
def avatar_render(*, user_id: int, avatar: str) -> dict[str, str]:
    """Make the square renditions of `avatar`. Idempotent: names are derived from the
    avatar's, and nothing is written when the member has changed avatar since."""
    if not User.objects.filter(pk=user_id, avatar=avatar).exists():
        return {}
    with default_storage.open(avatar, "rb") as handle:
        image = Image.open(handle)
        image.load()
    stem = avatar.rsplit(".", 1)[0]
    names: dict[str, str] = {}
    for label, side in AVATAR_SIZES.items():
        square = ImageOps.fit(image, (side, side), Image.Resampling.LANCZOS)
        name = f"{stem}-{side}.webp"
        if default_storage.exists(name):
            default_storage.delete(name)
        names[label] = default_storage.save(name, ContentFile(_encode_webp(square)))
    updated = User.objects.filter(pk=user_id, avatar=avatar).update(
        avatar_small=names["small"], avatar_medium=names["medium"]
    )
    if not updated:  # the avatar changed while we worked
        for name in names.values():
            default_storage.delete(name)
        return {}
    hooks.after_profile_change(user=User.objects.get(pk=user_id), fields=["avatar"])
    return names


# Roles -------------------------------------------------------------------------------------
@changes_public_pages
@transaction.atomic
def user_set_role(*, actor: User | None, user: User, role: str) -> User:
    """Give a member an instance role. Staff and admins reach the admin site; admins hold
    every permission there."""
    if role not in Role.values:
        raise ApplicationError(f"Unknown role “{role}”.", code="invalid_role", field="role")
    if actor is not None and actor.role != Role.ADMIN:
        raise ApplicationError(
            "Only admins can change roles.", code="permission_denied", status=403
        )
    previous = user.role
    user.role = role
    user.is_staff = role in {Role.STAFF, Role.ADMIN}
    user.is_superuser = role == Role.ADMIN
    user.save(update_fields=["role", "is_staff", "is_superuser"])
    audit(
        action=AuditEvent.Action.ROLE_CHANGED,
        subject=user,
        actor=actor,
        previous=previous,
        role=role,
    )
    return user


# API tokens --------------------------------------------------------------------------------
def token_digest(*, raw: str) -> str:
    # Tokens are 256 random bits, so a fast hash is enough: there is nothing to brute-force.
    return hashlib.sha256(raw.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    raw: str


@transaction.atomic
def api_token_create(*, user: User, name: str) -> IssuedToken:
    """Issue a token. The raw value is returned once and never stored."""
    name = name.strip() or "API token"
    if len(name) > 80:
        raise ApplicationError(
            "Token names can be at most 80 characters.", code="too_long", field="name"
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=raw[:10], digest=token_digest(raw=raw)
    )
    audit(
        action=AuditEvent.Action.TOKEN_CREATED,
        subject=user,
        actor=user,
        target=token,
        token=token.pk,
    )
    return IssuedToken(token=token, raw=raw)


@transaction.atomic
def api_token_revoke(*, user: User, token_id: int) -> ApiToken:
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound("No such token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit(action=AuditEvent.Action.TOKEN_REVOKED, subject=user, actor=user, token=token.pk)
    return token


def api_token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute to spare the database."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


# Deleting an account ------------------------------------------------------------------------
def _former_identity(user: User) -> tuple[str, str]:
    """The username and email a deleted account is renamed to: `former-<id>` and an address
    that can never receive mail. Sign-up refuses `former-<n>` names, but an account made
    before that rule might hold one, so a taken name gets a random suffix instead."""
    username, email = f"former-{user.pk}", f"former-{user.pk}@{FORMER_EMAIL_DOMAIN}"
    others = User.objects.exclude(pk=user.pk)
    if (
        others.filter(username__iexact=username).exists()
        or others.filter(email__iexact=email).exists()
    ):
        suffix = secrets.token_hex(4)
        username = f"former-{user.pk}-{suffix}"
        email = f"former-{user.pk}-{suffix}@{FORMER_EMAIL_DOMAIN}"
    return username, email


@changes_public_pages
@transaction.atomic
def account_delete(*, user: User, password: str) -> User:
    """Delete a member's account, confirmed with their password.

    The row is anonymised, not removed, so that lineage and credits keep pointing at it
    (they then read "a former member"): the username becomes `former-<id>`, the email an
    undeliverable address, the profile and avatar are cleared (avatar files go once this
    commits), the account can no longer log in, every API token is revoked. Apps above
    accounts take part through `hooks.after_account_delete`, called inside this transaction
    (records tombstones the member's records). Cannot be undone.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise ApplicationError("This account was already deleted.", code="deleted", status=410)
    if not user.check_password(password):
        raise ApplicationError(
            "That is not your password.", code="wrong_password", field="password"
        )
    return _account_anonymise(user=user, actor=user)


@changes_public_pages
@transaction.atomic
def account_delete_by_staff(*, actor: User, user: User) -> User:
    """An administrator deletes someone else's account (the admin site's only way to
    delete one): anonymised exactly as `account_delete` does, audited with the
    administrator as its actor. Their own account they delete from their settings."""
    if not actor.is_staff:
        raise PermissionDenied("Only staff can delete other members' accounts.")
    if actor.pk == user.pk:
        raise ApplicationError(
            "Delete your own account from your settings, with your password.", code="own_account"
        )
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        raise ApplicationError("This account was already deleted.", code="deleted", status=410)
    return _account_anonymise(user=user, actor=actor)


def _account_anonymise(*, user: User, actor: User) -> User:
    now = timezone.now()
    avatar_files = _avatar_files(user)
    user.username, user.email = _former_identity(user)
    user.display_name, user.bio, user.links = "", "", []
    user.avatar, user.avatar_small, user.avatar_medium = "", "", ""
    user.default_remix_policy = RemixPolicy.OPEN
    # A former member holds no role: nothing of theirs should open the admin site.
    user.role, user.is_staff, user.is_superuser = Role.MEMBER, False, False
    user.is_active = False
    user.set_unusable_password()  # also ends every session: their auth hash changes
    user.deleted_at = now
    user.save()
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    audit(action=AuditEvent.Action.ACCOUNT_DELETED, subject=user, actor=actor)
    hooks.after_account_delete(user=user)
    if avatar_files:
        # robust: a storage hiccup after the commit must not turn the answer into an error.
        transaction.on_commit(lambda: storage_delete_many(avatar_files), robust=True)
    return user


# Blocks ------------------------------------------------------------------------------------
@transaction.atomic
def block_add(*, blocker: User, blocked: User) -> Block:
    """`blocker` blocks `blocked`: from now on the blocked member cannot follow them,
    comment on their work, mention them, ask to remix their work or submit it (each app
    checks `selectors.block_between`). Blocking twice is harmless."""
    if blocker.pk == blocked.pk:
        raise ApplicationError("You cannot block yourself.", code="block_self")
    if blocked.deleted_at is not None:
        raise NotFound("No member here.")
    block, created = Block.objects.get_or_create(blocker=blocker, blocked=blocked)
    if created:
        audit(
            action=AuditEvent.Action.MEMBER_BLOCKED, subject=blocker, actor=blocker, target=blocked
        )
    return block


@transaction.atomic
def block_remove(*, blocker: User, blocked: User) -> None:
    """Lift a block (nothing happens if there was none)."""
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    if deleted:
        audit(
            action=AuditEvent.Action.MEMBER_UNBLOCKED,
            subject=blocker,
            actor=blocker,
            target=blocked,
        )


# Suspension --------------------------------------------------------------------------------
# "Until lifted": a date no suspension reaches by itself.
SUSPENDED_INDEFINITELY = datetime(9999, 1, 1, tzinfo=UTC)


def _check_moderator(actor: User) -> None:
    if actor.role not in {Role.MODERATOR, Role.STAFF, Role.ADMIN} or actor.deleted_at:
        raise PermissionDenied("Only moderators can do that.", code="not_moderator")


@changes_public_pages
@transaction.atomic
def user_suspend(
    *, moderator: User, user: User, reason: str, until: datetime | None = None
) -> User:
    """Suspend `user` until `until` (None: until a moderator lifts it). They may still sign
    in and read, see why, and appeal; every change they try is refused
    (`core.middleware.SuspensionMiddleware`). Moderators cannot be suspended by peers of
    the same standing: only a member (role member) can be suspended."""
    _check_moderator(moderator)
    if user.pk == moderator.pk:
        raise ApplicationError("You cannot suspend yourself.", code="suspend_self")
    if user.role != Role.MEMBER:
        raise PermissionDenied("Only members can be suspended; change their role first.")
    if not reason.strip():
        raise ApplicationError("Give the reason.", code="reason_required", field="reason")
    user = User.objects.select_for_update().get(pk=user.pk)
    user.suspended_until = until or SUSPENDED_INDEFINITELY
    user.suspension_reason = reason.strip()
    user.save(update_fields=["suspended_until", "suspension_reason"])
    audit(
        action=AuditEvent.Action.MEMBER_SUSPENDED,
        subject=user,
        actor=moderator,
        target=user,
        reason=user.suspension_reason,
        until=user.suspended_until.isoformat(),
    )
    return user


@changes_public_pages
@transaction.atomic
def user_unsuspend(*, moderator: User, user: User, reason: str = "") -> User:
    """Lift a suspension (a moderator's undo, or an appeal granted)."""
    _check_moderator(moderator)
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.suspended_until is not None:
        user.suspended_until = None
        user.suspension_reason = ""
        user.save(update_fields=["suspended_until", "suspension_reason"])
        audit(
            action=AuditEvent.Action.MEMBER_UNSUSPENDED,
            subject=user,
            actor=moderator,
            target=user,
            reason=reason,
        )
    return user
