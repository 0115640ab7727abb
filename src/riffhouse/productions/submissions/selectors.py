"""Submission reads: what the lineup and the release take, who may see a submission, its
history, pages of submissions (a production's, a member's), the consent requests waiting
for an author, the curation board and the records a member may answer a need with."""

import base64
import binascii
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, TextField, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Coalesce, NullIf, Substr

from riffhouse.accounts.models import AuditEvent, User
from riffhouse.core.errors import ApplicationError, NotFound
from riffhouse.productions.models import (
    Need,
    Production,
    Segment,
    Submission,
    SubmissionConsent,
    SubmissionStatus,
)
from riffhouse.productions.selectors import is_producer, production_check_producer
from riffhouse.productions.submissions.rules import BOARD_STATUSES, CONSENTED
from riffhouse.records.models import Record, Rendition
from riffhouse.records.selectors import Viewer

PER_COLUMN = 24
PER_PAGE_MAX = 100


def submissions_selected(*, production: Production) -> QuerySet[Submission]:
    """The lineup's candidates (H3) and what a release credits (H4): selected, with the
    author's consent when it was needed, oldest first, records and versions joined."""
    return (
        Submission.objects.filter(
            production=production, status=SubmissionStatus.SELECTED, consent__in=CONSENTED
        )
        .select_related("record", "record__author", "record_version", "need", "submitted_by")
        .order_by("created_at", "pk")
    )


def submission_can_view(*, viewer: Viewer, submission: Submission) -> bool:
    """Its contributor and its record's author always; the producers once consent allows;
    everyone once the production is released (consented, not withdrawn)."""
    if viewer.is_authenticated and viewer.pk in {
        submission.submitted_by_id,
        submission.record.author_id,
    }:
        return True
    if submission.consent not in CONSENTED:
        return False
    production = submission.production
    if is_producer(viewer=viewer, production=production):
        return True
    return production.is_released and submission.status != SubmissionStatus.WITHDRAWN


def submission_get_visible(*, viewer: Viewer, submission_id: int) -> Submission:
    """The submission with its record, version, need and production, if `viewer` may see
    it (see `submission_can_view`); otherwise NotFound."""
    submission = (
        Submission.objects.select_related(
            "production",
            "production__cover",
            "need",
            "record",
            "record__author",
            "record_version",
            "submitted_by",
            "decided_by",
        )
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or not submission_can_view(viewer=viewer, submission=submission):
        raise NotFound("No submission here.")
    return submission


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: User | None
    action: str
    before: str
    after: str
    note: str


def submission_history(*, submission: Submission) -> list[HistoryEntry]:
    """What happened to it, oldest first, from its audit rows (one query)."""
    events = (
        AuditEvent.objects.filter(target_type="productions.submission", target_id=submission.pk)
        .select_related("actor")
        .order_by("created_at", "pk")
    )
    entries = []
    for event in events:
        data = event.data or {}
        entries.append(
            HistoryEntry(
                at=event.created_at,
                actor=event.actor,
                action=event.action,
                before=str(data.get("before", "")),
                after=str(data.get("after", data.get("consent", data.get("status", "")))),
                note=str(data.get("note", "")),
            )
        )
    return entries


# Pages of submissions --------------------------------------------------------------------------
@dataclass
class SubmissionPage:
    items: list[Submission]
    next_cursor: str | None


def _encode_cursor(submission: Submission) -> str:
    raw = f"{submission.created_at.isoformat()}|{submission.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _after_cursor(queryset: QuerySet[Submission], cursor: str | None) -> QuerySet[Submission]:
    if not cursor:
        return queryset
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        at, after = datetime.fromisoformat(stamp), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApplicationError(
            "That page cursor is not valid.", code="invalid_cursor", field="cursor"
        ) from exc
    return queryset.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=after))


def _page(
    queryset: QuerySet[Submission], *, cursor: str | None, limit: int, narrowed: bool = False
) -> SubmissionPage:
    """A page of `queryset`, newest first; `narrowed`: it joins what it needs already."""
    limit = max(1, min(limit, PER_PAGE_MAX))
    if not narrowed:
        queryset = queryset.select_related(
            "record", "record__author", "record_version", "need", "submitted_by"
        )
    rows = list(_after_cursor(queryset, cursor).order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = _encode_cursor(rows[limit - 1]) if len(rows) > limit else None
    return SubmissionPage(items=rows[:limit], next_cursor=next_cursor)


def _status_check(status: str | None) -> str | None:
    if status and status not in SubmissionStatus.values:
        raise ApplicationError(
            "Unknown status: choose " + ", ".join(SubmissionStatus.values) + ".",
            code="status_invalid",
            field="status",
        )
    return status or None


def production_submissions(
    *,
    viewer: Viewer,
    production: Production,
    need_id: int | None = None,
    status: str | None = None,
    cursor: str | None = None,
    limit: int = PER_COLUMN,
) -> SubmissionPage:
    """A production's submissions as `viewer` may see them, newest first: its producers
    see every consented one, everyone sees them once it is released (not withdrawn), and a
    contributor sees their own (and those of their records)."""
    status = _status_check(status)
    queryset = Submission.objects.filter(production=production)
    if is_producer(viewer=viewer, production=production):
        queryset = queryset.filter(consent__in=CONSENTED)
    elif production.is_released:
        queryset = queryset.filter(consent__in=CONSENTED).exclude(status=SubmissionStatus.WITHDRAWN)
    elif viewer.is_authenticated:
        queryset = queryset.filter(Q(submitted_by=viewer) | Q(record__author=viewer))
    else:
        queryset = queryset.none()
    if need_id is not None:
        queryset = queryset.filter(need_id=need_id)
    if status:
        queryset = queryset.filter(status=status)
    return _page(queryset, cursor=cursor, limit=limit)


def member_submissions(
    *, viewer: User, cursor: str | None = None, limit: int = PER_COLUMN
) -> SubmissionPage:
    """What `viewer` submitted, and the submissions of their records by others (those ask
    their consent), newest first, with the productions joined."""
    queryset = Submission.objects.filter(
        Q(submitted_by=viewer) | Q(record__author=viewer)
    ).select_related("production")
    return _page(queryset, cursor=cursor, limit=limit)


def consent_requests(*, viewer: User) -> QuerySet[Submission]:
    """Submissions of `viewer`'s records by others waiting for their answer."""
    return (
        Submission.objects.filter(record__author=viewer, consent=SubmissionConsent.ASKED)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .select_related("record", "production", "need", "submitted_by")
        .order_by("-created_at", "-pk")[:50]
    )


# The curation board -----------------------------------------------------------------------------
@dataclass
class Column:
    status: str
    label: str
    count: int
    page: SubmissionPage


@dataclass
class Board:
    production: Production
    needs: list[Need]
    need: Need | None  # the need on view (None: the production as a whole)
    counts: dict[int | None, dict[str, int]]  # need id (None: no need) → status → count
    columns: list[Column]
    thumbnails: dict[int, Rendition] = field(default_factory=dict)  # by version id
    kind: str = ""

    def total(self, need_id: int | None) -> int:
        return sum(self.counts.get(need_id, {}).values())


THUMB_LABELS = ("w320.webp", "w320.jpg", "w320.png", "poster.jpg")
# What a board card shows, and no more: a version's body, HTML and metadata (an audio
# record's waveform) can be long, and a board shows 96 cards.
_MEMBER_FIELDS = ("id", "username", "display_name", "deleted_at")
_CARD_FIELDS = (
    "id",
    "created_at",
    "production_id",
    "need_id",
    "status",
    "consent",
    "note",
    "message",
    "record_id",
    "record_version_id",
    "submitted_by_id",
    "record__id",
    "record__title",
    "record__kind",
    "record__author_id",
    "record__deleted_at",
    "record_version__id",
    "record_version__key",
    *(f"record__author__{name}" for name in _MEMBER_FIELDS),
    *(f"submitted_by__{name}" for name in _MEMBER_FIELDS),
)
EXCERPT_CHARS = 300


def _board_cards(queryset: QuerySet[Submission], *, selected: bool) -> QuerySet[Submission]:
    """`queryset` with what a board card shows: its record, version and people narrowed to
    `_CARD_FIELDS`, a text's `excerpt`, and (for selected ones) whether it is `in_lineup`."""
    queryset = (
        queryset.select_related("record", "record__author", "record_version", "submitted_by")
        .only(*_CARD_FIELDS)
        .annotate(
            excerpt=Coalesce(
                NullIf(KeyTextTransform("excerpt", "record_version__metadata"), Value("")),
                Substr("record_version__body", 1, EXCERPT_CHARS),
                output_field=TextField(),
            )
        )
    )
    if selected:
        queryset = queryset.annotate(
            in_lineup=Exists(Segment.objects.filter(submission=OuterRef("pk")))
        )
    return queryset


def submission_counts(*, production: Production) -> dict[int | None, dict[str, int]]:
    """How many consented submissions each need (None: the production as a whole) holds in
    each board status: one grouped query."""
    counts: dict[int | None, dict[str, int]] = defaultdict(dict)
    rows = (
        Submission.objects.filter(
            production=production, consent__in=CONSENTED, status__in=BOARD_STATUSES
        )
        .values("need_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["need_id"]][row["status"]] = row["n"]
    return dict(counts)


def thumbnails_for(*, submissions: list[Submission]) -> dict[int, Rendition]:
    """A small picture (art, a film's poster) of each submission's version: one query."""
    version_ids = {s.record_version_id for s in submissions}
    found: dict[int, Rendition] = {}
    if not version_ids:
        return found
    for rendition in (
        Rendition.objects.filter(version_id__in=version_ids, label__in=THUMB_LABELS)
        .only("id", "version_id", "label", "width", "height")
        .order_by("version_id", "pk")
    ):
        current = found.get(rendition.version_id)
        if current is None or THUMB_LABELS.index(rendition.label) < THUMB_LABELS.index(
            current.label
        ):
            found[rendition.version_id] = rendition
    return found


def curation_board(
    *,
    viewer: Viewer,
    production: Production,
    need_id: int | None = None,
    whole: bool = False,
    status: str | None = None,
    kind: str = "",
    cursors: dict[str, str] | None = None,
    limit: int = PER_COLUMN,
) -> Board:
    """The producers' board: counts per need and status, and for one need (the first with
    submissions, unless named; `whole` for the production as a whole) a page of each status
    column (`status` narrows to one), newest first, each column paged by its own cursor.
    A bounded number of queries however many submissions: one per column, one for counts,
    one for needs, one for thumbnails."""
    production_check_producer(actor=viewer, production=production)
    status = _status_check(status)
    if status == SubmissionStatus.WITHDRAWN:
        raise ApplicationError(
            "Withdrawn submissions are not on the board.", code="status_invalid", field="status"
        )
    needs = list(Need.objects.filter(production=production))
    counts = submission_counts(production=production)
    need: Need | None = None
    if need_id is not None:
        need = next((n for n in needs if n.pk == need_id), None)
        if need is None:
            raise ApplicationError(
                "That need is not part of this production.", code="need_invalid", field="need"
            )
    elif not whole and needs:
        need = next((n for n in needs if counts.get(n.pk)), needs[0])
    cursors = cursors or {}
    columns = []
    base = Submission.objects.filter(production=production, consent__in=CONSENTED, need=need)
    if kind:
        base = base.filter(record__kind=kind)
    for column_status in BOARD_STATUSES:
        if status and column_status != status:
            continue
        page = _page(
            _board_cards(base.filter(status=column_status), selected=column_status == "selected"),
            cursor=cursors.get(column_status),
            limit=limit,
            narrowed=True,
        )
        columns.append(
            Column(
                status=column_status,
                label=SubmissionStatus(column_status).label,
                count=counts.get(need.pk if need else None, {}).get(column_status, 0),
                page=page,
            )
        )
    board = Board(
        production=production, needs=needs, need=need, counts=counts, columns=columns, kind=kind
    )
    board.thumbnails = thumbnails_for(
        submissions=[s for column in columns for s in column.page.items]
    )
    return board


def board_card_get(*, viewer: Viewer, production: Production, submission_id: int) -> Submission:
    """One card of `production`'s board, read as `curation_board` reads its columns (after
    a move, to show it again): for its producers only."""
    production_check_producer(actor=viewer, production=production)
    card = _board_cards(
        Submission.objects.filter(pk=submission_id, production=production, consent__in=CONSENTED),
        selected=True,
    ).first()
    if card is None:
        raise NotFound("No submission here.")
    card.production = production
    return card


def my_submission_count(*, viewer: User, need: Need) -> int:
    """How many of `viewer`'s records answer `need` now (withdrawn ones do not)."""
    return (
        Submission.objects.filter(need=need, record__author=viewer)
        .exclude(status=SubmissionStatus.WITHDRAWN)
        .count()
    )


def my_records_to_submit(
    *,
    viewer: User,
    kinds: Sequence[str] | None = None,
    need: Need | None = None,
    limit: int = 60,
) -> list[Record]:
    """`viewer`'s published records (of `kinds`, when given), newest first, with their live
    versions: what they may choose to submit. With `need`, not those already answering it."""
    queryset = Record.objects.filter(
        author=viewer,
        visibility="published",
        deleted_at__isnull=True,
        live_version__isnull=False,
    )
    if kinds is not None:
        queryset = queryset.filter(kind__in=kinds)
    if need is not None:
        queryset = queryset.exclude(
            pk__in=Submission.objects.filter(need=need)
            .exclude(status=SubmissionStatus.WITHDRAWN)
            .values("record_id")
        )
    return list(queryset.select_related("live_version").order_by("-published_at", "-pk")[:limit])


def my_records_for_need(*, viewer: User, need: Need, limit: int = 60) -> list[Record]:
    """`viewer`'s published records of the kinds `need` asks for and not already submitted
    to it, newest first, with their live versions (for the need's "choose one of mine")."""
    return my_records_to_submit(viewer=viewer, kinds=need.kind_list, need=need, limit=limit)
