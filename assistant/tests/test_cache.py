"""The insight cache (DESIGN.md section 8) through the analyzer endpoints: a miss then a hit,
keys made of the whole input (never a prefix of it), expiry, invalidation when the campaign's
data changes, hits counted exactly under concurrency, `purge_insights`, and the service role
(computed every time, nothing stored)."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from assistant.cache import INSIGHT_TTL, insight_lookup
from assistant.models import Insight
from assistant.tests.factories import InsightFactory
from fashionos.testing.factories import UserFactory
from logistics.services.assets import asset_update
from logistics.services.samples import sample_create, sample_update
from logistics.services.tasks import task_delete, task_update

pytestmark = pytest.mark.django_db

LOGISTICS = "/api/v1/assistant/analyze/logistics"
EVENTS = "/api/v1/assistant/analyze/events"
MEDIA = "/api/v1/assistant/analyze/media"


def _post(client, path, body):
    response = client.post(path, body, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


# --- miss, then hit ------------------------------------------------------------------------


def test_miss_then_hit_counts_the_hit(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}

    first = _post(client, LOGISTICS, body)
    second = _post(client, LOGISTICS, body)

    assert first["cached"] is False
    assert second["cached"] is True
    assert first["readiness"]["overallPercentage"] == 38
    assert {**second, "cached": False} == first
    entry = Insight.objects.get(user=cast.owner)
    assert entry.insight_type == "logistics_readiness"
    assert entry.cache_hit_count == 1
    assert len(entry.context_id) == 64  # a SHA-256 digest, never the input itself
    assert entry.expires_at - entry.calculated_at == INSIGHT_TTL


def test_each_user_has_their_own_entries(known, cast):
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}

    assert _post(cast.client("owner"), LOGISTICS, body)["cached"] is False
    assert _post(cast.client("editor"), LOGISTICS, body)["cached"] is False
    assert _post(cast.client("editor"), LOGISTICS, body)["cached"] is True

    assert Insight.objects.filter(user=cast.owner).count() == 1
    assert Insight.objects.get(user=cast.editor).cache_hit_count == 1


def test_analysis_types_do_not_share_entries(known, cast):
    client = cast.client("owner")
    campaign_id = str(known.campaign.pk)

    readiness = _post(client, LOGISTICS, {"campaignId": campaign_id, "analysisType": "readiness"})
    blockers = _post(client, LOGISTICS, {"campaignId": campaign_id, "analysisType": "blockers"})

    assert blockers["cached"] is False
    assert set(readiness) == {"readiness", "cached"}
    assert set(blockers) == {"blockers", "cached"}
    assert sorted(Insight.objects.values_list("insight_type", flat=True)) == [
        "logistics_blockers",
        "logistics_readiness",
    ]


# --- the original's prefix key, fixed --------------------------------------------------------


def _sample(index: int, status: str) -> dict:
    return {"id": f"s{index}", "name": f"Look {index}", "status": status, "category": "Dresses"}


def test_lists_sharing_their_first_50_characters_never_share_an_answer(cast, frozen_clock):
    """The original keyed the cache on `JSON.stringify(sampleList).slice(0, 50)`: these two
    lists have the same first 50 characters, so it answered the second with the first's
    readiness."""
    all_ready = [_sample(1, "on_set"), _sample(2, "on_set"), _sample(3, "shot")]
    none_ready = [_sample(1, "on_set"), _sample(2, "delayed"), _sample(3, "requested")]
    assert json.dumps(all_ready)[:50] == json.dumps(none_ready)[:50]
    assert json.dumps(all_ready) != json.dumps(none_ready)
    client = cast.client("owner")

    first = _post(client, LOGISTICS, {"sampleList": all_ready, "analysisType": "readiness"})
    second = _post(client, LOGISTICS, {"sampleList": none_ready, "analysisType": "readiness"})
    again = _post(client, LOGISTICS, {"sampleList": all_ready, "analysisType": "readiness"})

    assert (first["cached"], second["cached"], again["cached"]) == (False, False, True)
    assert first["readiness"]["overallPercentage"] == 100
    assert second["readiness"]["overallPercentage"] == 33
    assert again["readiness"]["overallPercentage"] == 100
    keys = Insight.objects.values_list("context_id", flat=True)
    assert len(set(keys)) == 2


def test_the_same_list_in_another_key_order_is_the_same_input(cast, frozen_clock):
    samples = [_sample(1, "on_set"), _sample(2, "delayed")]
    reordered = [dict(reversed(list(item.items()))) for item in samples]
    client = cast.client("owner")

    _post(client, LOGISTICS, {"sampleList": samples, "analysisType": "readiness"})
    second = _post(client, LOGISTICS, {"analysisType": "readiness", "sampleList": reordered})

    assert second["cached"] is True


# --- expiry ----------------------------------------------------------------------------------


def test_an_expired_entry_is_a_miss_and_is_replaced(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}
    _post(client, LOGISTICS, body)
    _post(client, LOGISTICS, body)
    entry = Insight.objects.get()
    assert entry.cache_hit_count == 1
    Insight.objects.filter(pk=entry.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    after = _post(client, LOGISTICS, body)

    assert after["cached"] is False
    assert after["readiness"]["overallPercentage"] == 38
    replaced = Insight.objects.get()  # replaced in place, not duplicated
    assert replaced.context_id == entry.context_id
    assert replaced.cache_hit_count == 0
    assert replaced.expires_at > timezone.now() + INSIGHT_TTL - timedelta(minutes=1)
    assert _post(client, LOGISTICS, body)["cached"] is True


# --- invalidation ----------------------------------------------------------------------------


def test_a_sample_change_makes_the_cached_readiness_unreachable(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}
    assert _post(client, LOGISTICS, body)["readiness"]["overallPercentage"] == 38

    sample_update(sample=known.samples["Satin Slip Dress"], data={"status": "on_set"})
    after = _post(client, LOGISTICS, body)

    assert after["cached"] is False
    assert after["readiness"]["overallPercentage"] == 50  # 4 of 8
    assert _post(client, LOGISTICS, body)["cached"] is True


def test_a_change_through_the_rest_api_makes_the_cached_answer_unreachable(known, cast):
    client = cast.client("editor")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "blockers"}
    assert [b["name"] for b in _post(client, LOGISTICS, body)["blockers"]] == [
        "Silk Gown",
        "Wool Coat",
    ]

    patched = client.patch(
        f"/api/v1/samples/{known.sample_id('Wool Coat')}", {"status": "arrived"}, format="json"
    )
    after = _post(client, LOGISTICS, body)

    assert patched.status_code == 200, patched.json()
    assert after["cached"] is False
    assert [b["name"] for b in after["blockers"]] == ["Silk Gown"]


def test_a_new_sample_makes_the_cached_readiness_unreachable(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}
    _post(client, LOGISTICS, body)

    sample_create(campaign=known.campaign, data={"name": "Tulle Skirt", "status": "shot"})
    after = _post(client, LOGISTICS, body)

    assert after["cached"] is False
    assert after["readiness"]["overallPercentage"] == 44  # 4 of 9 = 44.4
    assert after["readiness"]["totalSamples"] == 9


def test_a_task_change_makes_the_cached_schedule_unreachable(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk)}
    before = _post(client, EVENTS, body)
    assert before["totalDuration"] == 240
    assert [t["lateByMinutes"] for t in before["atRisk"]] == [30]

    task_update(task=known.tasks["Light test"], data={"duration_minutes": 60})
    after = _post(client, EVENTS, body)

    assert after["cached"] is False
    assert after["totalDuration"] == 270
    assert [t["lateByMinutes"] for t in after["atRisk"]] == [60]


def test_a_task_deleted_makes_the_cached_schedule_unreachable(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk)}
    _post(client, EVENTS, body)

    task_delete(task=known.tasks["Press interview"])
    after = _post(client, EVENTS, body)

    assert after["cached"] is False
    assert after["conflicts"] == []


def test_an_asset_change_makes_the_cached_scores_unreachable(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk)}
    before = _post(client, MEDIA, body)
    assert [gap["name"] for gap in before["coverageGaps"]["heroSamples"]] == ["Silk Gown"]

    asset_update(asset=known.assets["Gown banner"], data={"status": "approved"})
    after = _post(client, MEDIA, body)

    assert after["cached"] is False
    assert after["coverageGaps"] == {"heroSamples": [], "channels": []}


def test_another_campaigns_change_keeps_the_entry(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}
    _post(client, LOGISTICS, body)

    sample_create(campaign=cast.other_campaign, data={"name": "Elsewhere"})

    assert _post(client, LOGISTICS, body)["cached"] is True


# --- concurrent hits -------------------------------------------------------------------------

THREADS = 8


@pytest.mark.django_db(transaction=True)
def test_concurrent_hits_are_counted_exactly():
    """Every thread has its own connection; the increment is one UPDATE … SET count = count + 1
    in the database, so no hit is lost to a read-modify-write race."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite's shared-cache test database refuses concurrent writers with 'database "
            "table is locked' instead of waiting; the atomic increment is proven on PostgreSQL"
        )
    user = UserFactory()
    entry = InsightFactory(user=user, insight_type="logistics_all", context_id="k" * 64)
    barrier = threading.Barrier(THREADS)
    results: list = []
    errors: list[BaseException] = []

    def hit() -> None:
        try:
            barrier.wait(timeout=10)
            results.append(
                insight_lookup(user=user, insight_type="logistics_all", context_id="k" * 64)
            )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=hit) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert results == [entry.data] * THREADS
    entry.refresh_from_db()
    assert entry.cache_hit_count == THREADS


# --- purge_insights --------------------------------------------------------------------------


def test_purge_insights_removes_expired_rows_only_and_says_how_many():
    now = timezone.now()
    expired = InsightFactory.create_batch(3, expires_at=now - timedelta(minutes=5))
    live = InsightFactory.create_batch(2, expires_at=now + timedelta(minutes=5))
    out = StringIO()

    call_command("purge_insights", "--batch-size", "2", stdout=out)

    assert out.getvalue().strip() == "Deleted 3 expired insight(s)."
    assert set(Insight.objects.values_list("pk", flat=True)) == {row.pk for row in live}
    assert not Insight.objects.filter(pk__in=[row.pk for row in expired]).exists()


def test_purge_insights_with_nothing_expired():
    InsightFactory(expires_at=timezone.now() + timedelta(minutes=5))
    out = StringIO()

    call_command("purge_insights", stdout=out)

    assert out.getvalue().strip() == "Deleted 0 expired insight(s)."
    assert Insight.objects.count() == 1


# --- the service role ------------------------------------------------------------------------


def test_the_service_role_is_answered_uncached_and_writes_nothing(known, cast):
    client = cast.client("service")
    body = {"campaignId": str(known.campaign.pk), "analysisType": "readiness"}

    first = _post(client, LOGISTICS, body)
    second = _post(client, LOGISTICS, body)
    inline = _post(client, LOGISTICS, {"sampleList": [_sample(1, "on_set")]})

    assert (first["cached"], second["cached"], inline["cached"]) == (False, False, False)
    assert first["readiness"]["overallPercentage"] == 38
    assert inline["readiness"]["overallPercentage"] == 100
    assert Insight.objects.count() == 0
