"""The analytics events table through the table registry: "INSERT own or with no user"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from analytics.models import AnalyticsEvent
from fashionos.principals import ServicePrincipal
from fashionos.tables import table_get
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_who_may_insert_an_event():
    user, other = UserFactory(), UserFactory()
    table = table_get("analytics_events")
    assert table.insertable(AnonymousUser(), {"event_type": "opened"})
    assert table.insertable(user, {"user_id": str(user.pk)})
    assert not table.insertable(user, {"user_id": str(other.pk)})
    assert not table.insertable(AnonymousUser(), {"user_id": str(other.pk)})
    assert table.insertable(ServicePrincipal(), {"user_id": str(other.pk)})


def test_an_event_is_recorded_through_the_ingest_service():
    user = UserFactory()
    table = table_get("analytics_events")
    event = table.create(actor=user, data={"event_type": "opened", "kit_context": "media"})
    assert (event.user_id, event.kit_context) == (user.pk, "media")
    with pytest.raises(ValidationError):
        table.create(actor=user, data={"event_type": "opened", "kit_context": "kitchen"})
    assert AnalyticsEvent.objects.count() == 1
