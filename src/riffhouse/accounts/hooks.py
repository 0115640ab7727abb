"""Where the apps above accounts take part in its writes (see `core/hooks.py`): accounts'
services call these by name, inside their transaction; the apps above register in their
`AppConfig.ready()`."""

from collections.abc import Sequence
from typing import TYPE_CHECKING

from riffhouse.core.hooks import Hook

if TYPE_CHECKING:
    from riffhouse.accounts.models import User


def _after_account_delete(*, user: "User") -> None:
    """A member's account was just anonymised (`account_delete`, `account_delete_by_staff`),
    inside that transaction: `user` is the anonymised row. A function that raises rolls the
    whole deletion back. Records: tombstone the member's records."""


after_account_delete = Hook(_after_account_delete)


def _after_profile_change(*, user: "User", fields: Sequence[str]) -> None:
    """What others see of a member changed: `fields` names which (`display_name`, `bio`,
    `avatar`), called by `user_update_profile` (a new display name or bio), `user_set_avatar`,
    `user_remove_avatar` and `avatar_render` (its renditions), after the write. Productions:
    its released pages' cache (decision 0026), for names and avatars. Search: the member's
    entry."""


after_profile_change = Hook(_after_profile_change)


def _after_member_joined(*, user: "User") -> None:
    """A member became active: created confirmed (`user_create`) or confirmed their email
    (`user_confirm_email`), inside that transaction. Search: the member can be found."""


after_member_joined = Hook(_after_member_joined)
