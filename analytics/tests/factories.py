"""factory_boy factories for analytics events."""

import factory

from analytics.models import AnalyticsEvent
from fashionos.testing.factories import UserFactory


class AnalyticsEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnalyticsEvent

    user = factory.SubFactory(UserFactory)
    event_type = "assistant_opened"
    kit_context = "logistics"
    page_route = "/sample-tracker"
