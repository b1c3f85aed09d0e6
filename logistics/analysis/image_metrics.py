"""Sharpness and exposure of an image, measured from its pixels with Pillow.

Both are measured on a grayscale copy no larger than MAX_SIDE pixels on its long side, so a
40-megapixel upload costs a few milliseconds (JPEGs are even decoded at reduced size).
Numbers therefore describe the image as seen at that size, which is what a feed shows.

Decoding is bounded: an image is measured only when decoding it (after JPEG's reduced-size
draft, which only JPEG offers) takes at most `max_decode_bytes` (MAX_DECODE_BYTES by
default); a larger one is left unmeasured (`measure_image` returns None) instead of being
decoded whole. A 315 KB PNG can declare 9,000 x 9,000 RGBA: 324 MB once decoded.

Sharpness: the variance of the Laplacian (4-neighbour kernel) of the grayscale image, the
usual focus measure: edges and texture give large second derivatives, blur flattens them.
It is mapped to 0..1 by v / (v + SHARPNESS_HALF), so SHARPNESS_HALF (100, a common blur
threshold for this measure) gives 0.5, v = 900 gives 0.9 and a flat or very blurred image
gives ~0. Pillow's 8-bit filters clip to 0..255, so the positive and negative parts of the
Laplacian are filtered separately and recombined; values beyond ±255 (rare, hard edges
between pure black and white) are clipped, which only matters where the score is already ~1.

Exposure: how close the mean luminance is to mid-grey (MID_GREY = 118, the sRGB value of
18 % reflectance), scaled linearly to 0 at pure black and pure white, times the share of
pixels that are not clipped (≤ SHADOW_CLIP or ≥ HIGHLIGHT_CLIP). 1 = well exposed.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from PIL import Image, ImageFilter, ImageStat, UnidentifiedImageError

from logistics.analysis.inputs import ImageMetrics
from logistics.analysis.rounding import half_up

MAX_SIDE = 512
# At most this much memory for the decoded pixels of one image (plus its grayscale copy):
# 32 MiB is 8 megapixels of RGB or RGBA, 32 of grayscale or palette.
MAX_DECODE_BYTES = 32 * 1024 * 1024
SHARPNESS_HALF = 100.0
MID_GREY = 118
SHADOW_CLIP = 4
HIGHLIGHT_CLIP = 251

INVALID_IMAGE_MESSAGE = "The file is not an image Pillow can read."
IMAGE_TOO_LARGE_MESSAGE = "The image is too large to open safely."

_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, 1, 0, 1, -4, 1, 0, 1, 0], scale=1, offset=0)
_NEGATIVE_LAPLACIAN = ImageFilter.Kernel((3, 3), [0, -1, 0, -1, 4, -1, 0, -1, 0], scale=1, offset=0)


class InvalidImageError(ValueError):
    """The input could not be read as an image (or is too large to open safely)."""

    code = "INVALID_IMAGE"


def decoded_bytes(image: Image.Image) -> int:
    """What decoding `image` at its current size costs: Pillow keeps one byte a pixel for
    1-bit, grayscale and palette images, two for 16-bit ones, four for every other mode
    (RGB included), plus one a pixel for the grayscale copy measured here."""
    width, height = image.size
    mode = image.mode
    per_pixel = 1 if mode in ("1", "L", "P") else 2 if mode.startswith("I;16") else 4
    return width * height * (per_pixel + (0 if mode == "L" else 1))


def _grayscale_thumbnail(
    image: Image.Image, *, opened_here: bool, max_decode_bytes: int
) -> Image.Image | None:
    if opened_here and image.format == "JPEG":
        image.draft("L", (MAX_SIDE, MAX_SIDE))  # decode at a fraction of the size
    # A file image not yet decoded still has its tiles to read.
    if getattr(image, "tile", None) and decoded_bytes(image) > max_decode_bytes:
        return None  # too big to decode: leave it unmeasured
    gray = image.convert("L")  # always a new image, so the caller's is never changed
    gray.thumbnail((MAX_SIDE, MAX_SIDE))
    return gray


def laplacian_variance(gray: Image.Image) -> float:
    """Variance of the Laplacian of an 8-bit grayscale image (border pixels left out,
    since Pillow does not filter them)."""
    width, height = gray.size
    if width < 3 or height < 3:
        return 0.0
    inner = (1, 1, width - 1, height - 1)
    positive = ImageStat.Stat(gray.filter(_LAPLACIAN).crop(inner))
    negative = ImageStat.Stat(gray.filter(_NEGATIVE_LAPLACIAN).crop(inner))
    count = positive.count[0]
    # The two parts never overlap (a pixel's Laplacian is either ≥ 0 or ≤ 0), so
    # Σx = Σpos - Σneg and Σx² = Σpos² + Σneg².
    mean = (positive.sum[0] - negative.sum[0]) / count
    mean_square = (positive.sum2[0] + negative.sum2[0]) / count
    return max(0.0, mean_square - mean * mean)


def sharpness_score(variance: float) -> float:
    """Laplacian variance → 0..1 (SHARPNESS_HALF → 0.5)."""
    return variance / (variance + SHARPNESS_HALF)


def exposure_score(gray: Image.Image) -> float:
    """Closeness of the mean luminance to mid-grey, times the unclipped share (0..1)."""
    histogram = gray.histogram()
    count = sum(histogram)
    if count == 0:
        return 0.0
    mean = sum(value * n for value, n in enumerate(histogram)) / count
    span = MID_GREY if mean <= MID_GREY else 255 - MID_GREY
    closeness = max(0.0, 1.0 - abs(mean - MID_GREY) / span)
    clipped = sum(histogram[: SHADOW_CLIP + 1]) + sum(histogram[HIGHLIGHT_CLIP:])
    return closeness * (1.0 - clipped / count)


def measure_image(
    fp: str | Path | IO[bytes] | Image.Image, *, max_decode_bytes: int = MAX_DECODE_BYTES
) -> ImageMetrics | None:
    """Sharpness and exposure (each 0..1, 3 decimals) of an image file, file object or
    Pillow image; None when decoding it would take more than `max_decode_bytes` (see
    `decoded_bytes`; JPEGs are counted at their reduced draft size). Raises
    InvalidImageError for anything Pillow cannot read as an image, including a
    decompression bomb."""
    try:
        if isinstance(fp, Image.Image):
            gray = _grayscale_thumbnail(fp, opened_here=False, max_decode_bytes=max_decode_bytes)
        else:
            with Image.open(fp) as image:
                gray = _grayscale_thumbnail(
                    image, opened_here=True, max_decode_bytes=max_decode_bytes
                )
    except Image.DecompressionBombError as error:
        raise InvalidImageError(IMAGE_TOO_LARGE_MESSAGE) from error
    except (UnidentifiedImageError, OSError, SyntaxError) as error:
        raise InvalidImageError(INVALID_IMAGE_MESSAGE) from error
    if gray is None:
        return None
    return ImageMetrics(
        sharpness=half_up(sharpness_score(laplacian_variance(gray)), 3),
        exposure=half_up(exposure_score(gray), 3),
    )
