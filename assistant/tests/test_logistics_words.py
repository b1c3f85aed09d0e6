"""The logistics analyzer's facts in words and in the original wire shape
(assistant/logistics_words.py): the same assertions as when the analysis wrote its own
sentences, read through the words module."""

from datetime import timedelta

import pytest

from assistant.logistics_words import (
    EMPTY_MESSAGE,
    EMPTY_RECOMMENDATION,
    HERO_IMPACT,
    PRIORITY_IMPACT,
    UNKNOWN_DELAY,
    batch_dict,
    batch_rationale,
    blocker_delay,
    blocker_dict,
    blocker_impact,
    logistics_report,
    plan_dict,
    plan_rationale,
    plan_savings,
    readiness_advice,
    readiness_dict,
    readiness_message,
)
from logistics.analysis import batching as batching_facts
from logistics.analysis import blockers as blockers_facts
from logistics.analysis import logistics_analyzer
from logistics.analysis import readiness as readiness_facts
from logistics.analysis.inputs import SampleInput
from logistics.analysis.readiness import EMPTY
from logistics.tests.analysis.factories import NOW, minutes, sample
from logistics.tests.analysis.test_logistics_analyzer import SAMPLES


class _Worded:
    """An analysis result with its words, as the analysis used to carry them."""

    def __init__(self, facts, **words) -> None:
        self._facts = facts
        self._words = words

    def __getattr__(self, name):
        if name in self._words:
            return self._words[name]()
        return getattr(self._facts, name)

    def __eq__(self, other) -> bool:
        return self._facts == getattr(other, "_facts", other)


def readiness(samples):
    result = readiness_facts.readiness(samples)
    return _Worded(
        result,
        message=lambda: readiness_message(result),
        recommendations=lambda: tuple(readiness_advice(result)),
        to_dict=lambda: lambda: readiness_dict(result),
    )


def _blocker(facts):
    return _Worded(
        facts,
        impact=lambda: blocker_impact(facts),
        estimated_delay=lambda: blocker_delay(facts),
        to_dict=lambda: lambda: blocker_dict(facts),
    )


def blockers(samples, *, now):
    return [_blocker(found) for found in blockers_facts.blockers(samples, now=now)]


def estimated_delay(eta, *, now):
    minutes_until = blockers_facts.minutes_until(eta, now=now)
    facts = blockers_facts.Blocker("x", "x", "high", minutes_until, False, 1, eta, None, "", "", "")
    return minutes_until, blocker_delay(facts)


def _batch(facts):
    return _Worded(
        facts,
        rationale=lambda: batch_rationale(facts),
        to_dict=lambda: lambda: batch_dict(facts),
    )


def batching(samples, **overrides):
    plan = batching_facts.batching(samples, **overrides)
    return _Worded(
        plan,
        rationale=lambda: plan_rationale(plan),
        estimated_time_savings=lambda: plan_savings(plan),
        batches=lambda: [_batch(batch) for batch in plan.batches],
        to_dict=lambda: lambda: plan_dict(plan),
    )


def analyze_logistics(samples, analysis_type, **kwargs):
    return logistics_report(logistics_analyzer.analyze_logistics(samples, analysis_type, **kwargs))


def campaign(ready: int, total: int) -> list[SampleInput]:
    return [sample(str(i), "on_set" if i < ready else "in_transit") for i in range(total)]


def arrived(i: int):
    return NOW + minutes(i)


# --- from logistics/tests/analysis/test_readiness.py ----------------------------------------------


def test_empty_campaign_is_a_clear_answer_not_a_crash():
    result = readiness([])
    assert result.overall_percentage == 0
    assert result.status == EMPTY
    assert result.message == EMPTY_MESSAGE
    assert result.recommendations == (EMPTY_RECOMMENDATION,)
    assert result.total == 0
    assert result.not_ready == ()
    assert set(result.counts_by_status.values()) == {0}


def test_all_ready_is_excellent_with_no_recommendations():
    result = readiness([sample("1", "on_set"), sample("2", "shot")])
    assert result.overall_percentage == 100
    assert result.status == "excellent"
    assert result.message == "Campaign is 100% ready: 2 of 2 samples on set or shot."
    assert result.recommendations == ()
    assert result.not_ready == ()


def test_one_sample_message_is_singular():
    assert readiness([sample("1")]).message == (
        "Campaign is 100% ready: 1 of 1 sample on set or shot."
    )


def test_not_ready_lists_heroes_first_then_priority_then_name():
    result = readiness(
        [
            sample("a", "requested", name="Belt", priority=1),
            sample("b", "delayed", name="Gown", is_hero=True, priority=2),
            sample("c", "arrived", name="Alpaca coat", priority=1),
            sample("d", "on_set", name="Ready", is_hero=True),
            sample("e", "in_transit", name="Cape", is_hero=True, priority=1),
        ]
    )
    assert [s.id for s in result.not_ready] == ["e", "b", "c", "a"]
    assert result.to_dict()["notReady"][0] == {
        "sampleId": "e",
        "name": "Cape",
        "status": "in_transit",
        "isHero": True,
        "priority": 1,
    }


def test_recommendations_name_the_samples_from_the_data():
    result = readiness(
        [
            sample("1", "on_set"),
            sample("2", "delayed", name="Silk Gown", is_hero=True, courier="DHL",
                   tracking_number="1Z999"),
            sample("3", "delayed", name="Wool Coat", is_hero=True),
            sample("4", "delayed", name="Scarf", priority=1, courier="FedEx"),
            sample("5", "requested", name="Loafers", designer="Maison A"),
            sample("6", "requested", name="Cap"),
            sample("7", "in_transit", name="Tote", tracking_number="T-1"),
            sample("8", "arrived", name="Ring"),
            sample("9", "returned", name="Vest"),
        ]
    )  # fmt: skip
    assert result.overall_percentage == 11
    assert result.status == "critical"
    assert result.message == "Campaign is 11% ready: 1 of 9 samples on set or shot."
    assert result.recommendations == (
        "Chase the delayed hero pieces: Silk Gown (hero, DHL 1Z999) and Wool Coat (hero).",
        "Chase 1 other delayed sample: Scarf (FedEx).",
        "Confirm 2 samples still only requested with the designers: Cap and Loafers (Maison A).",
        "Track 1 sample in transit: Tote (tracking T-1).",
        "Move 1 arrived sample to set: Ring.",
        "Call back 1 returned sample if still needed for the shoot: Vest.",
    )


def test_recommendations_name_five_then_count_the_rest():
    samples = [sample("ok", "on_set")] + [
        sample(str(i), "requested", name=f"Item {i:02d}") for i in range(8)
    ]
    (advice,) = readiness(samples).recommendations
    assert advice == (
        "Confirm 8 samples still only requested with the designers: "
        "Item 00, Item 01, Item 02, Item 03, Item 04 and 3 more."
    )


def test_no_recommendations_at_80_percent_or_more():
    samples = campaign(8, 10)
    samples[9] = sample("9", "delayed", is_hero=True)
    result = readiness(samples)
    assert (result.overall_percentage, result.status, result.recommendations) == (80, "good", ())


def test_recommendations_just_below_80():
    result = readiness(campaign(79, 100))
    assert result.status == "acceptable"
    assert result.recommendations == (
        "Track 21 samples in transit: Sample 79, Sample 80, Sample 81, Sample 82, Sample 83 "
        "and 16 more.",
    )


def test_readiness_to_dict_is_the_original_wire_shape_plus_details():
    data = readiness(campaign(1, 8)).to_dict()
    assert list(data) == [
        "overallPercentage",
        "status",
        "message",
        "recommendations",
        "totalSamples",
        "readySamples",
        "countsByStatus",
        "notReady",
    ]
    assert data["overallPercentage"] == 13
    assert data["status"] == "critical"
    assert data["message"] == "Campaign is 13% ready: 1 of 8 samples on set or shot."
    assert len(data["notReady"]) == 7


# --- from logistics/tests/analysis/test_blockers.py -----------------------------------------------


def test_hero_is_critical_and_priority_is_high_with_the_original_impact_text():
    hero, other = blockers(
        [sample("b", "delayed", priority=2), sample("a", "delayed", is_hero=True)], now=NOW
    )
    assert (hero.severity, hero.impact) == ("critical", HERO_IMPACT)
    assert (other.severity, other.impact) == ("high", PRIORITY_IMPACT)
    assert HERO_IMPACT == "HERO ITEM missing - cannot shoot primary assets"
    assert PRIORITY_IMPACT == "High-priority item delayed"


@pytest.mark.parametrize(
    ("offset", "minutes_until_eta", "text"),
    [
        (minutes(270), 270, "4h 30min"),
        (minutes(45), 45, "45min"),
        (minutes(0), 0, "0min"),
        (timedelta(seconds=90), 1, "1min"),  # whole minutes, rounded down
        (timedelta(seconds=-30), -1, "overdue by 1min"),
        (minutes(-135), -135, "overdue by 2h 15min"),
        (minutes(-(26 * 60 + 5)), -1565, "overdue by 1d 2h 5min"),
    ],
)
def test_estimated_delay_from_the_eta(offset, minutes_until_eta, text):
    assert estimated_delay(NOW + offset, now=NOW) == (minutes_until_eta, text)
    (blocker,) = blockers([sample("x", "delayed", is_hero=True, eta=NOW + offset)], now=NOW)
    assert (blocker.minutes_until_eta, blocker.estimated_delay) == (minutes_until_eta, text)
    assert blocker.is_overdue == (minutes_until_eta < 0)


def test_no_eta_is_unknown():
    (blocker,) = blockers([sample("x", "delayed", priority=1)], now=NOW)
    assert (blocker.minutes_until_eta, blocker.estimated_delay) == (None, UNKNOWN_DELAY)
    assert UNKNOWN_DELAY == "unknown"
    assert not blocker.is_overdue


def test_blockers_to_dict_is_the_original_wire_shape_plus_details():
    (blocker,) = blockers(
        [
            sample(
                "s1",
                "delayed",
                name="Silk Gown",
                is_hero=True,
                priority=1,
                eta=NOW - minutes(180),
                category="Dresses",
                designer="Maison A",
                courier="DHL",
                tracking_number="1Z999",
            )
        ],
        now=NOW,
    )
    assert blocker.to_dict() == {
        "sampleId": "s1",
        "name": "Silk Gown",
        "severity": "critical",
        "impact": "HERO ITEM missing - cannot shoot primary assets",
        "estimatedDelay": "overdue by 3h",
        "minutesUntilEta": -180,
        "overdue": True,
        "isHero": True,
        "priority": 1,
        "eta": "2025-03-01T06:00:00+00:00",
        "category": "Dresses",
        "designer": "Maison A",
        "courier": "DHL",
        "trackingNumber": "1Z999",
    }


# --- from logistics/tests/analysis/test_batching.py -----------------------------------------------


def test_no_samples_is_an_empty_plan():
    plan = batching([])
    assert plan.total_batches == 0
    assert (plan.total_minutes, plan.arrival_order_minutes, plan.minutes_saved) == (0, 0, 0)
    assert plan.estimated_time_savings == "0min"
    assert plan.rationale == "No samples are on set or shot yet, so there is nothing to batch."


def test_minutes_saved_are_the_setup_changes_avoided():
    # Arrival order: dress, bag, dress, bag, dress → 5 set-ups (3 dress, 2 bag).
    # Batched: 2 set-ups. Saved: 2 dress set-ups (30) + 1 bag set-up (25) = 85.
    samples = [
        sample("d1", category="Dresses", arrived_at=arrived(1)),
        sample("b1", category="Bags", arrived_at=arrived(2)),
        sample("d2", category="Dresses", arrived_at=arrived(3)),
        sample("b2", category="Bags", arrived_at=arrived(4)),
        sample("d3", category="Dresses", arrived_at=arrived(5)),
    ]
    plan = batching(samples)
    items = 3 * 20 + 2 * 12
    assert plan.arrival_order_setups == 5
    assert plan.arrival_order_minutes == items + 3 * 30 + 2 * 25 == 224
    assert plan.total_minutes == items + 30 + 25 == 139
    assert plan.minutes_saved == 85
    assert plan.estimated_time_savings == "1h 25min"
    assert [b.arrival_order_setups for b in plan.batches] == [3, 2]
    assert plan.rationale == (
        "5 ready samples in 2 batches: 2 set-ups instead of 5 in arrival order, saving 1h 25min."
    )
    assert plan.batches[0].rationale == (
        "Shoot 3 items of Dresses on one 30-minute set-up, 20 minutes per item. "
        "Arrival order would build this set-up 3 times (1h more)."
    )


def test_no_savings_when_arrival_order_is_already_grouped():
    samples = [
        sample("d1", category="Dresses", arrived_at=arrived(1)),
        sample("d2", category="Dresses", arrived_at=arrived(2)),
        sample("b1", category="Bags", arrived_at=arrived(3)),
    ]
    plan = batching(samples)
    assert (plan.minutes_saved, plan.arrival_order_setups, plan.total_batches) == (0, 2, 2)
    assert plan.rationale.endswith("so batching saves no time.")


def test_batches_with_heroes_first_and_heroes_first_within_a_batch():
    samples = [
        sample("bag", category="Bags", priority=1, arrived_at=arrived(1)),
        sample("d-late", category="Dresses", priority=2, arrived_at=arrived(2)),
        sample("d-early", category="Dresses", priority=2, arrived_at=arrived(0)),
        sample("d-hero", category="Dresses", priority=5, is_hero=True, arrived_at=arrived(9)),
        sample("d-p1", category="Dresses", priority=1, arrived_at=arrived(8)),
    ]
    plan = batching(samples)
    assert [b.category for b in plan.batches] == ["Dresses", "Bags"]
    assert plan.batches[0].item_ids == ("d-hero", "d-p1", "d-early", "d-late")
    assert plan.batches[0].hero_ids == ("d-hero",)
    assert "1 hero piece first" in plan.batches[0].rationale


def test_batching_to_dict_is_the_original_wire_shape_plus_details():
    data = batching(
        [
            sample("d1", category="Dresses", name="Gown", arrived_at=arrived(1)),
            sample("b1", category="Bags", name="Tote", arrived_at=arrived(2)),
            sample("d2", category="Dresses", name="Slip", arrived_at=arrived(3)),
        ]
    ).to_dict()
    assert data["totalBatches"] == 2
    assert data["estimatedTimeSavings"] == "30min"
    assert data["minutesSaved"] == 30
    assert list(data) == [
        "totalBatches",
        "totalItems",
        "totalMinutes",
        "arrivalOrderMinutes",
        "arrivalOrderSetups",
        "estimatedTimeSavings",
        "minutesSaved",
        "rationale",
        "batches",
    ]
    assert data["batches"][0] == {
        "id": 1,
        "category": "Dresses",
        "items": ["d1", "d2"],
        "itemNames": ["Gown", "Slip"],
        "heroItems": [],
        "setupMinutes": 30,
        "minutesPerItem": 20,
        "estimatedTime": 70,
        "arrivalOrderSetups": 2,
        "rationale": "Shoot 2 items of Dresses on one 30-minute set-up, 20 minutes per item. "
        "Arrival order would build this set-up 2 times (30min more).",
    }


# --- from logistics/tests/analysis/test_logistics_analyzer.py -------------------------------------


@pytest.mark.parametrize(
    ("analysis_type", "keys"),
    [
        ("readiness", ["readiness"]),
        ("blockers", ["blockers"]),
        ("batching", ["batching"]),
        ("all", ["readiness", "blockers", "batching"]),
    ],
)
def test_analysis_types_return_the_original_keys(analysis_type, keys):
    assert list(analyze_logistics(SAMPLES, analysis_type, now=NOW)) == keys


def test_all_in_the_original_wire_shape():
    result = analyze_logistics(SAMPLES, "all", now=NOW)
    assert result["readiness"]["overallPercentage"] == 75
    assert result["readiness"]["status"] == "acceptable"
    assert result["readiness"]["message"] == "Campaign is 75% ready: 3 of 4 samples on set or shot."
    assert result["readiness"]["recommendations"] == [
        "Chase the delayed hero piece: Silk Gown (hero)."
    ]
    assert [(b["sampleId"], b["severity"], b["estimatedDelay"]) for b in result["blockers"]] == [
        ("2", "critical", "1h 30min")
    ]
    batching = result["batching"]
    assert (
        batching["totalBatches"],
        batching["estimatedTimeSavings"],
        batching["minutesSaved"],
    ) == (
        2,
        "30min",
        30,
    )
    assert [b["items"] for b in batching["batches"]] == [["1", "4"], ["3"]]


def test_batching_overrides_pass_through():
    result = analyze_logistics(SAMPLES, "batching", now=NOW, setup_minutes={"Dresses": 45})
    assert result["batching"]["minutesSaved"] == 45
