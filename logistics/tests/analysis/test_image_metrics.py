import io

import pytest
from PIL import Image, ImageDraw, ImageFilter

from logistics.analysis.image_metrics import (
    INVALID_IMAGE_MESSAGE,
    MAX_SIDE,
    InvalidImageError,
    exposure_score,
    laplacian_variance,
    measure_image,
    sharpness_score,
)


def stripes(size: int = 256, low: int = 100, high: int = 140) -> Image.Image:
    """One-pixel vertical stripes: every inner pixel's Laplacian is exactly ±2·(high - low)."""
    image = Image.new("L", (size, size), low)
    draw = ImageDraw.Draw(image)
    for x in range(1, size, 2):
        draw.line([(x, 0), (x, size - 1)], fill=high)
    return image


def checkerboard(size: int = 1024, square: int = 32) -> Image.Image:
    image = Image.new("RGB", (size, size), (60, 60, 60))
    draw = ImageDraw.Draw(image)
    for y in range(0, size, square):
        for x in range(0, size, square):
            if (x // square + y // square) % 2 == 0:
                draw.rectangle([x, y, x + square - 1, y + square - 1], fill=(180, 180, 180))
    return image


def png_bytes(image: Image.Image) -> io.BytesIO:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    buffer.seek(0)
    return buffer


def test_laplacian_variance_of_stripes_is_exact():
    # inner pixels alternate +80 and -80 (2 * 40), half and half: mean 0, variance 6400
    assert laplacian_variance(stripes()) == 6400.0
    assert measure_image(stripes()).sharpness == round(6400 / 6500, 3) == 0.985


def test_laplacian_beyond_the_8_bit_range_is_clipped_not_wrapped():
    # black/white stripes have a Laplacian of ±510, clipped to ±255
    assert laplacian_variance(stripes(low=0, high=255)) == 255.0**2


def test_flat_image_has_no_sharpness():
    assert laplacian_variance(Image.new("L", (300, 200), 118)) == 0.0
    assert measure_image(Image.new("L", (300, 200), 118)).sharpness == 0.0


def test_sharp_versus_blurred():
    sharp = checkerboard()
    blurred = sharp.filter(ImageFilter.GaussianBlur(6))
    sharp_metrics, blurred_metrics = measure_image(sharp), measure_image(blurred)
    assert sharp_metrics.sharpness > 0.9
    assert blurred_metrics.sharpness < 0.2
    assert sharp_metrics.sharpness - blurred_metrics.sharpness > 0.75
    # blur hardly changes the exposure
    assert abs(sharp_metrics.exposure - blurred_metrics.exposure) < 0.05


def test_sharpness_scale():
    assert [sharpness_score(v) for v in (0, 100, 900)] == [0.0, 0.5, 0.9]


@pytest.mark.parametrize(
    ("value", "exposure"),
    [
        (0, 0.0),  # black
        (255, 0.0),  # white
        (118, 1.0),  # mid-grey
        (59, 0.5),  # halfway down to black
        (128, 0.927),  # 1 - 10/137
        (4, 0.0),  # clipped shadows
        (251, 0.0),  # clipped highlights
    ],
)
def test_exposure_of_flat_images(value, exposure):
    assert measure_image(Image.new("L", (64, 64), value)).exposure == exposure


def test_exposure_penalises_clipping():
    # half mid-grey, half black: mean 59 → closeness 0.5, half the pixels clipped → 0.25
    image = Image.new("L", (100, 100), 0)
    image.paste(118, (0, 0, 50, 100))
    assert exposure_score(image) == 0.25


def test_reads_files_paths_and_images(tmp_path):
    image = checkerboard(256)
    path = tmp_path / "look.png"
    image.save(path)
    from_image = measure_image(image)
    assert measure_image(path) == from_image
    assert measure_image(str(path)) == from_image
    assert measure_image(png_bytes(image)) == from_image


def test_any_mode_is_read_as_grayscale():
    rgba = checkerboard(256).convert("RGBA")
    palette = checkerboard(256).convert("P", palette=Image.Palette.ADAPTIVE, colors=2)
    assert measure_image(rgba) == measure_image(palette) == measure_image(checkerboard(256))


def test_large_images_are_measured_on_a_bounded_thumbnail():
    image = stripes(size=MAX_SIDE)
    assert measure_image(image).sharpness == 0.985  # not resized at the bound
    big = checkerboard(size=3000, square=90)
    buffer = io.BytesIO()
    big.save(buffer, "JPEG", quality=95)
    buffer.seek(0)
    metrics = measure_image(buffer)  # decoded at reduced size, then thumbnailed
    assert metrics.sharpness > 0.5
    assert metrics.exposure > 0.8


def test_the_callers_image_is_not_changed():
    image = checkerboard(1024)
    measure_image(image)
    assert (image.size, image.mode) == ((1024, 1024), "RGB")


def test_tiny_image():
    assert measure_image(Image.new("L", (2, 2), 118)) == measure_image(Image.new("L", (1, 1), 118))


def test_not_an_image_is_refused():
    with pytest.raises(InvalidImageError) as caught:
        measure_image(io.BytesIO(b"definitely not a picture"))
    assert str(caught.value) == INVALID_IMAGE_MESSAGE
    assert isinstance(caught.value, ValueError)


def test_truncated_image_is_refused():
    data = png_bytes(checkerboard(256)).getvalue()
    with pytest.raises(InvalidImageError):
        measure_image(io.BytesIO(data[: len(data) // 2]))
