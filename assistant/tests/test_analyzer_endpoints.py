"""The analyzer endpoints (issue 4): `POST /api/v1/assistant/analyze/logistics|events|media`,
`GET /api/v1/assistant/recommendations?campaign=ID`, and the same handlers at the original
edge functions' paths under `/functions/v1/`, in both forms (a campaign the caller may read,
or inline camelCase lists), with their permissions, input bounds and query counts."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from assistant.inline_inputs import MAX_ASSETS, MAX_SAMPLES, MAX_TASKS
from assistant.models import Insight
from assistant.tests.conftest import NOW, campaign_fill
from fashionos.testing.clients import session_queries_warm, session_warm
from logistics.models import CampaignRole, TaskDependency
from logistics.tests.factories import CampaignFactory, MemberFactory

pytestmark = pytest.mark.django_db

LOGISTICS = "/api/v1/assistant/analyze/logistics"
EVENTS = "/api/v1/assistant/analyze/events"
MEDIA = "/api/v1/assistant/analyze/media"
RECOMMENDATIONS = "/api/v1/assistant/recommendations"
FN_LOGISTICS = "/functions/v1/logistics-analyzer"
FN_EVENTS = "/functions/v1/events-optimizer"
FN_MEDIA = "/functions/v1/media-scorer"
FN_RECOMMENDATIONS = "/functions/v1/recommendations"

CAMPAIGN_POSTS = [LOGISTICS, EVENTS, MEDIA, FN_LOGISTICS, FN_EVENTS, FN_MEDIA, FN_RECOMMENDATIONS]


def _ok(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()


def _error(response, status: int, code: str) -> dict:
    body = response.json()
    assert response.status_code == status, body
    assert body["code"] == code
    assert isinstance(body["error"], str) and body["error"]
    return body


# --- the campaign form -----------------------------------------------------------------------


def test_logistics_of_a_campaign(known, cast):
    body = _ok(
        cast.client("viewer").post(
            LOGISTICS, {"campaignId": str(known.campaign.pk), "analysisType": "all"}, format="json"
        )
    )

    assert set(body) == {"readiness", "blockers", "batching", "cached"}
    assert body["cached"] is False
    readiness = body["readiness"]
    assert readiness["overallPercentage"] == 38
    assert readiness["status"] == "critical"
    assert readiness["message"] == "Campaign is 38% ready: 3 of 8 samples on set or shot."
    assert readiness["recommendations"][0] == (
        "Chase the delayed hero piece: Silk Gown (hero, DHL DHL-4471)."
    )
    assert [(b["name"], b["severity"], b["estimatedDelay"]) for b in body["blockers"]] == [
        ("Silk Gown", "critical", "4h 30min"),
        ("Wool Coat", "high", "unknown"),
    ]
    assert [b["sampleId"] for b in body["blockers"]] == [
        known.sample_id("Silk Gown"),
        known.sample_id("Wool Coat"),
    ]
    assert body["batching"]["totalBatches"] == 3
    assert sorted(i for batch in body["batching"]["batches"] for i in batch["items"]) == sorted(
        known.sample_id(name) for name in ("Linen Shirt", "Denim Jacket", "Leather Boots")
    )


def test_analysis_type_defaults_to_all(known, cast):
    body = _ok(
        cast.client("owner").post(LOGISTICS, {"campaignId": str(known.campaign.pk)}, format="json")
    )

    assert set(body) == {"readiness", "blockers", "batching", "cached"}


def test_events_of_a_campaign(known, cast):
    body = _ok(
        cast.client("editor").post(EVENTS, {"campaignId": str(known.campaign.pk)}, format="json")
    )

    assert body["criticalPathTitles"] == ["Build set", "Light test", "Shoot hero looks", "Wrap"]
    assert body["criticalPath"] == [
        known.task_id(title) for title in ("Build set", "Light test", "Shoot hero looks", "Wrap")
    ]
    assert body["totalDuration"] == 240
    assert [(t["title"], t["lateByMinutes"]) for t in body["atRisk"]] == [("Shoot hero looks", 30)]
    assert body["atRisk"][0]["deadline"] == (NOW + timedelta(hours=3)).isoformat()
    assert [(c["assignee"], c["titles"], c["overlapMinutes"]) for c in body["conflicts"]] == [
        ("Ben Okafor", ["Fitting with talent", "Press interview"], 30)
    ]
    assert body["schedule"]["start"] == NOW.isoformat()
    assert body["cached"] is False


def test_media_of_a_campaign(known, cast):
    body = _ok(
        cast.client("owner").post(MEDIA, {"campaignId": str(known.campaign.pk)}, format="json")
    )

    assert body["ranking"][0] == known.asset_id("Satin portrait")
    assert body["assets"][0]["score"] == 100
    assert [gap["sampleId"] for gap in body["coverageGaps"]["heroSamples"]] == [
        known.sample_id("Silk Gown")
    ]
    assert [gap["channel"] for gap in body["coverageGaps"]["channels"]] == ["web_hero"]
    assert body["bestByChannel"]["instagram_feed"][0] == known.asset_id("Satin portrait")


def test_recommendations_of_a_campaign(known, cast):
    body = _ok(cast.client("owner").get(RECOMMENDATIONS, {"campaign": str(known.campaign.pk)}))

    assert body["campaignId"] == str(known.campaign.pk)
    assert body["total"] == len(body["recommendations"])
    top = body["recommendations"][:2]
    assert [(r["code"], r["severity"], r["kit"]) for r in top] == [
        ("chase_hero_sample", "critical", "logistics"),
        ("deadline_miss", "critical", "events"),
    ]
    assert top[0]["target"] == f"sample-tracker:{known.sample_id('Silk Gown')}"
    assert top[1]["target"] == f"event-schedule:{known.task_id('Shoot hero looks')}"
    assert body["cached"] is False


# --- the inline form, at the original functions' paths ---------------------------------------


def _samples(*statuses: str) -> list[dict]:
    return [
        {"id": f"s{i}", "name": f"Look {i}", "status": status, "category": "Dresses"}
        for i, status in enumerate(statuses, start=1)
    ]


def test_logistics_analyzer_readiness_in_the_original_shape(cast, frozen_clock):
    sample_list = _samples("on_set", *["requested"] * 7)

    response = cast.client("owner").post(
        FN_LOGISTICS, {"sampleList": sample_list, "analysisType": "readiness"}, format="json"
    )

    body = _ok(response)
    assert set(body) == {"readiness", "cached"}
    assert body["cached"] is False
    readiness = body["readiness"]
    assert {"overallPercentage", "status", "message", "recommendations"} <= set(readiness)
    assert readiness["overallPercentage"] == 13  # 1 of 8 = 12.5, rounded half up
    assert readiness["status"] == "critical"
    assert readiness["message"] == "Campaign is 13% ready: 1 of 8 samples on set or shot."
    assert isinstance(readiness["recommendations"], list) and readiness["recommendations"]


def test_logistics_analyzer_blockers_in_the_original_shape(cast, frozen_clock):
    sample_list = [
        {"id": "g", "name": "Silk Gown", "status": "delayed", "isHero": True, "priority": 3,
         "eta": (NOW + timedelta(hours=4, minutes=30)).isoformat()},
        {"id": "c", "name": "Wool Coat", "status": "delayed", "isHero": False, "priority": 2},
        {"id": "t", "name": "Tee", "status": "delayed", "isHero": False, "priority": 3},
        {"id": "h", "name": "Hat", "status": "on_set", "isHero": True, "priority": 1},
    ]  # fmt: skip

    body = _ok(
        cast.client("owner").post(
            FN_LOGISTICS, {"sampleList": sample_list, "analysisType": "blockers"}, format="json"
        )
    )

    assert set(body) == {"blockers", "cached"}
    original = ("sampleId", "name", "severity", "impact", "estimatedDelay")
    hero_impact = "HERO ITEM missing - cannot shoot primary assets"
    assert [tuple(b[key] for key in original) for b in body["blockers"]] == [
        ("g", "Silk Gown", "critical", hero_impact, "4h 30min"),
        ("c", "Wool Coat", "high", "High-priority item delayed", "unknown"),
    ]


def test_logistics_analyzer_batching_in_the_original_shape(cast, frozen_clock):
    def on_set(sample_id: str, category: str, hour: int) -> dict:
        arrived = (NOW - timedelta(hours=10 - hour)).isoformat()
        return {"id": sample_id, "status": "on_set", "category": category, "arrivedAt": arrived}

    # Arrival order Dresses, Tops, Dresses, Tops: four set-ups; batched: two.
    sample_list = [
        on_set("d1", "Dresses", 1),
        on_set("t1", "Tops", 2),
        on_set("d2", "Dresses", 3),
        on_set("t2", "Tops", 4),
    ]

    body = _ok(
        cast.client("owner").post(
            FN_LOGISTICS, {"sampleList": sample_list, "analysisType": "batching"}, format="json"
        )
    )

    plan = body["batching"]
    assert plan["totalBatches"] == 2
    assert plan["estimatedTimeSavings"] == "50min"  # one Dresses (30) and one Tops (20) set-up
    original = ("id", "category", "items", "estimatedTime")
    assert [tuple(batch[key] for key in original) for batch in plan["batches"]] == [
        (1, "Dresses", ["d1", "d2"], 30 + 2 * 20),
        (2, "Tops", ["t1", "t2"], 20 + 2 * 12),
    ]
    assert all(batch["rationale"] for batch in plan["batches"])


def test_logistics_analyzer_of_an_empty_list_is_an_answer(cast, frozen_clock):
    body = _ok(
        cast.client("owner").post(
            FN_LOGISTICS, {"sampleList": [], "analysisType": "readiness"}, format="json"
        )
    )

    assert body["readiness"]["overallPercentage"] == 0
    assert body["readiness"]["status"] == "empty"


def test_events_optimizer_inline(cast, frozen_clock):
    start = NOW + timedelta(days=1)
    at = lambda minutes: (start + timedelta(minutes=minutes)).isoformat()  # noqa: E731
    tasks = [
        {"id": "a", "title": "Build set", "durationMinutes": 60},
        {"id": "b", "title": "Shoot", "durationMinutes": 120, "dependsOn": ["a"],
         "deadline": at(150)},
        {"id": "c", "title": "Pack", "durationMinutes": 30, "dependsOn": ["b"]},
        {"id": "d", "title": "Interview", "durationMinutes": 60, "assignee": "Ben",
         "earliestStart": at(0)},
        {"id": "e", "title": "Fitting", "durationMinutes": 60, "assignee": "Ben",
         "earliestStart": at(30)},
    ]  # fmt: skip

    body = _ok(
        cast.client("owner").post(FN_EVENTS, {"tasks": tasks, "startAt": at(0)}, format="json")
    )

    assert body["criticalPath"] == ["a", "b", "c"]
    assert body["criticalPathTitles"] == ["Build set", "Shoot", "Pack"]
    assert body["totalDuration"] == 210
    assert [(t["taskId"], t["lateByMinutes"]) for t in body["atRisk"]] == [("b", 30)]
    assert [(c["taskIds"], c["overlapMinutes"]) for c in body["conflicts"]] == [(["d", "e"], 30)]
    planned = {
        t["taskId"]: (t["startMinute"], t["finishMinute"]) for t in body["schedule"]["tasks"]
    }
    assert planned["d"] == (0, 60)
    assert planned["e"] == (60, 120)  # Ben does one thing at a time
    assert body["schedule"]["start"] == start.isoformat()


def test_media_scorer_inline(cast, frozen_clock):
    samples = [
        {"id": "s1", "name": "Silk Gown", "status": "on_set", "isHero": True},
        {"id": "s2", "name": "Satin Dress", "status": "on_set", "isHero": True},
    ]
    assets = [
        {"id": "x", "title": "Portrait", "kind": "image", "status": "approved", "width": 1080,
         "height": 1350, "targetChannels": ["instagram"], "featuredSampleIds": ["s1"]},
        {"id": "y", "title": "Story", "kind": "image", "status": "draft", "width": 1080,
         "height": 1920, "targetChannels": ["instagram_story"]},
    ]  # fmt: skip

    body = _ok(
        cast.client("owner").post(
            FN_MEDIA, {"assets": assets, "sampleList": samples}, format="json"
        )
    )

    assert body["ranking"] == ["x", "y"]
    assert [a["score"] for a in body["assets"]] == [100, 63]  # y: 50 of 80 points = 62.5
    assert [g["sampleId"] for g in body["coverageGaps"]["heroSamples"]] == ["s2"]
    assert [g["channel"] for g in body["coverageGaps"]["channels"]] == ["instagram_story"]
    assert body["cached"] is False


def test_recommendations_inline(cast, frozen_clock):
    body = _ok(
        cast.client("owner").post(
            FN_RECOMMENDATIONS,
            {
                "sampleList": [
                    {"id": "g", "name": "Silk Gown", "status": "delayed", "isHero": True},
                    {"id": "s", "name": "Shirt", "status": "on_set"},
                ]
            },
            format="json",
        )
    )

    assert body["campaignId"] is None
    assert body["recommendations"][0]["code"] == "chase_hero_sample"
    assert body["recommendations"][0]["target"] == "sample-tracker:g"
    assert body["total"] == len(body["recommendations"])


def test_recommendations_function_answers_get_with_a_campaign(known, cast):
    body = _ok(cast.client("owner").get(FN_RECOMMENDATIONS, {"campaign": str(known.campaign.pk)}))

    assert body["recommendations"][0]["code"] == "chase_hero_sample"


def test_the_functions_answer_the_same_as_the_api(known, cast):
    client = cast.client("owner")
    body = {"campaignId": str(known.campaign.pk)}

    for api, function in [(LOGISTICS, FN_LOGISTICS), (EVENTS, FN_EVENTS), (MEDIA, FN_MEDIA)]:
        ours = _ok(client.post(api, body, format="json"))
        theirs = _ok(client.post(function, body, format="json"))
        assert theirs == {**ours, "cached": True}  # one handler, one cache


# --- permissions -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", CAMPAIGN_POSTS)
def test_someone_elses_campaign_is_not_found(known, cast, path):
    response = cast.client("outsider").post(
        path, {"campaignId": str(known.campaign.pk)}, format="json"
    )

    body = _error(response, 404, "NOT_FOUND")
    assert body["error"] == "No campaign with this id is visible to you."
    assert Insight.objects.count() == 0


@pytest.mark.parametrize("path", [RECOMMENDATIONS, FN_RECOMMENDATIONS])
def test_someone_elses_recommendations_are_not_found(known, cast, path):
    response = cast.client("outsider").get(path, {"campaign": str(known.campaign.pk)})

    _error(response, 404, "NOT_FOUND")


def test_a_campaign_that_does_not_exist_is_not_found(cast):
    response = cast.client("owner").post(
        LOGISTICS, {"campaignId": str(uuid.uuid4())}, format="json"
    )

    _error(response, 404, "NOT_FOUND")


@pytest.mark.parametrize("role", ["anon", None])
@pytest.mark.parametrize("path", CAMPAIGN_POSTS)
def test_no_user_is_unauthorized(known, cast, path, role):
    client = cast.client(role) if role else APIClient()

    response = client.post(path, {"campaignId": str(known.campaign.pk)}, format="json")

    _error(response, 401, "NOT_AUTHENTICATED")


def test_no_user_is_unauthorized_for_recommendations(known, cast):
    response = cast.client("anon").get(RECOMMENDATIONS, {"campaign": str(known.campaign.pk)})

    _error(response, 401, "NOT_AUTHENTICATED")


def test_the_staff_admin_reads_any_campaign(known, cast):
    body = _ok(
        cast.client("admin").post(LOGISTICS, {"campaignId": str(known.campaign.pk)}, format="json")
    )

    assert body["readiness"]["overallPercentage"] == 38


# --- bad input -------------------------------------------------------------------------------

A_UUID = "3f2b1a40-0000-4000-8000-000000000001"

BAD_INPUTS = [
    (LOGISTICS, {"sampleList": "abc"}, "sampleList"),
    (LOGISTICS, {"sampleList": [1]}, "sampleList[0]"),
    (LOGISTICS, {"sampleList": [{"status": "lost"}]}, "sampleList[0].status"),
    (LOGISTICS, {"sampleList": [{"status": "on_set", "priority": "hi"}]}, "sampleList[0].priority"),
    (LOGISTICS, {"sampleList": [{"status": "on_set", "priority": 9}]}, "sampleList[0].priority"),
    (LOGISTICS, {"sampleList": [{"status": "on_set", "isHero": "yes"}]}, "sampleList[0].isHero"),
    (LOGISTICS, {"sampleList": [{"status": "on_set", "eta": "soon"}]}, "sampleList[0].eta"),
    (LOGISTICS, {"sampleList": [{"status": "on_set", "name": ["a"]}]}, "sampleList[0].name"),
    (LOGISTICS, {"sampleList": [{"id": "a", "status": "on_set"}, {"id": "a", "status": "shot"}]},
     "sampleList[1].id"),
    (LOGISTICS, {"sampleList": [], "analysisType": "everything"}, "analysisType"),
    (LOGISTICS, {"sampleList": [], "analysisType": ["readiness"]}, "analysisType"),
    (LOGISTICS, {"campaignId": "not-a-uuid"}, "campaignId"),
    (LOGISTICS, {"campaignId": 42}, "campaignId"),
    (LOGISTICS, {"campaignId": {"id": A_UUID}}, "campaignId"),
    (LOGISTICS, {"campaignId": A_UUID, "sampleList": []}, "campaignId"),
    (LOGISTICS, {"campaignId": A_UUID, "sampleList": []}, "sampleList"),
    (LOGISTICS, {}, "sampleList"),
    (LOGISTICS, {"analysisType": "readiness"}, "sampleList"),
    (EVENTS, {"tasks": [{"id": "a", "durationMinutes": -5}]}, "tasks[0].durationMinutes"),
    (EVENTS, {"tasks": [{"id": "a", "durationMinutes": 1.5}]}, "tasks[0].durationMinutes"),
    (EVENTS, {"tasks": [{"id": "a", "status": "finished"}]}, "tasks[0].status"),
    (EVENTS, {"tasks": [{"id": "a", "dependsOn": "b"}]}, "tasks[0].dependsOn"),
    (EVENTS, {"tasks": [{"id": "a", "deadline": "friday"}]}, "tasks[0].deadline"),
    (EVENTS, {"tasks": [], "startAt": "soon"}, "startAt"),
    (EVENTS, {"campaignId": A_UUID, "tasks": []}, "tasks"),
    (EVENTS, {}, "tasks"),
    (MEDIA, {"assets": [{"id": "x", "kind": "gif"}]}, "assets[0].kind"),
    (MEDIA, {"assets": [{"id": "x", "status": "published"}]}, "assets[0].status"),
    (MEDIA, {"assets": [{"id": "x", "width": "wide"}]}, "assets[0].width"),
    (MEDIA, {"assets": [{"id": "x", "targetChannels": "instagram"}]}, "assets[0].targetChannels"),
    (MEDIA, {"assets": [{"id": "x", "rightsExpireAt": 5}]}, "assets[0].rightsExpireAt"),
    (MEDIA, {"assets": [], "shootDate": "31/12/2026"}, "shootDate"),
    (MEDIA, {"sampleList": []}, "assets"),
    (FN_RECOMMENDATIONS, {"tasks": "abc"}, "tasks"),
    (FN_RECOMMENDATIONS, {}, "campaignId"),
]  # fmt: skip


@pytest.mark.parametrize(("path", "body", "field"), BAD_INPUTS)
def test_bad_input_is_a_400_naming_the_field(cast, path, body, field):
    response = cast.client("owner").post(path, body, format="json")

    error = _error(response, 400, "VALIDATION_ERROR")
    assert field in error["details"], error
    assert Insight.objects.count() == 0


@pytest.mark.parametrize("query", [{}, {"campaign": "xyz"}, {"campaign": ""}])
def test_recommendations_need_a_campaign_uuid(cast, query):
    response = cast.client("owner").get(RECOMMENDATIONS, query)

    error = _error(response, 400, "VALIDATION_ERROR")
    assert list(error["details"]) == ["campaign"]


@pytest.mark.parametrize("path", [LOGISTICS, EVENTS, MEDIA, FN_RECOMMENDATIONS])
def test_a_body_that_is_not_an_object_is_refused(cast, path):
    response = cast.client("owner").post(path, [1, 2], format="json")

    _error(response, 400, "VALIDATION_ERROR")


@pytest.mark.parametrize(
    ("path", "name", "limit", "item"),
    [
        (LOGISTICS, "sampleList", MAX_SAMPLES, {"status": "on_set"}),
        (EVENTS, "tasks", MAX_TASKS, {"durationMinutes": 5}),
        (MEDIA, "assets", MAX_ASSETS, {"status": "approved"}),
    ],
)
def test_over_size_lists_are_refused(cast, path, name, limit, item):
    items = [{"id": f"i{n}", **item} for n in range(limit + 1)]

    response = cast.client("owner").post(path, {name: items}, format="json")

    error = _error(response, 400, "TOO_MANY_ITEMS")
    assert error["details"] == {
        name: [f"At most {limit} items are analysed at once, not {limit + 1}."]
    }


def test_the_largest_sample_list_is_analysed(cast, frozen_clock):
    items = [{"id": f"s{n}", "status": "on_set" if n % 2 else "requested"} for n in range(10_000)]

    body = _ok(
        cast.client("owner").post(
            FN_LOGISTICS, {"sampleList": items, "analysisType": "readiness"}, format="json"
        )
    )

    assert body["readiness"]["overallPercentage"] == 50
    assert body["readiness"]["totalSamples"] == 10_000


# --- task graphs that cannot be scheduled ----------------------------------------------------


def test_an_inline_cycle_is_a_400_naming_it(cast, frozen_clock):
    tasks = [
        {"id": "a", "title": "Build set", "dependsOn": ["c"]},
        {"id": "b", "title": "Light test", "dependsOn": ["a"]},
        {"id": "c", "title": "Shoot", "dependsOn": ["b"]},
        {"id": "d", "title": "Wrap", "dependsOn": ["c"]},
    ]

    response = cast.client("owner").post(FN_EVENTS, {"tasks": tasks}, format="json")

    error = _error(response, 400, "DEPENDENCY_CYCLE")
    cycle = error["details"]["cycle"]
    assert cycle[0] == cycle[-1]
    assert sorted(cycle[:-1]) == ["a", "b", "c"]
    assert "d" not in cycle
    assert error["error"] == (
        "Task dependencies form a cycle: " + " → ".join(error["details"]["titles"]) + "."
    )
    assert set(error["details"]["titles"]) == {"Build set", "Light test", "Shoot"}
    assert Insight.objects.count() == 0


def test_a_cycle_stored_in_a_campaign_is_a_400_naming_it(known, cast):
    # The services refuse a cycle; one written around them (a bulk import, the shell) is still
    # named rather than analysed.
    TaskDependency.objects.create(
        task=known.tasks["Build set"], depends_on=known.tasks["Shoot hero looks"]
    )

    response = cast.client("owner").post(
        EVENTS, {"campaignId": str(known.campaign.pk)}, format="json"
    )

    error = _error(response, 400, "DEPENDENCY_CYCLE")
    assert set(error["details"]["titles"]) == {"Build set", "Light test", "Shoot hero looks"}


def test_an_unknown_dependency_is_a_400_naming_it(cast, frozen_clock):
    tasks = [{"id": "a", "title": "Shoot", "dependsOn": ["ghost"]}]

    response = cast.client("owner").post(EVENTS, {"tasks": tasks}, format="json")

    error = _error(response, 400, "UNKNOWN_DEPENDENCY")
    assert error["details"] == {"missing": {"a": ["ghost"]}}


# --- query counts ----------------------------------------------------------------------------


def _campaign_of(cast, size: int):
    campaign = CampaignFactory(created_by=cast.owner)
    MemberFactory(campaign=campaign, user=cast.owner, role=CampaignRole.OWNER)
    campaign_fill(campaign=campaign, size=size)
    return campaign


def _query_counts(client, campaign) -> dict[str, tuple[int, int]]:
    """(miss, hit) query counts per endpoint."""
    requests = {
        "logistics": lambda: client.post(
            LOGISTICS, {"campaignId": str(campaign.pk), "analysisType": "all"}, format="json"
        ),
        "events": lambda: client.post(EVENTS, {"campaignId": str(campaign.pk)}, format="json"),
        "media": lambda: client.post(MEDIA, {"campaignId": str(campaign.pk)}, format="json"),
        "recommendations": lambda: client.get(RECOMMENDATIONS, {"campaign": str(campaign.pk)}),
    }
    counts = {}
    for name, send in requests.items():
        measured = []
        for _ in ("miss", "hit"):
            with CaptureQueriesContext(connection) as queries:
                response = send()
            assert response.status_code == 200, response.json()
            measured.append(len(queries))
        counts[name] = tuple(measured)
    return counts


def test_query_counts_do_not_grow_with_the_campaign(cast, frozen_clock):
    client = session_warm(cast.client("owner"))
    small = _campaign_of(cast, 1)
    large = _campaign_of(cast, 200)

    small_counts = _query_counts(client, small)
    large_counts = _query_counts(client, large)

    assert (large.samples.count(), large.tasks.count(), large.assets.count()) == (200, 200, 200)
    assert small_counts == large_counts
    # the token's session (none once cached), campaign, cache lookup, the tables analysed
    # (one query each, plus one per link table), cache store; a hit counts itself and reads
    # the entry in one statement (UPDATE ... RETURNING) instead of the tables.
    session = session_queries_warm()
    assert small_counts == {
        "logistics": (4 + session, 2 + session),
        "events": (5 + session, 2 + session),
        "media": (6 + session, 2 + session),
        "recommendations": (8 + session, 2 + session),
    }
