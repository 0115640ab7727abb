"""Reads of a released production for its public page, its credits page and its chapters.

Everything comes from what the release stored: each segment's pinned record version (never
the record's current one), the credits computed once (`ProductionCredit`, `SegmentCredit`)
and the fairness report as it stood (`Production.released_report`). A record deleted since
shows as "removed by its author", keeps its credit and plays nothing.

`production_show_get` reads the whole page in a fixed number of queries (at most 9, however
many segments or contributors): the segment credits are cut to the first few per segment in
SQL, the full lists are the credits page's, read a page at a time.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Q, Sum, TextField, Window
from django.db.models.fields.json import KT, KeyTextTransform
from django.db.models.functions import Cast, RowNumber
from django.urls import reverse

from riffhouse.accounts.models import FORMER_MEMBER_NAME
from riffhouse.core.errors import NotFound
from riffhouse.productions.models import (
    Production,
    ProductionCredit,
    Segment,
    SegmentCredit,
    SegmentKind,
)
from riffhouse.records.models import Cover, Kind, Record, RecordVersion, Rendition, Visibility
from riffhouse.records.selectors import (
    GENERATED_COVER_LABEL,
    CoverArt,
    records_cover_art_attach,
)

# How much of each segment's credits the main page shows ("and N more" links to the rest),
# and how many of the production's contributors it names at the top.
SEGMENT_CREDITS_SHOWN = 8
TOP_CREDITS_SHOWN = 12
CREDITS_PER_PAGE = 300

# The roles the credits page groups by, in this order; any other role (a usage note such as
# "melody") follows under its own name.
ROLE_LABELS = {"music": "Music", "art": "Art", "writing": "Writing", "film": "Film"}


class _FileUrls:
    """records' file URLs for many versions from one `reverse` (a page of 200 segments would
    otherwise reverse a thousand times)."""

    def __init__(self) -> None:
        self._pattern = reverse("records:file", args=[987654321, UUID(int=0), "LABEL"])

    def __call__(self, record_id: int, key: UUID, label: str) -> str:
        return (
            self._pattern.replace("987654321", str(record_id), 1)
            .replace(str(UUID(int=0)), str(key), 1)
            .replace("LABEL", label, 1)
        )


class _ProfileUrls:
    """Members' profile URLs from one `reverse` (the page names up to 1,600 of them)."""

    SENTINEL = "zz-sentinel-zz"

    def __init__(self) -> None:
        self._pattern = reverse("profiles:detail", kwargs={"username": self.SENTINEL})

    def __call__(self, username: str) -> str:
        return self._pattern.replace(self.SENTINEL, username, 1)


@dataclass(frozen=True)
class CreditLine:
    """A credit as the main page names it: the member's name and profile ("" and "a former
    member" for one who left), and their roles."""

    name: str
    url: str
    roles: str


@dataclass
class ImageSource:
    url: str
    width: int | None


@dataclass
class ShowSegment:
    """One segment as the page shows and the player plays it, as plain values (a page of 200
    segments would otherwise build a thousand model instances). `number` is its place in the
    lineup (1-based, the deep link `#segment-N`); `start_ms` is where it begins in the
    continuous timeline, which leaves out the segments that no longer play (`removed`)."""

    number: int
    segment_id: int
    record_id: int
    kind: str  # the record's kind: video, audio, image, text
    title: str
    version_title: str
    version_number: int
    author_name: str  # "a former member" for one who left
    is_link: bool
    removed: bool
    start_ms: int = 0
    duration_ms: int = 0
    in_ms: int = 0
    src: str = ""  # the web-playable file (audio, video)
    poster: str = ""
    art: CoverArt | None = None  # what an audio segment shows
    images: list[ImageSource] = field(default_factory=list)  # webp, narrowest first
    image_fallback: list[ImageSource] = field(default_factory=list)
    width: int | None = None
    height: int | None = None
    color: str = ""
    placeholder: str = ""
    body_html: str = ""
    record_url: str = ""
    credits: list[CreditLine] = field(default_factory=list)
    credits_total: int = 0

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms

    @property
    def end_in_ms(self) -> int:
        """Where it stops in its own media (the out point, for audio and video)."""
        return self.in_ms + self.duration_ms

    @property
    def credits_more(self) -> int:
        return max(0, self.credits_total - len(self.credits))

    @property
    def anchor(self) -> str:
        return f"segment-{self.number}"

    def player_data(self) -> dict[str, Any]:
        """What the continuous player needs of it (the page embeds these as JSON)."""
        return {
            "number": self.number,
            "kind": self.kind,
            "title": self.title,
            "author": self.author_name,
            "start": self.start_ms,
            "duration": self.duration_ms,
            "in": self.in_ms,
            "src": self.src,
            "poster": self.poster,
            "art": self.art.url if self.art else "",
            "removed": self.removed,
        }


@dataclass
class FairnessSummary:
    """The released fairness report in brief, read defensively from `released_report`
    (its keys are the fairness module's) and, where it says nothing, from the stored
    credits, which the same release job wrote."""

    contributors: int
    first_time: int
    producers_staff_percent: float
    community_percent: float
    rules: list["FairnessRule"]
    rule_text: str = ""  # how the shares were weighed, as the report says it


@dataclass
class FairnessRule:
    text: str
    broken: bool


def _rules(value: object) -> list[FairnessRule]:
    """The report's rules, whatever their exact shape: a sentence each, and whether it was
    broken (a released production broke none, but the page says what it stored)."""
    if not isinstance(value, list):
        return []
    rules = []
    for rule in value:
        if isinstance(rule, str):
            rules.append(FairnessRule(rule, False))
        elif isinstance(rule, dict):
            text = next(
                (
                    str(rule[k])
                    for k in ("label", "text", "rule", "description", "name")
                    if rule.get(k)
                ),
                "",
            )
            if text:
                broken = (
                    rule.get("passed") is False
                    or rule.get("ok") is False
                    or bool(rule.get("broken"))
                )
                rules.append(FairnessRule(text, broken))
    return rules


@dataclass
class Show:
    production: Production
    segments: list[ShowSegment]
    runtime_ms: int
    top_credits: list[ProductionCredit]
    credits_total: int
    fairness: FairnessSummary

    @property
    def playable(self) -> list[ShowSegment]:
        return [s for s in self.segments if not s.removed]


def _check_released(production: Production) -> None:
    if not production.is_released:
        raise NotFound("This production is not released yet.")


def _author_name(username: str | None, display_name: str, deleted_at: object) -> str:
    """A member's name as `User.name` gives it, from plain values."""
    if username is None or deleted_at is not None:
        return FORMER_MEMBER_NAME
    return display_name or username


# A segment's columns: the segment, its record (and the record's author and cover, for an
# audio segment's art) and the pinned version.
_SEGMENT_COLUMNS = (
    "id",
    "title",
    "kind",
    "duration_ms",
    "in_ms",
    "record_id",
    "record__kind",
    "record__visibility",
    "record__deleted_at",
    "record__live_version_id",
    "record__author__username",
    "record__author__display_name",
    "record__author__deleted_at",
    "record__cover_id",
    "record__cover__key",
    "record__cover__path",
    "record__cover__width",
    "record__cover__height",
    "record__cover__dominant_color",
    "record_version_id",
    "record_version__key",
    "record_version__title",
    "record_version__number",
    "record_version__status",
    "record_version__body_html",
)


_RenditionRow = tuple[str, int | None, int | None]  # label, width, height


def _int(value: object) -> int | None:
    """A metadata number read as text (KT): an int, or None when absent or not a number."""
    try:
        return int(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _audio_art(audio: list[tuple[ShowSegment, Mapping[str, Any], list[_RenditionRow]]]) -> None:
    """Each playing audio segment's art, through records' own rule
    (`records_cover_art_attach`: the author's cover, else the first image source's art, else
    the generated cover of the pinned version), given the few instances it reads, made here
    from the values already read."""
    if not audio:
        return
    records: list[Record] = []
    versions: dict[int, RecordVersion] = {}
    for _show, row, renditions in audio:
        record = Record(id=row["record_id"], kind=row["record__kind"])
        if row["record__cover_id"] is not None:
            record.cover = Cover(
                id=row["record__cover_id"],
                record_id=row["record_id"],
                key=row["record__cover__key"],
                path=row["record__cover__path"],
                width=row["record__cover__width"],
                height=row["record__cover__height"],
                dominant_color=row["record__cover__dominant_color"],
            )
        else:
            record.cover = None
        version = RecordVersion(id=row["record_version_id"], key=row["record_version__key"])
        # What `version.renditions.all()` answers, as a prefetch would have left it.
        version._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "renditions": [
                Rendition(version_id=version.pk, label=label, width=width, height=height)
                for label, width, height in renditions
                if label == GENERATED_COVER_LABEL  # the only one records' art rule reads
            ]
        }
        versions[id(record)] = version
        records.append(record)
    records_cover_art_attach(records=records, version_of=lambda record: versions.get(id(record)))
    for (show, _row, _renditions), record in zip(audio, records, strict=True):
        show.art = record.cover_art


def _segments(production: Production) -> list[ShowSegment]:
    """The lineup in order with the pinned versions, their renditions, and each audio
    record's art, as plain values: two queries, and up to two more for art."""
    rows = list(
        Segment.objects.filter(production=production)
        .order_by("position")
        .values(
            *_SEGMENT_COLUMNS,
            # The few keys of the version's metadata the page shows, read in SQL: the rest
            # (a waveform's peaks, say) would cost more to decode than the whole query.
            meta_color=KeyTextTransform("dominant_color", "record_version__metadata"),
            meta_width=KeyTextTransform("width", "record_version__metadata"),
            meta_height=KeyTextTransform("height", "record_version__metadata"),
            meta_placeholder=KeyTextTransform("placeholder", "record_version__metadata"),
        )
    )
    renditions: dict[int, list[_RenditionRow]] = {}
    version_ids = {row["record_version_id"] for row in rows}
    for version_id, label, width, height in (
        Rendition.objects.filter(version_id__in=version_ids)
        .order_by("width", "label")
        .values_list("version_id", "label", "width", "height")
    ):
        renditions.setdefault(version_id, []).append((label, width, height))
    file_url = _FileUrls()
    record_url = reverse("records:detail", args=[987654321])
    shown: list[ShowSegment] = []
    audio: list[tuple[ShowSegment, Mapping[str, Any], list[_RenditionRow]]] = []
    clock = 0
    for number, row in enumerate(rows, start=1):
        record_id, kind, key = row["record_id"], row["record__kind"], row["record_version__key"]
        # A segment plays while its record is public. A record deleted since (or taken back
        # to a draft) is removed by its author: its files are no longer served.
        plays = (
            row["record__deleted_at"] is None
            and row["record__visibility"] == Visibility.PUBLISHED
            and row["record__live_version_id"] is not None
            and row["record_version__status"] == "ready"
        )
        show = ShowSegment(
            number=number,
            segment_id=row["id"],
            record_id=record_id,
            kind=kind,
            title=row["title"] or row["record_version__title"],
            version_title=row["record_version__title"],
            version_number=row["record_version__number"],
            author_name=_author_name(
                row["record__author__username"],
                row["record__author__display_name"],
                row["record__author__deleted_at"],
            ),
            is_link=row["kind"] == SegmentKind.LINK,
            removed=not plays,
            record_url=record_url.replace("987654321", str(record_id), 1),
        )
        shown.append(show)
        if show.removed:
            continue
        version_renditions = renditions.get(row["record_version_id"], [])
        labels = {label for label, _width, _height in version_renditions}
        show.color = row["meta_color"] or ""
        width, height = _int(row["meta_width"]), _int(row["meta_height"])
        if kind in (Kind.AUDIO, Kind.VIDEO):
            label = "audio.m4a" if kind == Kind.AUDIO else "video.mp4"
            if label not in labels:
                show.removed = True
                continue
            show.src = file_url(record_id, key, label)
            show.in_ms = row["in_ms"] or 0
            if "poster.jpg" in labels:
                show.poster = file_url(record_id, key, "poster.jpg")
            show.width, show.height = width, height
            if kind == Kind.AUDIO:
                audio.append((show, row, version_renditions))
        elif kind == Kind.IMAGE:
            for label, width, _height in version_renditions:
                source = ImageSource(file_url(record_id, key, label), width)
                if label.endswith(".webp"):
                    show.images.append(source)
                elif label.startswith("w"):
                    show.image_fallback.append(source)
            show.images.sort(key=lambda s: s.width or 0)
            show.image_fallback.sort(key=lambda s: s.width or 0)
            show.width, show.height = width, height
            show.placeholder = row["meta_placeholder"] or ""
        else:
            show.body_html = row["record_version__body_html"]
        show.duration_ms = row["duration_ms"]
        show.start_ms = clock
        clock += row["duration_ms"]
    _audio_art(audio)
    return shown


def _roles_line(roles_text: str | None) -> str:
    """A credit's roles as the page names them ("music, art"), from their JSON text."""
    try:
        roles = json.loads(roles_text) if roles_text else None
    except ValueError:
        return ""
    return ", ".join(str(r) for r in roles) if isinstance(roles, list) else ""


def _segment_credits(shown: list[ShowSegment], *, limit: int) -> None:
    """The first `limit` credits of every segment and how many each has, in one query (a
    window over the production's segment credits), as plain values: a page of 200 segments
    names 1,600 people, and model instances would cost more than the query."""
    by_id = {s.segment_id: s for s in shown}
    if not by_id:
        return
    rows = (
        SegmentCredit.objects.filter(segment_id__in=by_id)
        .annotate(
            rank=Window(RowNumber(), partition_by=[F("segment_id")], order_by=F("position").asc()),
            total=Window(Count("id"), partition_by=[F("segment_id")]),
            # As the database writes the JSON: a show has a few distinct role lists, decoded
            # once each below rather than 1,600 times by the field.
            roles_text=Cast("roles", TextField()),
        )
        .filter(rank__lte=limit)
        .order_by("segment_id", "position")
        .values_list(
            "segment_id",
            "roles_text",
            "user__username",
            "user__display_name",
            "user__deleted_at",
            "total",
        )
    )
    profile_url = _ProfileUrls()
    role_lines: dict[str | None, str] = {}
    for segment_id, roles_text, username, display_name, deleted_at, total in rows:
        show = by_id[segment_id]
        former = username is None or deleted_at is not None
        if roles_text not in role_lines:
            role_lines[roles_text] = _roles_line(roles_text)
        show.credits.append(
            CreditLine(
                name=_author_name(username, display_name, deleted_at),
                url="" if former else profile_url(username),
                roles=role_lines[roles_text],
            )
        )
        show.credits_total = total


def _float(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _fairness(production: Production) -> tuple[FairnessSummary, int]:
    """The report's headline figures, two queries: the few keys the page shows, read in SQL
    (the stored report also lists every contributor, which the page does not need to load),
    and one aggregate over the stored credits, which stands in for any figure the report
    lacks (the same release job wrote both)."""
    row: Mapping[str, Any] = (
        Production.objects.filter(pk=production.pk)
        .values(
            contributors=KT("released_report__distinct_contributors"),
            first_time=KT("released_report__first_time_contributors"),
            held=KT("released_report__producers_and_staff__percent"),
            rules=KT("released_report__rules"),
            rule_text=KT("released_report__rule_text"),
        )
        .first()
    ) or {}
    stats = ProductionCredit.objects.filter(production=production).aggregate(
        contributors=Count("id"),
        first_time=Count("id", filter=Q(first_time=True)),
        held=Sum("share_ppm", filter=Q(is_producer=True) | Q(is_staff=True)),
        total=Sum("share_ppm"),
    )
    contributors = _float(row.get("contributors"))
    first_time = _float(row.get("first_time"))
    held = _float(row.get("held"))
    if held is None:
        total = stats["total"] or 0
        held = (stats["held"] or 0) * 100 / total if total else 0.0
    held = min(max(held, 0.0), 100.0)
    try:
        rules = json.loads(row["rules"]) if isinstance(row.get("rules"), str) else row.get("rules")
    except ValueError:
        rules = None
    rule_text = row.get("rule_text")
    summary = FairnessSummary(
        contributors=int(contributors if contributors is not None else stats["contributors"]),
        first_time=int(first_time if first_time is not None else stats["first_time"]),
        producers_staff_percent=round(held, 1),
        community_percent=round(100 - held, 1),
        rules=_rules(rules),
        rule_text=rule_text if isinstance(rule_text, str) else "",
    )
    return summary, stats["contributors"]


def production_show_get(*, production: Production) -> Show:
    """What every viewer of the released page sees the same (its producers aside, read
    with `selectors.production_producers`), in at most 8 queries whatever the number of
    segments or contributors. NotFound unless `production` is released."""
    _check_released(production)
    shown = _segments(production)
    _segment_credits(shown, limit=SEGMENT_CREDITS_SHOWN)
    top = list(
        ProductionCredit.objects.filter(production=production)
        .select_related("user")
        .order_by("position")[:TOP_CREDITS_SHOWN]
    )
    fairness, credits_total = _fairness(production)
    runtime = sum(s.duration_ms for s in shown if not s.removed)
    return Show(
        production=production,
        segments=shown,
        runtime_ms=runtime,
        top_credits=top,
        credits_total=credits_total,
        fairness=fairness,
    )


def production_chapters(*, production: Production) -> list[ShowSegment]:
    """The segments that play, with their place in the continuous timeline: the chapters
    (one query for the segments, one for their renditions, up to two for art)."""
    _check_released(production)
    return [s for s in _segments(production) if not s.removed]


# The credits page -----------------------------------------------------------------------------
@dataclass
class CreditGroup:
    heading: str
    credits: list[Any]
    anchor: str = ""


def _role_label(role: object) -> str:
    text = str(role).strip()
    return ROLE_LABELS.get(text.lower(), text[:1].upper() + text[1:]) if text else "Other"


def production_credits_by_role(
    *, production: Production, page: int = 1
) -> tuple[Page[Any], list[CreditGroup]]:
    """A page of the production's credits (largest share first) grouped by role: a
    contributor with several roles appears under each. Two queries."""
    _check_released(production)
    credits = ProductionCredit.objects.filter(production=production).select_related("user")
    paged = Paginator(credits.order_by("position"), CREDITS_PER_PAGE).get_page(page)
    groups: dict[str, CreditGroup] = {}
    for credit in paged:
        roles = credit.roles if isinstance(credit.roles, list) and credit.roles else ["other"]
        for role in roles:
            label = _role_label(role)
            groups.setdefault(label, CreditGroup(label, [])).credits.append(credit)
    order = list(ROLE_LABELS.values())
    ordered = sorted(
        groups.values(),
        key=lambda g: (order.index(g.heading) if g.heading in order else len(order), g.heading),
    )
    return paged, ordered


def production_credits_by_segment(
    *, production: Production, page: int = 1, segment_number: int | None = None
) -> tuple[Page[Any], list[CreditGroup]]:
    """A page of every segment's credits, segment by segment in lineup order, each
    segment's own author first; `segment_number` picks the page where that segment's
    credits begin. Three or four queries."""
    _check_released(production)
    credits = (
        SegmentCredit.objects.filter(segment__production=production)
        .select_related("user", "segment")
        .order_by("segment__position", "position")
    )
    rows = list(
        Segment.objects.filter(production=production)
        .order_by("position")
        .values_list("position", "title", "record_version__title")
    )
    if segment_number is not None and 1 <= segment_number <= len(rows):
        before = credits.filter(segment__position__lt=rows[segment_number - 1][0]).count()
        page = before // CREDITS_PER_PAGE + 1
    paged = Paginator(credits, CREDITS_PER_PAGE).get_page(page)
    number = {
        position: (index, title or version_title)
        for index, (position, title, version_title) in enumerate(rows, 1)
    }
    groups: dict[int, CreditGroup] = {}
    for credit in paged:
        index, title = number.get(credit.segment.position, (0, ""))
        group = groups.setdefault(
            credit.segment_id, CreditGroup(f"{index}. {title}", [], anchor=f"segment-{index}")
        )
        group.credits.append(credit)
    return paged, list(groups.values())
