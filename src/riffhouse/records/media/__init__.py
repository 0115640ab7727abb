"""Media tools for records: probe, re-encode and describe what members upload.

Everything here works on local file paths; the caller downloads from storage to a temporary
file and uploads what we write. Uploads are hostile until proven otherwise, so:

- Images are decoded by content with Pillow restricted to JPEG, PNG, WebP and GIF, the pixel
  count is checked from the header before any pixel is decoded, and every rendition is a
  fresh encode, so metadata (EXIF, GPS, comments) and bytes smuggled after the image never
  reach another member's browser.
- Audio and video are opened by PyAV with FFmpeg's protocol whitelist set to local files and
  its demuxer whitelist set to the few containers we accept, so a playlist or concat script
  can never make FFmpeg fetch a URL or read another file. Decoding is streamed frame by frame
  and checked against a deadline.
- Text must be strict UTF-8; Markdown is rendered without raw HTML and then sanitised again.

The package knows nothing about models or storage: callers pass paths and limits in and get
dataclasses or :class:`MediaError` back. ``str(MediaError)`` is a sentence for the uploader;
``MediaError.code`` is for code and tests.

Modules: `base` (MediaError, Probe, Output, Deadline), `text`, `images`, `covers` (a
track's cover drawn from its waveform), `audio_video`
(opening and probing), `transcoding` (web audio, waveform, poster, web video) and `sandbox`
(running all of it on one original in a child process with limits, for the processing job in
`records/processing.py`).
"""

from riffhouse.records.media.audio_video import probe_audio, probe_video
from riffhouse.records.media.base import MediaError, Output, Probe
from riffhouse.records.media.covers import cover_colors, generated_cover
from riffhouse.records.media.images import (
    JPEG_SETTINGS,
    PNG_SETTINGS,
    WEBP_SETTINGS,
    image_renditions,
    probe_image,
    probe_image_header,
)
from riffhouse.records.media.text import decode_text, render_markdown, text_stats
from riffhouse.records.media.transcoding import (
    AUDIO_BITRATE,
    audio_rendition,
    video_poster,
    video_rendition,
    waveform_peaks,
)

__all__ = [
    "AUDIO_BITRATE",
    "JPEG_SETTINGS",
    "PNG_SETTINGS",
    "WEBP_SETTINGS",
    "MediaError",
    "Output",
    "Probe",
    "audio_rendition",
    "cover_colors",
    "decode_text",
    "generated_cover",
    "image_renditions",
    "probe_audio",
    "probe_image",
    "probe_image_header",
    "probe_video",
    "render_markdown",
    "text_stats",
    "video_poster",
    "video_rendition",
    "waveform_peaks",
]
