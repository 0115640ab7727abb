"""Feeds' test scene: follows, open productions with needs, records placed in time."""

from datetime import datetime
from typing import Any

from riffhouse.accounts.models import User
from riffhouse.community.models import Follow
from riffhouse.productions import services as productions
from riffhouse.productions.models import Need, Production
from riffhouse.records.models import Record


def follow(follower: User, *, user: User | None = None, production: Any = None) -> Follow:
    """A follow row as community's follow service writes it (that service is another part
    of issue 13; feeds only reads follows)."""
    return Follow.objects.create(follower=follower, user=user, production=production)


def published_at(record: Record, when: datetime) -> Record:
    """Place a record in time (the feed's order), as if published then."""
    Record.objects.filter(pk=record.pk).update_after_hooks(published_at=when)
    record.refresh_from_db()
    return record


def open_call(producer: User, *, title: str = "Space", kinds: list[str], need: str) -> Need:
    """An open production with one need, through productions' services."""
    production = productions.production_create(
        actor=producer, kind="episode", title=title, theme=title, brief="About **leaving Earth**."
    )
    created = productions.need_create(
        actor=producer, production=production, title=need, kinds=kinds, wanted=2
    )
    productions.production_status_set(actor=producer, production=production, status="open")
    return Need.objects.select_related("production").get(pk=created.pk)


def opened_at(production: Production, when: datetime) -> Production:
    Production.objects.filter(pk=production.pk).update(opened_at=when)
    production.refresh_from_db()
    return production
