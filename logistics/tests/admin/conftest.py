"""Data for the logistics admin tests."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fashionos.testing.factories import UserFactory
from logistics.models import CampaignRole
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)


@pytest.fixture
def rows() -> dict:
    """A campaign with its owner, a delayed hero sample, two dependent tasks and an asset."""
    owner = UserFactory(email="owner@example.com")
    campaign = CampaignFactory(created_by=owner)
    MemberFactory(campaign=campaign, user=owner, role=CampaignRole.OWNER)
    sample = SampleFactory(campaign=campaign, status="delayed", is_hero=True)
    first = TaskFactory(campaign=campaign, assignee=owner)
    task = TaskFactory(
        campaign=campaign,
        earliest_start=timezone.now(),
        deadline=timezone.now() + timedelta(hours=3),
    )
    task.depends_on.add(first)
    asset = AssetFactory(campaign=campaign, rights_expire_at=timezone.now() + timedelta(days=9))
    asset.featured_samples.add(sample)
    return {"owner": owner, "campaign": campaign, "sample": sample, "task": task}
