"""The database refuses an analytics event whose kit is not one of the kits (the API and the
assistant's tables use the same names); no kit is NULL."""

import pytest
from django.db import IntegrityError, transaction

from analytics.models import AnalyticsEvent
from analytics.tests.factories import AnalyticsEventFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kit", ["logistics", "events", "media", "general", None])
def test_the_kits_and_no_kit_are_accepted(kit):
    event = AnalyticsEventFactory(kit_context=kit)

    event.refresh_from_db()
    assert event.kit_context == kit


@pytest.mark.parametrize("kit", ["finance", "", "MEDIA"])
def test_any_other_kit_is_refused(kit):
    with pytest.raises(IntegrityError), transaction.atomic():
        AnalyticsEvent.objects.create(event_type="opened", kit_context=kit)
    assert not AnalyticsEvent.objects.exists()
