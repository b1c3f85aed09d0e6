"""Every list endpoint runs the same number of SQL queries for 1 row and for more than a page,
but the count: related rows are joined or prefetched, never loaded row by row; and exactly as
many as it needs (its rows, one per prefetched relation, and the page's count when the rows
do not fit in the first page: fashionos/api/pagination.py), with the caller's session read
once per token where it is cached."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.tests.factories import AnalyticsEventFactory
from assistant.tests.factories import ConversationFactory, InsightFactory
from fashionos.testing.clients import session_queries_warm, session_warm
from fashionos.testing.factories import UserFactory
from logistics.models import CampaignRole, TaskDependency
from logistics.tests.factories import (
    AssetFactory,
    CampaignFactory,
    MemberFactory,
    SampleFactory,
    TaskFactory,
)


def _campaigns(cast, n):
    for _ in range(n):
        MemberFactory(campaign=CampaignFactory(), user=cast.owner, role=CampaignRole.OWNER)


def _members(cast, n):
    for _ in range(n):
        MemberFactory(campaign=cast.campaign, user=UserFactory())


def _samples(cast, n):
    SampleFactory.create_batch(n, campaign=cast.campaign, status="arrived")


def _tasks(cast, n):
    first = TaskFactory(campaign=cast.campaign)
    for _ in range(n - 1):
        task = TaskFactory(campaign=cast.campaign, assignee=cast.editor)
        TaskDependency.objects.create(task=task, depends_on=first)


def _assets(cast, n):
    hero = SampleFactory(campaign=cast.campaign, is_hero=True)
    for asset in AssetFactory.create_batch(n, campaign=cast.campaign):
        asset.featured_samples.add(hero)


def _conversations(cast, n):
    ConversationFactory.create_batch(n, user=cast.owner)


def _insights(cast, n):
    InsightFactory.create_batch(n, user=cast.owner)


def _events(cast, n):
    AnalyticsEventFactory.create_batch(n, user=cast.owner)


# url, rows maker, queries past the session for more than a page: count and page, plus the
# campaign (members), the dependency links (tasks), the featured samples (assets).
LISTS = [
    ("/api/v1/campaigns", _campaigns, 2),
    ("/api/v1/campaigns/{campaign}/members", _members, 3),
    ("/api/v1/samples", _samples, 2),
    ("/api/v1/tasks", _tasks, 3),
    ("/api/v1/assets", _assets, 3),
    ("/api/v1/assistant/conversations", _conversations, 2),
    ("/api/v1/assistant/insights", _insights, 2),
    ("/api/v1/analytics/events", _events, 2),
]


def _count_queries(client, url) -> tuple[int, int, int]:
    with CaptureQueriesContext(connection) as queries:
        reply = client.get(url)
    assert reply.status_code == 200, reply.content
    return len(queries), len(reply.json()["results"]), reply.json()["count"]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "make", "queries"), LISTS, ids=[url for url, *_ in LISTS])
def test_list_queries_do_not_grow_with_rows(cast, url, make, queries):
    client = session_warm(cast.client("owner"))
    url = url.format(campaign=cast.campaign.pk)
    make(cast, 1)
    few_queries, few_rows, few_count = _count_queries(client, url)
    make(cast, 50)
    many_queries, many_rows, many_count = _count_queries(client, url)
    assert few_count == few_rows < 50
    assert many_count > many_rows == 50
    # One page: its rows are all the rows, so their count needs no statement of its own.
    assert few_queries == many_queries - 1, f"{url}: {few_queries} for 1, {many_queries} for 51"
    assert many_queries == queries + session_queries_warm()
    print(f"{url}: {few_queries} queries for one page, {many_queries} for more")  # pytest -s
