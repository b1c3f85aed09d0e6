"""factory_boy factories for the assistant's tables: conversation turns, insights,
preferences and intent labels."""

import uuid

import factory
from django.utils import timezone

from assistant.models import Conversation, Insight, IntentLabel, UserPreferences
from fashionos.testing.factories import UserFactory


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


class IntentLabelFactory(factory.django.DjangoModelFactory):
    """A turn labelled by staff (pass `conversation=None` for an imported example)."""

    class Meta:
        model = IntentLabel

    conversation = factory.SubFactory(ConversationFactory, helpful=False)
    message = factory.LazyAttribute(
        lambda label: label.conversation.message if label.conversation else "Are we ready?"
    )
    intent = "readiness_check"
    kit = factory.LazyAttribute(
        lambda label: label.conversation.kit_context if label.conversation else "logistics"
    )
    source = "staff"
    labelled_by = factory.SubFactory(UserFactory, is_staff=True)
