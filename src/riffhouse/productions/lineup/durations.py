"""How long a segment lasts and what picture stands for it: the media's measured length,
the default display times, and a record's thumbnail."""

import math

from riffhouse.productions.models import MAX_SEGMENT_MS, Segment
from riffhouse.records.models import Kind, Record, RecordVersion

# No media is longer than a day (records refuse far shorter ones): an out point past it is
# past the end even when a file's length was not measured.
MAX_POINT_MS = 86_400_000
# Display durations when the producer gives none: a picture holds the screen for 6 s; a text
# card for as long as it takes to read (230 words a minute, as records' reading time),
# never shorter than 5 s nor longer than 90 s.
DEFAULT_IMAGE_MS = 6_000
TEXT_WORDS_PER_MINUTE = 230
TEXT_MIN_MS = 5_000
TEXT_MAX_MS = 90_000
TIMED_KINDS = frozenset({Kind.AUDIO, Kind.VIDEO})
# A picture for each kind of record, best first (records' processing names them).
THUMBNAIL_LABELS = {Kind.IMAGE: ("w320.webp", "w640.webp"), Kind.VIDEO: ("poster.jpg",)}


def media_duration_ms(*, version: RecordVersion) -> int | None:
    """The real length of an audio or video version in milliseconds, as processing measured
    it (`metadata["duration"]`, seconds); None when unknown or not timed media."""
    seconds = (version.metadata or {}).get("duration")
    if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
        return round(seconds * 1000)
    return None


def segment_default_duration_ms(*, kind: str, version: RecordVersion) -> int:
    """How long a segment of this record lasts when the producer says nothing: the whole
    file for audio and video (capped at an hour), 6 s for a picture, a text's reading time
    (between 5 s and 90 s)."""
    if kind in TIMED_KINDS:
        return min(media_duration_ms(version=version) or DEFAULT_IMAGE_MS, MAX_SEGMENT_MS)
    if kind == Kind.TEXT:
        words = (version.metadata or {}).get("word_count")
        if not isinstance(words, int):
            words = len(version.body.split())
        reading = math.ceil(words * 60_000 / TEXT_WORDS_PER_MINUTE)
        return max(TEXT_MIN_MS, min(reading, TEXT_MAX_MS))
    return DEFAULT_IMAGE_MS


def segment_runtime_ms(*, segment: Segment) -> int:
    """How long a segment plays: out minus in for audio and video, its display duration for
    the rest (the two agree on saved segments: `duration_ms` is always the runtime)."""
    if segment.in_ms is not None and segment.out_ms is not None:
        return segment.out_ms - segment.in_ms
    return segment.duration_ms


def thumbnail_url(*, record: Record, version: RecordVersion) -> str | None:
    """A small picture of a record at a version (expects the version's renditions
    prefetched and, for audio, `cover_art` attached): the image itself, the video's poster
    frame or the track's cover; None for text."""
    from django.urls import reverse

    if record.kind == Kind.AUDIO:
        art = getattr(record, "cover_art", None)
        return art.url if art is not None else None
    labels = THUMBNAIL_LABELS.get(Kind(record.kind), ())
    renditions = {r.label: r for r in version.renditions.all()}
    for label in labels:
        if label in renditions:
            return reverse("records:file", args=[record.pk, version.key, label])
    return None
