"""Small images made on the fly for avatar tests."""

import io

from PIL import Image


def png_bytes(
    size: tuple[int, int] = (40, 30), colour: tuple[int, int, int] = (200, 40, 90)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, format="PNG")
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS IFD
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise on display
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()
