"""The decoding budget of `measure_image` (issue 11, item 3): an image is decoded only when
its decoded pixels fit the budget (JPEGs at their reduced draft size); the review's 315 KB PNG
declaring 9,000 x 9,000 RGBA (324 MB decoded) is left unmeasured, never decoded. The API,
admin and peak-memory checks are in logistics/tests/test_image_budget.py."""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageFile

from fashionos.testing.images import png_declaring
from logistics.analysis.image_metrics import MAX_DECODE_BYTES, decoded_bytes, measure_image

BIG = (9000, 9000)


@pytest.fixture(scope="module")
def big_png() -> bytes:
    return png_declaring(*BIG, "RGBA")


@pytest.fixture
def no_big_decode(monkeypatch):
    """Fail the test if any image over the budget is decoded."""
    real = ImageFile.ImageFile.load

    def guarded(image):
        if image.tile and decoded_bytes(image) > MAX_DECODE_BYTES:
            raise AssertionError(f"decoded a {image.size} {image.mode} image whole")
        return real(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", guarded)


def test_the_review_image_is_left_unmeasured_without_decoding_it(big_png, no_big_decode):
    assert decoded_bytes(Image.open(io.BytesIO(big_png))) == 9000 * 9000 * 5
    assert measure_image(io.BytesIO(big_png)) is None


def test_an_image_within_the_budget_is_measured():
    buffer = io.BytesIO(png_declaring(1000, 800, "RGBA", value=118))
    metrics = measure_image(buffer)
    assert metrics is not None and metrics.exposure > 0.9


def test_the_budget_is_what_decides(big_png):
    small = png_declaring(100, 100, "RGB")
    assert measure_image(io.BytesIO(small), max_decode_bytes=100 * 100 * 5) is not None
    assert measure_image(io.BytesIO(small), max_decode_bytes=100 * 100 * 5 - 1) is None


def test_decoded_bytes_counts_pillows_storage_per_mode():
    assert decoded_bytes(Image.new("L", (10, 10))) == 100
    assert decoded_bytes(Image.new("P", (10, 10))) == 200
    assert decoded_bytes(Image.new("1", (10, 10))) == 200
    assert decoded_bytes(Image.new("I;16", (10, 10))) == 300
    assert decoded_bytes(Image.new("RGB", (10, 10))) == 500  # RGB is kept 4 bytes a pixel
    assert decoded_bytes(Image.new("RGBA", (10, 10))) == 500
    assert decoded_bytes(Image.new("F", (10, 10))) == 500


def test_a_large_jpeg_is_measured_at_its_draft_size(no_big_decode):
    buffer = io.BytesIO()
    Image.new("RGB", (6000, 6000), (120, 118, 116)).save(buffer, format="JPEG", quality=50)
    buffer.seek(0)
    # 6000 x 6000 RGB would be 180 MB decoded; drafted to 1/8 it is 750 x 750 grayscale.
    metrics = measure_image(buffer)
    assert metrics is not None and metrics.exposure > 0.9


def test_an_image_already_in_memory_is_measured_whatever_its_size():
    # The caller already paid for its pixels: nothing is left to bound.
    image = Image.new("RGB", (3000, 2000), (118, 118, 118))
    assert decoded_bytes(image) > 1000
    assert measure_image(image, max_decode_bytes=1000) is not None


def test_a_file_image_over_the_budget_passed_opened_is_not_decoded(big_png, no_big_decode):
    with Image.open(io.BytesIO(big_png)) as image:
        assert measure_image(image) is None
