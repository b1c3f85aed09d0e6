"""Assets through the REST API: featured samples and image uploads."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from logistics.models import Asset
from logistics.services.assets import MSG_OTHER_CAMPAIGN_SAMPLE
from logistics.tests.factories import SampleFactory
from logistics.uploads import MSG_NOT_AN_IMAGE

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def image_file(fmt="PNG", size=(64, 48), name="look.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload(client, cast, file, **fields):
    body = {"campaign": str(cast.campaign.pk), "title": "Look 1", "file": file, **fields}
    return client.post("/api/v1/assets", body, format="multipart")


def test_create_with_featured_samples_as_json(cast):
    hero = SampleFactory(campaign=cast.campaign, is_hero=True)
    reply = cast.client("editor").post(
        "/api/v1/assets",
        {
            "campaign": str(cast.campaign.pk),
            "title": "Look 1",
            "kind": "video",
            "duration_seconds": 12.5,
            "target_channels": ["instagram_story"],
            "featured_samples": [str(hero.pk)],
        },
        format="json",
    )
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["featured_samples"] == [str(hero.pk)]
    assert body["file"] is None
    assert body["target_channels"] == ["instagram_story"]


def test_a_sample_of_another_campaign_is_refused(cast):
    theirs = SampleFactory(campaign=cast.other_campaign)
    body = {"campaign": str(cast.campaign.pk), "title": "A", "featured_samples": [str(theirs.pk)]}
    reply = cast.client("service").post("/api/v1/assets", body, format="json")
    assert reply.status_code == 400
    assert reply.json()["details"]["featured_samples"] == [MSG_OTHER_CAMPAIGN_SAMPLE]
    reply = cast.client("owner").post("/api/v1/assets", body, format="json")
    assert reply.status_code == 400  # for the owner it does not even exist
    assert not Asset.objects.exists()


@pytest.mark.parametrize(("fmt", "ext"), [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp")])
def test_image_upload_reads_its_size(cast, fmt, ext):
    reply = upload(cast.client("owner"), cast, image_file(fmt, (1080, 1350), "x.bin"), width=1)
    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert (body["width"], body["height"]) == (1080, 1350)
    assert body["file"].endswith(f".{ext}")
    asset = Asset.objects.get(pk=body["id"])
    assert asset.file.name.endswith(f".{ext}") and "x.bin" not in asset.file.name
    assert asset.file.size > 0


def test_multipart_lists(cast):
    hero, other = SampleFactory(campaign=cast.campaign), SampleFactory(campaign=cast.campaign)
    reply = upload(
        cast.client("owner"),
        cast,
        image_file(),
        featured_samples=[str(hero.pk), str(other.pk)],
        target_channels=["web", "instagram_feed"],
    )
    assert reply.status_code == 201, reply.content
    assert set(reply.json()["featured_samples"]) == {str(hero.pk), str(other.pk)}
    assert reply.json()["target_channels"] == ["web", "instagram_feed"]


def test_replacing_the_image_on_update(cast):
    client = cast.client("owner")
    created = upload(client, cast, image_file(size=(10, 10))).json()
    reply = client.patch(
        f"/api/v1/assets/{created['id']}", {"file": image_file(size=(30, 20))}, format="multipart"
    )
    assert reply.status_code == 200, reply.content
    assert (reply.json()["width"], reply.json()["height"]) == (30, 20)


def test_replacing_the_image_deletes_the_old_file_once_committed(
    cast, django_capture_on_commit_callbacks
):
    client = cast.client("owner")
    created = upload(client, cast, image_file(size=(10, 10))).json()
    old = Asset.objects.get(pk=created["id"]).file
    assert old.storage.exists(old.name)
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.patch(
            f"/api/v1/assets/{created['id']}",
            {"file": image_file(size=(30, 20))},
            format="multipart",
        )
    assert reply.status_code == 200, reply.content
    new = Asset.objects.get(pk=created["id"]).file
    assert new.name != old.name and new.storage.exists(new.name)
    assert not old.storage.exists(old.name)


def test_a_gif_is_refused(cast):
    reply = upload(cast.client("owner"), cast, image_file("GIF", name="a.gif"))
    assert reply.status_code == 400
    assert reply.json()["details"]["file"] == [MSG_NOT_AN_IMAGE]
    assert not Asset.objects.exists()


def test_garbage_is_refused(cast):
    garbage = SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    reply = upload(cast.client("owner"), cast, garbage)
    assert reply.status_code == 400
    assert reply.json()["details"]["file"] == [MSG_NOT_AN_IMAGE]


def test_a_video_file_is_out_of_scope(cast):
    reply = upload(cast.client("owner"), cast, image_file(), kind="video")
    assert reply.status_code == 400
    assert "file" in reply.json()["details"]


def test_an_oversize_upload_is_a_413_and_writes_nothing(cast):
    with override_settings(ASSET_UPLOAD_MAX_BYTES=100):
        reply = upload(cast.client("owner"), cast, image_file(size=(200, 200)))
    assert reply.status_code == 413
    assert reply.json()["code"] == "PAYLOAD_TOO_LARGE"
    assert not Asset.objects.exists()


def test_an_oversize_multipart_body_is_refused_before_it_is_read(cast):
    with override_settings(ASSET_UPLOAD_MAX_BYTES=0):
        reply = cast.client("owner").generic(
            "POST",
            "/api/v1/assets",
            b"x" * 10,
            content_type="multipart/form-data; boundary=zzz",
            CONTENT_LENGTH=str(10 * 1024 * 1024),
        )
    assert reply.status_code == 413


def test_a_decompression_bomb_is_refused(cast, monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    reply = upload(cast.client("owner"), cast, image_file(size=(20, 20)))
    assert reply.status_code == 400
    assert "file" in reply.json()["details"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": "gif"}, "kind"),
        ({"width": 0}, "width"),
        ({"width": 10**10}, "width"),
        ({"duration_seconds": -1}, "duration_seconds"),
        ({"duration_seconds": "long"}, "duration_seconds"),
        ({"target_channels": ["Insta Feed!"]}, "target_channels"),
        ({"target_channels": "web"}, "target_channels"),
        ({"featured_samples": ["x"]}, "featured_samples"),
        ({"status": "published"}, "status"),
    ],
)
def test_bad_input_is_a_400(cast, fields, field):
    body = {"campaign": str(cast.campaign.pk), "title": "A", **fields}
    reply = cast.client("owner").post("/api/v1/assets", body, format="json")
    assert reply.status_code == 400, reply.content
    assert field in reply.json()["details"]
    assert not Asset.objects.exists()


def test_a_file_in_a_json_body_is_refused(cast):
    body = {"campaign": str(cast.campaign.pk), "title": "A", "file": "aGVsbG8="}
    reply = cast.client("owner").post("/api/v1/assets", body, format="json")
    assert reply.status_code == 400
    assert "file" in reply.json()["details"]


def test_filters(cast):
    hero = SampleFactory(campaign=cast.campaign)
    featured = Asset.objects.create(campaign=cast.campaign, title="Hero look", status="approved")
    featured.featured_samples.add(hero)
    Asset.objects.create(campaign=cast.campaign, title="Clip", kind="video")
    client = cast.client("viewer")

    def titles(query: str) -> list[str]:
        reply = client.get(f"/api/v1/assets?{query}")
        assert reply.status_code == 200, reply.content
        return [row["title"] for row in reply.json()["results"]]

    assert titles("kind=video") == ["Clip"]
    assert titles("status=approved") == ["Hero look"]
    assert titles(f"featured_sample={hero.pk}") == ["Hero look"]
    assert client.get("/api/v1/assets?kind=gif").status_code == 400
