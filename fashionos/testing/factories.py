"""factory_boy factories for every model. Rows that belong to a campaign are created with the
ORM directly (fast); tests of the services call the services."""

import uuid

import factory
from django.utils import timezone

from analytics.models import AnalyticsEvent
from assistant.models import Conversation, Insight, UserPreferences
from fashionos.accounts.models import User
from logistics.models import Asset, Campaign, CampaignMember, CampaignRole, Sample, Task

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name")
    password = factory.django.Password(TEST_PASSWORD)


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


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Conversation

    user = factory.SubFactory(UserFactory)
    session_id = factory.LazyFunction(uuid.uuid4)
    message = "Are we ready?"
    response = factory.LazyFunction(lambda: {"content": "Campaign is 50% ready."})
    kit_context = "logistics"
    intent_detected = "readiness_check"
    skill_used = "logistics"
    response_time_ms = 12


class InsightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Insight

    user = factory.SubFactory(UserFactory)
    insight_type = "logistics_readiness"
    context_id = factory.Sequence(lambda n: f"{n:064x}")
    data = factory.LazyFunction(lambda: {"readiness": {"overallPercentage": 50}})
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(hours=1))


class PreferencesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UserPreferences

    user = factory.SubFactory(UserFactory)


class AnalyticsEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnalyticsEvent

    user = factory.SubFactory(UserFactory)
    event_type = "assistant_opened"
    kit_context = "logistics"
    page_route = "/sample-tracker"
