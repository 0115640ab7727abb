"""One-time links: email confirmation (password reset uses Django's own generator)."""

from typing import Any

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Valid until the account is confirmed (the hash covers the confirmation state) or
    until PASSWORD_RESET_TIMEOUT passes."""

    key_salt = "riffhouse.accounts.tokens.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        confirmed = "" if user.email_confirmed_at is None else user.email_confirmed_at.isoformat()
        return f"{user.pk}{user.email}{user.is_active}{confirmed}{timestamp}"


email_confirmation_token = EmailConfirmationTokenGenerator()
