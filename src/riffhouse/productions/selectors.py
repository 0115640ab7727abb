"""Reads of productions, producers and needs, each with its visibility rule.

Who sees what: a draft production, and any production's unreleased lineup, are its
producers' only (everyone else gets a 404, as for a draft record); an open, curating,
released or archived production is public.
"""

from django.db.models import QuerySet

from riffhouse.accounts.models import User
from riffhouse.accounts.selectors import user_is_moderator
from riffhouse.core.errors import NotFound, PermissionDenied
from riffhouse.productions.models import Need, Producer, Production, ProductionStatus
from riffhouse.records.selectors import Viewer


def is_producer(*, viewer: Viewer, production: Production) -> bool:
    """Whether `viewer` produces `production` (one query, cached on the instance for the
    request so that a page asking several times pays once)."""
    if not viewer.is_authenticated:
        return False
    cache: dict[int, bool] = production.__dict__.setdefault("_producer_cache", {})
    if viewer.pk not in cache:
        cache[viewer.pk] = Producer.objects.filter(production=production, user=viewer).exists()
    return cache[viewer.pk]


def production_can_view(*, viewer: Viewer, production: Production) -> bool:
    """Everyone sees a production once it is opened; a draft only its producers; one hidden
    by moderators only its producers and moderators."""
    if production.hidden_at is not None:
        return user_is_moderator(user=viewer) or is_producer(viewer=viewer, production=production)
    if production.status != ProductionStatus.DRAFT:
        return True
    return is_producer(viewer=viewer, production=production)


def _production_with_cover() -> QuerySet[Production]:
    """Productions with their cover and creator, without the stored fairness report (a
    released production's lists every contributor: megabytes for ten thousand, which its
    pages read key by key in SQL; `production.released_report` still loads it on use)."""
    return Production.objects.select_related("cover", "created_by").defer("released_report")


def production_get_visible(*, viewer: Viewer, production_id: int) -> Production:
    """The production with its cover, if `viewer` may see it; otherwise NotFound."""
    production = _production_with_cover().filter(pk=production_id).first()
    if production is None or not production_can_view(viewer=viewer, production=production):
        raise NotFound("No production here.")
    return production


def production_check_producer(*, actor: Viewer, production: Production) -> None:
    """Raise unless `actor` produces `production`: NotFound when they may not even see it
    (a draft), PermissionDenied otherwise."""
    if is_producer(viewer=actor, production=production):
        return
    if not production_can_view(viewer=actor, production=production):
        raise NotFound("No production here.")
    raise PermissionDenied("Only its producers can do that.", code="not_producer")


def production_get_for_producer(*, viewer: Viewer, production_id: int) -> Production:
    """The production, if `viewer` produces it (see `production_check_producer`)."""
    production = _production_with_cover().filter(pk=production_id).first()
    if production is None:
        raise NotFound("No production here.")
    production_check_producer(actor=viewer, production=production)
    return production


def production_lock(*, production_id: int) -> Production:
    """The production's row, locked for the rest of the transaction (PostgreSQL; SQLite's
    IMMEDIATE transactions already serialise writers)."""
    production = Production.objects.select_for_update().filter(pk=production_id).first()
    if production is None:
        raise NotFound("No production here.")
    return production


def production_producers(*, production: Production) -> list[User]:
    """Its producers, first producer first."""
    return [
        producer.user
        for producer in Producer.objects.filter(production=production)
        .select_related("user")
        .order_by("created_at", "pk")
    ]


def production_needs(*, production: Production) -> QuerySet[Need]:
    """Its needs in the producers' order, with their seed records."""
    return Need.objects.filter(production=production).select_related(
        "seed", "seed__author", "seed_version"
    )


def need_get_visible(*, viewer: Viewer, need_id: int) -> Need:
    """A need of a production `viewer` may see; otherwise NotFound."""
    need = (
        Need.objects.select_related("production", "production__cover", "seed", "seed__author")
        .filter(pk=need_id)
        .first()
    )
    if need is None or not production_can_view(viewer=viewer, production=need.production):
        raise NotFound("No need here.")
    return need
