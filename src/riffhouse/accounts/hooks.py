"""Where the apps above accounts take part in its writes (see `core/hooks.py`): accounts'
services call these by name, inside their transaction; the apps above register in their
`AppConfig.ready()`."""

from typing import TYPE_CHECKING

from riffhouse.core.hooks import Hook

if TYPE_CHECKING:
    from riffhouse.accounts.models import User


def _after_account_delete(*, user: "User") -> None:
    """A member's account was just anonymised (`account_delete`, `account_delete_by_staff`),
    inside that transaction: `user` is the anonymised row. A function that raises rolls the
    whole deletion back. Records: tombstone the member's records."""


after_account_delete = Hook(_after_account_delete)
