"""The lineup: a production's ordered segments, read and written whole.

A segment is a **piece** (a selected submission: its record at the exact version that was
submitted) or a **link** (a title card or host segment made from a record of one of the
production's producers, pinned to its live version when the lineup is saved). Audio and
video play from an in point to an out point, checked against the media's real duration;
images and text show for a display duration. Every segment's `duration_ms` is its runtime.

Writes are optimistic: a writer names the `lineup_version` it read, and a write made on a
stale version is refused with 409 `lineup_stale` (decision 0021). The whole list is
validated before anything is saved; the first bad segment is named by its position and
field (`segments[3].out_ms`).

- `durations`: how long a segment lasts, and its thumbnail.
- `selectors`: `lineup_get`, `lineup_candidates`.
- `checks`: each segment checked before a write (`SegmentSpec` is what a writer sends).
- `services`: `lineup_set`.

The names below are this package's public face: import them from here.
"""

from riffhouse.productions.lineup.checks import (
    MAX_NOTES,
    MAX_SEGMENTS,
    MAX_TITLE,
    SegmentSpec,
    clock,
)
from riffhouse.productions.lineup.durations import (
    DEFAULT_IMAGE_MS,
    MAX_POINT_MS,
    TEXT_MAX_MS,
    TEXT_MIN_MS,
    TEXT_WORDS_PER_MINUTE,
    THUMBNAIL_LABELS,
    TIMED_KINDS,
    media_duration_ms,
    segment_default_duration_ms,
    segment_runtime_ms,
    thumbnail_url,
)
from riffhouse.productions.lineup.selectors import (
    MAX_LINK_CHOICES,
    Lineup,
    LineupCandidates,
    lineup_candidates,
    lineup_get,
    lineup_load,
)
from riffhouse.productions.lineup.services import lineup_set

__all__ = [
    "DEFAULT_IMAGE_MS",
    "MAX_LINK_CHOICES",
    "MAX_NOTES",
    "MAX_POINT_MS",
    "MAX_SEGMENTS",
    "MAX_TITLE",
    "TEXT_MAX_MS",
    "TEXT_MIN_MS",
    "TEXT_WORDS_PER_MINUTE",
    "THUMBNAIL_LABELS",
    "TIMED_KINDS",
    "Lineup",
    "LineupCandidates",
    "SegmentSpec",
    "clock",
    "lineup_candidates",
    "lineup_get",
    "lineup_load",
    "lineup_set",
    "media_duration_ms",
    "segment_default_duration_ms",
    "segment_runtime_ms",
    "thumbnail_url",
]
