"""One-time links: email confirmation (password reset uses Django's own generator)."""

import enum
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


class LinkCheck(enum.Enum):
    """Why a confirmation link does or does not work, so the page can say which."""

    VALID = "valid"
    INVALID = "invalid"  # cut short, mistyped or forged: it never was a link we sent
    EXPIRED = "expired"  # a link we sent, older than PASSWORD_RESET_TIMEOUT
    USED = "used"  # the account is already confirmed


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is confirmed (the hash covers the confirmation state) or
    until PASSWORD_RESET_TIMEOUT passes."""

    key_salt = "riffhouse.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.isoformat()
        return f"{user.pk}{user.email}{user.is_active}{confirmed}{timestamp}"

    def check_link(self, user: Any, token: str) -> LinkCheck:
        """`check_token`, telling apart a link that was cut short or altered (its signature
        does not match) from one we really sent that is too old: one needs the whole link
        copied, the other a new link."""
        if user.email_confirmed_at is not None:
            return LinkCheck.USED
        try:
            ts_b36, _ = token.split("-")
            ts = base36_to_int(ts_b36)
        except ValueError:
            return LinkCheck.INVALID
        signed = any(
            constant_time_compare(self._make_token_with_timestamp(user, ts, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )
        if not signed:
            return LinkCheck.INVALID
        if self._num_seconds(self._now()) - ts > settings.PASSWORD_RESET_TIMEOUT:
            return LinkCheck.EXPIRED
        return LinkCheck.VALID


email_confirmation_token = EmailConfirmationTokenGenerator()
