"""Writes to a campaign's samples; the first arrival stamps `arrived_at`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from fashionos.realtime.changes import change_announce
from fashionos.tables import row_record
from logistics.models import Campaign, Sample
from logistics.services.rows import (
    campaign_touch,
    fields_apply,
    row_changed,
    row_inserted,
    row_locked,
)


@transaction.atomic
def sample_create(*, campaign: Campaign, data: Mapping[str, Any]) -> Sample:
    sample = Sample(campaign=campaign)
    fields_apply(sample, data)
    if sample.status in ("arrived", "on_set") and sample.arrived_at is None:
        sample.arrived_at = timezone.now()
    sample.save()
    row_inserted("samples", sample)
    return sample


@transaction.atomic
def sample_create_many(*, rows: Sequence[tuple[Campaign, Mapping[str, Any]]]) -> list[Sample]:
    """Create one sample per (campaign, validated fields) pair, as `sample_create` would one
    by one (arrival stamped, each campaign's revision bumped, each row announced on commit),
    in a bounded number of statements: one insert, one revision bump."""
    now = timezone.now()
    samples = []
    for campaign, data in rows:
        sample = Sample(campaign=campaign)
        fields_apply(sample, data)
        if sample.status in ("arrived", "on_set") and sample.arrived_at is None:
            sample.arrived_at = now
        samples.append(sample)
    Sample.objects.bulk_create(samples)
    for campaign_id in dict.fromkeys(sample.campaign_id for sample in samples):
        campaign_touch(campaign_id)
    for sample in samples:
        change_announce(
            table="samples",
            type="INSERT",
            campaign_id=sample.campaign_id,
            record=row_record(sample),
        )
    return samples


@transaction.atomic
def sample_update(*, sample: Sample, data: Mapping[str, Any]) -> Sample:
    """Set the given fields on the sample as committed now (see `rows.row_locked`) and return it;
    the first arrival stamps `arrived_at`. Raises Sample.DoesNotExist for a deleted sample."""
    sample = row_locked(sample)
    old = row_record(sample)
    fields_apply(sample, data)
    if (
        sample.status in ("arrived", "on_set", "shot")
        and sample.arrived_at is None
        and old["status"] not in ("arrived", "on_set", "shot")
    ):
        sample.arrived_at = timezone.now()
    sample.save()
    row_changed("samples", "UPDATE", sample, old)
    return sample


@transaction.atomic
def sample_delete(*, sample: Sample) -> None:
    """Delete the sample, announcing its row as committed last; raises Sample.DoesNotExist
    when it is already gone (its removal was announced then)."""
    sample = row_locked(sample)
    old = row_record(sample)
    sample.delete()
    row_changed("samples", "DELETE", sample, old)
