"""Media processing on tiny files generated here with Pillow, numpy and PyAV: what comes out
must be what browsers play and what we promise (sizes, codecs, no metadata), and every hostile
or broken upload must be refused with its code."""

import base64
import io
import struct
import zlib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image, ImageCms

from riffhouse.records import media
from riffhouse.records.media import MediaError, transcoding

RATE = 48_000


# --- Sample makers --------------------------------------------------------------------------


def sine(seconds: float = 1.0, rate: int = RATE, channels: int = 2) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    wave = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return np.tile(wave, (channels, 1))


def write_audio(
    path: Path,
    fmt: str,
    codec: str,
    *,
    samples: np.ndarray | None = None,
    rate: int = RATE,
    layout: str = "stereo",
) -> Path:
    samples = (
        sine(rate=rate, channels=av.AudioLayout(layout).nb_channels) if samples is None else samples
    )
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=rate)
        stream.layout = layout
        frame = av.AudioFrame.from_ndarray(samples, format="fltp", layout=layout)
        frame.sample_rate, frame.pts = rate, 0
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    return path


def write_video(
    path: Path,
    fmt: str,
    codec: str,
    *,
    size: tuple[int, int] = (160, 120),
    frames: int = 25,
    audio: bool = True,
    rotation: int = 0,
) -> Path:
    """Moving colour: red ramps with time, a green band slides across."""
    width, height = size
    with av.open(str(path), "w", format=fmt) as out:
        video = out.add_stream(
            codec, rate=25, options={"preset": "ultrafast"} if codec == "libx264" else {}
        )
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        if rotation:
            video.set_display_rotation(rotation)
        sound = out.add_stream("aac" if fmt == "mp4" else "libopus", rate=RATE) if audio else None
        if sound is not None:
            sound.layout = "stereo"
        for i in range(frames):
            picture = np.zeros((height, width, 3), np.uint8)
            picture[..., 0] = i * 10 % 256
            picture[:, (i * 6) % width :, 1] = 200
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts = i
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            chunk = av.AudioFrame.from_ndarray(sine(frames / 25), format="fltp", layout="stereo")
            chunk.sample_rate, chunk.pts = RATE, 0
            out.mux(sound.encode(chunk))
            out.mux(sound.encode(None))
    return path


def write_image(path: Path, fmt: str = "PNG", size: tuple[int, int] = (64, 48), **save) -> Path:
    mode = "RGBA" if fmt in ("PNG", "WEBP") and save.pop("alpha", False) else "RGB"
    img = Image.new(mode, size, (200, 30, 30, 255) if mode == "RGBA" else (200, 30, 30))
    img.paste((20, 40, 220) + ((0,) if mode == "RGBA" else ()), (0, 0, size[0] // 4, size[1]))
    img.save(path, fmt, **save)
    return path


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a size but carries almost no pixel data."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes(3 * 16 + 1))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def wav_with_unknown_codec() -> bytes:
    data = b"\x00\x01" * 8000
    fmt = struct.pack("<HHIIHH", 0x7777, 1, 8000, 16000, 2, 16)
    body = b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
    body += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def top_level_boxes(path: Path) -> list[str]:
    data = path.read_bytes()
    boxes, offset = [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        boxes.append(kind.decode("latin-1"))
        if size < 8:
            break
        offset += size
    return boxes


def streams_of(path: Path) -> dict[str, av.codec.context.CodecContext]:
    with av.open(str(path)) as container:
        return {s.type: s.codec_context for s in container.streams}


def refused(code: str, call: Callable[[], object]) -> MediaError:
    with pytest.raises(MediaError) as caught:
        call()
    assert caught.value.code == code, str(caught.value)
    assert str(caught.value).endswith(".")  # a sentence for the uploader
    return caught.value


@pytest.fixture(scope="module")
def av_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("av")
    return {
        "wav": write_audio(root / "tone.wav", "wav", "pcm_s16le"),
        "flac": write_audio(root / "tone.flac", "flac", "flac"),
        "mp3": write_audio(root / "tone.mp3", "mp3", "libmp3lame"),
        "ogg": write_audio(root / "tone.ogg", "ogg", "libopus"),
        "mp4": write_video(root / "clip.mp4", "mp4", "libx264"),
        "mp4_silent": write_video(root / "silent.mp4", "mp4", "libx264", audio=False),
        "webm": write_video(root / "clip.webm", "webm", "libvpx-vp9"),
        "webm_silent": write_video(root / "silent.webm", "webm", "libvpx-vp9", audio=False),
    }


# --- Text -----------------------------------------------------------------------------------


class TestDecodeText:
    def test_utf8_with_bom_and_windows_line_endings(self) -> None:
        assert media.decode_text("\ufeffLune\r\nsur l’eau\r".encode()) == "Lune\nsur l’eau\n"

    def test_latin1_is_refused(self) -> None:
        error = refused("invalid_text", lambda: media.decode_text("café".encode("latin-1")))
        assert "not UTF-8 text" in str(error)

    def test_nul_bytes_are_refused(self) -> None:
        refused("invalid_text", lambda: media.decode_text(b"PK\x03\x04\x00\x00zip"))


class TestRenderMarkdown:
    def test_single_newlines_become_line_breaks(self) -> None:
        html = media.render_markdown("Roses are red,\nviolets are blue.\n\nSecond verse.")
        assert html == "<p>Roses are red,<br>\nviolets are blue.</p>\n<p>Second verse.</p>\n"

    def test_raw_html_never_becomes_markup(self) -> None:
        html = media.render_markdown(
            'Hi <script>alert(1)</script> <img src=x onerror="alert(2)">\n\n<iframe src=//x>'
        )
        assert "<script" not in html and "<img" not in html and "<iframe" not in html
        assert "&lt;script&gt;" in html  # shown as the text that was typed

    def test_links_are_sanitised_and_marked(self) -> None:
        html = media.render_markdown(
            "[ok](https://ex.org/a) [mail](mailto:a@ex.org) [bad](javascript:alert(1)) "
            "[data](data:text/html;base64,PHNjcmlwdD4=) [here](/accounts/logout/)"
        )
        assert '<a href="https://ex.org/a" rel="nofollow ugc noopener">ok</a>' in html
        assert 'href="mailto:a@ex.org"' in html
        # markdown-it leaves refused links as the text that was typed, which is harmless.
        assert 'href="javascript' not in html and 'href="data' not in html
        assert 'href="/accounts/logout/"' not in html
        assert html.count('rel="nofollow ugc noopener"') == html.count("<a ")

    def test_allowed_markdown_survives(self) -> None:
        html = media.render_markdown(
            "# Title\n\n~~gone~~ **bold** _em_ `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "> quoted\n\n- item\n\n---\n\n###### tiny"
        )
        for tag in ("<h1>", "<s>gone</s>", "<strong>", "<em>", "<code>", "<table>", "<td>"):
            assert tag in html
        assert "<blockquote>" in html and "<li>" in html and "<hr>" in html
        assert "<h6>" not in html and "tiny" in html


class TestTextStats:
    def test_counts_words_of_the_text_not_the_markup(self) -> None:
        stats = media.text_stats("# Night\n\n**Moon** over the [harbour](https://ex.org).")
        assert stats == {
            "word_count": 5,
            "reading_minutes": 1,
            "excerpt": "Night Moon over the harbour.",
        }

    def test_reading_time_rounds_up_at_230_words_a_minute(self) -> None:
        assert media.text_stats("word " * 230)["reading_minutes"] == 1
        assert media.text_stats("word " * 231)["reading_minutes"] == 2
        assert media.text_stats("  \n ") == {"word_count": 0, "reading_minutes": 0, "excerpt": ""}

    def test_excerpt_is_cut_at_a_word(self) -> None:
        text = " ".join(f"w{i:03}" for i in range(100))
        excerpt = media.text_stats(text)["excerpt"]
        assert excerpt.endswith("…") and len(excerpt) <= 201
        assert text.startswith(excerpt[:-1]) and text[len(excerpt) - 1] == " "


# --- Images ---------------------------------------------------------------------------------


class TestProbeImage:
    @pytest.mark.parametrize(
        ("fmt", "mime"),
        [
            ("JPEG", "image/jpeg"),
            ("PNG", "image/png"),
            ("WEBP", "image/webp"),
            ("GIF", "image/gif"),
        ],
    )
    def test_allowed_formats(self, tmp_path: Path, fmt: str, mime: str) -> None:
        # The extension lies on purpose: content decides.
        probe = media.probe_image(write_image(tmp_path / "upload.txt", fmt))
        assert (probe.kind, probe.format, probe.mime, probe.width, probe.height) == (
            "image",
            fmt,
            mime,
            64,
            48,
        )

    @pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
    def test_other_pillow_formats_are_refused(self, tmp_path: Path, fmt: str) -> None:
        path = write_image(tmp_path / "upload.png", fmt)
        refused("unsupported_format", lambda: media.probe_image(path))

    @pytest.mark.parametrize(
        "content",
        [
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
            b"<!doctype html><html><script>alert(1)</script></html>",
        ],
    )
    def test_markup_is_refused(self, tmp_path: Path, content: bytes) -> None:
        path = tmp_path / "upload.png"
        path.write_bytes(content)
        refused("unsupported_format", lambda: media.probe_image(path))

    def test_empty_files_are_corrupt(self, tmp_path: Path) -> None:
        path = tmp_path / "upload.png"
        path.touch()
        refused("corrupt", lambda: media.probe_image(path))

    def test_pixel_limit_is_checked_before_decoding(self, tmp_path: Path) -> None:
        # 8000x8000 is under Pillow's own bomb limit, and there is no pixel data at all: only
        # a check on the header can answer "too many pixels" instead of "corrupt".
        path = tmp_path / "big.png"
        path.write_bytes(png_header_only(8000, 8000))
        refused("too_many_pixels", lambda: media.probe_image(path))
        small = write_image(tmp_path / "small.png")
        refused("too_many_pixels", lambda: media.probe_image(small, max_pixels=64 * 48 - 1))

    def test_decompression_bombs_are_refused(self, tmp_path: Path) -> None:
        path = tmp_path / "bomb.png"
        path.write_bytes(png_header_only(100_000, 100_000))
        refused("too_many_pixels", lambda: media.probe_image(path, max_pixels=10**12))
        refused("too_many_pixels", lambda: media.image_renditions(path, tmp_path / "out"))

    @pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
    def test_truncated_images_are_corrupt(self, tmp_path: Path, fmt: str) -> None:
        img = Image.fromarray(np.random.default_rng(1).integers(0, 255, (48, 64, 3), np.uint8))
        buffer = io.BytesIO()
        img.save(buffer, fmt)
        path = tmp_path / "cut"
        path.write_bytes(buffer.getvalue()[: len(buffer.getvalue()) * 2 // 3])
        refused("corrupt", lambda: media.probe_image(path))
        refused("corrupt", lambda: media.image_renditions(path, tmp_path / "out"))


class TestImageRenditions:
    def test_widths_up_to_the_original_in_webp_and_jpeg(self, tmp_path: Path) -> None:
        src = write_image(tmp_path / "photo.jpg", "JPEG", size=(700, 500))
        outputs, extras = media.image_renditions(src, tmp_path / "out")
        assert [(o.label, o.mime, o.width, o.height) for o in outputs] == [
            ("w320.jpg", "image/jpeg", 320, 229),
            ("w320.webp", "image/webp", 320, 229),
            ("w640.jpg", "image/jpeg", 640, 457),
            ("w640.webp", "image/webp", 640, 457),
        ]
        for output in outputs:
            assert output.path.parent == tmp_path / "out"
            assert output.size == output.path.stat().st_size > 0
            with Image.open(output.path) as img:
                assert img.size == (output.width, output.height)
                assert Image.MIME[str(img.format)] == output.mime
        assert (extras["width"], extras["height"]) == (700, 500)

    def test_small_images_are_never_upscaled(self, tmp_path: Path) -> None:
        outputs, _ = media.image_renditions(write_image(tmp_path / "i.png"), tmp_path)
        assert [(o.label, o.width, o.height) for o in outputs] == [
            ("w320.jpg", 64, 48),
            ("w320.webp", 64, 48),
        ]

    def test_exif_is_stripped_after_applying_orientation(self, tmp_path: Path) -> None:
        # Stored landscape, left quarter blue; orientation 6 means "turn clockwise to view".
        exif = Image.Exif()
        exif[0x0112] = 6
        exif[0x010F] = "PhoneMaker"
        exif.get_ifd(0x8825)[2] = (48.0, 51.0, 29.0)  # GPS latitude
        src = write_image(tmp_path / "phone.jpg", "JPEG", size=(64, 48), exif=exif.tobytes())
        assert media.probe_image(src).width == 48
        outputs, extras = media.image_renditions(src, tmp_path / "out")
        assert (extras["width"], extras["height"]) == (48, 64)
        for output in outputs:
            data = output.path.read_bytes()
            assert b"PhoneMaker" not in data and b"Exif" not in data
            with Image.open(output.path) as img:
                assert img.size == (48, 64)
                assert not img.getexif()
                rgb = img.convert("RGB")
                assert rgb.getpixel((24, 4))[2] > 150  # the blue quarter is now on top
                assert rgb.getpixel((24, 60))[0] > 150

    def test_colour_profile_is_kept(self, tmp_path: Path) -> None:
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        src = write_image(tmp_path / "p.jpg", "JPEG", icc_profile=icc)
        outputs, _ = media.image_renditions(src, tmp_path / "out")
        for output in outputs:
            with Image.open(output.path) as img:
                assert img.info.get("icc_profile") == icc

    def test_transparency_falls_back_to_png(self, tmp_path: Path) -> None:
        src = write_image(tmp_path / "logo.webp", "WEBP", alpha=True, lossless=True)
        outputs, extras = media.image_renditions(src, tmp_path / "out")
        assert [(o.label, o.mime) for o in outputs] == [
            ("w320.png", "image/png"),
            ("w320.webp", "image/webp"),
        ]
        for output in outputs:
            with Image.open(output.path) as img:
                assert img.mode == "RGBA"
                assert img.getpixel((2, 2))[3] == 0 and img.getpixel((60, 2))[3] == 255
        assert extras["dominant_color"] == "#c81e1e"  # see-through pixels do not count

    def test_opaque_alpha_channel_gives_jpeg(self, tmp_path: Path) -> None:
        src = tmp_path / "flat.png"
        Image.new("RGBA", (40, 30), (10, 120, 10, 255)).save(src)
        outputs, _ = media.image_renditions(src, tmp_path / "out")
        assert {o.mime for o in outputs} == {"image/jpeg", "image/webp"}

    def test_palette_gif_with_transparency(self, tmp_path: Path) -> None:
        src = tmp_path / "anim.gif"
        img = Image.new("P", (30, 20), 1)
        img.putpalette([0, 0, 0, 250, 200, 0] + [0] * 762)
        img.paste(0, (0, 0, 10, 20))
        img.save(src, transparency=0)
        outputs, extras = media.image_renditions(src, tmp_path / "out")
        assert {o.mime for o in outputs} == {"image/png", "image/webp"}
        assert extras["dominant_color"] == "#fac800"

    def test_sixteen_bit_grey_png_keeps_its_tones(self, tmp_path: Path) -> None:
        src = tmp_path / "grey16.png"
        ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (48, 1))
        Image.fromarray(ramp).save(src)
        outputs, _ = media.image_renditions(src, tmp_path / "out")
        with Image.open(outputs[0].path) as img:
            row = [img.convert("L").getpixel((x, 20)) for x in (2, 32, 61)]
        assert row[0] < 30 and 100 < row[1] < 160 and row[2] > 220

    def test_extras_describe_the_picture(self, tmp_path: Path) -> None:
        src = write_image(tmp_path / "photo.png", size=(300, 200))
        _, extras = media.image_renditions(src, tmp_path / "out")
        assert extras["dominant_color"] == "#c81e1e"
        assert extras["placeholder"].startswith("data:image/webp;base64,")
        tiny = base64.b64decode(extras["placeholder"].split(",", 1)[1])
        assert len(tiny) < 400
        with Image.open(io.BytesIO(tiny)) as img:
            assert img.format == "WEBP" and img.size == (16, 11)

    def test_bytes_after_the_image_never_reach_a_rendition(self, tmp_path: Path) -> None:
        src = write_image(tmp_path / "polyglot.png")
        src.write_bytes(src.read_bytes() + b"<html><script>alert(document.cookie)</script>")
        assert media.probe_image(src).format == "PNG"
        outputs, _ = media.image_renditions(src, tmp_path / "out")
        for output in outputs:
            data = output.path.read_bytes()
            assert b"<script" not in data and b"<html" not in data


# --- Audio ----------------------------------------------------------------------------------


class TestProbeAudio:
    @pytest.mark.parametrize(
        ("name", "fmt", "mime", "codec"),
        [
            ("wav", "wav", "audio/wav", "pcm_s16le"),
            ("flac", "flac", "audio/flac", "flac"),
            ("mp3", "mp3", "audio/mpeg", "mp3"),
            ("ogg", "ogg", "audio/ogg", "opus"),
            ("mp4", "mp4", "video/mp4", "aac"),
            ("webm", "matroska,webm", "video/webm", "opus"),
        ],
    )
    def test_allowed_formats(
        self, av_files: dict[str, Path], name: str, fmt: str, mime: str, codec: str
    ) -> None:
        probe = media.probe_audio(av_files[name])
        assert (probe.kind, probe.format, probe.mime, probe.audio_codec) == (
            "audio",
            fmt,
            mime,
            codec,
        )
        assert probe.duration == pytest.approx(1.0, abs=0.05)
        assert (probe.channels, probe.sample_rate) == (2, RATE)

    def test_duration_missing_from_the_header_is_counted(self, tmp_path: Path) -> None:
        # Browsers' MediaRecorder writes WebM like this: no duration, no index.
        path = tmp_path / "recorded.webm"
        with av.open(str(path), "w", format="webm", container_options={"live": "1"}) as out:
            stream = out.add_stream("libopus", rate=RATE)
            stream.layout = "stereo"
            frame = av.AudioFrame.from_ndarray(sine(2.0), format="fltp", layout="stereo")
            frame.sample_rate, frame.pts = RATE, 0
            out.mux(stream.encode(frame))
            out.mux(stream.encode(None))
        with av.open(str(path)) as container:
            assert container.duration is None
        assert media.probe_audio(path).duration == pytest.approx(2.0, abs=0.05)
        refused("too_long", lambda: media.probe_audio(path, max_duration=1.5))

    def test_no_sound_is_the_wrong_kind(self, av_files: dict[str, Path]) -> None:
        refused("wrong_kind", lambda: media.probe_audio(av_files["mp4_silent"]))

    def test_too_long(self, av_files: dict[str, Path]) -> None:
        refused("too_long", lambda: media.probe_audio(av_files["flac"], max_duration=0.5))

    def test_codec_ffmpeg_cannot_decode(self, tmp_path: Path) -> None:
        path = tmp_path / "odd.wav"
        path.write_bytes(wav_with_unknown_codec())
        refused("unsupported_codec", lambda: media.probe_audio(path))

    def test_empty_and_truncated_files_are_corrupt(
        self, tmp_path: Path, av_files: dict[str, Path]
    ) -> None:
        empty = tmp_path / "empty.mp3"
        empty.touch()
        refused("corrupt", lambda: media.probe_audio(empty))
        cut = tmp_path / "cut.m4a"
        cut.write_bytes(av_files["mp4"].read_bytes()[:2000])  # the index is at the end
        refused("corrupt", lambda: media.probe_audio(cut))

    def test_garbage_after_a_valid_header_is_corrupt(
        self, tmp_path: Path, av_files: dict[str, Path]
    ) -> None:
        data = bytearray(av_files["flac"].read_bytes())
        data[200:] = bytes(len(data) - 200)
        path = tmp_path / "zeros.flac"
        path.write_bytes(bytes(data))
        refused("corrupt", lambda: media.probe_audio(path))


class TestContainerAllowList:
    """Formats FFmpeg would happily open but which can name other files or URLs."""

    PLAYLIST = b"#EXTM3U\n#EXT-X-TARGETDURATION:1\n#EXTINF:1,\nhttp://127.0.0.1:9/a.ts\n"
    CONCAT = b"ffconcat version 1.0\nfile /etc/passwd\nfile 'http://127.0.0.1:9/x'\n"

    @pytest.mark.parametrize("content", [PLAYLIST, CONCAT, b"hello, world\n"])
    @pytest.mark.parametrize("probe", [media.probe_audio, media.probe_video])
    def test_playlists_and_scripts_are_refused(
        self, tmp_path: Path, content: bytes, probe: Callable[[Path], media.Probe]
    ) -> None:
        path = tmp_path / "list.m3u8"
        path.write_bytes(content)
        refused("unsupported_format", lambda: probe(path))

    def test_urls_are_only_ever_local_paths(self) -> None:
        # A URL handed in as a path names a (missing) local file; FFmpeg never sees "http:".
        refused("corrupt", lambda: media.probe_audio(Path("http://127.0.0.1:9/tone.mp3")))

    @pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
    def test_images_are_not_video(self, tmp_path: Path, fmt: str) -> None:
        path = write_image(tmp_path / "still.mp4", fmt)
        refused("unsupported_format", lambda: media.probe_video(path))
        refused("unsupported_format", lambda: media.probe_audio(path))

    def test_audio_only_containers_are_not_video(self, av_files: dict[str, Path]) -> None:
        refused("unsupported_format", lambda: media.probe_video(av_files["mp3"]))
        refused("wrong_kind", lambda: media.probe_video(av_files["ogg"]))

    def test_other_containers_are_refused(self, tmp_path: Path) -> None:
        path = write_audio(tmp_path / "tone.aiff", "aiff", "pcm_s16be")
        refused("unsupported_format", lambda: media.probe_audio(path))


class TestAudioRendition:
    def test_aac_in_mp4_with_the_index_first(
        self, tmp_path: Path, av_files: dict[str, Path]
    ) -> None:
        output = media.audio_rendition(av_files["ogg"], tmp_path / "a.m4a")
        assert (output.label, output.mime, output.size) == (
            "audio.m4a",
            "audio/mp4",
            output.path.stat().st_size,
        )
        boxes = top_level_boxes(output.path)
        assert boxes.index("moov") < boxes.index("mdat")
        audio = streams_of(output.path)["audio"]
        assert (audio.name, audio.sample_rate, audio.channels) == ("aac", RATE, 2)
        assert 120_000 < audio.bit_rate < 200_000
        assert media.probe_audio(output.path).duration == pytest.approx(1.0, abs=0.1)

    def test_surround_and_odd_rates_become_stereo_at_44_1(self, tmp_path: Path) -> None:
        src = write_audio(
            tmp_path / "surround.flac",
            "flac",
            "flac",
            rate=22_050,
            layout="5.1",
            samples=sine(rate=22_050, channels=6),
        )
        output = media.audio_rendition(src, tmp_path / "a.m4a")
        audio = streams_of(output.path)["audio"]
        assert (audio.sample_rate, audio.channels) == (44_100, 2)

    def test_mono_stays_mono(self, tmp_path: Path) -> None:
        src = write_audio(tmp_path / "m.wav", "wav", "pcm_s16le", layout="mono")
        output = media.audio_rendition(src, tmp_path / "a.m4a")
        assert streams_of(output.path)["audio"].channels == 1

    def test_timeout(self, tmp_path: Path, av_files: dict[str, Path]) -> None:
        out = tmp_path / "a.m4a"
        refused("timeout", lambda: media.audio_rendition(av_files["mp3"], out, timeout=0))
        assert not out.exists()  # no half-written rendition left behind

    def test_refuses_what_the_probe_refuses(
        self, tmp_path: Path, av_files: dict[str, Path]
    ) -> None:
        out = tmp_path / "a.m4a"
        refused("wrong_kind", lambda: media.audio_rendition(av_files["mp4_silent"], out))
        assert not out.exists()


class TestWaveformPeaks:
    @pytest.mark.parametrize("name", ["wav", "mp3", "ogg"])
    def test_length_and_range(self, av_files: dict[str, Path], name: str) -> None:
        peaks = media.waveform_peaks(av_files[name], points=100)
        assert len(peaks) == 100
        assert all(0.0 <= p <= 1.0 for p in peaks) and max(peaks) == 1.0

    def test_silence_then_sound(self, tmp_path: Path) -> None:
        samples = sine(2.0)
        samples[:, :RATE] = 0
        src = write_audio(tmp_path / "late.flac", "flac", "flac", samples=samples)
        peaks = media.waveform_peaks(src, points=800)
        assert len(peaks) == 800
        assert max(peaks[:390]) == 0.0 and min(peaks[410:]) > 0.9

    def test_more_points_than_samples(self, tmp_path: Path) -> None:
        src = write_audio(tmp_path / "blip.wav", "wav", "pcm_s16le", samples=sine(0.005))
        peaks = media.waveform_peaks(src, points=800)
        assert len(peaks) == 800 and max(peaks) == 1.0

    def test_timeout(self, av_files: dict[str, Path]) -> None:
        refused("timeout", lambda: media.waveform_peaks(av_files["flac"], timeout=0))

    def test_memory_stays_bounded_when_the_header_understates_the_length(self) -> None:
        # Planned for 1 000 samples, handed 1 000 000: blocks merge instead of piling up.
        peaks = transcoding._Peaks(block=1, limit=100)
        ramp = np.linspace(0, 1, 1_000_000, dtype=np.float32)
        for chunk in np.split(ramp, 1000):
            peaks.add(chunk)
            assert peaks.count <= 100
        buckets = peaks.buckets(10)
        assert len(buckets) == 10 and buckets[-1] == 1.0
        assert buckets == sorted(buckets) and buckets[0] < 0.15


# --- Video ----------------------------------------------------------------------------------


class TestProbeVideo:
    @pytest.mark.parametrize(
        ("name", "fmt", "mime", "codecs"),
        [
            ("mp4", "mp4", "video/mp4", ("h264", "aac")),
            ("mp4_silent", "mp4", "video/mp4", ("h264", None)),
            ("webm", "matroska,webm", "video/webm", ("vp9", "opus")),
            ("webm_silent", "matroska,webm", "video/webm", ("vp9", None)),
        ],
    )
    def test_allowed_formats(
        self, av_files: dict[str, Path], name: str, fmt: str, mime: str, codecs: tuple
    ) -> None:
        probe = media.probe_video(av_files[name])
        assert (probe.kind, probe.format, probe.mime) == ("video", fmt, mime)
        assert (probe.video_codec, probe.audio_codec) == codecs
        assert (probe.width, probe.height) == (160, 120)
        assert probe.duration == pytest.approx(1.0, abs=0.05)

    def test_rotation_is_applied_to_the_size(self, tmp_path: Path) -> None:
        src = write_video(tmp_path / "phone.mp4", "mp4", "libx264", frames=3, rotation=-90)
        assert (media.probe_video(src).width, media.probe_video(src).height) == (120, 160)

    def test_limits(self, av_files: dict[str, Path]) -> None:
        clip = av_files["webm"]
        refused("too_many_pixels", lambda: media.probe_video(clip, max_pixels=160 * 120 - 1))
        refused("too_long", lambda: media.probe_video(clip, max_duration=0.2))

    def test_damaged_files_are_corrupt(self, tmp_path: Path, av_files: dict[str, Path]) -> None:
        cut = tmp_path / "cut.webm"
        cut.write_bytes(av_files["webm"].read_bytes()[:300])
        refused("corrupt", lambda: media.probe_video(cut))
        empty = tmp_path / "empty.mp4"
        empty.touch()
        refused("corrupt", lambda: media.probe_video(empty))


class TestVideoPoster:
    def test_jpeg_frame(self, tmp_path: Path, av_files: dict[str, Path]) -> None:
        output = media.video_poster(av_files["mp4"], tmp_path / "poster.jpg")
        assert (output.label, output.mime, output.width, output.height) == (
            "poster.jpg",
            "image/jpeg",
            160,
            120,
        )
        with Image.open(output.path) as img:
            assert (img.format, img.size) == ("JPEG", (160, 120))
            # About 10% in is frame 2 or 3 (red 20 to 30), not the first frame (red 0).
            assert 10 < img.getpixel((5, 60))[0] < 60

    def test_rotated_video_gives_an_upright_poster(self, tmp_path: Path) -> None:
        src = write_video(tmp_path / "phone.mp4", "mp4", "libx264", frames=3, rotation=-90)
        output = media.video_poster(src, tmp_path / "poster.jpg")
        assert (output.width, output.height) == (120, 160)
        with Image.open(output.path) as img:
            assert img.size == (120, 160)


class TestVideoRendition:
    def check_web_mp4(self, path: Path, *, audio: bool) -> dict[str, av.codec.context.CodecContext]:
        boxes = top_level_boxes(path)
        assert boxes.index("moov") < boxes.index("mdat")  # +faststart
        streams = streams_of(path)
        assert streams["video"].name == "h264" and streams["video"].pix_fmt == "yuv420p"
        assert ("audio" in streams) is audio
        if audio:
            assert streams["audio"].name == "aac"
        return streams

    @pytest.mark.parametrize("name", ["webm", "mp4_silent"])
    def test_h264_aac_mp4(self, tmp_path: Path, av_files: dict[str, Path], name: str) -> None:
        output = media.video_rendition(av_files[name], tmp_path / "v.mp4")
        assert (output.label, output.mime, output.width, output.height) == (
            "video.mp4",
            "video/mp4",
            160,
            120,
        )
        streams = self.check_web_mp4(output.path, audio=name == "webm")
        assert (streams["video"].width, streams["video"].height) == (160, 120)
        probe = media.probe_video(output.path)
        assert probe.duration == pytest.approx(media.probe_video(av_files[name]).duration, abs=0.1)

    def test_tall_sources_scale_to_720_lines_with_even_width(self, tmp_path: Path) -> None:
        src = write_video(tmp_path / "big.mp4", "mp4", "libx264", size=(1280, 1080), frames=3)
        output = media.video_rendition(src, tmp_path / "v.mp4")
        video = self.check_web_mp4(output.path, audio=True)["video"]
        assert (video.width, video.height) == (854, 720) == (output.width, output.height)

    def test_rotation_is_kept_and_counts_towards_the_height(self, tmp_path: Path) -> None:
        src = write_video(
            tmp_path / "phone.mp4", "mp4", "libx264", size=(1280, 720), frames=3, rotation=-90
        )
        output = media.video_rendition(src, tmp_path / "v.mp4")
        assert (output.width, output.height) == (406, 720)
        video = self.check_web_mp4(output.path, audio=True)["video"]
        assert (video.width, video.height) == (720, 406)  # stored sideways, shown upright
        assert (media.probe_video(output.path).width, media.probe_video(output.path).height) == (
            406,
            720,
        )

    def test_never_upscaled(self, tmp_path: Path, av_files: dict[str, Path]) -> None:
        output = media.video_rendition(av_files["mp4"], tmp_path / "v.mp4", max_height=1080)
        assert (output.width, output.height) == (160, 120)

    def test_timeout(self, tmp_path: Path, av_files: dict[str, Path]) -> None:
        out = tmp_path / "v.mp4"
        refused("timeout", lambda: media.video_rendition(av_files["webm"], out, timeout=0))
        assert not out.exists()

    def test_refuses_what_the_probe_refuses(
        self, tmp_path: Path, av_files: dict[str, Path]
    ) -> None:
        refused("wrong_kind", lambda: media.video_rendition(av_files["ogg"], tmp_path / "v.mp4"))
        refused(
            "unsupported_format", lambda: media.video_poster(av_files["wav"], tmp_path / "p.jpg")
        )


def test_rendition_sizes_for_odd_inputs() -> None:
    # 1280x1080 → 853.3 wide: rounded to an even 854; anamorphic 720x576 at 16:15 → 768 wide.
    assert transcoding._rendition_size(1280, 1080, None, 0, 720) == (854, 720, 854, 720)
    assert transcoding._rendition_size(720, 576, Fraction(16, 15), 0, 720) == (768, 576, 768, 576)
    assert transcoding._rendition_size(1920, 1080, None, 90, 720) == (720, 406, 406, 720)
    assert transcoding._rendition_size(161, 121, None, 0, 720) == (160, 120, 160, 120)
