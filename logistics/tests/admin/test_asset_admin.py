"""Assets in the back office: the services' checks are form errors, never a failed save."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from fashionos.testing.admin import admin_url as _url
from logistics import uploads
from logistics.models import Asset, Campaign
from logistics.services.assets import MSG_OTHER_CAMPAIGN_SAMPLE, asset_create
from logistics.tests.factories import (
    AssetFactory,
    SampleFactory,
)

pytestmark = pytest.mark.django_db


# --- Assets: the services' checks are form errors, never a failed save -----------------------


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _png(name="look.png", size=(40, 50)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _asset_form(campaign=None, featured=(), **changes) -> dict:
    data = {
        "title": "Look 1",
        "kind": "image",
        "width": "",
        "height": "",
        "duration_seconds": "",
        "status": "draft",
        "target_channels": "[]",
        "featured_samples": [str(sample.pk) for sample in featured],
        "rights_expire_at_0": "",
        "rights_expire_at_1": "",
    }
    if campaign is not None:
        data["campaign"] = str(campaign.pk)
    data.update(changes)
    return data


def test_asset_admin_refuses_a_sample_of_another_campaign_with_a_form_error(staff_client, rows):
    foreign = SampleFactory()

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], [foreign]))

    assert reply.status_code == 200
    errors = reply.context["adminform"].form.errors
    assert errors["featured_samples"] == [MSG_OTHER_CAMPAIGN_SAMPLE]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_refuses_a_foreign_sample_on_change_too(staff_client, rows):
    asset = AssetFactory(campaign=rows["campaign"], title="Look 2")

    reply = staff_client.post(
        _url(Asset, "change", asset.pk), _asset_form(None, [SampleFactory()], title="Look 2")
    )

    assert reply.status_code == 200
    assert "featured_samples" in reply.context["adminform"].form.errors
    assert not asset.featured_samples.exists()


def test_asset_admin_refuses_a_file_that_is_not_an_image_with_a_form_error(
    staff_client, rows, media_root
):
    text = SimpleUploadedFile("look.png", b"not an image at all", content_type="image/png")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=text))

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors["file"] == [uploads.MSG_NOT_AN_IMAGE]
    assert not Asset.objects.filter(title="Look 1").exists()
    assert not any(media_root.rglob("*.png"))


def test_asset_admin_takes_only_the_api_image_types(staff_client, rows, media_root):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50)).save(buffer, format="GIF")
    gif = SimpleUploadedFile("look.gif", buffer.getvalue(), content_type="image/gif")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=gif))

    assert reply.status_code == 200
    assert reply.context["adminform"].form.errors["file"] == [uploads.MSG_NOT_AN_IMAGE]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_bounds_the_upload_size_as_the_api_does(
    staff_client, rows, media_root, settings
):
    settings.ASSET_UPLOAD_MAX_BYTES = 100

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=_png()))

    assert reply.status_code == 200
    message = uploads.MSG_UPLOAD_TOO_LARGE.format(limit=100)
    assert reply.context["adminform"].form.errors["file"] == [message]
    assert not Asset.objects.filter(title="Look 1").exists()


def test_asset_admin_stores_an_upload_under_a_fresh_name(staff_client, rows, media_root):
    upload = _png(name="../../client chosen name.png")

    reply = staff_client.post(_url(Asset, "add"), _asset_form(rows["campaign"], file=upload))

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    stored = Asset.objects.get(title="Look 1").file.name
    assert "client" not in stored
    assert stored.endswith(".png")


def test_asset_admin_adds_an_image_through_the_service(staff_client, rows, media_root):
    campaign, sample = rows["campaign"], rows["sample"]
    revision = Campaign.objects.get(pk=campaign.pk).revision

    reply = staff_client.post(
        _url(Asset, "add"), _asset_form(campaign, [sample], file=_png(size=(40, 50)))
    )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    asset = Asset.objects.get(title="Look 1")
    assert (asset.width, asset.height) == (40, 50)  # measured by asset_create
    assert asset.image_sharpness is not None
    assert list(asset.featured_samples.all()) == [sample]
    assert Campaign.objects.get(pk=campaign.pk).revision == revision + 1


def test_saving_an_asset_without_a_new_file_keeps_its_stored_image(
    staff_client, rows, media_root, django_capture_on_commit_callbacks
):
    asset = asset_create(campaign=rows["campaign"], data={"title": "Look 3", "file": _png()})
    stored = asset.file.name

    with django_capture_on_commit_callbacks(execute=True):
        reply = staff_client.post(
            _url(Asset, "change", asset.pk),
            _asset_form(None, title="Look 3", status="approved", width="40", height="50"),
        )

    assert reply.status_code == 302, reply.context["adminform"].form.errors
    asset.refresh_from_db()
    assert asset.status == "approved"
    assert asset.file.name == stored
    assert asset.file.storage.exists(stored)
