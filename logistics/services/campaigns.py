"""Writes to campaigns: creation with a first owner, field updates with a revision bump, and
deletion with everything in it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from fashionos.realtime.changes import membership_announce
from logistics.models import (
    Asset,
    Campaign,
    CampaignMember,
    CampaignRole,
    MemberJoined,
    Sample,
    Task,
)
from logistics.services.rows import (
    campaign_lock,
    campaign_touch,
    fields_apply,
    rows_removed_announce,
)


@transaction.atomic
def campaign_create(*, owner, name: str, created_by=None, **fields: Any) -> Campaign:
    """Create a campaign with `owner` (a user) as its first owner. `created_by` defaults to
    the owner (the back office names the staff user who set the campaign up)."""
    campaign = Campaign.objects.create(name=name, created_by=created_by or owner, **fields)
    CampaignMember.objects.create(
        campaign=campaign, user=owner, role=CampaignRole.OWNER, joined=MemberJoined.CREATED
    )
    membership_announce(user_id=owner.pk, campaign_id=campaign.pk, role=CampaignRole.OWNER)
    return campaign


@transaction.atomic
def campaign_update(*, campaign: Campaign, data: Mapping[str, Any]) -> Campaign:
    """Set the given fields and bump the revision. Only the given fields are written: a full
    save would write back the `revision` this instance was read with, undoing a bump made in
    between by a sample write and making old cache entries reachable again."""
    fields_apply(campaign, data)
    campaign.save(update_fields=[*data, "updated_at"])
    campaign_touch(campaign.pk)
    campaign.refresh_from_db(fields=["revision", "updated_at"])
    return campaign


@transaction.atomic
def campaign_delete(*, campaign: Campaign) -> None:
    """Delete the campaign and everything in it, announcing each row's removal."""
    campaign_id = campaign.pk
    # The campaign before its rows, as every write does: the cascade below locks the rows.
    campaign_lock(campaign_id)
    for model, table in ((Sample, "samples"), (Task, "tasks"), (Asset, "assets")):
        rows_removed_announce(
            table=table,
            campaign_id=campaign_id,
            rows=model.objects.filter(campaign_id=campaign_id).iterator(),
        )
    member_ids = list(campaign.members.values_list("user_id", flat=True))
    campaign.delete()
    for user_id in member_ids:
        membership_announce(user_id=user_id, campaign_id=campaign_id, role=None)
