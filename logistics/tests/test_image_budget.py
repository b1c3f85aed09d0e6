"""Measuring an uploaded image is bounded (issue 11, item 3): the review's 315 KB PNG that
declares 9,000 x 9,000 RGBA raised the server's memory by 384 MB for one upload. Now an
image is decoded only when its decoded pixels fit ASSET_IMAGE_DECODE_MAX_BYTES (JPEGs at
their reduced draft size), through the API and the admin alike; a larger one is stored with
its size from the header and no pixel metrics."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ImageFile

from fashionos.testing.factories import UserFactory
from fashionos.testing.images import png_declaring
from logistics.analysis.image_metrics import MAX_DECODE_BYTES, decoded_bytes
from logistics.models import Asset
from logistics.tests.factories import CampaignFactory

BIG = (9000, 9000)  # the review's image
# What one measurement may add to the peak memory of a fresh process (the review: 384 MB).
PEAK_GROWTH_LIMIT_MB = 64


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


def test_measuring_the_review_image_does_not_raise_a_fresh_process_peak_memory(tmp_path, big_png):
    """In a fresh process (so the test suite's own peak does not hide it): the peak resident
    memory grows by less than PEAK_GROWTH_LIMIT_MB (the review measured 384 MB)."""
    path = tmp_path / "big.png"
    path.write_bytes(big_png)
    script = textwrap.dedent(
        f"""
        import resource
        from logistics.analysis.image_metrics import measure_image
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        result = measure_image({str(path)!r})
        after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(result, (after - before) // 1024)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    ).stdout.split()
    assert out[0] == "None"
    assert int(out[1]) < PEAK_GROWTH_LIMIT_MB, f"peak grew {out[1]} MB"


@pytest.mark.django_db
def test_an_api_upload_of_the_review_image_is_stored_unmeasured(
    cast, big_png, no_big_decode, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    body = {
        "campaign": str(cast.campaign.pk),
        "title": "Bomb-ish",
        "file": SimpleUploadedFile("big.png", big_png, content_type="image/png"),
    }
    reply = cast.client("editor").post("/api/v1/assets", body, format="multipart")
    assert reply.status_code == 201, reply.content
    assert (reply.json()["width"], reply.json()["height"]) == BIG
    asset = Asset.objects.get(pk=reply.json()["id"])
    assert asset.image_sharpness is None and asset.image_exposure is None


@pytest.mark.django_db
def test_an_admin_upload_of_the_review_image_is_stored_unmeasured(
    big_png, no_big_decode, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    campaign = CampaignFactory()
    form = {
        "campaign": str(campaign.pk),
        "title": "Look 1",
        "kind": "image",
        "width": "",
        "height": "",
        "duration_seconds": "",
        "status": "draft",
        "target_channels": "[]",
        "rights_expire_at_0": "",
        "rights_expire_at_1": "",
        "file": SimpleUploadedFile("big.png", big_png, content_type="image/png"),
    }
    reply = staff.post(reverse("admin:logistics_asset_add"), form)
    assert reply.status_code == 302, reply.context["adminform"].form.errors
    asset = Asset.objects.get(title="Look 1")
    assert (asset.width, asset.height) == BIG
    assert asset.image_sharpness is None
