"""No list ever contains another user's rows: every list endpoint, every person, with rows of
several users and campaigns in the database (DESIGN.md section 5: lists are scoped by the
queryset, never filtered after the fact)."""

from __future__ import annotations

import pytest

from analytics.tests.factories import AnalyticsEventFactory
from assistant.tests.factories import ConversationFactory, InsightFactory
from logistics.models import Campaign, CampaignMember
from logistics.tests.factories import AssetFactory, SampleFactory, TaskFactory
from tests.world import PEOPLE

CAMPAIGN_ROWS = ["/api/v1/samples", "/api/v1/tasks", "/api/v1/assets"]
USER_ROWS = ["/api/v1/assistant/conversations", "/api/v1/assistant/insights"]


@pytest.fixture
def crowded(cast):
    for campaign in (cast.campaign, cast.other_campaign):
        SampleFactory.create_batch(2, campaign=campaign)
        TaskFactory.create_batch(2, campaign=campaign)
        AssetFactory.create_batch(2, campaign=campaign)
    for who in PEOPLE:
        user = getattr(cast, who)
        ConversationFactory.create_batch(2, user=user)
        InsightFactory.create_batch(2, user=user)
        AnalyticsEventFactory.create_batch(2, user=user)
    AnalyticsEventFactory(user=None)
    return cast


def _rows(client, url):
    reply = client.get(f"{url}?page_size=200")
    assert reply.status_code == 200, reply.content
    return reply.json()["results"]


@pytest.mark.django_db
@pytest.mark.parametrize("who", [p for p in PEOPLE if p != "admin"])
def test_users_see_only_their_campaigns_and_their_own_rows(crowded, who):
    cast, user = crowded, getattr(crowded, who)
    client = cast.client(who)
    mine = {
        str(pk)
        for pk in CampaignMember.objects.filter(user=user).values_list("campaign_id", flat=True)
    }
    campaigns = _rows(client, "/api/v1/campaigns")
    assert {row["id"] for row in campaigns} == mine
    for url in CAMPAIGN_ROWS:
        rows = _rows(client, url)
        assert rows and {row["campaign"] for row in rows} <= mine
    for url in [*USER_ROWS, "/api/v1/analytics/events"]:
        rows = _rows(client, url)
        assert len(rows) == 2 and {row["user"] for row in rows} == {str(user.pk)}


@pytest.mark.django_db
def test_admins_see_every_campaign_and_event_but_only_their_own_conversations(crowded):
    client = crowded.client("admin")
    assert len(_rows(client, "/api/v1/campaigns")) == Campaign.objects.count()
    assert len(_rows(client, "/api/v1/analytics/events")) == 2 * len(PEOPLE) + 1
    for url in USER_ROWS:
        assert {row["user"] for row in _rows(client, url)} == {str(crowded.admin.pk)}


@pytest.mark.django_db
def test_the_service_role_reads_every_conversation_and_every_insight(crowded):
    """The service key bypasses row ownership, as Supabase's service_role bypasses RLS."""
    client = crowded.client("service")
    everyone = {str(getattr(crowded, who).pk) for who in PEOPLE}
    for url in USER_ROWS:
        rows = _rows(client, url)
        assert len(rows) == 2 * len(PEOPLE)
        assert {row["user"] for row in rows} == everyone
