"""Test images made without decoding anything: PNG files that declare a large size while
staying small on disk, the shape of the review's "315 KB PNG declaring 9,000 x 9,000 RGBA".
Written row by row through zlib, so making one costs little memory; each is made once per
process (a 9,000 x 9,000 one takes seconds to compress, and `make mutation` forks a test run
per mutant from a process that has made them already)."""

from __future__ import annotations

import struct
import zlib
from functools import lru_cache

_CHANNELS = {"L": (0, 1), "RGB": (2, 3), "RGBA": (6, 4)}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@lru_cache(maxsize=16)
def png_declaring(width: int, height: int, mode: str = "RGBA", *, value: int = 0) -> bytes:
    """A valid 8-bit PNG of `width` x `height` in `mode` (L, RGB or RGBA), every sample
    `value`: small on disk, `width * height * channels` bytes once decoded."""
    colour_type, channels = _CHANNELS[mode]
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    row = b"\x00" + bytes([value]) * (width * channels)
    packer = zlib.compressobj(9)
    parts = [packer.compress(row) for _ in range(height)]
    parts.append(packer.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", b"".join(parts))
        + _chunk(b"IEND", b"")
    )
