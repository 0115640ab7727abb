"""The lineup editor: the selected submissions not yet in the lineup (and the producers' own
records, for links) beside the ordered lineup, saved whole with the version it was read at.

The page is one form. Its segments post as parallel lists (`kind`, `submission`, `record`,
`in`, `out`, `duration`, `title`, `notes`, in the order of the cards), so the order on the
page is the order saved. With JavaScript (productions-lineup.js) cards are dragged, moved
with buttons, added and removed in place; without it the same buttons post the form with an
`action` and the page comes back rearranged, not saved yet.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from riffhouse.accounts.models import User
from riffhouse.core.errors import ApplicationError
from riffhouse.productions import lineup
from riffhouse.productions.models import Segment, SegmentKind, Submission
from riffhouse.productions.selectors import production_get_for_producer
from riffhouse.records.models import Kind, Record, RecordVersion

FIELDS = ("kind", "submission", "record", "in", "out", "duration", "title", "notes")
# Where a service's field lands on a card.
CARD_FIELDS = {"in_ms": "in", "out_ms": "out", "duration_ms": "duration", "title": "title"}
_TIME = re.compile(r"^\s*(?:(?:(\d+):)?(\d{1,2}):)?(\d+(?:[.,]\d*)?)\s*$")
_ERROR_FIELD = re.compile(r"^segments\[(\d+)\]\.(\w+)$")


@dataclass
class EditorRow:
    """One card of the editor: what was posted (as typed) and the record it names."""

    kind: str
    submission_id: int | None
    record_id: int | None
    in_text: str = ""
    out_text: str = ""
    duration_text: str = ""
    title: str = ""
    notes: str = ""
    record: Record | None = None
    version: RecordVersion | None = None
    author_name: str = ""
    need_title: str = ""
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def timed(self) -> bool:
        return self.record is not None and self.record.kind in lineup.TIMED_KINDS

    @property
    def media_ms(self) -> int | None:
        return lineup.media_duration_ms(version=self.version) if self.version else None

    @property
    def media_clock(self) -> str:
        return lineup.clock(self.media_ms) if self.media_ms else ""

    @property
    def default_ms(self) -> int:
        if self.record is None or self.version is None:
            return 0
        return lineup.segment_default_duration_ms(kind=self.record.kind, version=self.version)

    @property
    def default_clock(self) -> str:
        return lineup.clock(self.default_ms)

    @property
    def thumbnail(self) -> str | None:
        if self.record is None or self.version is None:
            return None
        return lineup.thumbnail_url(record=self.record, version=self.version)

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.submission_id or self.record_id}"


def parse_clock(text: str) -> int | None:
    """ "1:05.5", "65.5", "1:02:09" → milliseconds; "" → None; ValueError otherwise."""
    if not text.strip():
        return None
    match = _TIME.match(text)
    if match is None:
        raise ValueError(text)
    hours = int(match.group(1) or 0)
    minutes = int(match.group(2) or 0)
    seconds = float(match.group(3).replace(",", "."))
    if match.group(2) is not None and seconds >= 60:
        raise ValueError(text)
    return round((hours * 3600 + minutes * 60 + seconds) * 1000)


def _int(value: str) -> int | None:
    return int(value) if value.strip().isdigit() and len(value.strip()) < 19 else None


@dataclass
class _Catalogue:
    """Everything a card may name, by id: selected submissions (and those already in the
    lineup), and the records links may use."""

    submissions: dict[int, Submission]
    links: dict[int, tuple[Record, RecordVersion]]

    def resolve(self, row: EditorRow) -> EditorRow:
        if row.kind == SegmentKind.PIECE and row.submission_id in self.submissions:
            submission = self.submissions[row.submission_id]
            row.record, row.version = submission.record, submission.record_version
            row.need_title = submission.need.title if submission.need else ""
        elif row.kind == SegmentKind.LINK and row.record_id in self.links:
            row.record, row.version = self.links[row.record_id]
        if row.record is not None:
            author = row.record.author
            row.author_name = author.name if author and not author.is_former else "a former member"
        return row


def _catalogue(candidates: lineup.LineupCandidates, current: lineup.Lineup) -> _Catalogue:
    submissions = {s.pk: s for s in candidates.pieces}
    links: dict[int, tuple[Record, RecordVersion]] = {}
    for record in candidates.links:
        if record.live_version is not None:
            links[record.pk] = (record, record.live_version)
    for segment in current.segments:
        if segment.submission is not None and segment.submission_id not in submissions:
            segment.submission.record = segment.record
            segment.submission.record_version = segment.record_version
            submissions[segment.submission.pk] = segment.submission
        if segment.kind == SegmentKind.LINK:
            links.setdefault(segment.record_id, (segment.record, segment.record_version))
    return _Catalogue(submissions=submissions, links=links)


def _row_from_segment(segment: Segment) -> EditorRow:
    timed = segment.in_ms is not None and segment.out_ms is not None
    return EditorRow(
        kind=segment.kind,
        submission_id=segment.submission_id,
        record_id=segment.record_id if segment.kind == SegmentKind.LINK else None,
        in_text=lineup.clock(segment.in_ms) if timed and segment.in_ms is not None else "",
        out_text=lineup.clock(segment.out_ms) if timed and segment.out_ms is not None else "",
        duration_text="" if timed else lineup.clock(segment.duration_ms),
        title=segment.title,
        notes=segment.notes,
    )


def _rows_from_post(request: HttpRequest) -> list[EditorRow]:
    columns = [request.POST.getlist(name) for name in FIELDS]
    if len({len(c) for c in columns}) > 1:
        raise ApplicationError(
            "The lineup form came back incomplete: reload the page.", code="form_incomplete"
        )
    rows = []
    for kind, submission, record, in_, out, duration, title, notes in zip(*columns, strict=True):
        rows.append(
            EditorRow(
                kind=kind,
                submission_id=_int(submission),
                record_id=_int(record),
                in_text=in_,
                out_text=out,
                duration_text=duration,
                title=title,
                notes=notes,
            )
        )
    return rows[: lineup.MAX_SEGMENTS + 1]


def _specs(rows: list[EditorRow]) -> list[lineup.SegmentSpec] | None:
    """The segments to save, or None when a time could not be read (the rows say where)."""
    specs = []
    for row in rows:
        times: dict[str, int | None] = {}
        for name, text in (
            ("in", row.in_text),
            ("out", row.out_text),
            ("duration", row.duration_text),
        ):
            try:
                times[name] = parse_clock(text)
            except ValueError:
                row.errors[name] = "Write a time as minutes:seconds, like 1:05.5."
        if not row.timed:
            times["in"] = times["out"] = None
        specs.append(
            lineup.SegmentSpec(
                kind=row.kind,
                submission_id=row.submission_id if row.kind == SegmentKind.PIECE else None,
                record_id=row.record_id if row.kind == SegmentKind.LINK else None,
                in_ms=times.get("in"),
                out_ms=times.get("out"),
                duration_ms=None if row.timed else times.get("duration"),
                title=row.title,
                notes=row.notes,
            )
        )
    return None if any(row.errors for row in rows) else specs


def _place_error(rows: list[EditorRow], error: ApplicationError) -> bool:
    """Put a refusal on the card it names; False when it names no card."""
    match = _ERROR_FIELD.match(error.field or "")
    if match is None or int(match.group(1)) >= len(rows):
        return False
    rows[int(match.group(1))].errors[CARD_FIELDS.get(match.group(2), "card")] = error.detail
    return True


def _rearrange(
    rows: list[EditorRow], action: str, request: HttpRequest, catalogue: _Catalogue
) -> None:
    """What a button does without JavaScript: move, remove or add a card."""
    verb, _, arg = action.partition(":")
    index = _int(arg)
    if verb in {"up", "down", "remove"} and index is not None and index < len(rows):
        if verb == "remove":
            rows.pop(index)
        else:
            other = index - 1 if verb == "up" else index + 1
            if 0 <= other < len(rows):
                rows[index], rows[other] = rows[other], rows[index]
    elif verb == "add-piece" and index is not None and index in catalogue.submissions:
        rows.append(catalogue.resolve(EditorRow(kind="piece", submission_id=index, record_id=None)))
    elif verb == "add-link":
        record_id = _int(request.POST.get("link_record", ""))
        if record_id is not None and record_id in catalogue.links:
            rows.append(
                catalogue.resolve(EditorRow(kind="link", submission_id=None, record_id=record_id))
            )


def _runtime_ms(rows: list[EditorRow]) -> int:
    total = 0
    for row in rows:
        try:
            if row.timed:
                start = parse_clock(row.in_text) or 0
                end = parse_clock(row.out_text)
                total += max(0, (end if end is not None else (row.media_ms or 0)) - start)
            else:
                shown = parse_clock(row.duration_text)
                total += shown if shown is not None else row.default_ms
        except ValueError:
            continue
    return total


@login_required
@require_http_methods(["GET", "POST"])
def lineup_edit(request: HttpRequest, production_id: int) -> HttpResponse:
    """The lineup editor (producers only)."""
    user: User = request.user  # type: ignore[assignment]
    production = production_get_for_producer(viewer=user, production_id=production_id)
    candidates = lineup.lineup_candidates(actor=user, production=production)
    current = lineup.lineup_get(viewer=user, production=production)
    catalogue = _catalogue(candidates, current)
    status = 200
    page_error: ApplicationError | None = None
    unsaved = False
    if request.method == "POST":
        rows = [catalogue.resolve(row) for row in _rows_from_post(request)]
        version = _int(request.POST.get("version", "")) or 0
        action = request.POST.get("action", "save")
        if action == "save":
            specs = _specs(rows)
            if specs is None:
                status = 400
            else:
                try:
                    lineup.lineup_set(
                        actor=user, production=production, segments=specs, version=version
                    )
                except ApplicationError as refused:
                    status = refused.status
                    if not _place_error(rows, refused):
                        page_error = refused
                else:
                    messages.success(request, "Lineup saved.")
                    return redirect("productions:lineup", production_id=production.pk)
        else:
            _rearrange(rows, action, request, catalogue)
            unsaved = True
    else:
        rows = [catalogue.resolve(_row_from_segment(s)) for s in current.segments]
        version = current.version
    used = {row.submission_id for row in rows if row.kind == SegmentKind.PIECE}
    context: dict[str, Any] = {
        "production": production,
        "rows": rows,
        "version": version,
        "pieces": [
            (
                catalogue.resolve(EditorRow(kind="piece", submission_id=s.pk, record_id=None)),
                s.pk in used,
            )
            for s in candidates.pieces
        ],
        "link_rows": [
            catalogue.resolve(EditorRow(kind="link", submission_id=None, record_id=r.pk))
            for r in candidates.links
        ],
        "all_used": all(s.pk in used for s in candidates.pieces),
        "runtime": lineup.clock(_runtime_ms(rows)),
        "page_error": page_error,
        "stale": page_error is not None and page_error.code == "lineup_stale",
        "unsaved": unsaved,
        "has_errors": status >= 400,
        "released": production.is_released or production.release_requested_at is not None,
        "kinds": Kind,
    }
    return render(request, "productions/lineup.html", context, status=status)
