"""factory_boy factories for campaigns, members, samples, tasks and assets. Rows are created
with the ORM directly (fast); tests of the services call the services."""

from datetime import timedelta

import factory
from django.utils import timezone

from fashionos.testing.factories import UserFactory
from logistics.models import (
    Asset,
    Campaign,
    CampaignInvitation,
    CampaignMember,
    CampaignRole,
    MemberJoined,
    Sample,
    Task,
)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n}")
    shoot_date = factory.LazyFunction(lambda: (timezone.now() + timezone.timedelta(days=3)).date())
    location = "Studio 4"
    created_by = factory.SubFactory(UserFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CampaignMember

    campaign = factory.SubFactory(CampaignFactory)
    user = factory.SubFactory(UserFactory)
    role = CampaignRole.VIEWER
    # Test members joined by their own choice unless a test says otherwise.
    joined = MemberJoined.ACCEPTED


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation, valid for a week."""

    class Meta:
        model = CampaignInvitation

    campaign = factory.SubFactory(CampaignFactory)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")
    role = CampaignRole.VIEWER
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))


class SampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sample

    campaign = factory.SubFactory(CampaignFactory)
    name = factory.Sequence(lambda n: f"Sample {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:04d}")
    designer = "Maison Test"
    category = "Dresses"
    status = "requested"
    priority = 3


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    duration_minutes = 60


class AssetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Asset

    campaign = factory.SubFactory(CampaignFactory)
    title = factory.Sequence(lambda n: f"Asset {n}")
    kind = "image"
    width = 1080
    height = 1350
    status = "draft"
    target_channels = factory.LazyFunction(lambda: ["instagram_feed"])
