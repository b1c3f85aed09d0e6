"""Writes to a campaign's assets: an uploaded image is measured (size, sharpness, exposure)
and a replaced or deleted file removed on commit; featured samples stay inside the campaign."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fashionos.tables import row_record
from logistics.models import Asset, Campaign, Sample
from logistics.services.rows import fields_apply, row_changed, row_inserted, row_locked
from logistics.uploads import asset_image_read

MSG_OTHER_CAMPAIGN_SAMPLE = "An asset may only feature samples of its own campaign."


def _image_measure(asset: Asset, measured=None) -> None:
    """Store an uploaded image's size, sharpness and exposure on the asset (`measured`, as
    `asset_image_read` returns it, when already read), so analyses never open the file
    again. A file Pillow cannot read is refused."""
    width, height, metrics = measured or asset_image_read(upload=asset.file)
    asset.kind = "image"
    asset.width, asset.height = width, height
    asset.image_sharpness = metrics.sharpness if metrics is not None else None
    asset.image_exposure = metrics.exposure if metrics is not None else None


def asset_featured_validate(*, campaign_id, samples: Iterable[Sample]) -> list[Sample]:
    """The samples as a list; raises ValidationError on `featured_samples` when one belongs
    to another campaign than `campaign_id`."""
    samples = list(samples)
    if any(sample.campaign_id != campaign_id for sample in samples):
        raise ValidationError({"featured_samples": [MSG_OTHER_CAMPAIGN_SAMPLE]})
    return samples


@transaction.atomic
def asset_create(
    *, campaign: Campaign, data: Mapping[str, Any], featured_samples: Iterable[Sample] = ()
) -> Asset:
    asset = Asset(campaign=campaign)
    fields_apply(asset, data)
    if data.get("file"):
        _image_measure(asset)
    featured = asset_featured_validate(campaign_id=asset.campaign_id, samples=featured_samples)
    asset.save()
    asset.featured_samples.set(featured)
    row_inserted("assets", asset)
    return asset


@transaction.atomic
def asset_update(
    *, asset: Asset, data: Mapping[str, Any], featured_samples: Iterable[Sample] | None = None
) -> Asset:
    """Update the asset as committed now (see `rows.row_locked`) and return it; a new file is
    measured and the one it replaces is deleted once the transaction commits. Refuses an
    unreadable image and featured samples of another campaign (ValidationError); raises
    Asset.DoesNotExist for a deleted asset."""
    # Measured before the locks are taken: reading the pixels is the slow part.
    measured = asset_image_read(upload=data["file"]) if data.get("file") else None
    asset = row_locked(asset)
    old = row_record(asset)
    replaced = asset.file.name if asset.file and "file" in data else None
    fields_apply(asset, data)
    if measured:
        _image_measure(asset, measured)
    if replaced:
        storage = asset.file.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    if featured_samples is not None:
        featured_samples = asset_featured_validate(
            campaign_id=asset.campaign_id, samples=featured_samples
        )
    asset.save()
    if featured_samples is not None:
        asset.featured_samples.set(featured_samples)
    row_changed("assets", "UPDATE", asset, old)
    return asset


@transaction.atomic
def asset_delete(*, asset: Asset) -> None:
    """Delete the asset (its file once the transaction commits), announcing its row as
    committed last; raises Asset.DoesNotExist when it is already gone."""
    asset = row_locked(asset)
    old = row_record(asset)
    if asset.file:
        name = asset.file.name
        storage = asset.file.storage
        transaction.on_commit(lambda: storage.delete(name))
    asset.delete()
    row_changed("assets", "DELETE", asset, old)
