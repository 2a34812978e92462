"""Reading the images a spec refers to (a persona's photo), checked to be images.

Only raster formats are accepted: an SVG "photo" could carry scripts or
links. The bytes are embedded in outputs as data, never linked by path.
"""

from __future__ import annotations

import base64
import struct
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import CxvizError

__all__ = ["Image", "ImageError", "read_image", "MAX_IMAGE_BYTES", "MAX_IMAGE_PIXELS"]

MAX_IMAGE_BYTES = 5_000_000
MAX_IMAGE_PIXELS = 40_000_000


class ImageError(CxvizError, ValueError):
    """A file that is not an image cxviz can embed; the message says why."""


@dataclass(frozen=True)
class Image:
    mime: str
    data: bytes
    width: int
    height: int

    def data_uri(self) -> str:
        return f"data:{self.mime};base64,{base64.b64encode(self.data).decode('ascii')}"


def _png_size(data: bytes) -> tuple[int, int]:
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise ImageError("is a damaged PNG file")
    return struct.unpack(">II", data[16:24])


def _gif_size(data: bytes) -> tuple[int, int]:
    if len(data) < 10:
        raise ImageError("is a damaged GIF file")
    return struct.unpack("<HH", data[6:10])


def _jpeg_size(data: bytes) -> tuple[int, int]:
    index = 2
    while index + 9 < len(data):
        if data[index] != 0xFF:
            index += 1
            continue
        marker = data[index + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            index += 2
            continue
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[index + 5:index + 9])
            return width, height
        index += 2 + length
    raise ImageError("is a damaged JPEG file")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    raise ImageError("is a damaged WebP file")


def read_image(path: Path) -> Image:
    """Read an image file, checking its type by content and its size."""
    size = path.stat().st_size
    if size > MAX_IMAGE_BYTES:
        raise ImageError(f"is {size:,} bytes; images may be at most {MAX_IMAGE_BYTES:,}")
    data = path.read_bytes()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        mime, (width, height) = "image/png", _png_size(data)
    elif data.startswith(b"\xff\xd8\xff"):
        mime, (width, height) = "image/jpeg", _jpeg_size(data)
    elif data.startswith((b"GIF87a", b"GIF89a")):
        mime, (width, height) = "image/gif", _gif_size(data)
    elif data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        mime, (width, height) = "image/webp", _webp_size(data)
    else:
        raise ImageError("is not a PNG, JPEG, GIF or WebP image")
    if width <= 0 or height <= 0:
        raise ImageError(f"claims to be {width}x{height} pixels, so it is damaged")
    if width * height > MAX_IMAGE_PIXELS:
        raise ImageError(f"is {width}x{height} pixels; images may have at most {MAX_IMAGE_PIXELS:,} pixels")
    return Image(mime, data, width, height)
