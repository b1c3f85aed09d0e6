"""Answer sizes (issue 5 point 5): whatever the campaign's size, a chat reply names a bounded
number of samples, tasks or assets in `content`, caps every list in `data`, and still gives
the full counts as numbers. The reply is logged whole in assistant_conversations, so an
unbounded answer would also be an unbounded row."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from assistant.chat.replies import DATA_LIMIT, LIST_LIMIT, NAMES_SHOWN
from assistant.models import Conversation
from assistant.tests.conftest import NOW

pytestmark = pytest.mark.django_db

CHAT = "/api/v1/assistant/chat"
# A reply naming ten things and a hundred ids, with their details, fits well under this.
MAX_REPLY_BYTES = 64 * 1024


@pytest.fixture
def owner(cast, frozen_clock):
    return cast.client("owner")


def ask(client, message: str, kit: str, **context) -> tuple[dict, int]:
    response = client.post(
        CHAT, {"message": message, "currentKit": kit, "userContext": context}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json(), len(response.content)


def _logged_bytes(reply: dict) -> int:
    turn = Conversation.objects.get(pk=reply["conversationId"])
    return len(json.dumps(turn.response))


def test_ten_thousand_delayed_samples_give_a_small_blocker_answer(owner):
    samples = [
        {
            "id": f"s{n}",
            "name": f"Look {n:05d}",
            "status": "delayed",
            "isHero": n % 10 == 0,
            "priority": 1 + n % 5,
            "eta": (NOW + timedelta(hours=1 + n % 48)).isoformat(),
        }
        for n in range(10_000)
    ]

    reply, size = ask(owner, "what's delayed?", "logistics", sampleList=samples)

    assert reply["intent"] == "blocker_check"
    assert size < MAX_REPLY_BYTES
    assert _logged_bytes(reply) < MAX_REPLY_BYTES
    assert reply["content"].startswith("10000 samples delayed: Look 00000 (hero), ")
    assert f"and {10_000 - NAMES_SHOWN} more." in reply["content"]
    data = reply["data"]
    blocking = sum(1 for s in samples if s["isHero"] or s["priority"] <= 2)
    assert (data["delayedCount"], data["blockerCount"], data["outstandingCount"]) == (
        10_000,
        blocking,
        0,
    )
    assert len(data["delayed"]) == len(data["blockers"]) == DATA_LIMIT


def test_many_late_tasks_give_a_small_at_risk_answer(owner):
    tasks = [
        {
            "id": f"t{n}",
            "title": f"Step {n:04d}",
            "durationMinutes": 30,
            "dependsOn": [f"t{n - 1}"] if n else [],
            "deadline": (NOW + timedelta(minutes=10 * (n + 1))).isoformat(),
        }
        for n in range(2_000)
    ]

    reply, size = ask(owner, "which tasks are at risk?", "events", tasks=tasks)

    assert reply["intent"] == "at_risk_tasks"
    assert size < MAX_REPLY_BYTES
    # The latest first; "which" asks for the list, so it names LIST_LIMIT of them.
    assert reply["content"].startswith("2000 tasks will miss the deadline: Step 1999 late by ")
    assert reply["content"].endswith(f"; and {2_000 - LIST_LIMIT} more.")
    assert reply["data"]["atRiskCount"] == 2_000
    assert len(reply["data"]["atRisk"]) == DATA_LIMIT


def test_many_double_bookings_give_a_small_conflict_answer(owner):
    # One person booked on 2,000 tasks that all want to start at the same time: every task
    # overlaps the next one in the inline plan.
    tasks = [
        {
            "id": f"t{n}",
            "title": f"Fitting {n:04d}",
            "durationMinutes": 60,
            "assignee": "Ben Okafor",
            "earliestStart": (NOW + timedelta(minutes=30 * n)).isoformat(),
        }
        for n in range(2_000)
    ]

    reply, size = ask(owner, "is anyone double-booked?", "events", tasks=tasks)

    assert reply["intent"] == "conflict_check"
    assert size < MAX_REPLY_BYTES
    count = reply["data"]["conflictCount"]
    assert count > DATA_LIMIT
    assert reply["content"].startswith(
        f"Yes: {count} double-bookings: Ben Okafor has Fitting 0000 "
    )
    assert f"; and {count - NAMES_SHOWN} more." in reply["content"]
    assert len(reply["data"]["conflicts"]) == DATA_LIMIT


def test_many_uncovered_hero_pieces_give_a_small_coverage_answer(owner):
    samples = [
        {"id": f"s{n}", "name": f"Hero {n:05d}", "status": "shot", "isHero": True}
        for n in range(10_000)
    ]
    assets = [
        {"id": "a1", "title": "Only shot", "status": "approved", "width": 1080, "height": 1350}
    ]

    reply, size = ask(owner, "any coverage gaps?", "media", sampleList=samples, assets=assets)

    assert reply["intent"] == "coverage_gaps"
    assert size < MAX_REPLY_BYTES
    assert reply["content"].startswith(
        "Yes: 10000 hero pieces without an approved asset: Hero 00000, "
    )
    assert f"and {10_000 - NAMES_SHOWN} more" in reply["content"]
    assert reply["data"]["heroGapCount"] == 10_000
    assert len(reply["data"]["coverageGaps"]["heroSamples"]) == DATA_LIMIT


def test_ten_thousand_samples_give_small_readiness_and_batching_answers(owner):
    samples = [
        {
            "id": f"s{n}",
            "name": f"Look {n:05d}",
            "status": ("on_set", "requested")[n % 2],
            "category": f"Category {n // 2 % 500}",
        }
        for n in range(10_000)
    ]

    ready, ready_size = ask(
        owner, "which samples aren't ready yet?", "logistics", sampleList=samples
    )
    batches, batch_size = ask(
        owner, "how should we batch the shoot?", "logistics", sampleList=samples
    )

    assert ready["intent"] == "readiness_check"
    assert ready_size < MAX_REPLY_BYTES
    assert ready["data"]["notReadyCount"] == 5_000
    assert len(ready["data"]["notReady"]) == DATA_LIMIT
    assert batches["intent"] == "batching_plan"
    assert batch_size < MAX_REPLY_BYTES
    plan = batches["data"]["batching"]
    assert (plan["totalBatches"], plan["totalItems"]) == (500, 5_000)
    assert len(plan["batches"]) == LIST_LIMIT
    assert "; and 492 more." in batches["content"]
