"""Reading an uploaded asset image: its type and its size in pixels, from the file itself.

Only JPEG, PNG and WebP are accepted. The stored name is a fresh random one with the
extension of the detected type, so a client's file name never reaches the storage or the
database column (which is bounded).
"""

from __future__ import annotations

import uuid
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from fashionos.errors import TooLarge
from logistics.analysis.image_metrics import measure_image

IMAGE_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

MSG_UPLOAD_TOO_LARGE = "The file is larger than {limit} bytes."
MSG_NOT_AN_IMAGE = "The file is not a JPEG, PNG or WebP image."
MSG_TOO_MANY_PIXELS = "The image has too many pixels."
MSG_UNREADABLE_IMAGE = "The file is not an image we can read (JPEG, PNG or WebP)."


@dataclass(frozen=True, slots=True)
class ImageUpload:
    file: UploadedFile
    width: int
    height: int


def image_upload_read(upload: UploadedFile) -> ImageUpload:
    """Check an upload and read its size. Raises TooLarge (413) over
    ASSET_UPLOAD_MAX_BYTES, and a ValidationError on `file` for anything that is not a whole
    JPEG, PNG or WebP image of a sane number of pixels."""
    limit = settings.ASSET_UPLOAD_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise TooLarge(MSG_UPLOAD_TOO_LARGE.format(limit=limit))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"file": [MSG_TOO_MANY_PIXELS]}) from None
    except Exception:  # Pillow raises many kinds of error on a malformed file
        raise ValidationError({"file": [MSG_NOT_AN_IMAGE]}) from None
    if image_format not in IMAGE_EXTENSIONS:
        raise ValidationError({"file": [MSG_NOT_AN_IMAGE]})
    upload.seek(0)
    upload.name = f"{uuid.uuid4().hex}.{IMAGE_EXTENSIONS[image_format]}"
    return ImageUpload(file=upload, width=width, height=height)


def asset_image_read(*, upload):
    """Read an uploaded image: `(width, height, metrics)` with its sharpness and exposure
    (None when decoding it would take more than ASSET_IMAGE_DECODE_MAX_BYTES: the size is
    read from the header, the pixels are not decoded). Raises ValidationError on `file` for
    a file Pillow cannot read. The back office calls it to validate its form before saving
    (so staff get a form error, not a failed save)."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            width, height = image.size
        upload.seek(0)
        metrics = measure_image(upload, max_decode_bytes=settings.ASSET_IMAGE_DECODE_MAX_BYTES)
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError({"file": [MSG_UNREADABLE_IMAGE]}) from None
    finally:
        upload.seek(0)
    return width, height, metrics
