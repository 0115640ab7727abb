"""How records reacts to what happens in the apps below it (connected in `apps.py`)."""

from typing import Any

from django.dispatch import receiver

from riffhouse.accounts.models import User
from riffhouse.accounts.signals import account_deleted
from riffhouse.records import services


@receiver(account_deleted, dispatch_uid="records.records_delete_for_author")
def on_account_deleted(sender: type[User], *, user: User, **kwargs: Any) -> None:
    """A member who deleted their account leaves tombstones: remixes keep their credit."""
    services.records_delete_for_author(author=user)
