"""Bounded analyzer work (issue 11, item 5): analyzers are throttled like the chat, inline
inputs are bounded by items x their lists (the review's 2,000 assets x 200 channels took 3 s
of CPU), and an answer too large is returned but not cached (it stored a 5.4 MB row)."""

from __future__ import annotations

import pytest
from rest_framework.throttling import ScopedRateThrottle

from assistant import cache as insight_cache
from assistant.inline_inputs import MAX_ASSETS, MAX_PAIRS
from assistant.models import Insight

pytestmark = pytest.mark.django_db

LOGISTICS = "/api/v1/assistant/analyze/logistics"
EVENTS = "/api/v1/assistant/analyze/events"
MEDIA = "/api/v1/assistant/analyze/media"
RECOMMENDATIONS = "/api/v1/assistant/recommendations"
FN_LOGISTICS = "/functions/v1/logistics-analyzer"
FN_MEDIA = "/functions/v1/media-scorer"
FN_RECOMMENDATIONS = "/functions/v1/recommendations"

SAMPLES = {"sampleList": [{"id": "s1", "name": "Coat", "status": "on_set"}]}


def _assets(count: int, channels: int, samples: int = 0) -> dict:
    return {
        "assets": [
            {
                "id": f"a{n}",
                "width": 1080,
                "height": 1350,
                "targetChannels": [f"channel_{c}" for c in range(channels)],
                "featuredSampleIds": [f"s{c}" for c in range(samples)],
            }
            for n in range(count)
        ]
    }


def _too_many(reply, what: str) -> None:
    assert reply.status_code == 400, reply.content
    body = reply.json()
    assert body["code"] == "TOO_MANY_ITEMS"
    assert what in body["error"] and str(MAX_PAIRS) in body["error"]


@pytest.mark.parametrize(
    "path, body",
    [
        (LOGISTICS, SAMPLES),
        (FN_LOGISTICS, SAMPLES),
        (MEDIA, _assets(1, 1)),
        (FN_MEDIA, _assets(1, 1)),
        (FN_RECOMMENDATIONS, SAMPLES),
    ],
)
def test_analyzers_are_throttled_per_caller(path, body, cast, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "analyzer", "2/min")
    client = cast.client("owner")
    assert [client.post(path, body, format="json").status_code for _ in range(2)] == [200, 200]
    throttled = client.post(path, body, format="json")
    assert throttled.status_code == 429
    assert throttled.json()["code"] == "THROTTLED"
    assert 0 < int(throttled["Retry-After"]) <= 60
    # Another caller has a budget of their own.
    assert cast.client("editor").post(path, body, format="json").status_code == 200


def test_the_throttle_covers_the_recommendations_read(cast, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "analyzer", "1/min")
    client = cast.client("owner")
    url = f"{RECOMMENDATIONS}?campaign={cast.campaign.pk}"
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 429


def test_the_reviews_media_request_is_refused_before_any_work(cast):
    reply = cast.client("owner").post(MEDIA, _assets(MAX_ASSETS, 200), format="json")
    _too_many(reply, "(asset, channel) pairs")
    assert not Insight.objects.exists()


def test_asset_channel_pairs_are_bounded_as_a_whole(cast):
    client = cast.client("owner")
    per_asset = 200
    fits = MAX_PAIRS // per_asset
    assert client.post(MEDIA, _assets(fits, per_asset), format="json").status_code == 200
    _too_many(client.post(MEDIA, _assets(fits + 1, per_asset), format="json"), "channel")


def test_asset_sample_pairs_are_bounded_as_a_whole(cast):
    reply = cast.client("owner").post(
        FN_MEDIA, _assets(MAX_PAIRS // 200 + 1, 1, samples=200), format="json"
    )
    _too_many(reply, "(asset, sample) pairs")


def test_task_dependencies_are_bounded_as_a_whole(cast):
    # Task n depends on up to 100 earlier tasks: no cycle, every id known.
    tasks = [
        {"id": f"t{n}", "dependsOn": [f"t{d}" for d in range(max(0, n - 100), n)]}
        for n in range(260)
    ]
    total = sum(len(task["dependsOn"]) for task in tasks)
    assert total > MAX_PAIRS
    _too_many(cast.client("owner").post(EVENTS, {"tasks": tasks}, format="json"), "dependencies")
    within = tasks[:200]
    assert sum(len(task["dependsOn"]) for task in within) <= MAX_PAIRS
    assert cast.client("owner").post(EVENTS, {"tasks": within}, format="json").status_code == 200


def test_an_answer_over_the_size_bound_is_not_cached(cast, monkeypatch):
    client = cast.client("owner")
    first = client.post(MEDIA, _assets(3, 2), format="json").json()
    assert first["cached"] is False and Insight.objects.count() == 1
    assert client.post(MEDIA, _assets(3, 2), format="json").json()["cached"] is True

    size = insight_cache.insight_size({k: v for k, v in first.items() if k != "cached"})
    monkeypatch.setattr(insight_cache, "INSIGHT_MAX_BYTES", size - 1)
    Insight.objects.all().delete()
    for _ in range(2):
        reply = client.post(MEDIA, _assets(3, 2), format="json").json()
        assert reply["cached"] is False
    assert not Insight.objects.exists()

    monkeypatch.setattr(insight_cache, "INSIGHT_MAX_BYTES", size)  # exactly at the bound
    client.post(MEDIA, _assets(3, 2), format="json")
    assert Insight.objects.count() == 1
