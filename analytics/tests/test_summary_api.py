"""/api/v1/analytics/summary: counts by type, kit and day, for admins and the service role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from analytics.serializers import MSG_RANGE_ORDER, MSG_RANGE_TOO_LONG
from analytics.tests.factories import AnalyticsEventFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/analytics/summary"


def at(day: str, hour: int = 12) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


def test_counts_by_type_kit_and_day(cast):
    AnalyticsEventFactory(event_type="open", kit_context="media", created_at=at("2030-03-01"))
    AnalyticsEventFactory(event_type="open", kit_context="media", created_at=at("2030-03-01", 23))
    AnalyticsEventFactory(event_type="chat", kit_context=None, created_at=at("2030-03-03", 0))
    AnalyticsEventFactory(event_type="chat", kit_context="events", created_at=at("2030-03-05"))
    reply = cast.client("admin").get(f"{URL}?since=2030-03-01&until=2030-03-03")
    assert reply.status_code == 200, reply.content
    assert reply.json() == {
        "since": "2030-03-01",
        "until": "2030-03-03",
        "total": 3,
        "by_event_type": [{"event_type": "open", "count": 2}, {"event_type": "chat", "count": 1}],
        "by_kit_context": [
            {"kit_context": "media", "count": 2},
            {"kit_context": None, "count": 1},
        ],
        "by_day": [{"day": "2030-03-01", "count": 2}, {"day": "2030-03-03", "count": 1}],
    }


def test_default_range_is_the_last_30_days(cast):
    AnalyticsEventFactory(created_at=timezone.now())
    AnalyticsEventFactory(created_at=timezone.now() - timedelta(days=45))
    body = cast.client("service").get(URL).json()
    assert body["total"] == 1
    assert body["until"] == timezone.localdate().isoformat()


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=2030-03-02&until=2030-03-01", MSG_RANGE_ORDER),
        ("since=2029-01-01&until=2030-03-01", MSG_RANGE_TOO_LONG),
        ("since=yesterday", None),
        ("until=9999-12-31", None),
        ("until=0001-01-01", None),
    ],
)
def test_bad_ranges_are_a_400(cast, query, message):
    reply = cast.client("admin").get(f"{URL}?{query}")
    assert reply.status_code == 400, reply.content
    if message:
        assert message in str(reply.json()["details"])


def test_users_may_not_read_it(cast):
    assert cast.client("owner").get(URL).status_code == 403
    assert cast.client("anon").get(URL).status_code == 401
