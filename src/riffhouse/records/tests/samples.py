"""Tiny media files made on the fly for record tests: no fixtures on disk."""

import functools
import io
import struct
import zlib
from fractions import Fraction

import av
import numpy as np
from PIL import Image


def png(size: tuple[int, int] = (64, 48), colour: tuple[int, int, int] = (200, 60, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


@functools.cache
def png_declaring(width: int, height: int) -> bytes:
    """A valid, fully transparent RGBA PNG of `width` x `height`, made without ever holding
    its pixels: 7000 x 7000 is a file of about 190 KB that decodes to 196 MB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    packer = zlib.compressobj(9)
    row = bytes(1 + 4 * width)  # filter byte "none", then the row's pixels
    data = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def wav(seconds: float = 1.0, rate: int = 22050) -> bytes:
    """A sine tone as 16-bit stereo WAV."""
    out = io.BytesIO()
    with av.open(out, "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=rate, layout="stereo")
        t = np.arange(int(seconds * rate)) / rate
        tone = (np.sin(2 * np.pi * 440 * t) * 12000).astype(np.int16)
        samples = np.ascontiguousarray(np.stack([tone, tone]).T.reshape(1, -1))
        frame = av.AudioFrame.from_ndarray(samples, format="s16", layout="stereo")
        frame.sample_rate = rate
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue()


def mp4(
    seconds: float = 1.0, size: tuple[int, int] = (160, 120), fps: int = 12, audio: bool = True
) -> bytes:
    """A moving colour gradient in H.264, with a tone in AAC when `audio`."""
    out = io.BytesIO()
    with av.open(out, "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        sound = container.add_stream("aac", rate=44100, layout="stereo") if audio else None
        for i in range(int(seconds * fps)):
            pixels = np.zeros((size[1], size[0], 3), dtype=np.uint8)
            pixels[..., 0] = (i * 20) % 255
            pixels[..., 1] = np.linspace(0, 255, size[0], dtype=np.uint8)[None, :]
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = i
            frame.time_base = Fraction(1, fps)
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        if sound is not None:
            t = np.arange(int(seconds * 44100)) / 44100
            tone = (np.sin(2 * np.pi * 330 * t) * 0.3).astype(np.float32)
            for start in range(0, len(tone), 1024):
                chunk = tone[start : start + 1024]
                planes = np.ascontiguousarray(np.stack([chunk, chunk]))
                frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout="stereo")
                frame.sample_rate = 44100
                frame.pts = start
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode(None):
                container.mux(packet)
    return out.getvalue()
