"""Writes to productions, their producers and their needs. Submissions are in
`submissions.py`, the lineup in `lineup.py`, the fairness report and its rules in
`fairness.py`, the release in `release.py`.

Every service checks that its actor may do it (a producer of the production, see
`selectors.production_check_producer`) and leaves an audit row in its transaction.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from riffhouse.accounts.models import AuditEvent, Role, User
from riffhouse.accounts.selectors import user_is_moderator
from riffhouse.accounts.services import audit
from riffhouse.core.errors import ApplicationError, PermissionDenied
from riffhouse.core.page_cache import changes_public_pages
from riffhouse.productions import hooks
from riffhouse.productions.models import (
    Need,
    Producer,
    Production,
    ProductionKind,
    ProductionRevision,
    ProductionStatus,
)
from riffhouse.productions.selectors import production_check_producer, production_lock
from riffhouse.records.media import render_markdown
from riffhouse.records.models import Kind, Record
from riffhouse.records.selectors import record_get_visible

MAX_PRODUCERS = 20
MAX_NEEDS = 50
# Fields whose edits are kept in the history (`ProductionRevision`).
REVISED_FIELDS = ("title", "theme", "brief", "cover_id")


def _title(value: str) -> str:
    title = value.strip()
    if not title:
        raise ApplicationError("Give the production a title.", code="title_required", field="title")
    if len(title) > 200:
        raise ApplicationError(
            "Keep the title under 200 characters.", code="title_too_long", field="title"
        )
    return title


def _theme(value: str) -> str:
    theme = " ".join(value.split())
    if len(theme) > 60:
        raise ApplicationError(
            "Keep the theme under 60 characters (one or two words: “Space”).",
            code="theme_too_long",
            field="theme",
        )
    return theme


def _brief(value: str) -> str:
    brief = value.strip()
    if len(brief) > 20000:
        raise ApplicationError(
            "Keep the brief under 20,000 characters.", code="brief_too_long", field="brief"
        )
    return brief


def _kind(value: str) -> str:
    if value not in ProductionKind.values:
        raise ApplicationError(
            "Choose what it is: " + ", ".join(str(label) for label in ProductionKind.labels) + ".",
            code="kind_invalid",
            field="kind",
        )
    return value


def _deadline(value: datetime | None, *, field: str = "submission_deadline") -> datetime | None:
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if value <= timezone.now():
        raise ApplicationError(
            "The deadline has to be in the future.", code="deadline_past", field=field
        )
    return value


def _is_staff(user: User) -> bool:
    return user.role in {Role.STAFF, Role.ADMIN}


def _official_refresh(production: Production) -> None:
    """A production run by staff is official: any staff member among its producers."""
    official = Producer.objects.filter(
        production=production, user__role__in=[Role.STAFF, Role.ADMIN]
    ).exists()
    if official != production.official:
        production.official = official
        production.save(update_fields=["official", "updated_at"])


def _revision(production: Production, *, editor: User, changed: Sequence[str]) -> None:
    ProductionRevision.objects.create(
        production=production,
        editor=editor,
        title=production.title,
        theme=production.theme,
        brief=production.brief,
        cover_id=production.cover_id,
        changed=list(changed),
    )


@changes_public_pages
@transaction.atomic
def production_create(
    *,
    actor: User,
    kind: str,
    title: str,
    theme: str = "",
    brief: str = "",
    submission_deadline: datetime | None = None,
) -> Production:
    """Start a production: any member may, and becomes its first producer. It starts as a
    draft, seen by its producers only, until they open it."""
    production = Production.objects.create(
        kind=_kind(kind),
        title=_title(title),
        theme=_theme(theme),
        brief=(brief := _brief(brief)),
        brief_html=render_markdown(brief) if brief else "",
        submission_deadline=_deadline(submission_deadline),
        created_by=actor,
        official=_is_staff(actor),
    )
    Producer.objects.create(production=production, user=actor, added_by=actor)
    _revision(production, editor=actor, changed=["title", "theme", "brief"])
    audit(action="production_created", subject=actor, actor=actor, target=production)
    hooks.after_change(production=production)
    return production


@changes_public_pages
@transaction.atomic
def production_update(*, actor: User, production: Production, **changes: Any) -> Production:
    """Change a production's title, theme, brief, kind or deadline (only the keys given).
    Edits of the title, theme or brief are kept in its history. A released production keeps
    its title and brief as released: only its theme may still be corrected."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    allowed = {"title", "theme", "brief", "kind", "submission_deadline"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(f"Unknown field: {', '.join(sorted(unknown))}.", code="invalid")
    if production.is_released and set(changes) - {"theme"}:
        raise ApplicationError(
            "A released production keeps what it was released with.",
            code="production_released",
            status=409,
        )
    cleaned: dict[str, Any] = {}
    if "title" in changes:
        cleaned["title"] = _title(changes["title"])
    if "theme" in changes:
        cleaned["theme"] = _theme(changes["theme"])
    if "brief" in changes:
        cleaned["brief"] = _brief(changes["brief"])
        cleaned["brief_html"] = render_markdown(cleaned["brief"]) if cleaned["brief"] else ""
    if "kind" in changes:
        cleaned["kind"] = _kind(changes["kind"])
    if "submission_deadline" in changes and (
        changes["submission_deadline"] != production.submission_deadline
    ):
        cleaned["submission_deadline"] = _deadline(changes["submission_deadline"])
    changed = [name for name, value in cleaned.items() if getattr(production, name) != value]
    if not changed:
        return production
    for name in changed:
        setattr(production, name, cleaned[name])
    production.save(update_fields=[*changed, "updated_at"])
    revised = [name for name in changed if name in REVISED_FIELDS]
    if revised:
        _revision(production, editor=actor, changed=revised)
    audit(
        action="production_updated",
        subject=actor,
        actor=actor,
        target=production,
        fields=sorted(changed),
    )
    hooks.after_change(production=production)
    return production


# Status --------------------------------------------------------------------------------------
# The moves producers make by hand (the producers' tools offer each one as a button:
# views.STATUS_MOVE_BUTTONS, checked against this table by a test). Release is its own
# service (`release.production_release`), because it checks the lineup and the rules and
# runs a job.
STATUS_MOVES: dict[str, set[str]] = {
    ProductionStatus.DRAFT: {ProductionStatus.OPEN, ProductionStatus.CURATING},
    ProductionStatus.OPEN: {ProductionStatus.CURATING, ProductionStatus.DRAFT},
    ProductionStatus.CURATING: {ProductionStatus.OPEN},
    ProductionStatus.RELEASED: {ProductionStatus.ARCHIVED},
    ProductionStatus.ARCHIVED: {ProductionStatus.RELEASED},
}


@changes_public_pages
@transaction.atomic
def production_status_set(*, actor: User, production: Production, status: str) -> Production:
    """Move a production: open it for submissions, close submissions to curate, reopen, take
    an unreleased one back to a draft, archive a released one (or bring it back). Release
    is `release.production_release`."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    if status == production.status:
        return production
    if status == ProductionStatus.RELEASED and production.status != ProductionStatus.ARCHIVED:
        raise ApplicationError(
            "Release it from its lineup: the release checks the lineup and the fairness rules.",
            code="release_through_lineup",
            status=409,
        )
    if status not in STATUS_MOVES.get(production.status, set()):
        target = ProductionStatus(status).label.lower() if status in STATUS_MOVES else repr(status)
        raise ApplicationError(
            f"A production that is {ProductionStatus(production.status).label.lower()} "
            f"cannot become {target}.",
            code="status_invalid",
            status=409,
            field="status",
        )
    if production.release_requested_at is not None:
        raise ApplicationError(
            "It is being released.", code="release_in_progress", status=409, field="status"
        )
    if status == ProductionStatus.OPEN:
        if not production.needs.exists() and not production.brief:
            raise ApplicationError(
                "Write a brief or add a need first, so members know what to make.",
                code="nothing_to_answer",
                status=409,
            )
        if production.submission_deadline and production.submission_deadline <= timezone.now():
            raise ApplicationError(
                "Its submission deadline has passed: set a new one first.",
                code="deadline_past",
                status=409,
                field="submission_deadline",
            )
        production.opened_at = production.opened_at or timezone.now()
    was = production.status
    production.status = status
    production.save(update_fields=["status", "opened_at", "updated_at"])
    audit(
        action="production_status_changed",
        subject=actor,
        actor=actor,
        target=production,
        before=was,
        after=status,
    )
    hooks.after_production_status_changed(production=production, actor=actor, was=was)
    hooks.after_change(production=production)
    return production


# Producers -----------------------------------------------------------------------------------
@changes_public_pages
@transaction.atomic
def producer_add(*, actor: User, production: Production, user: User) -> Producer:
    """Add `user` as a co-producer. Only producers may; a member who left cannot be added."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    if user.deleted_at is not None or not user.is_active:
        raise ApplicationError(
            "That member cannot produce.", code="producer_unavailable", field="username"
        )
    existing = Producer.objects.filter(production=production, user=user).first()
    if existing is not None:
        raise ApplicationError(
            f"{user.username} already produces it.",
            code="already_producer",
            status=409,
            field="username",
        )
    if production.producers.count() >= MAX_PRODUCERS:
        raise ApplicationError(
            f"A production has at most {MAX_PRODUCERS} producers.",
            code="too_many_producers",
            status=409,
        )
    producer = Producer.objects.create(production=production, user=user, added_by=actor)
    _official_refresh(production)
    hooks.after_producer_added(production=production, user=user, actor=actor)
    audit(
        action="producer_added",
        subject=user,
        actor=actor,
        target=production,
        username=user.username,
    )
    return producer


@changes_public_pages
@transaction.atomic
def producer_remove(*, actor: User, production: Production, user: User) -> None:
    """Remove a producer (a producer may remove another, or step down). Never the last one:
    a production always has someone to run it."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    producer = Producer.objects.filter(production=production, user=user).first()
    if producer is None:
        raise ApplicationError(
            f"{user.username} does not produce it.", code="not_producer", status=404
        )
    if production.producers.count() <= 1:
        raise ApplicationError(
            "A production needs at least one producer: add another before you step down.",
            code="last_producer",
            status=409,
        )
    producer.delete()
    _official_refresh(production)
    audit(
        action="producer_removed",
        subject=user,
        actor=actor,
        target=production,
        username=user.username,
    )


# Needs ---------------------------------------------------------------------------------------
def _kinds(kinds: Sequence[str] | str) -> str:
    values = [k for k in (kinds.split(",") if isinstance(kinds, str) else kinds) if k]
    if not values:
        raise ApplicationError(
            "Choose at least one kind of work.", code="kinds_required", field="kinds"
        )
    unknown = [k for k in values if k not in Kind.values]
    if unknown:
        raise ApplicationError(
            f"Unknown kind: {', '.join(unknown)}. Choose from "
            + ", ".join(str(label) for label in Kind.labels)
            + ".",
            code="kind_invalid",
            field="kinds",
        )
    return ",".join(sorted(set(values)))


def _need_fields(
    *,
    actor: User,
    title: str,
    description: str,
    kinds: Sequence[str] | str,
    wanted: int,
    deadline: datetime | None,
    seed_id: int | None,
) -> dict[str, Any]:
    clean_title = " ".join(title.split())
    if not clean_title:
        raise ApplicationError("Say what you need.", code="title_required", field="title")
    if len(clean_title) > 200:
        raise ApplicationError(
            "Keep it under 200 characters.", code="title_too_long", field="title"
        )
    clean_description = description.strip()
    if len(clean_description) > 5000:
        raise ApplicationError(
            "Keep the description under 5,000 characters.",
            code="description_too_long",
            field="description",
        )
    if not 1 <= wanted <= 500:
        raise ApplicationError(
            "Ask for between 1 and 500 pieces.", code="wanted_invalid", field="wanted"
        )
    fields: dict[str, Any] = {
        "title": clean_title,
        "description": clean_description,
        "kinds": _kinds(kinds),
        "wanted": wanted,
        "deadline": _deadline(deadline, field="deadline"),
        "seed": None,
        "seed_version": None,
    }
    if seed_id is not None:
        seed = record_get_visible(viewer=actor, record_id=seed_id)
        if not seed.is_public:
            raise ApplicationError(
                "A seed must be a published record everyone can see.",
                code="seed_unavailable",
                field="seed",
            )
        fields["seed"] = seed
        fields["seed_version"] = seed.live_version
    return fields


@changes_public_pages
@transaction.atomic
def need_create(
    *,
    actor: User,
    production: Production,
    title: str,
    kinds: Sequence[str] | str,
    description: str = "",
    wanted: int = 1,
    deadline: datetime | None = None,
    seed: Record | int | None = None,
) -> Need:
    """Add a need (a specific call) to a production that is not released. `seed` is a
    published record for contributors to remix, pinned to the version it has now."""
    production = production_lock(production_id=production.pk)
    production_check_producer(actor=actor, production=production)
    _check_not_released(production)
    if production.needs.count() >= MAX_NEEDS:
        raise ApplicationError(
            f"A production has at most {MAX_NEEDS} needs.", code="too_many_needs", status=409
        )
    seed_id = seed.pk if isinstance(seed, Record) else seed
    fields = _need_fields(
        actor=actor,
        title=title,
        description=description,
        kinds=kinds,
        wanted=wanted,
        deadline=deadline,
        seed_id=seed_id,
    )
    last = production.needs.order_by("-position").values_list("position", flat=True).first()
    need = Need.objects.create(
        production=production, position=(last + 1) if last is not None else 0, **fields
    )
    audit(action="need_created", subject=actor, actor=actor, target=need, title=need.title)
    hooks.after_change(production=production)
    return need


@changes_public_pages
@transaction.atomic
def need_update(*, actor: User, need: Need, **changes: Any) -> Need:
    """Change a need's title, description, kinds, how many pieces, deadline or seed (the keys
    given; `seed` None removes it)."""
    production = production_lock(production_id=need.production_id)
    production_check_producer(actor=actor, production=production)
    _check_not_released(production)
    need = Need.objects.select_for_update().get(pk=need.pk)
    allowed = {"title", "description", "kinds", "wanted", "deadline", "seed"}
    unknown = set(changes) - allowed
    if unknown:
        raise ApplicationError(f"Unknown field: {', '.join(sorted(unknown))}.", code="invalid")
    seed = changes.get("seed", need.seed_id)
    fields = _need_fields(
        actor=actor,
        title=changes.get("title", need.title),
        description=changes.get("description", need.description),
        kinds=changes.get("kinds", need.kinds),
        wanted=changes.get("wanted", need.wanted),
        deadline=need.deadline if "deadline" not in changes else None,
        seed_id=seed.pk if isinstance(seed, Record) else seed,
    )
    if "deadline" in changes:
        fields["deadline"] = (
            _deadline(changes["deadline"], field="deadline")
            if changes["deadline"] != need.deadline
            else need.deadline
        )
    else:
        fields["deadline"] = need.deadline
    if fields["seed"] is not None and fields["seed"].pk == need.seed_id:
        fields["seed_version"] = need.seed_version  # an unchanged seed keeps its version
    for name, value in fields.items():
        setattr(need, name, value)
    need.save()
    audit(action="need_updated", subject=actor, actor=actor, target=need, fields=sorted(changes))
    hooks.after_change(production=production)
    return need


@changes_public_pages
@transaction.atomic
def need_delete(*, actor: User, need: Need) -> None:
    """Remove a need nobody has submitted to yet (a need with submissions is kept: its
    contributors answered it)."""
    production = production_lock(production_id=need.production_id)
    production_check_producer(actor=actor, production=production)
    _check_not_released(production)
    if need.submissions.exists():
        raise ApplicationError(
            "Members have answered this need: it stays. Change its deadline to close it.",
            code="need_has_submissions",
            status=409,
        )
    audit(action="need_deleted", subject=actor, actor=actor, target=need, title=need.title)
    need.delete()
    hooks.after_change(production=production)


def _check_not_released(production: Production) -> None:
    if production.is_released or production.release_requested_at is not None:
        raise ApplicationError(
            "It is released: its needs stay as they were.",
            code="production_released",
            status=409,
        )


# Moderation ----------------------------------------------------------------------------------
def _check_moderator(actor: User) -> None:
    if not user_is_moderator(user=actor):
        raise PermissionDenied("Only moderators can do that.", code="not_moderator")


@changes_public_pages
@transaction.atomic
def production_hide(*, moderator: User, production: Production, reason: str) -> Production:
    """Hide `production` (moderation): it leaves browse lists, member pages and the home
    page, and only its producers and moderators may open it; the credits of its records
    stay. Hiding a hidden production is harmless."""
    _check_moderator(moderator)
    production = production_lock(production_id=production.pk)
    if production.hidden_at is None:
        production.hidden_at = timezone.now()
        production.save(update_fields=["hidden_at", "updated_at"])
        audit(
            action=AuditEvent.Action.CONTENT_HIDDEN,
            actor=moderator,
            subject=production.created_by,
            target=production,
            reason=reason,
        )
    return production


@changes_public_pages
@transaction.atomic
def production_unhide(*, moderator: User, production: Production, reason: str = "") -> Production:
    """Show a hidden production again (a moderator's undo)."""
    _check_moderator(moderator)
    production = production_lock(production_id=production.pk)
    if production.hidden_at is not None:
        production.hidden_at = None
        production.save(update_fields=["hidden_at", "updated_at"])
        audit(
            action=AuditEvent.Action.CONTENT_UNHIDDEN,
            actor=moderator,
            subject=production.created_by,
            target=production,
            reason=reason,
        )
    return production
