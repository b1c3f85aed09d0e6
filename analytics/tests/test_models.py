"""`analytics_events` keeps the original table, indexes and `ON DELETE SET NULL`."""

import pytest
from django.db import connection

from analytics.models import AnalyticsEvent
from analytics.tests.factories import AnalyticsEventFactory
from fashionos.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def _constraints(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


def test_table_keeps_the_original_name():
    assert AnalyticsEvent._meta.db_table == "analytics_events"
    assert "analytics_events" in connection.introspection.table_names()


@pytest.mark.parametrize(
    ("index", "columns"),
    [
        ("idx_analytics_type", ["event_type", "created_at"]),
        ("idx_analytics_user", ["user_id", "created_at"]),
    ],
)
def test_original_indexes_exist(index, columns):
    found = _constraints("analytics_events")

    assert index in found
    assert found[index]["index"] is True
    assert found[index]["columns"] == columns
    assert found[index]["orders"] == ["ASC", "DESC"]


def test_deleting_a_user_keeps_their_events_without_a_user():
    user = UserFactory()
    event = AnalyticsEventFactory(user=user, event_data={"kit": "media"})
    AnalyticsEventFactory()

    user.delete()

    event.refresh_from_db()
    assert event.user_id is None
    assert event.event_data == {"kit": "media"}
    assert AnalyticsEvent.objects.count() == 2


def test_event_without_a_user_is_stored():
    event = AnalyticsEvent.objects.create(event_type="page_view")

    event.refresh_from_db()
    assert event.user is None
    assert event.event_data == {}


def test_visibility_admins_all_users_their_own():
    mine = AnalyticsEventFactory()
    AnalyticsEventFactory()
    AnalyticsEventFactory(user=None)
    staff = UserFactory(is_staff=True)

    assert list(AnalyticsEvent.objects.visible_to(mine.user)) == [mine]
    assert AnalyticsEvent.objects.visible_to(staff).count() == 3
    assert list(AnalyticsEvent.objects.visible_to(None)) == []
