"""What every media module shares: the refusal (`MediaError`), what a probe found
(`Probe`), a file written (`Output`) and a wall-clock budget."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from riffhouse.core.isolation import Refusal


class MediaError(Refusal):
    """A file we refuse or cannot process; `str(exc)` is a sentence the uploader can read.

    Codes: ``unsupported_format``, ``unsupported_codec``, ``wrong_kind``, ``too_many_pixels``,
    ``too_long``, ``corrupt``, ``timeout``, ``invalid_text`` and the generic ``invalid_media``.
    """

    def __init__(self, reason: str, *, code: str = "invalid_media") -> None:
        super().__init__(reason, code=code)


@dataclass(frozen=True)
class Probe:
    """What a file is, as far as we checked it (sizes are as displayed: orientation applied)."""

    kind: str
    format: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None
    video_codec: str | None = None
    audio_codec: str | None = None
    channels: int | None = None
    sample_rate: int | None = None


@dataclass(frozen=True)
class Output:
    """A file this module wrote; the caller uploads it and records its label and size."""

    path: Path
    label: str
    mime: str
    width: int | None = None
    height: int | None = None
    size: int = 0


def output_of(
    path: Path, label: str, mime: str, width: int | None = None, height: int | None = None
) -> Output:
    return Output(path, label, mime, width, height, path.stat().st_size)


class Deadline:
    """Wall-clock budget for one call; checked inside every frame loop."""

    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() >= self.end:
            raise MediaError(
                "Processing this file took too long, so we stopped. Try a shorter or smaller file.",
                code="timeout",
            )
