"""The demo's generated texts, pictures, music and animations: valid, varied and repeatable."""

import io
import itertools

import av
import numpy as np
import pytest
from PIL import Image

from riffhouse.demo import media
from riffhouse.demo.media import THEMES


def decode_audio(data: bytes) -> tuple[av.audio.stream.AudioStream, np.ndarray]:
    """The first audio stream's description and its samples as floats, channels x samples."""
    with av.open(io.BytesIO(data)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp")
        chunks = [
            out.to_ndarray()
            for frame in container.decode(stream)
            for out in resampler.resample(frame)
        ]
        chunks += [out.to_ndarray() for out in resampler.resample(None)]
        return stream, np.concatenate(chunks, axis=1)


def decode_video(data: bytes) -> tuple[str, list[np.ndarray], list[str]]:
    with av.open(io.BytesIO(data)) as container:
        kinds = [f"{s.type}:{s.codec_context.name}" for s in container.streams]
        video = container.streams.video[0]
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video)]
        return video.codec_context.pix_fmt, frames, kinds


# ---------------------------------------------------------------------------------------------
# Texts
# ---------------------------------------------------------------------------------------------


def test_texts_cover_every_theme_twice_in_several_forms():
    pieces = media.texts()
    assert len(pieces) == 8
    for theme in THEMES:
        assert sum(theme in piece.tags for piece in pieces) == 2, theme
    assert {piece.form for piece in pieces} == {"poem", "story", "lyrics", "script"}
    assert len({piece.title for piece in pieces}) == len(pieces)


@pytest.mark.parametrize("piece", media.texts(), ids=lambda piece: piece.title)
def test_each_text_is_markdown_with_a_title_and_tags(piece):
    assert piece.title.strip()
    assert piece.body.startswith(f"# {piece.title}\n")
    assert len(piece.body) > 400
    assert piece.description.strip() and len(piece.description) < 200
    assert piece.tags and all(tag == tag.lower() and tag.strip() for tag in piece.tags)
    assert piece.form in {"poem", "story", "lyrics", "script"}
    assert piece.body.count("\n\n") >= 3  # stanzas, paragraphs, verses or beats


@pytest.mark.parametrize(
    "piece", [p for p in media.texts() if p.form != "story"], ids=lambda piece: piece.title
)
def test_verse_keeps_its_line_breaks(piece):
    blocks = [b for b in piece.body.rstrip("\n").split("\n\n") if not b.startswith("#")]
    if piece.form == "script":  # dialogue keeps its lines; action is prose
        action = [b for b in blocks if not b.startswith("**") and "\n" in b]
        assert action and not any("  \n" in block for block in action)
        blocks = [b for b in blocks if b.startswith("**")]
    multiline = [block for block in blocks if "\n" in block]
    assert len(multiline) >= 2
    for block in multiline:
        lines = block.split("\n")
        # every line but a block's last ends in a Markdown hard break (two spaces)
        assert all(line.endswith("  ") for line in lines[:-1]), block
        assert not lines[-1].endswith(" ")


def test_stories_are_plain_paragraphs():
    for piece in (p for p in media.texts() if p.form == "story"):
        paragraphs = piece.body.strip().split("\n\n")[1:]
        assert len(paragraphs) >= 3
        assert not any(line.endswith(" ") for line in piece.body.split("\n"))


def test_texts_are_fresh_objects_each_call():
    first, second = media.texts(), media.texts()
    assert first == second
    first[0].tags.append("changed")
    assert "changed" not in media.texts()[0].tags


# ---------------------------------------------------------------------------------------------
# Titles
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("titles", "least"),
    [(media.image_titles, 2), (media.music_titles, 1), (media.animation_titles, 1)],
)
def test_titles_cover_every_theme(titles, least):
    entries = titles()
    for theme in THEMES:
        assert sum(entry[0] == theme for entry in entries) >= least
    for theme, title, description in entries:
        assert theme in THEMES and title.strip() and description.strip()
    assert len({title for _, title, _ in entries}) == len(entries)


def test_unknown_theme_is_refused():
    with pytest.raises(ValueError, match="Unknown theme"):
        media.image_png(theme="horror", seed=1)
    with pytest.raises(ValueError, match="Unknown theme"):
        media.music_flac(theme="horror", seed=1)
    with pytest.raises(ValueError, match="Unknown theme"):
        media.animation_mp4(theme="horror", seed=1)


# ---------------------------------------------------------------------------------------------
# Pictures
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pictures() -> dict[str, bytes]:
    return {theme: media.image_png(theme=theme, seed=3) for theme in THEMES}


@pytest.mark.parametrize("theme", THEMES)
def test_picture_is_a_png_of_the_requested_size_with_detail(pictures, theme):
    image = Image.open(io.BytesIO(pictures[theme]))
    assert image.format == "PNG"
    assert image.size == (1600, 1000)
    pixels = np.asarray(image.convert("RGB"), dtype=np.float32)
    assert pixels.std() > 20  # not a flat colour
    assert pixels.reshape(-1, 3).std(axis=0).min() > 8  # every channel varies
    # detail everywhere, not just one corner: each quarter has contrast of its own
    for rows, cols in itertools.product(
        (slice(0, 500), slice(500, 1000)), (slice(0, 800), slice(800, 1600))
    ):
        assert pixels[rows, cols].std() > 8


def test_pictures_differ_per_theme(pictures):
    arrays = {
        theme: np.asarray(
            Image.open(io.BytesIO(data)).convert("RGB").resize((160, 100)), dtype=float
        )
        for theme, data in pictures.items()
    }
    for a, b in itertools.combinations(THEMES, 2):
        assert np.abs(arrays[a] - arrays[b]).mean() > 15, (a, b)


@pytest.mark.parametrize("theme", THEMES)
def test_picture_is_repeatable_and_seeded(pictures, theme):
    assert media.image_png(theme=theme, seed=3) == pictures[theme]
    assert media.image_png(theme=theme, seed=4) != pictures[theme]


@pytest.mark.parametrize("theme", THEMES)
def test_picture_honours_other_sizes(theme):
    data = media.image_png(theme=theme, seed=0, width=480, height=640)
    image = Image.open(io.BytesIO(data))
    assert image.size == (480, 640)
    assert np.asarray(image.convert("L"), dtype=np.float32).std() > 10


# ---------------------------------------------------------------------------------------------
# Music
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tracks() -> dict[str, bytes]:
    return {theme: media.music_flac(theme=theme, seed=2, seconds=12.5) for theme in THEMES}


@pytest.mark.parametrize("theme", THEMES)
def test_music_is_stereo_flac_at_cd_rate_of_the_requested_length(tracks, theme):
    stream, samples = decode_audio(tracks[theme])
    assert stream.codec_context.name == "flac"
    assert stream.rate == 44100
    assert stream.channels == 2
    assert samples.shape[0] == 2
    assert abs(samples.shape[1] / 44100 - 12.5) <= 0.1
    peak = float(np.abs(samples).max())
    assert 0.3 < peak <= 1.0
    assert peak < 0.95  # normalised to -1 dBFS, with headroom left
    # a real stereo image, and not silent anywhere in the middle
    assert not np.allclose(samples[0], samples[1])
    middle = samples[:, 44100 * 3 : 44100 * 9]
    windows = middle[0, : middle.shape[1] // 4410 * 4410].reshape(-1, 4410)
    assert np.sqrt((windows**2).mean(axis=1)).min() > 0.01
    # soft at both ends: the fades
    assert np.abs(samples[:, :200]).max() < 0.05
    assert np.abs(samples[:, -200:]).max() < 0.05


def test_music_themes_sound_different(tracks):
    spectra = {}
    for theme, data in tracks.items():
        _, samples = decode_audio(data)
        spectrum = np.abs(np.fft.rfft(samples[0, : 44100 * 10]))
        bands = np.add.reduceat(spectrum, np.geomspace(20, len(spectrum) - 1, 40).astype(int))
        spectra[theme] = bands / bands.sum()
    for a, b in itertools.combinations(THEMES, 2):
        assert np.abs(spectra[a] - spectra[b]).sum() > 0.1, (a, b)


@pytest.mark.parametrize("theme", THEMES)
def test_music_is_repeatable_and_seeded(tracks, theme):
    assert media.music_flac(theme=theme, seed=2, seconds=12.5) == tracks[theme]
    assert media.music_flac(theme=theme, seed=5, seconds=12.5) != tracks[theme]


def test_music_default_length_is_twenty_seconds():
    stream, samples = decode_audio(media.music_flac(theme="games", seed=0))
    assert abs(samples.shape[1] / stream.rate - 20.0) <= 0.1


# ---------------------------------------------------------------------------------------------
# Animations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", THEMES)
def test_animation_is_h264_with_sound_and_motion(theme):
    data = media.animation_mp4(theme=theme, seed=1, seconds=2.5, size=(480, 270), fps=24)
    pix_fmt, frames, kinds = decode_video(data)
    assert kinds == ["video:h264", "audio:aac"]
    assert pix_fmt == "yuv420p"
    assert abs(len(frames) - 60) <= 1
    assert frames[0].shape == (270, 480, 3)
    # frames change over time, steadily rather than in one jump
    changes = [
        np.abs(a.astype(int) - b.astype(int)).mean() for a, b in itertools.pairwise(frames[::6])
    ]
    assert min(changes) > 0.2
    assert np.abs(frames[0].astype(int) - frames[-1].astype(int)).mean() > 1.0
    assert frames[len(frames) // 2].std() > 15
    stream, samples = decode_audio(data)
    assert stream.rate == 44100 and stream.channels == 2
    assert abs(samples.shape[1] / 44100 - 2.5) < 0.1
    assert np.abs(samples).max() > 0.1


def test_animation_defaults_and_streaming_layout():
    data = media.animation_mp4(theme="space", seed=0)
    assert data[4:8] == b"ftyp"
    # the index comes before the media data, so playback starts before the download ends
    assert data.index(b"moov") < data.index(b"mdat")
    _, frames, kinds = decode_video(data)
    assert kinds == ["video:h264", "audio:aac"]
    assert abs(len(frames) - 6 * 24) <= 1
    assert frames[0].shape == (360, 640, 3)
    with av.open(io.BytesIO(data)) as container:
        assert abs(container.duration / 1_000_000 - 6.0) < 0.15


def test_animation_refuses_odd_sizes():
    with pytest.raises(ValueError, match="even"):
        media.animation_mp4(theme="games", seed=0, size=(641, 360))


def test_every_demo_title_is_its_own():
    titles = (
        [text.title for text in media.texts()]
        + [title for _, title, _ in media.image_titles()]
        + [title for _, title, _ in media.music_titles()]
        + [title for _, title, _ in media.animation_titles()]
    )
    assert len(titles) == len(set(titles)), sorted(t for t in titles if titles.count(t) > 1)
