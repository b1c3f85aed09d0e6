"""/api/v1/assistant/insights: users read their own, the service role reads and drops any."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from assistant.models import Insight
from assistant.tests.factories import InsightFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/assistant/insights"


def test_users_read_their_own(cast):
    mine = InsightFactory(user=cast.owner)
    InsightFactory(user=cast.editor)
    rows = cast.client("owner").get(URL).json()["results"]
    assert [row["id"] for row in rows] == [str(mine.pk)]


def test_the_service_role_reads_all(cast):
    InsightFactory(user=cast.owner)
    InsightFactory(user=cast.editor)
    assert cast.client("service").get(URL).json()["count"] == 2
    assert cast.client("admin").get(URL).json()["count"] == 0


def test_live_filter(cast):
    live = InsightFactory(user=cast.owner)
    InsightFactory(user=cast.owner, expires_at=timezone.now() - timedelta(minutes=1))
    rows = cast.client("owner").get(f"{URL}?live=true").json()["results"]
    assert [row["id"] for row in rows] == [str(live.pk)]
    assert cast.client("owner").get(f"{URL}?live=soon").status_code == 400


def test_only_the_service_role_drops_an_entry(cast):
    insight = InsightFactory(user=cast.owner)
    assert cast.client("owner").delete(f"{URL}/{insight.pk}").status_code == 403
    assert cast.client("service").delete(f"{URL}/{insight.pk}").status_code == 204
    assert not Insight.objects.exists()
